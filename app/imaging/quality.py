"""The quality gate: per page, a reason the clerk understands when a page is not usable.

:func:`check_page` runs on the straightened, cropped page before it is binarised and
returns warnings in a fixed order. The rules, all in physical units so 200 and 300 dpi
scans are judged alike:

* **blank** — :func:`app.imaging.blank.census` finds no content; nothing else is judged.
* **too_dark** — the paper (90th percentile of the page's grey levels) is darker than
  ``TOO_DARK_PAPER``.
* **blurred** — edge sharpness is measured at full resolution in up to ``SHARP_TILES`` tiles
  that hold the most ink: at each local maximum of the 3×3 gradient, the rise over 2 px as a
  share of the stroke's darkness. Its median gives the width (σ, in mm) of a Gaussian edge
  rising that fast; a clean scan gives < 0.05 mm at 200 or 300 dpi, a σ = 2.5 px blur at
  300 dpi ~0.15 mm. Above ``BLUR_MAX_MM`` the page is blurred. Pages with too few edges
  are not judged.
* **cut_off** — ink in the band ``CUT_BAND_MM`` in from an edge (past ``CUT_IGNORE_MM`` of
  crop residue): at least ``CUT_MIN_MARKS`` marks covering ``CUT_MIN_MM`` along that edge.
  Documents keep wider margins (forms ~10 mm, letters 25 mm), so such ink is text running off
  the paper. A mark running along more than half the edge is a frame or a border left by the
  crop, not text. A cut that falls cleanly between two lines leaves nothing to see and is
  not found.
* **almost_empty** — not blank, yet no line of text and no large mark (seal, photo,
  signature): a few loose marks. One line of text is content, so it is not flagged.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from app.core.errors import N_, Message
from app.imaging.arrays import Image, u8
from app.imaging.blank import (
    EDGE_MM,
    SPECK_MM,
    STRONG_INK,
    at_least,
    census_of_darkness,
    clear_edges,
    darkness,
    small_gray,
)

#: A page at full resolution, read a rectangle at a time: (x, y, width, height) → its grey or RGB pixels.
Tiles = Callable[[int, int, int, int], Image]

BLANK = "blank"
TOO_DARK = "too_dark"
BLURRED = "blurred"
CUT_OFF = "cut_off"
ALMOST_EMPTY = "almost_empty"
SHEET_NOT_FOUND = "sheet_not_found"

MESSAGES = {
    BLANK: N_("第{n}页是空白页"),
    TOO_DARK: N_("第{n}页太暗，请调亮后重新扫描"),
    BLURRED: N_("第{n}页模糊，请重新扫描"),
    CUT_OFF: N_("第{n}页内容不完整（边缘被裁切），请摆正后重新扫描"),
    ALMOST_EMPTY: N_("第{n}页几乎没有内容，请确认是否放错"),
    SHEET_NOT_FOUND: N_("第{n}页未找到纸张边缘，已保留整张照片，请确认"),
}

#: Paper darker than this grey level (of 255) is a dark scan: ~55 % of white, where a dim
#: camera shot or a scanner lid left open starts to lose faint strokes.
TOO_DARK_PAPER = 140
#: Estimated edge σ (mm) above which a page is blurred: between a σ = 2 px blur at 300 dpi
#: (~0.13 mm, still crisp to read) and σ = 2.5 px (~0.15 mm, strokes start to merge).
BLUR_MAX_MM = 0.14
#: Tiles (SHARP_TILE_MM square) with the most ink where sharpness is measured: enough edges
#: for a stable median, a few percent of the page's pixels.
SHARP_TILES = 12
SHARP_TILE_MM = 10.0
#: Fewer edge points than this and the page is not judged for blur.
SHARP_MIN_EDGES = 40
#: Crop residue band ignored at each edge, and the band beyond it where ink means cut-off text
#: (6 mm is deeper than the gap between two lines of 12 pt text, ~3 mm).
CUT_IGNORE_MM = 1.5
CUT_BAND_MM = 6.0
#: Ink along an edge that makes it cut off: several marks covering this much of the edge.
CUT_MIN_MM = 10.0
CUT_MIN_MARKS = 3


@dataclass(frozen=True, slots=True)
class PageWarning:
    """One problem found on a page: ``code`` (one of MESSAGES) and, for the log, ``detail``."""

    code: str
    detail: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise ValueError(f"unknown page warning {self.code!r}")

    def message(self, page_no: int) -> str:
        """The clerk's text for page ``page_no`` (counted from 1)."""
        return Message(MESSAGES[self.code], n=page_no)


