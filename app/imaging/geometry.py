"""One entry point for page geometry: scans deskewed and cropped, photos rectified, pages upright.

``straighten(img, source)`` picks the path by where the page came from. Files handed in by the
clerk (``source="auto"``) are judged by their content. A photo is an image in which a distinct
sheet stands out from a background on all four sides (``sheet.find_sheet``), covers less than
``CAMERA_MAX_COVER`` of the image, and either is seen in perspective (not a true rectangle) or
is unevenly lit (a photo or a dark block printed on the page is not uneven light). Anything
else is treated as a scan: no sheet found, a sheet filling the image, or a true rectangle of
evenly lit paper on a dark bed (a skewed sheet in a feeder). The scan path never crops into
the paper, so a doubtful image is safest there. ``plan_page`` decides the same and leaves a
scan's pixels to be made as the caller needs them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from app.core.paper import MM_PER_INCH
from app.imaging.arrays import Image, halve, to_gray, u8
from app.imaging.deskew import ScanPlan, apply_scan, plan_scan, shrink
from app.imaging.orientation import is_upside_down
from app.imaging.sheet import PAPER_SIZES, Quad, find_sheet, flatten_illumination, measured_size, rectify, snap_paper

#: A sheet covering more of the image than this is the paper of a scan, not a photo's subject.
CAMERA_MAX_COVER = 0.92
#: A scanner's sheet: corners within this many degrees of a right angle, opposite sides this close.
RIGHT_ANGLE = 0.5
EQUAL_SIDES = 0.006
#: A scanner lights paper evenly: the darkest part of the sheet at least this share of the brightest,
#: leaving aside parts darker than CONTENT_LEVEL of it (a photo or a black block on the page).
EVEN_LIGHT = 0.95
CONTENT_LEVEL = 0.8
#: A photographed sheet is rectified at the resolution the photo gives it, within these bounds:
#: more than 300 dpi adds bytes and no legibility, less than 100 is upsampled so that strokes
#: keep a few pixels for the binariser.
SHOT_DPI = (100, 300)

Source = Literal["scanner", "camera", "auto"]


@dataclass(frozen=True, slots=True)
class Straightened:
    """A page after geometry.

    ``angle``: degrees of rotation applied (counter-clockwise positive; for a photo, the sheet's
    tilt that the rectification undid). ``corners``: the sheet's corners in the input (photos
    only). ``found``: False only for a photo whose sheet could not be found; ``image`` is then
    the photo whole, for the caller to flag. ``upside_down``: True if the page was turned 180°,
    None if that could not be told.
    """

    image: Image
    angle: float
    corners: Quad | None
    found: bool
    upside_down: bool | None
    source: Literal["scanner", "camera"]
    dpi: float | None = None  # a rectified photo's resolution; None: the input's is unchanged


def sheet_cover(corners: Quad, shape: tuple[int, ...]) -> float:
    """The share of the image that the sheet inside ``corners`` covers."""
    return float(cv2.contourArea(corners.astype(np.float32))) / (shape[0] * shape[1])


def is_true_rectangle(corners: Quad) -> bool:
    """Right angles and equal opposite sides, as a scanner sees a sheet (a camera rarely does)."""
    sides = np.roll(corners, -1, axis=0) - corners
    lengths = np.linalg.norm(sides, axis=1)
    for i in range(4):
        a, b = -sides[i - 1], sides[i]
        if abs(math.degrees(math.acos(np.clip(a @ b / (lengths[i - 1] * lengths[i]), -1, 1))) - 90) > RIGHT_ANGLE:
            return False
    return bool(abs(lengths[0] / lengths[2] - 1) < EQUAL_SIDES and abs(lengths[1] / lengths[3] - 1) < EQUAL_SIDES)


def is_evenly_lit(gray: Image, corners: Quad, shrunk: tuple[Image, int] | None = None) -> bool:
    """Whether the paper inside ``corners`` is equally bright all over, as under a scanner's lamp
    (a room's or a document camera's light falls off across a sheet). ``shrunk``: a copy of
    ``gray`` from :func:`app.imaging.deskew.shrink`, halved here once (default: one made here)."""
    small, k = shrink(gray, 400) if shrunk is None else (halve(shrunk[0], 1), 2 * shrunk[1])
    quad = (corners - (k - 1) / 2) / k
    tl, tr, br, bl = quad
    levels = []
    for u in np.linspace(0.15, 0.85, 5):
        for v in np.linspace(0.15, 0.85, 5):
            x, y = (1 - v) * ((1 - u) * tl + u * tr) + v * ((1 - u) * bl + u * br)
            cell = small[max(0, int(y) - 6): int(y) + 7, max(0, int(x) - 6): int(x) + 7]
            levels.append(float(np.percentile(cell, 90)))
    # A photo or a black block on a scanned page darkens a few cells far below the paper; light
    # falling off across a sheet passes through the levels just below it.
    top = max(levels)
    paper = [v >= EVEN_LIGHT * top for v in levels]
    content = [v < CONTENT_LEVEL * top for v in levels]
    return sum(paper) > len(levels) // 2 and all(p or c for p, c in zip(paper, content, strict=True))


def _tilt(corners: Quad) -> float:
    """The sheet's rotation in the photo (degrees counter-clockwise): mean of top and bottom edges."""
    tl, tr, br, bl = corners
    angles = [math.degrees(math.atan2(-(b[1] - a[1]), b[0] - a[0])) for a, b in ((tl, tr), (bl, br))]
    return float(np.mean(angles))


