"""Paper sizes and when a stated scan resolution can be believed.

A resolution is believed when it lies within 50–2400 dpi and the paper it implies fits on
A0 — or on A3 below 100 dpi, where the 72 and 96 dpi that cameras and screenshot tools write
without knowing belong. Otherwise an image is taken to be an A4 sheet. The page pipeline
(to measure a page in millimetres) and the material PDF (to size its page) share this rule,
so a page is judged at the size it is printed at.
"""

from __future__ import annotations

MM_PER_INCH = 25.4
#: (short, long) sides in millimetres.
A4_MM = (210.0, 297.0)
A3_MM = (297.0, 420.0)
A0_MM = (841.0, 1189.0)
MIN_DPI, MAX_DPI = 50.0, 2400.0
#: The clockwise turns a page can be shown with (a PDF page's /Rotate).
PAGE_ROTATIONS = (0, 90, 180, 270)
#: Measured sizes may exceed the nominal paper by this share (scanner overscan).
SLACK = 1.02


def believable_dpi(width_px: int, height_px: int, dpi: tuple[float, float] | None) -> bool:
    """Whether ``dpi`` (x, y) gives an image of this size a plausible paper size."""
    if dpi is None or not all(MIN_DPI <= d <= MAX_DPI for d in dpi):
        return False
    width_mm, height_mm = width_px / dpi[0] * MM_PER_INCH, height_px / dpi[1] * MM_PER_INCH
    short, long = A0_MM if min(dpi) >= 100 else A3_MM
    return max(width_mm, height_mm) <= long * SLACK and min(width_mm, height_mm) <= short * SLACK


def a4_dpi(width_px: int, height_px: int) -> float:
    """The resolution at which an image of this size would just fit an A4 sheet."""
    return min(max(width_px, height_px) / A4_MM[1], min(width_px, height_px) / A4_MM[0]) * MM_PER_INCH