def check_page(img: Image, *, dpi: float, small: tuple[Image, float] | None = None) -> list[PageWarning]:
    """Warnings for a straightened, cropped page (grey or RGB) scanned at ``dpi``. ``small`` is
    ``small_gray(img, …)`` (and its pixels per mm) when the caller has it already."""
    gray, small_px_per_mm = small_gray(img, dpi / 25.4) if small is None else small
    height, width = img.shape[:2]
    return check_shrunk(gray, small_px_per_mm, dpi=dpi, size=(width, height),
                        tiles=lambda x, y, w, h: img[y:y + h, x:x + w])


def check_shrunk(gray: Image, small_px_per_mm: float, *, dpi: float, size: tuple[int, int],
                 tiles: Tiles) -> list[PageWarning]:
    """:func:`check_page` of a page of ``size`` (width, height) at ``dpi`` from its small grey
    copy, reading the page at full resolution only where sharpness is measured, through
    ``tiles``: the rest of the page need never be made at full resolution."""
    px_per_mm = dpi / 25.4
    dark = darkness(gray, small_px_per_mm, edge_mm=0)
    warnings: list[PageWarning] = []

    paper = _paper_level(gray, small_px_per_mm)
    if paper < TOO_DARK_PAPER:
        warnings.append(PageWarning(TOO_DARK, f"paper level {paper}"))

    ink = census_of_darkness(clear_edges(dark.copy(), small_px_per_mm, EDGE_MM), small_px_per_mm)
    if ink.blank:
        return [PageWarning(BLANK), *warnings]

    sigma = edge_sigma_mm(tiles, size, px_per_mm, dark, small_px_per_mm)
    if sigma is not None and sigma > BLUR_MAX_MM:
        warnings.append(PageWarning(BLURRED, f"edge sigma {sigma:.3f} mm"))

    sides = _cut_sides(dark, small_px_per_mm)
    if sides:
        warnings.append(PageWarning(CUT_OFF, "ink runs off the " + ", ".join(sides)))

    if not ink.has_content:
        warnings.append(PageWarning(ALMOST_EMPTY, f"{ink.stray_ink_mm2:.0f} mm² of loose marks"))
    return warnings


def _paper_level(gray: Image, px_per_mm: float) -> int:
    """The paper's grey level: the 90th percentile inside the crop-residue band."""
    edge = max(1, round(CUT_BAND_MM * px_per_mm))
    sample = gray[edge:-edge:2, edge:-edge:2].ravel()
    if sample.size == 0:
        return 255
    k = int(0.9 * (sample.size - 1))
    return int(np.partition(sample, k)[k])


# Rise over 2 px (as a share of the stroke) of a Gaussian edge of width σ px: erf(1 / (σ√2)).
_SIGMAS = np.linspace(0.05, 10.0, 400)
_RISES = np.array([math.erf(1 / (s * math.sqrt(2))) for s in _SIGMAS])


