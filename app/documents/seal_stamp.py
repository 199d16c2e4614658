"""The visible seal: a round red seal drawn as PDF vector paths (ring, the unit's name around the rim,
a five-pointed star, the seal's name below it).

The characters are glyph outlines taken from the bundled CJK font with fontTools and filled as
paths, so the seal embeds no font and adds no text to the page: ``pdftotext`` of a sealed notice
gives the notice's text only. The geometry follows the usual round official seal (42 mm: ring
about 1.2 mm, star 14 mm across, the name along the upper arc with each character's foot towards
the centre). :func:`seal_content` returns a content stream in points with its origin at the lower
left corner of the seal's square; :mod:`app.documents.pades` puts it into the signature's
appearance at 100 % opacity.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fontTools.pens.basePen import BasePen
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

#: the seal's red (RGB, 0–1)
SEAL_RED = (0.85, 0.05, 0.05)
#: a standard official seal is 42 mm across
DIAMETER_MM = 42.0
_PT = 72 / 25.4
#: the rim text never spans more than this arc (the bottom stays open for the seal's name)
MAX_ARC_DEG = 240.0
#: nor less (a short name is spread out, as on real seals)
MIN_ARC_DEG = 150.0
#: names from this length get smaller characters so they still fit the arc
LONG_NAME = 20
#: a glyph with more contours than this is not drawn (the bundled font has none; a hostile font would)
_MAX_POINTS = 5000

Point = tuple[float, float]
Transform = Callable[[float, float], Point]


class _PdfPathPen(BasePen):  # type: ignore[misc]  # fontTools is untyped
    """Writes a glyph's outline as PDF path operators, each point through ``transform``."""

    def __init__(self, glyph_set: object, transform: Transform, out: list[str]) -> None:
        super().__init__(glyph_set)
        self._t = transform
        self._out = out
        self._points = 0

    def _pt(self, p: Point) -> str:
        self._points += 1
        if self._points > _MAX_POINTS:
            raise ValueError("glyph outline too complex")
        x, y = self._t(*p)
        return f"{x:.2f} {y:.2f}"

    def _moveTo(self, p: Point) -> None:
        self._out.append(f"{self._pt(p)} m")

    def _lineTo(self, p: Point) -> None:
        self._out.append(f"{self._pt(p)} l")

    def _curveToOne(self, p1: Point, p2: Point, p3: Point) -> None:
        self._out.append(f"{self._pt(p1)} {self._pt(p2)} {self._pt(p3)} c")

    def _qCurveToOne(self, p1: Point, p2: Point) -> None:
        # TrueType quadratics as the cubic PDF has: control points 2/3 of the way to the quad's.
        p0 = self._getCurrentPoint()
        c1 = (p0[0] + 2 / 3 * (p1[0] - p0[0]), p0[1] + 2 / 3 * (p1[1] - p0[1]))
        c2 = (p2[0] + 2 / 3 * (p1[0] - p2[0]), p2[1] + 2 / 3 * (p1[1] - p2[1]))
        self._curveToOne(c1, c2, p2)

    def _closePath(self) -> None:
        self._out.append("h")


@dataclass(frozen=True)
class _Face:
    font: TTFont
    glyphs: object
    cmap: dict[int, str]
    #: the ideograph box (centre and size, font units), measured on 国, which fills it
    cx: float
    cy: float
    size: float


@functools.lru_cache(maxsize=2)
def _face(font_file: Path) -> _Face:
    font = TTFont(str(font_file), lazy=True)
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    pen = BoundsPen(glyphs)
    glyphs[cmap[ord("国")]].draw(pen)
    x0, y0, x1, y1 = pen.bounds
    return _Face(font, glyphs, cmap, (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0))


def _glyph(face: _Face, ch: str, place: Callable[[float, float], Point], out: list[str]) -> None:
    """Draw ``ch``; ``place`` maps (-0.5…0.5, -0.5…0.5) of the ideograph box to page points."""
    name = face.cmap.get(ord(ch), ".notdef")
    pen = _PdfPathPen(face.glyphs, lambda x, y: place((x - face.cx) / face.size, (y - face.cy) / face.size), out)
    face.glyphs[name].draw(pen)  # type: ignore[index]


@dataclass(frozen=True)
class RimLayout:
    """Where the unit's name goes: one angle per character (degrees, 90 = top), their size (mm)."""

    angles: tuple[float, ...]
    #: radius of the characters' centres (mm)
    radius: float
    #: size of one character: along the rim and towards the centre (mm)
    width: float
    height: float


def rim_layout(count: int, diameter_mm: float = DIAMETER_MM) -> RimLayout:
    """The characters of a name of ``count`` characters along the upper arc, left to right, clockwise.

    Characters are a little narrower than tall, as seal script is cut. Up to :data:`LONG_NAME`
    characters keep their size (the arc grows up to :data:`MAX_ARC_DEG`); longer names get
    smaller characters, so none overlaps its neighbour or the ring.
    """
    s = diameter_mm / DIAMETER_MM
    ring_inner = 21.0 * s - 1.6 * s  # the ring's inner edge, then a little air
    height = 6.6 * s if count < LONG_NAME else max(3.2 * s, 6.6 * s * (LONG_NAME - 1) / count)
    radius = ring_inner - 0.6 * s - height / 2
    step_nominal = math.degrees((height * 0.80 + 0.45 * s) / radius)  # width + gap along the rim
    arc = min(MAX_ARC_DEG, max(MIN_ARC_DEG if count > 4 else 0.0, step_nominal * count))
    step = arc / count if count else 0.0
    width = min(height * 0.80, math.radians(step) * radius * 0.88)
    start = 90.0 + arc / 2 - step / 2
    return RimLayout(tuple(start - i * step for i in range(count)), radius, width, height)


