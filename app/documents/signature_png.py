"""A signature's picture for print: a PNG at 300 dpi, drawn from its strokes.

The strokes are drawn at their true size (the resolution they were captured at), with a
pen whose width follows the pressure: :data:`MIN_WIDTH_SHARE` of the full width at no
pressure, the full width at full pressure, and the width at :data:`DEFAULT_PRESSURE` for
input without pressure (a mouse). The image is cropped to the ink and ``margin_mm`` around
it, measured from the ink's outer edge; its size is therefore

    (ink extent + pen width at the extreme points + 2 × margin) × dpi / 25.4

in each direction. Drawing is supersampled and scaled down, so edges are smooth. The PNG
records its resolution (pHYs), so a PDF or a word processor places it at its real size.
"""

from __future__ import annotations

import io
import math
from itertools import pairwise
from typing import Literal

from PIL import Image, ImageDraw

from app.core.paper import MM_PER_INCH
from app.core.signature import Point, Strokes

DEFAULT_DPI = 300
PEN_MM = 0.6  # a ballpoint's line on paper
MIN_WIDTH_SHARE = 0.35
DEFAULT_PRESSURE = 0.6
SUPERSAMPLE = 4
Background = Literal["white", "transparent"]


def pen_width_mm(pressure: float | None, pen_mm: float = PEN_MM) -> float:
    p = DEFAULT_PRESSURE if pressure is None else pressure
    return pen_mm * (MIN_WIDTH_SHARE + (1 - MIN_WIDTH_SHARE) * p)


def render_png(strokes: Strokes, *, dpi: int = DEFAULT_DPI, background: Background = "white",
               margin_mm: float = 2.0, pen_mm: float = PEN_MM,
               ink: tuple[int, int, int] = (0, 0, 0)) -> bytes:
    """The PNG of ``strokes`` (grayscale on white, or RGBA with a transparent background).

    ``strokes`` must have at least one point: an empty signature has no picture.
    """
    if strokes.point_count == 0:
        raise ValueError("an empty signature has no picture")
    if dpi <= 0 or margin_mm < 0 or pen_mm <= 0:
        raise ValueError("dpi and pen width must be positive and the margin not negative")
    px_per_mm = dpi / MM_PER_INCH
    # The box: every point's pen disc and the margin around them.
    def edge(p: Point) -> float:
        return pen_width_mm(p.pressure, pen_mm) / 2 + margin_mm

    left = min(strokes.mm(p.x) - edge(p) for p in strokes.points())
    top = min(strokes.mm(p.y) - edge(p) for p in strokes.points())
    right = max(strokes.mm(p.x) + edge(p) for p in strokes.points())
    bottom = max(strokes.mm(p.y) + edge(p) for p in strokes.points())
    size = (max(1, round((right - left) * px_per_mm)), max(1, round((bottom - top) * px_per_mm)))

    scale = px_per_mm * SUPERSAMPLE
    mask = Image.new("L", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(mask)

    def at(p: Point) -> tuple[float, float]:
        return ((strokes.mm(p.x) - left) * scale, (strokes.mm(p.y) - top) * scale)

    def radius(p: Point) -> float:
        return pen_width_mm(p.pressure, pen_mm) / 2 * scale

    for stroke in strokes:
        for a, b in pairwise(stroke):
            _segment(draw, at(a), at(b), radius(a), radius(b))
        for p in stroke:  # round caps and joins; a stroke of one point is a dot
            (x, y), r = at(p), radius(p)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    mask = mask.resize(size, Image.Resampling.LANCZOS)

    if background == "transparent":
        image = Image.new("RGBA", size, (*ink, 0))
        image.putalpha(mask)
    elif ink[0] == ink[1] == ink[2]:
        image = Image.composite(Image.new("L", size, ink[0]), Image.new("L", size, 255), mask)
    else:
        image = Image.composite(Image.new("RGB", size, ink), Image.new("RGB", size, (255, 255, 255)), mask)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi), optimize=True)
    return out.getvalue()


def _segment(draw: ImageDraw.ImageDraw, a: tuple[float, float], b: tuple[float, float],
             ra: float, rb: float) -> None:
    """The tapered band between two pen discs (a quadrilateral along the segment)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length == 0:
        return
    nx, ny = -dy / length, dx / length  # unit normal
    draw.polygon([(a[0] + nx * ra, a[1] + ny * ra), (b[0] + nx * rb, b[1] + ny * rb),
                  (b[0] - nx * rb, b[1] - ny * rb), (a[0] - nx * ra, a[1] - ny * ra)], fill=255)
