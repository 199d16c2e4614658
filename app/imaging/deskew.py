"""Scanner pages: skew found from the text lines, the scanner's borders cropped, one rotation.

All analysis runs on a copy shrunk to ~75 dpi and gives a :class:`ScanPlan`; the page is then
touched by one ``cv2.warpAffine`` that rotates, crops, (if the page is upside down) turns and
(if asked) resizes it in one pass, in grey, in colour or on a shrunk copy as the caller needs.
Angles are in degrees, positive = counter-clockwise as seen on screen (OpenCV's convention).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from app.imaging.arrays import Image, halve, to_gray, u8
from app.imaging.orientation import is_upside_down

#: Long side of the analysis copy: ~75 dpi for A4 at 300 dpi, enough for 0.1° of skew.
ANALYSIS_LONG_SIDE = 900
#: Skew searched over ±MAX_SKEW degrees (the promise is ±20°; a margin avoids edge effects).
MAX_SKEW = 22.0
#: Below this the rotation is not worth its cost and its slight softening (0.1° moves the end of
#: a full line by 4 px at 300 dpi); with the estimate's error ≤ 0.1° the result stays within 0.2°.
MIN_ROTATION = 0.1
#: A skew is trusted if some unbroken line is at least this share of the paper's width.
MIN_LINE = 0.4
#: Fewer dark pixels than this on the analysis copy: nothing to measure skew on.
MIN_INK_POINTS = 60


@dataclass(frozen=True, slots=True)
class ScanResult:
    """A straightened scanner page.

    ``angle`` is the rotation applied (the page's skew was ``-angle``); ``crop`` is (x, y, w, h)
    of the kept region in the page rotated by ``angle`` about its centre on a canvas grown to
    hold it all; ``upside_down`` is True when the page was turned 180° after that, None when
    its orientation could not be told.
    """

    image: Image
    angle: float
    crop: tuple[int, int, int, int]
    upside_down: bool | None


@dataclass(frozen=True, slots=True)
class Paper:
    """Where the paper is on a shrunk scan: its convex outline and brightness levels."""

    hull: npt.NDArray[np.float32]  # (N, 2) x, y of the outline, in shrunk-pixel coordinates
    level: float  # paper's brightness
    border: float | None  # brightness of the scanner's band around it (None: no band seen)


def shrink(gray: Image, long_side: int = ANALYSIS_LONG_SIDE) -> tuple[Image, int]:
    """``gray`` shrunk by an integer factor ``k`` so its long side is about ``long_side``; returns
    (small, k). Small pixel ``i`` covers full-resolution pixels ``k*i … k*i + k - 1``."""
    k = max(1, round(max(gray.shape) / long_side))
    if k == 1:
        return gray, 1
    h, w = gray.shape
    # Dropping the last few rows/columns keeps OpenCV on its fast integer-factor path, and
    # exact 2× halvings first are ~4× faster again than one 4× step (same box average).
    twos = (k & -k).bit_length() - 1
    small = halve(gray[: h - h % k, : w - w % k], twos)
    if k >> twos > 1:
        small = u8(cv2.resize(small, (w // k, h // k), interpolation=cv2.INTER_AREA))
    return u8(small), k


def _percentile(gray: Image, q: float) -> float:
    """The ``q``-th percentile grey level (a histogram: ~20× faster than numpy's on a page)."""
    hist = cv2.calcHist([np.ascontiguousarray(gray)], [0], None, [256], [0, 256]).ravel()
    return float(np.searchsorted(np.cumsum(hist), q / 100 * hist.sum()))


def find_paper(small: Image) -> Paper:
    """The paper on a shrunk grey scan: the largest bright region inside darker scanner bands.
    With no band darker than the paper on any side, the whole image is the paper."""
    h, w = small.shape
    level = _percentile(small, 97)
    s = max(2, min(h, w) // 100)
    sides = [small[:s], small[-s:], small[:, :s], small[:, -s:]]
    dark = [v for v in (_percentile(side, 50) for side in sides) if v < level - 40]
    whole = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    if not dark:
        return Paper(whole, level, None)
    # Halfway between paper and the lightest band: a grey feeder edge must not count as paper.
    border = max(dark)
    bright = (small > (level + border) / 2).astype(np.uint8)
    bright = u8(cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    largest = max(contours, key=cv2.contourArea, default=None)
    if largest is None or cv2.contourArea(largest) < 0.05 * h * w:
        return Paper(whole, level, None)
    hull = cv2.convexHull(largest).reshape(-1, 2).astype(np.float32)
    return Paper(hull, level, border)


def _ink_points(small: Image, paper: Paper) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """x, y of clearly dark pixels inside the paper (its edge and the bands left out)."""
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(inside, np.round(paper.hull).astype(np.int32), 1)
    inside = u8(cv2.erode(inside, np.ones((7, 7), np.uint8)))
    ink = ((small < 0.6 * paper.level) & (inside > 0)).astype(np.uint8)
    # Solid dark areas (photos, black bars) form no lines and would drown the text: strokes are
    # one or two pixels wide here, so what survives an opening is not text.
    solid = cv2.dilate(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8)), np.ones((5, 5), np.uint8))
    ys, xs = np.nonzero(ink > solid)
    return xs.astype(np.float32), ys.astype(np.float32)


def _profile_scores(xs: npt.NDArray[np.float32], ys: npt.NDArray[np.float32],
                    angles: npt.NDArray[np.float64], soft: bool = False) -> npt.NDArray[np.float64]:
    """For each angle, how sharply the points pile up into lines at that angle: the sum of
    squares of the histogram of their distances along the lines' normal. ``soft`` shares each
    point between its two nearest bins, which makes the score smooth enough to interpolate."""
    # Every temporary here is a few MB that the allocator may hand over unmapped, and touching
    # fresh pages costs more than the arithmetic: the work is done in place where it can be.
    # (Not as a matrix product: BLAS would start threads of its own.)
    a = np.radians(angles)
    proj = np.multiply.outer(np.sin(a), xs.astype(np.float64))
    proj += np.multiply.outer(np.cos(a), ys.astype(np.float64))
    proj -= proj.min()
    span = int(proj.max()) + 3
    idx = proj.astype(np.intp)  # the index type bincount would otherwise convert to
    proj -= idx  # now each point's share in the next bin
    idx += (np.arange(len(angles), dtype=np.intp) * span)[:, None]
    size = span * len(angles)
    # One histogram row per angle, all counted by one bincount.
    hist = np.bincount(idx.ravel(), minlength=size).astype(np.float64)
    if soft:
        share = np.bincount(idx.ravel(), proj.ravel(), size)
        hist -= share
        hist[1:] += share[:-1]
    rows = hist.reshape(len(angles), span)
    return np.asarray(np.einsum("ij,ij->i", rows, rows), dtype=np.float64)


def _subsample(xs: npt.NDArray[np.float32], ys: npt.NDArray[np.float32],
               size: int) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """At most ``size`` of the points, drawn at random with a fixed seed. Not every n-th point:
    points come in raster order, and every n-th point of a regular pattern (a grid of cells, a
    halftone) is itself a lattice whose diagonals line up better than the page's rows."""
    if len(xs) <= size:
        return xs, ys
    pick = np.sort(np.random.default_rng(0).choice(len(xs), size, replace=False))
    return xs[pick], ys[pick]


def _skew_from_points(xs: npt.NDArray[np.float32], ys: npt.NDArray[np.float32], width: float) -> float | None:
    """The angle at which the points line up best, or None if they do not clearly line up along
    a line at least MIN_LINE of the paper's ``width`` long."""
    if len(xs) < MIN_INK_POINTS:
        return None
    # Coarse: 0.5° steps on a subsample (a text line's profile peak is ~1.5° wide at 75 dpi).
    cx, cy = _subsample(xs, ys, 6000)
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.5)
    scores = _profile_scores(cx, cy, coarse)
    # Points that form no lines (a photo, dust) score the same at every angle.
    if scores.max() < 1.25 * np.median(scores):
        return None
    best = float(coarse[int(np.argmax(scores))])
    fx, fy = _subsample(xs, ys, 20000)
    fine = np.arange(best - 0.6, best + 0.6 + 1e-9, 0.05)
    scores = _profile_scores(fx, fy, fine, soft=True)
    i = int(np.argmax(scores))
    angle = float(fine[i])
    if 0 < i < len(fine) - 1:
        # Vertex of the parabola through the peak and its neighbours.
        den = scores[i - 1] - 2 * scores[i] + scores[i + 1]
        angle += 0.5 * (scores[i - 1] - scores[i + 1]) / den * 0.05 if den < 0 else 0.0
    # A few short lines can line up better along a wrong angle than along their own: only an
    # angle shown by one long, unbroken line (of text or a rule) is trusted.
    return angle if _longest_line(xs, ys, angle) >= MIN_LINE * width else None


def _longest_line(xs: npt.NDArray[np.float32], ys: npt.NDArray[np.float32], angle: float) -> float:
    """Length of the longest unbroken run of points along the densest line at ``angle``."""
    a = math.radians(angle)
    across = xs * math.sin(a) + ys * math.cos(a)
    along = xs * math.cos(a) - ys * math.sin(a)
    rows = np.round(across - across.min()).astype(np.int64)
    peak = int(np.argmax(np.bincount(rows)))
    run = np.sort(along[np.abs(rows - peak) <= 4])
    if len(run) < 2:
        return 0.0
    breaks = np.flatnonzero(np.diff(run) > 18) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks - 1, [len(run) - 1]])
    return float((run[ends] - run[starts]).max())