def _circle(cx: float, cy: float, r: float) -> str:
    """A circle as four Bézier arcs."""
    k = 0.5523 * r
    return (f"{cx + r:.2f} {cy:.2f} m "
            f"{cx + r:.2f} {cy + k:.2f} {cx + k:.2f} {cy + r:.2f} {cx:.2f} {cy + r:.2f} c "
            f"{cx - k:.2f} {cy + r:.2f} {cx - r:.2f} {cy + k:.2f} {cx - r:.2f} {cy:.2f} c "
            f"{cx - r:.2f} {cy - k:.2f} {cx - k:.2f} {cy - r:.2f} {cx:.2f} {cy - r:.2f} c "
            f"{cx + k:.2f} {cy - r:.2f} {cx + r:.2f} {cy - k:.2f} {cx + r:.2f} {cy:.2f} c h")


def _star(cx: float, cy: float, r: float) -> str:
    """A five-pointed star, one point up, inner radius for straight edges (r · sin 18° / sin 126°)."""
    inner = r * math.sin(math.radians(18)) / math.sin(math.radians(126))
    pts = []
    for i in range(10):
        a = math.radians(90 + 36 * i)
        rr = r if i % 2 == 0 else inner
        pts.append(f"{cx + rr * math.cos(a):.2f} {cy + rr * math.sin(a):.2f}")
    return f"{pts[0]} m " + " ".join(f"{p} l" for p in pts[1:]) + " h f"


def seal_content(unit_name: str, seal_name: str, font_file: Path, diameter_mm: float = DIAMETER_MM) -> bytes:
    """The seal as PDF content operators, in points, in a square of ``diameter_mm`` from (0, 0)."""
    face = _face(font_file)
    mm = _PT
    size = diameter_mm * mm
    c = size / 2
    s = diameter_mm / DIAMETER_MM
    r, g, b = SEAL_RED
    ops = ["q", f"{r} {g} {b} rg {r} {g} {b} RG"]
    ring_w = 1.2 * s * mm
    ops.append(f"{ring_w:.2f} w {_circle(c, c, c - ring_w / 2)} S")
    ops.append(_star(c, c + 0.3 * s * mm, 7.0 * s * mm))

    name = unit_name.strip()
    lay = rim_layout(len(name), diameter_mm)
    for ch, angle in zip(name, lay.angles, strict=True):
        t = math.radians(angle)
        ox, oy = c + lay.radius * mm * math.cos(t), c + lay.radius * mm * math.sin(t)
        # glyph x along the clockwise tangent, glyph y outwards: the foot of each character faces the centre
        ax, ay = math.sin(t) * lay.width * mm, -math.cos(t) * lay.width * mm
        bx, by = math.cos(t) * lay.height * mm, math.sin(t) * lay.height * mm

        def place(u: float, v: float, ox: float = ox, oy: float = oy, ax: float = ax, ay: float = ay,
                  bx: float = bx, by: float = by) -> Point:
            return ox + u * ax + v * bx, oy + u * ay + v * by

        _glyph(face, ch, place, ops)
    ops.append("f")

    label = seal_name.strip()
    if label:
        h = 4.6 * s
        w = min(h * 0.9, 24.0 * s / len(label))
        y = c - 11.2 * s * mm
        x0 = c - w * mm * len(label) / 2
        for i, ch in enumerate(label):
            ox = x0 + (i + 0.5) * w * mm

            def flat(u: float, v: float, ox: float = ox, w: float = w) -> Point:
                return ox + u * w * mm, y + v * h * mm

            _glyph(face, ch, flat, ops)
        ops.append("f")
    ops.append("Q")
    return "\n".join(ops).encode("ascii")


def _advance(face: _Face, ch: str) -> float:
    """The advance width of ``ch`` in font units."""
    name = face.cmap.get(ord(ch), ".notdef")
    return float(face.font["hmtx"][name][0])


def wrap_text(text: str, font_file: Path, size_pt: float, width_pt: float) -> list[str]:
    """``text`` broken into lines no wider than ``width_pt`` at ``size_pt`` (character by character, as
    Chinese is set; an explicit newline starts a new line)."""
    face = _face(font_file)
    scale = size_pt / float(face.font["head"].unitsPerEm)
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line, used = "", 0.0
        for ch in para:
            w = _advance(face, ch) * scale
            if line and used + w > width_pt:
                lines.append(line)
                line, used = "", 0.0
            line, used = line + ch, used + w
        lines.append(line)
    return lines


def text_content(lines: list[str], font_file: Path, x_pt: float, top_pt: float, size_pt: float,
                 leading_pt: float, *, align_right_at: float | None = None) -> bytes:
    """Lines of black text as filled glyph outlines (no font to embed), the first baseline one ``size_pt``
    below ``top_pt``; right-aligned at ``align_right_at`` when given."""
    face = _face(font_file)
    scale = size_pt / float(face.font["head"].unitsPerEm)
    ops = ["q", "0 0 0 rg"]
    for i, line in enumerate(lines):
        baseline = top_pt - size_pt - i * leading_pt
        x = x_pt
        if align_right_at is not None:
            x = align_right_at - sum(_advance(face, ch) for ch in line) * scale
        for ch in line:
            name = face.cmap.get(ord(ch), ".notdef")

            def place(gx: float, gy: float, ox: float = x, oy: float = baseline) -> Point:
                return ox + gx * scale, oy + gy * scale

            face.glyphs[name].draw(_PdfPathPen(face.glyphs, place, ops))  # type: ignore[index]
            x += _advance(face, ch) * scale
        ops.append("f")
    ops.append("Q")
    return "\n".join(ops).encode("ascii")
