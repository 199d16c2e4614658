"""Whether a straight page is upside down, told from its layout, or not at all when unsure.

Chinese glyphs are nearly symmetric under a half turn, so the page's layout decides:
a paragraph's first line is indented two characters at the left and its last line stops early
on the right, so a line ending early is followed by an indented line; on a page turned 180°
the indent shows up at the right end of a line followed by one starting late. A title — a
taller, centred line — sits at the top. Only clear, agreeing evidence gives an answer: a page
wrongly turned over is far worse than one left for the clerk to turn.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from app.imaging.arrays import Image, u8

#: Pages are looked at with a long side of about this many pixels (~75 dpi for A4).
_LONG_SIDE = 900
#: Paragraph evidence needed: pairs of lines showing the pattern, and the lead over the other way.
_MIN_PAIRS = 2
_MIN_LEAD = 2


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text on the page: its band of rows and the extent of its ink."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def height(self) -> int:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the layout says: paragraph breaks read upright / turned, and the title's vote
    (+1 a title at the top, -1 at the bottom, 0 none)."""

    upright_breaks: int
    turned_breaks: int
    title: int


def _ink(gray: Image) -> Image:
    """Text strokes as 1, everything else 0: no rules, no photos, no dust."""
    hist = cv2.calcHist([np.ascontiguousarray(gray)], [0], None, [256], [0, 256]).ravel()
    # The paper's level is the most common one (white fill from a rotation, or a light scanner
    # band left in, can be brighter than a dim sheet).
    level = float(np.argmax(np.convolve(hist, np.ones(5), mode="same")))
    ink = (gray < 0.6 * level).astype(np.uint8)
    h, w = ink.shape
    # Table rules would join every line of a form into one; photos are not text. Thin rules
    # shrunk and rotated come out faint in places, so they are looked for with a lenient threshold.
    faint = (gray < 0.85 * level).astype(np.uint8)
    across = u8(cv2.morphologyEx(faint, cv2.MORPH_OPEN, np.ones((1, max(8, w // 12)), np.uint8)))
    down = u8(cv2.morphologyEx(faint, cv2.MORPH_OPEN, np.ones((max(8, h // 20), 1), np.uint8)))
    solid = u8(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8)))
    ink[u8(cv2.dilate(across | down | solid, np.ones((3, 3), np.uint8))) > 0] = 0
    # What touches the edges is more likely a scanner band left by a crop than text.
    edge = max(2, min(h, w) // 100)
    ink[:edge] = 0
    ink[-edge:] = 0
    ink[:, :edge] = 0
    ink[:, -edge:] = 0
    return ink


def text_lines(ink: Image) -> list[TextLine]:
    """The text lines of a straight page's ink mask, top to bottom."""
    rows = ink.sum(axis=1)
    on = rows >= 2
    edges = np.flatnonzero(np.diff(np.concatenate([[0], on.astype(np.int8), [0]])))
    lines = []
    for top, bottom in zip(edges[::2], edges[1::2], strict=True):
        if bottom - top < 3:
            continue
        cols = ink[top:bottom].sum(axis=0)
        # A character-wide window ignores a stray speck beside the line.
        span = max(3, bottom - top)
        smooth = np.convolve(cols, np.ones(span), mode="same")
        present = np.flatnonzero(smooth >= 3)
        if len(present):
            lines.append(TextLine(int(top), int(bottom), int(present[0] - span // 2 + 1),
                                  int(present[-1] + span // 2 - 1)))
    return lines


def layout_evidence(lines: list[TextLine], width: int) -> Evidence:
    """Counts the paragraph breaks that read upright and those that read turned, and where
    a title is."""
    body = [ln for ln in lines if ln.right - ln.left > 4 * ln.height]
    if len(body) < 3:
        return Evidence(0, 0, 0)
    unit = float(np.median([ln.height for ln in body]))  # a CJK character is about as wide as high
    left_edge = float(np.percentile([ln.left for ln in body], 25))
    right_edge = float(np.percentile([ln.right for ln in body], 75))

    def indent(gap: float) -> bool:
        return 1.4 * unit <= gap <= 2.9 * unit

    upright = turned = 0
    for a, b in itertools.pairwise(lines):
        # Only neighbouring body lines of the same size count (not a title or a table cell).
        if b.top - a.bottom > 2.5 * unit or abs(a.height - b.height) > 0.35 * unit:
            continue
        if a.height < 0.7 * unit or a.height > 1.4 * unit:
            continue
        ends_early, starts_late = right_edge - a.right > 0.8 * unit, b.left - left_edge > 0.8 * unit
        if ends_early and indent(b.left - left_edge) and abs(a.left - left_edge) < 0.5 * unit:
            upright += 1
        if starts_late and indent(right_edge - a.right) and abs(b.right - right_edge) < 0.5 * unit:
            turned += 1
    return Evidence(upright, turned, _title_vote(lines, unit, width))


def _title_vote(lines: list[TextLine], unit: float, width: int) -> int:
    """+1 if a title (a line of taller characters, centred) opens the page, -1 if it ends it."""
    def title(ln: TextLine) -> bool:
        # Several characters wide: a round seal or a logo is not a title.
        wide = 2.5 * ln.height < ln.right - ln.left < 0.8 * width
        centred = abs((ln.left + ln.right) / 2 - width / 2) < 0.04 * width
        return 1.3 * unit < ln.height < 2.6 * unit and wide and centred

    return int(title(lines[0])) - int(title(lines[-1]))


def is_upside_down(gray: Image) -> bool | None:
    """True if a straight grey page is upside down, False if it is upright, None when its layout
    does not say so clearly (blank pages, photos, forms without a title...)."""
    if min(gray.shape) < 16:
        return None
    scale = _LONG_SIDE / max(gray.shape)
    if scale < 0.75:
        gray = u8(cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    lines = text_lines(_ink(gray))
    if len(lines) < 2:
        return None
    ev = layout_evidence(lines, gray.shape[1])
    lead = ev.turned_breaks - ev.upright_breaks
    # The title alone decides only if the paragraphs do not disagree, and the other way round.
    if (ev.title < 0 and lead >= 0) or (ev.turned_breaks >= _MIN_PAIRS and lead >= _MIN_LEAD and ev.title <= 0):
        return True
    if (ev.title > 0 and lead <= 0) or (ev.upright_breaks >= _MIN_PAIRS and -lead >= _MIN_LEAD and ev.title >= 0):
        return False
    return None