def paper_skew(paper: Paper) -> float | None:
    """The skew of the paper's own edges against a scanner's dark band, if they form a clean
    rectangle (a sheet cut off by the scan's edge does not)."""
    if paper.border is None:
        return None
    (_, _), (w, h), rect_angle = cv2.minAreaRect(paper.hull)
    if w * h <= 0 or cv2.contourArea(paper.hull) < 0.97 * w * h:
        return None
    # minAreaRect reports angles in [-90, 0) or (0, 90]: fold onto ±45°.
    return float(-((rect_angle + 45) % 90 - 45))


def estimate_skew(gray: Image, paper: Paper | None = None, small: Image | None = None) -> float | None:
    """The skew of a grey page in degrees counter-clockwise, within ±20°: from its text lines or
    table rules; from the paper's edges when the text is too short to tell (one short line) and
    the scanner shows the edges; None when there is nothing to measure (blank, a photo only)."""
    if small is None:
        small, _ = shrink(gray)
    if paper is None:
        paper = find_paper(small)
    xs, ys = _ink_points(small, paper)
    width = float(np.ptp(paper.hull[:, 0])) + 1
    skew = _skew_from_points(xs, ys, width)
    if skew is None and len(xs) >= MIN_INK_POINTS:
        # Only for a page with something on it: a blank page is never turned.
        edges = paper_skew(paper)
        if edges is not None and abs(edges) <= MAX_SKEW:
            return edges
    return skew