def edge_sigma_mm(tiles: Tiles, size: tuple[int, int], px_per_mm: float, dark: Image,
                  small_px_per_mm: float) -> float | None:
    """Estimated blur (σ of a Gaussian edge, mm) of a page's ink edges, or None if too few edges.

    ``dark`` is the page's small darkness map (:func:`app.imaging.blank.darkness`), used to
    pick the tiles with the most ink; the edges themselves are measured at full resolution,
    on the page of ``size`` (width, height) read through ``tiles``.
    """
    tile_small = max(2, round(SHARP_TILE_MM * small_px_per_mm))
    rows, cols = dark.shape[0] // tile_small, dark.shape[1] // tile_small
    if rows == 0 or cols == 0:
        return None
    strong = at_least(dark[: rows * tile_small, : cols * tile_small], STRONG_INK)
    density = cv2.resize(strong, (cols, rows), interpolation=cv2.INTER_AREA).ravel()
    order = np.argsort(density)[::-1][:SHARP_TILES]
    order = order[density[order] > 0]

    scale = px_per_mm / small_px_per_mm
    side = round(tile_small * scale)
    width, height = size
    k3 = np.ones((3, 3), np.uint8)
    k_peak = np.ones((max(3, round(0.6 * px_per_mm) | 1),) * 2, np.uint8)  # wider than a stroke
    hist = np.zeros(256)
    for index in order:
        r, c = divmod(int(index), cols)
        y, x = round(r * tile_small * scale), round(c * tile_small * scale)
        tile = tiles(x, y, min(side, width - x), min(side, height - y))
        if tile.ndim == 3:
            tile = u8(cv2.cvtColor(np.ascontiguousarray(tile), cv2.COLOR_RGB2GRAY))
        sample = tile[::4, ::4].ravel()
        paper = max(1, int(np.partition(sample, int(0.95 * (sample.size - 1)))[int(0.95 * (sample.size - 1))]))
        tile_dark = u8(cv2.bitwise_not(cv2.convertScaleAbs(tile, alpha=255.0 / paper)))
        grad = u8(cv2.subtract(cv2.dilate(tile_dark, k3), cv2.erode(tile_dark, k3)))
        peak = u8(cv2.dilate(tile_dark, k_peak))
        # Edge points: local maxima of the gradient, on strokes of real ink.
        at_edge = cv2.bitwise_and(cv2.compare(grad, cv2.dilate(grad, k3), cv2.CMP_GE), at_least(peak, STRONG_INK))
        at_edge = cv2.bitwise_and(at_edge, at_least(grad, 20))
        rise = cv2.divide(grad, peak, scale=255)
        hist += cv2.calcHist([rise], [0], at_edge, [256], [0, 256]).ravel()
    total = hist.sum()
    if total < SHARP_MIN_EDGES:
        return None
    median_rise = float(np.searchsorted(np.cumsum(hist), 0.5 * total)) / 255
    sigma_px = float(np.interp(median_rise, _RISES[::-1], _SIGMAS[::-1]))
    return sigma_px / px_per_mm


def _cut_sides(dark: Image, px_per_mm: float) -> list[str]:
    """The edges (top, right, bottom, left) that ink runs off."""
    inner, outer = round(CUT_IGNORE_MM * px_per_mm), max(round(CUT_BAND_MM * px_per_mm), 2)
    bands = {
        "top": dark[inner:outer],
        "bottom": dark[-outer : dark.shape[0] - inner][::-1],
        "left": dark[:, inner:outer].T,
        "right": dark[:, -outer : dark.shape[1] - inner].T[::-1],
    }
    speck = max(1, round(SPECK_MM * px_per_mm))
    sides = []
    for side, band in bands.items():
        ink = at_least(np.ascontiguousarray(band), STRONG_INK)
        n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        along = np.asarray(stats, dtype=np.int64)[1:n, cv2.CC_STAT_WIDTH]
        across = np.asarray(stats, dtype=np.int64)[1:n, cv2.CC_STAT_HEIGHT]
        marks = along[(along < band.shape[1] // 2) & ((along >= speck) | (across >= speck))]
        if len(marks) >= CUT_MIN_MARKS and marks.sum() >= CUT_MIN_MM * px_per_mm:
            sides.append(side)
    return sides