def shot_dpi(corners: Quad, paper: str | None = None) -> int:
    """The resolution a photo gives the sheet inside ``corners`` (its paper, or A4 when its shape
    is no standard paper's), within ``SHOT_DPI``."""
    w, h = measured_size(corners)
    name = snap_paper(max(w, h) / min(w, h), paper) or "A4"
    dpi = max(w, h) / PAPER_SIZES[name][1] * MM_PER_INCH
    return round(min(max(dpi, SHOT_DPI[0]), SHOT_DPI[1]))


def _from_shot(img: Image, corners: Quad, dpi: int | None, paper: str | None) -> Straightened:
    dpi = dpi or shot_dpi(corners, paper)
    page = flatten_illumination(rectify(img, corners, dpi, paper))
    upside_down = is_upside_down(shrink(to_gray(page))[0])
    if upside_down:
        page = u8(cv2.rotate(page, cv2.ROTATE_180))
    return Straightened(page, -_tilt(corners), corners, True, upside_down, "camera", float(dpi))


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """A page whose geometry is decided (the fields of :class:`Straightened`) and whose straight
    pixels are made on demand, in the form and at the resolution each use needs: a scan's
    full-resolution colour warp is the pipeline's costliest step, and most pages need the page
    only in grey at full resolution and in colour at a quarter of it.

    ``image`` is the input when ``plan`` is set (a scan), else the straight page itself (a
    photo, rectified or kept whole); ``gray_image`` is ``image`` in grey.
    """

    image: Image
    gray_image: Image
    plan: ScanPlan | None
    angle: float
    corners: Quad | None
    found: bool
    upside_down: bool | None
    source: Literal["scanner", "camera"]
    dpi: float | None = None

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the straight page at the input's resolution."""
        return self.plan.size if self.plan is not None else (self.image.shape[1], self.image.shape[0])

    def gray(self) -> Image:
        """The straight page in grey, at the input's resolution."""
        return self.gray_image if self.plan is None else apply_scan(self.gray_image, self.plan)

    def gray_window(self, x: int, y: int, width: int, height: int) -> Image:
        """Part of :meth:`gray`, made alone."""
        if self.plan is None:
            return self.gray_image[y:y + height, x:x + width]
        return apply_scan(self.gray_image, self.plan, window=(x, y, width, height))

    def pixels(self, size: tuple[int, int] | None = None) -> Image:
        """The straight page in the input's channels, resampled to ``size`` (width, height) if given."""
        if self.plan is not None:
            return apply_scan(self.image, self.plan, size)
        if size is None or size == self.size:
            return self.image
        return u8(cv2.resize(self.image, size, interpolation=cv2.INTER_LINEAR))

    def shrunk(self, halvings: int) -> Image:
        """The straight page in the input's channels, ``2**halvings`` times smaller: area averages
        of the input, warped (for an analysis copy, as good as averaging the warped page)."""
        if self.plan is None:
            return halve(self.image, halvings)
        q = 1 << halvings
        w, h = self.plan.size
        return apply_scan(halve(self.image, halvings), self.plan, (max(1, w // q), max(1, h // q)), q)

    def straightened(self) -> Straightened:
        """The page made at full resolution."""
        return Straightened(self.pixels(), self.angle, self.corners, self.found, self.upside_down, self.source,
                            self.dpi)


def _made(page: Straightened) -> PageGeometry:
    return PageGeometry(page.image, to_gray(page.image), None, page.angle, page.corners, page.found,
                        page.upside_down, page.source, page.dpi)


def plan_page(img: Image, source: Source = "auto", dpi: int | None = None, paper: str | None = None) -> PageGeometry:
    """:func:`straighten`, with a scan's pixels left to make as needed (see :class:`PageGeometry`)."""
    gray = to_gray(img)
    # One shrunk copy for every analysis: shrinking by a factor that is no power of two costs
    # as much as the rest of the analysis.
    shrunk = shrink(gray)
    corners = find_sheet(img, gray, shrunk) if source != "scanner" else None
    if source == "camera":
        if corners is None:
            return PageGeometry(img, gray, None, 0.0, None, False, None, "camera")
        return _made(_from_shot(img, corners, dpi, paper))
    if corners is not None and sheet_cover(corners, img.shape) < CAMERA_MAX_COVER and not (
            is_true_rectangle(corners) and is_evenly_lit(gray, corners, shrunk)):
        return _made(_from_shot(img, corners, dpi, paper))
    plan = plan_scan(gray, shrunk)
    return PageGeometry(img, gray, plan, plan.angle, None, True, plan.upside_down, "scanner")


def straighten(img: Image, source: Source = "auto", dpi: int | None = None, paper: str | None = None) -> Straightened:
    """Straightens one page image from a scanner, a camera, or an unknown ``"auto"`` source (see
    the module's rule). ``dpi`` sizes a rectified photo (default: the resolution the photo gives
    the sheet, see :func:`shot_dpi`); ``paper`` names its size when the clerk knows it is A5 or
    B5 rather than A4."""
    return plan_page(img, source, dpi, paper).straightened()