def _rotation(shape: tuple[int, ...], angle: float) -> tuple[npt.NDArray[np.float64], int, int]:
    """The matrix rotating an image of ``shape`` by ``angle`` about its centre onto a grown
    canvas (as ``tests.support.pagegen.rotate_page`` does), and that canvas's width and height."""
    h, w = shape[:2]
    m = np.asarray(cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0), dtype=np.float64)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = math.ceil(w * cos + h * sin), math.ceil(w * sin + h * cos)
    m[0, 2] += (nw - w) / 2
    m[1, 2] += (nh - h) / 2
    return m, nw, nh


def _crop_box(points: npt.NDArray[np.float64], pad: float, nw: int, nh: int) -> tuple[int, int, int, int]:
    x0, y0 = np.floor(points.min(axis=0) - pad).astype(int)
    x1, y1 = np.ceil(points.max(axis=0) + pad).astype(int) + 1
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(nw, x1), min(nh, y1)
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def _trim_bands(gray: Image, m: npt.NDArray[np.float64], size: tuple[int, int], limit: float,
                reach: int) -> tuple[int, int, int, int]:
    """How many rows/columns of scanner band the warp ``m`` of ``gray`` to ``size`` would leave at
    the top, bottom, left and right: lines within ``reach`` of each edge whose middle is mostly
    darker than ``limit``. Only thin strips are warped, at full resolution, to find the exact edge."""
    w, h = size
    reach = min(reach, h // 4, w // 4)
    if reach < 1:
        return 0, 0, 0, 0
    mx, my = w // 10, h // 10
    strips = []
    for dx, dy, sw, sh, transpose, reverse in ((-mx, 0, w - 2 * mx, reach, False, False),
                                               (-mx, -(h - reach), w - 2 * mx, reach, False, True),
                                               (0, -my, reach, h - 2 * my, True, False),
                                               (-(w - reach), -my, reach, h - 2 * my, True, True)):
        shifted = m.copy()
        shifted[:, 2] += (dx, dy)
        strip = cv2.warpAffine(gray, shifted, (sw, sh), flags=cv2.INTER_LINEAR, borderValue=255)
        strip = strip.T if transpose else strip
        strips.append(strip[::-1] if reverse else strip)
    out = []
    for strip in strips:
        dark = np.median(strip, axis=1) < limit
        out.append(int(np.argmin(dark)) if not dark.all() else len(dark))
    return out[0], out[1], out[2], out[3]


@dataclass(frozen=True, slots=True)
class ScanPlan:
    """Where a scanner page's pixels go, decided on the grey page before any full-resolution warp.

    ``matrix`` maps input pixels onto the straightened page of ``size`` (it rotates, crops and
    turns in one); ``outline`` is the paper's outline in the input, round which a rotated page
    is cleared ``pad`` px inside it. ``angle``, ``crop`` and ``upside_down`` are as in
    :class:`ScanResult`.
    """

    angle: float
    crop: tuple[int, int, int, int]
    upside_down: bool | None
    matrix: npt.NDArray[np.float64]
    outline: npt.NDArray[np.float64]
    pad: float

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the straightened page at the input's resolution."""
        return self.crop[2], self.crop[3]


def plan_scan(gray: Image, shrunk: tuple[Image, int] | None = None) -> ScanPlan:
    """How to deskew a grey scanner page, crop the scanner's borders without cutting the paper,
    and turn it right way up when that can be told reliably (a blank page is never rotated).
    ``shrunk`` is ``shrink(gray)`` when the caller has it already."""
    small, k = shrink(gray) if shrunk is None else shrunk
    paper = find_paper(small)
    skew = estimate_skew(gray, paper, small)
    angle = -skew if skew is not None and abs(skew) >= MIN_ROTATION else 0.0
    # The same rotation on the shrunk copy tells the crop and the orientation cheaply.
    m_small, snw, snh = _rotation(small.shape, angle)
    hull_small = cv2.transform(paper.hull[None].astype(np.float64), m_small)[0]
    sx, sy, sw, sh = _crop_box(hull_small, -2.0, snw, snh)  # inside the paper's edge
    small_rot = u8(cv2.warpAffine(small, m_small, (snw, snh), flags=cv2.INTER_LINEAR, borderValue=255))
    upside_down = is_upside_down(small_rot[sy:sy + sh, sx:sx + sw]) if skew is not None else None
    flip = upside_down is True

    m, nw, nh = _rotation(gray.shape, angle)
    hull_full = paper.hull.astype(np.float64) * k + (k - 1) / 2
    x, y, w, h = _crop_box(cv2.transform(hull_full[None], m)[0], k / 2 + 1, nw, nh)
    m[:, 2] -= (x, y)
    if flip:
        m = np.array([[-1.0, 0.0, w - 1.0], [0.0, -1.0, h - 1.0]]) @ np.vstack([m, [0.0, 0.0, 1.0]])
    if paper.border is not None:
        # Anything clearly darker than paper at the edge is band, or paper blended with band.
        limit = paper.level - max(15.0, 0.25 * (paper.level - paper.border))
        top, bottom, left, right = _trim_bands(gray, m, (w, h), limit, 2 * k + 4)
        m[:, 2] -= (left, top)
        out_w, out_h = w - left - right, h - top - bottom
        if flip:
            top, bottom, left, right = bottom, top, right, left
        x, y = x + left, y + top
        w, h = out_w, out_h
    # The outline is known to a shrunk pixel, so a rotated page is cleared up to one shrunk
    # pixel inside it: at most ~0.4 mm of the paper's own edge, which carries no writing.
    return ScanPlan(angle, (x, y, w, h), upside_down, m, hull_full, -(k + 1.0))


def _rescaled(m: npt.NDArray[np.float64], shrunk_by: int, scale: tuple[float, float]) -> npt.NDArray[np.float64]:
    """``m`` for an input shrunk ``shrunk_by`` times (by area averages that keep the grid, as
    :func:`app.imaging.arrays.halve` makes) and an output ``scale`` times the size ``m`` makes
    (pixel centres kept in place, as ``cv2.resize`` does)."""
    q = float(shrunk_by)
    into = np.array([[q, 0.0, (q - 1) / 2], [0.0, q, (q - 1) / 2], [0.0, 0.0, 1.0]])
    sx, sy = scale
    out = np.array([[sx, 0.0, (sx - 1) / 2], [0.0, sy, (sy - 1) / 2]])
    return np.asarray(out @ np.vstack([m, [0.0, 0.0, 1.0]]) @ into, dtype=np.float64)


def apply_scan(img: Image, plan: ScanPlan, size: tuple[int, int] | None = None, shrunk_by: int = 1,
               window: tuple[int, int, int, int] | None = None) -> Image:
    """``plan`` carried out on ``img`` (the input page, grey or RGB, or the input shrunk
    ``shrunk_by`` times), made directly at ``size`` (default: the input's resolution). One
    ``cv2.warpAffine`` rotates, crops, turns and resizes: a warp costs per output pixel, so
    a page wanted smaller is cheaper made small than made large and resized. ``window``
    (x, y, width, height) makes only that part of the result."""
    w, h = plan.size
    out_w, out_h = size or (w, h)
    flip = plan.upside_down is True
    if plan.angle == 0.0 and shrunk_by == 1 and window is None:
        x, y = plan.crop[:2]
        kept = img[y:y + h, x:x + w]
        if (out_w, out_h) != (w, h):
            kept = u8(cv2.resize(kept, (out_w, out_h), interpolation=cv2.INTER_LINEAR))
        return u8(cv2.rotate(kept, cv2.ROTATE_180)) if flip else np.ascontiguousarray(kept)
    scale = (out_w / w, out_h / h)
    shift = np.zeros((2, 3))
    if window is not None:
        shift[:, 2] = window[:2]
        out_w, out_h = window[2:]
    fill = (255,) * (img.shape[2] if img.ndim == 3 else 1)
    out = u8(cv2.warpAffine(img, _rescaled(plan.matrix, shrunk_by, scale) - shift, (out_w, out_h),
                            flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill))
    if plan.angle != 0.0:
        # The upright box round a turned sheet holds wedges of what lay beside it: the bed, or
        # the scanner's bands when a white lid hid the sheet's edges. They are not the page.
        outline = cv2.transform(plan.outline[None], _rescaled(plan.matrix, 1, scale) - shift)[0]
        _whiten_outside(out, outline, pad=plan.pad * min(scale), fill=fill)
    return out


def straighten_scan(img: Image, gray: Image | None = None) -> ScanResult:
    """Deskews a scanner page, crops the scanner's borders without cutting the paper, and turns
    it right way up when that can be told reliably (:func:`plan_scan`). Returns an image of the
    input's dtype and channels. ``gray`` is ``img`` in grey when the caller has it already."""
    plan = plan_scan(to_gray(img) if gray is None else gray)
    return ScanResult(apply_scan(img, plan), plan.angle, plan.crop, plan.upside_down)


def _whiten_outside(img: Image, hull: npt.NDArray[np.float64], pad: float, fill: tuple[int, ...]) -> None:
    """Paint ``img`` outside the convex ``hull`` grown by ``pad`` pixels (shrunk if negative) with
    ``fill``, in place."""
    centre = hull.mean(axis=0)
    away = hull - centre
    grown = hull + away / np.maximum(np.linalg.norm(away, axis=1, keepdims=True), 1e-6) * pad
    h, w = img.shape[:2]
    frame = np.array([[-1, -1], [w, -1], [w, h], [-1, h]], np.int32)
    # Two contours: fillPoly paints the ring between the image's frame and the grown hull.
    cv2.fillPoly(img, [frame, np.round(grown).astype(np.int32)], fill)
