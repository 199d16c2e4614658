"""Blank-page detection, and the ink census the quality gate shares with it.

The page is analysed on a small grey copy (75–150 dpi, made by fast 2× area halvings):

1. The paper level is estimated per region (a grey dilation removes the ink, a box blur
   smooths it) and each pixel's *darkness* is measured as a share of it, so uneven light,
   tinted paper and a dark scan do not change what counts as ink.
2. Ink is hysteresis-thresholded: a mark is the connected set of pixels at least
   ``WEAK_INK`` darker than the paper, and it only counts if some pixel in it is at least
   ``STRONG_INK`` darker. Bleed-through from the back side is faint and soft, so it stays
   under the strong level; scanner noise is averaged away by the downscale.
3. Specks (marks smaller than ``SPECK_MM``) are dust and ignored; so is a band of
   ``EDGE_MM`` round the page where scanner borders and crop residue live.
4. The remaining marks are merged along rows; a merged blob at least 1.5 mm high, at least
   twice as wide as high and holding at least two marks is a **line of text** (one line
   like 「本页以下空白」 or a date under a signature is enough). A mark at least
   ``LARGE_MM`` across with real ink in it (seal, photo, signature, drawing) is **large**.

A page with more than ``CONTENT_INK_MM2`` of clear ink has content, whatever its shape.
Otherwise a page is blank when it has no text line, no large mark and its loose marks
together hold less ink than ``STRAY_INK_MM2`` (a few dust flecks, a staple hole). Erring
towards "not blank" is deliberate: a wrongly dropped page loses a document, a kept blank
costs a few KB.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from app.core.paper import A4_MM, MM_PER_INCH
from app.imaging.arrays import Image, to_gray, u8

#: Analysis resolution floor: 12 pt Chinese is ~12 px high here, enough to see lines of text.
ANALYSIS_DPI = 75.0
#: Without a known dpi, assume the long side of the image is an A4 page's 297 mm.
A4_LONG_MM = A4_MM[1]

#: Darkness (share of the local paper level, 0–255) at which a pixel belongs to a mark.
WEAK_INK = 45
#: A mark must reach this darkness somewhere: printed or written ink does, bleed-through does not.
STRONG_INK = 95
#: Marks smaller than this in both directions are dust or noise.
SPECK_MM = 1.0
#: Band round the page ignored as scanner border / crop residue.
EDGE_MM = 3.0
#: Size from which a single mark is real content (seal, photo, signature) rather than a fleck.
LARGE_MM = 15.0
#: …provided it holds this much ink (a hair is long but holds almost none).
LARGE_INK_MM2 = 15.0
#: Loose marks holding less ink than this in total still leave a page blank.
STRAY_INK_MM2 = 12.0
#: Clear ink beyond this area (about six lines of text) is content whatever its shape, so the
#: (slower) mark analysis is skipped; no blank page carries that much.
CONTENT_INK_MM2 = 200.0
#: A line of text: blob height range and minimum number of marks in it.
LINE_MIN_H_MM = 1.5
LINE_MAX_H_MM = 20.0
LINE_MIN_MARKS = 2
#: Horizontal gap bridged when merging marks into a line (wider than the gap between characters).
LINE_GAP_MM = 3.0


@dataclass(frozen=True, slots=True)
class InkCensus:
    """What ink a page carries, in physical units so it reads the same at any dpi.

    ``lines`` and ``large_marks`` are None when the page holds so much ink
    (``CONTENT_INK_MM2``) that counting them would change nothing.
    """

    ink_mm2: float
    lines: int | None
    large_marks: int | None
    stray_ink_mm2: float

    @property
    def has_content(self) -> bool:
        """Plenty of ink, or at least one line of text or one large mark."""
        return self.lines is None or self.lines > 0 or bool(self.large_marks)

    @property
    def blank(self) -> bool:
        """No content and hardly any stray ink."""
        return not self.has_content and self.stray_ink_mm2 < STRAY_INK_MM2


def at_least(img: Image, level: int) -> Image:
    """255 where ``img`` ≥ ``level``, else 0."""
    return u8(cv2.threshold(img, level - 1, 255, cv2.THRESH_BINARY)[1])


def source_px_per_mm(img: Image, dpi: float | None) -> float:
    """Pixels per millimetre of ``img``: from ``dpi`` if known, else assuming an A4-sized page."""
    if dpi:
        return dpi / MM_PER_INCH
    return float(max(img.shape[0], img.shape[1])) / A4_LONG_MM


def small_gray(img: Image, px_per_mm: float, floor_dpi: float = ANALYSIS_DPI) -> tuple[Image, float]:
    """A grey copy halved (area average) while it stays at or above ``floor_dpi``.

    Returns the copy and its pixels per millimetre. Only exact 2× halvings are used because
    OpenCV averages those an order of magnitude faster than arbitrary factors.
    """
    gray = to_gray(img)
    floor = floor_dpi / MM_PER_INCH
    while px_per_mm / 2 >= floor * 0.99 and min(gray.shape[:2]) >= 8:
        gray = u8(cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))
        px_per_mm /= 2
    return np.ascontiguousarray(gray), px_per_mm


def darkness(gray: Image, px_per_mm: float, edge_mm: float = EDGE_MM) -> Image:
    """How much darker than the local paper each pixel is, as a share of the paper level
    (0 = paper, 255 = black), on a small grey copy; a band of ``edge_mm`` round it is zeroed.

    Measuring against the paper level makes a dark scan's ink count like a bright one's.
    """
    k = max(3, round(5.0 * px_per_mm) | 1)  # wider than any stroke, so the dilation lifts it to paper
    paper = cv2.blur(cv2.dilate(gray, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))), (k, k))
    # OpenCV defines x / 0 as 0, so a black area without paper round it reads as black.
    dark = u8(cv2.bitwise_not(cv2.divide(gray, paper, scale=255)))
    return clear_edges(dark, px_per_mm, edge_mm)


def clear_edges(dark: Image, px_per_mm: float, edge_mm: float) -> Image:
    """``dark`` with a band of ``edge_mm`` round the page set to 0, in place; returns it."""
    edge = round(edge_mm * px_per_mm)
    if edge:
        dark[:edge] = 0
        dark[-edge:] = 0
        dark[:, :edge] = 0
        dark[:, -edge:] = 0
    return dark


@dataclass(frozen=True, slots=True)
class _Components:
    """Connected components of a sparse mask: per-pixel arrays and per-label sizes (0 = background)."""

    labels: npt.NDArray[np.int32]
    xs: npt.NDArray[np.intp]
    ys: npt.NDArray[np.intp]
    label_of: npt.NDArray[np.int32]  # label of each (xs, ys) pixel
    width: npt.NDArray[np.int64]
    height: npt.NDArray[np.int64]
    area: npt.NDArray[np.int64]


def _components(mask: Image) -> _Components:
    """Label ``mask`` (8-connected) and size its components from its set pixels only.

    OpenCV's own statistics pass costs ~2 ms per 75 dpi page whatever the ink; census masks
    are sparse, so sizing them from the list of set pixels is several times cheaper.
    """
    n, labels_mat = cv2.connectedComponents(mask, connectivity=8, ltype=cv2.CV_32S)
    labels = np.asarray(labels_mat, dtype=np.int32)
    points = cv2.findNonZero(mask)
    if points is None:
        empty = np.zeros(n, np.int64)
        none = np.zeros(0, np.intp)
        return _Components(labels, none, none, np.zeros(0, np.int32), empty, empty, empty)
    xs = np.asarray(points[:, 0, 0], dtype=np.intp)
    ys = np.asarray(points[:, 0, 1], dtype=np.intp)
    label_of = labels[ys, xs]
    big = np.iinfo(np.int64).max
    bounds = [np.full(n, big, np.int64), np.full(n, big, np.int64), np.full(n, -1, np.int64), np.full(n, -1, np.int64)]
    np.minimum.at(bounds[0], label_of, xs)
    np.minimum.at(bounds[1], label_of, ys)
    np.maximum.at(bounds[2], label_of, xs)
    np.maximum.at(bounds[3], label_of, ys)
    width = np.maximum(bounds[2] - bounds[0] + 1, 0)
    height = np.maximum(bounds[3] - bounds[1] + 1, 0)
    return _Components(labels, xs, ys, label_of, width, height, np.bincount(label_of, minlength=n))


def census(gray: Image, px_per_mm: float) -> InkCensus:
    """Count text lines, large marks and stray ink on a small grey copy (see the module docstring)."""
    return census_of_darkness(darkness(gray, px_per_mm), px_per_mm)


def census_of_darkness(dark: Image, px_per_mm: float) -> InkCensus:
    """:func:`census` on a darkness map from :func:`darkness` (edges already cleared)."""
    mm2_per_px = 1.0 / (px_per_mm * px_per_mm)
    ink_mm2 = cv2.countNonZero(at_least(dark, STRONG_INK)) * mm2_per_px
    if ink_mm2 >= CONTENT_INK_MM2:
        return InkCensus(ink_mm2, None, None, 0.0)

    # Marks: connected pixels WEAK_INK dark that reach STRONG_INK somewhere and are no specks.
    marks = _components(at_least(dark, WEAK_INK))
    strong = np.bincount(marks.label_of, weights=dark[marks.ys, marks.xs] >= STRONG_INK, minlength=len(marks.area))
    speck = max(1, round(SPECK_MM * px_per_mm))
    keep = (strong > 0) & ((marks.width >= speck) | (marks.height >= speck))
    keep[0] = False
    if not keep.any():
        return InkCensus(ink_mm2, 0, 0, 0.0)

    extent = np.maximum(marks.width, marks.height)
    is_large = keep & (extent >= LARGE_MM * px_per_mm) & (marks.area * mm2_per_px >= LARGE_INK_MM2)

    # Lines: marks merged across the gaps between characters.
    on_mark = keep[marks.label_of]
    mark_mask = np.zeros_like(dark)
    mark_mask[marks.ys[on_mark], marks.xs[on_mark]] = 255
    gap = max(3, round(LINE_GAP_MM * px_per_mm) | 1)
    blobs = _components(u8(cv2.dilate(mark_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 3)))))
    # Each mark lies wholly inside one blob, so any of its pixels names the blob.
    blob_of = np.zeros(len(keep), np.int64)
    blob_of[marks.label_of[on_mark]] = blobs.labels[marks.ys[on_mark], marks.xs[on_mark]]
    marks_per_blob = np.bincount(blob_of[keep], minlength=len(blobs.area))
    # The dilation adds 1 px above and below and gap-1 px across; compare net sizes.
    h = blobs.height - 2
    w = blobs.width - (gap - 1)
    is_line = (
        (h >= LINE_MIN_H_MM * px_per_mm)
        & (h <= LINE_MAX_H_MM * px_per_mm)
        & (w >= 2 * h)
        & (marks_per_blob >= LINE_MIN_MARKS)
    )
    is_line[0] = False

    # Ink that belongs to neither a line nor a large mark is stray.
    stray = keep & ~is_line[blob_of] & ~is_large
    return InkCensus(
        ink_mm2=ink_mm2,
        lines=int(is_line.sum()),
        large_marks=int(is_large.sum()),
        stray_ink_mm2=float(marks.area[stray].sum()) * mm2_per_px,
    )


def is_blank(img: Image, *, dpi: float | None = None) -> bool:
    """True when the page (grey or RGB, straightened and cropped) carries no content.

    ``dpi`` makes the physical rules exact; without it the image is taken to be A4.
    """
    gray, px_per_mm = small_gray(img, source_px_per_mm(img, dpi))
    return census(gray, px_per_mm).blank
