"""Camera shots: find the sheet of paper, correct the perspective, even out the light.

The sheet is looked for on a copy shrunk to ~800 px (edges and a brightness split each propose
an outline); a proposal is kept only if all four sides show paper brighter than what lies
outside, along most of their length. Its sides are then fitted to the edge at full resolution.
No convincing sheet gives None: the caller keeps the photo whole and flags it, never a wrong crop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from app.imaging.arrays import Image, to_gray, u8
from app.imaging.deskew import shrink

Quad = npt.NDArray[np.float64]  # (4, 2) x, y of the corners: top-left, top-right, bottom-right, bottom-left

_LONG_SIDE = 800
#: A sheet covers at least this share of the photo (an ID card under a document camera does).
MIN_AREA = 0.04
#: Each side must show a brighter sheet along at least this share of its length.
MIN_SUPPORT = 0.75

#: Paper sizes in mm (short side, long side) that a measured outline snaps to.
PAPER_SIZES: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0), "A5": (148.0, 210.0), "B5": (182.0, 257.0), "B5-ISO": (176.0, 250.0),
    "Letter": (215.9, 279.4), "ID-1": (54.0, 85.6),
}
#: A4, A5 and both B5s share a ratio of about √2, so a photo cannot tell them apart: √2 means A4
#: (the size of nearly every form) unless the caller names another.
_SNAP_ORDER = ("A4", "Letter", "ID-1", "B5-ISO", "B5", "A5")
SNAP_TOLERANCE = 0.03


@dataclass(frozen=True, slots=True)
class ShotResult:
    """A camera shot after straightening: the flattened sheet if ``found``, else the photo whole."""

    image: Image
    corners: Quad | None
    found: bool


def order_corners(pts: npt.NDArray[np.float64]) -> Quad:
    """Four points ordered top-left, top-right, bottom-right, bottom-left (clockwise on screen)."""
    centre = pts.mean(axis=0)
    ordered = pts[np.argsort(np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0]))]
    start = int(np.argmin(ordered.sum(axis=1)))
    return np.roll(ordered, -start, axis=0).astype(np.float64)


def _quad_from_contour(contour: npt.NDArray[np.int32]) -> Quad | None:
    """The contour's convex hull simplified to four corners, if it is that simple."""
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return order_corners(approx.reshape(4, 2).astype(np.float64))
        if len(approx) < 4:
            return None
    return None


def _plausible(quad: Quad, shape: tuple[int, ...]) -> bool:
    """Big enough, convex, inside the frame, and a rectangle seen at a modest angle."""
    h, w = shape[:2]
    margin = 0.005 * max(h, w)
    if (quad < margin).any() or (quad[:, 0] > w - 1 - margin).any() or (quad[:, 1] > h - 1 - margin).any():
        return False
    if cv2.contourArea(quad.astype(np.float32)) < MIN_AREA * h * w:
        return False
    sides = np.roll(quad, -1, axis=0) - quad
    lengths = np.linalg.norm(sides, axis=1)
    if lengths.min() < 0.1 * lengths.max():
        return False
    cross = sides[:, 0] * np.roll(sides, -1, axis=0)[:, 1] - sides[:, 1] * np.roll(sides, -1, axis=0)[:, 0]
    if not ((cross > 0).all() or (cross < 0).all()):
        return False
    for i in range(4):
        a, b = -sides[i - 1], sides[i]
        angle = math.degrees(math.acos(np.clip(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)), -1, 1)))
        if abs(angle - 90) > 25:
            return False
    return bool(0.6 < lengths[0] / lengths[2] < 1.67 and 0.6 < lengths[1] / lengths[3] < 1.67)


def _side_steps(gray: Image, p: npt.NDArray[np.float64], q: npt.NDArray[np.float64], centre: npt.NDArray[np.float64],
                offset: float, n: int = 48) -> npt.NDArray[np.float32]:
    """Brightness just inside minus just outside the side p→q, at ``n`` points along its middle."""
    t = np.linspace(0.08, 0.92, n)[:, None]
    pts = p + (q - p) * t
    normal = np.array([q[1] - p[1], p[0] - q[0]]) / max(1e-9, float(np.linalg.norm(q - p)))
    if normal @ (centre - (p + q) / 2) > 0:
        normal = -normal  # point outwards
    inside = (pts - offset * normal).astype(np.float32)
    outside = (pts + offset * normal).astype(np.float32)
    maps = np.concatenate([inside, outside])[:, None, :]
    vals = cv2.remap(gray, maps[..., 0], maps[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    vals = vals.astype(np.float32).ravel()
    return vals[:n] - vals[n:]


def edge_support(gray: Image, quad: Quad, offset: float = 3.0) -> float:
    """The weakest side's share of points where the sheet is clearly brighter than outside."""
    centre = quad.mean(axis=0)
    worst = 1.0
    for i in range(4):
        steps = _side_steps(gray, quad[i], quad[(i + 1) % 4], centre, offset)
        worst = min(worst, float((steps > 12).mean()))
    return worst


def _candidates(small: Image) -> list[Quad]:
    """Outlines proposed by edges (Canny) and by a brightness split (Otsu)."""
    blur = cv2.GaussianBlur(small, (0, 0), 1.2)
    masks = []
    edges = cv2.Canny(blur, 10, 30)
    masks.append(cv2.dilate(edges, np.ones((3, 3), np.uint8)))
    _, split = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    masks.append(cv2.morphologyEx(split, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8)))
    quads = []
    for mask in masks:
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
            quad = _quad_from_contour(np.asarray(contour, dtype=np.int32))
            if quad is not None and _plausible(quad, small.shape):
                quads.append(quad)
    return quads


def _line_intersection(a: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]],
                       b: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]) -> npt.NDArray[np.float64] | None:
    (p, d), (q, e) = a, b
    den = d[0] * e[1] - d[1] * e[0]
    if abs(den) < 1e-9:
        return None
    t = ((q[0] - p[0]) * e[1] - (q[1] - p[1]) * e[0]) / den
    return np.asarray(p + t * d, dtype=np.float64)


def _refine(gray: Image, quad: Quad, reach: float) -> Quad:
    """Each side fitted to the strongest brighter-inside edge within ``reach`` px, at full size."""
    centre = quad.mean(axis=0)
    offsets = np.arange(-reach, reach + 0.5, 0.5)
    lines = []
    for i in range(4):
        p, q = quad[i], quad[(i + 1) % 4]
        t = np.linspace(0.05, 0.95, 80)[:, None]
        pts = p + (q - p) * t
        normal = np.array([q[1] - p[1], p[0] - q[0]]) / float(np.linalg.norm(q - p))
        if normal @ (centre - (p + q) / 2) > 0:
            normal = -normal
        grid = (pts[:, None, :] + offsets[None, :, None] * normal).astype(np.float32)
        prof = cv2.remap(gray, grid[..., 0], grid[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        prof = cv2.GaussianBlur(prof.astype(np.float32), (0, 0), sigmaX=1.0, sigmaY=0.01)
        drop = prof[:, :-2] - prof[:, 2:]  # brighter inside (smaller offset) than outside
        j = np.argmax(drop, axis=1)
        good = drop[np.arange(len(j)), j] > 6
        edge = pts + ((offsets[j] + offsets[j + 2]) / 2)[:, None] * normal
        if good.sum() < 10:
            lines.append((p, (q - p) / float(np.linalg.norm(q - p))))
            continue
        vx, vy, x0, y0 = cv2.fitLine(edge[good].astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)))
    corners = []
    for i in range(4):
        c = _line_intersection(lines[i - 1], lines[i])
        if c is None or np.linalg.norm(c - quad[i]) > 2 * reach:
            return quad
        corners.append(c)
    return np.array(corners)


def find_sheet(img: Image, gray: Image | None = None, shrunk: tuple[Image, int] | None = None) -> Quad | None:
    """Corners (TL, TR, BR, BL; 4×2 float, input pixel coordinates) of the sheet of paper in a
    photo, or None when no sheet stands out clearly from its background on all four sides.
    ``gray`` is ``img`` in grey when the caller has it already, ``shrunk`` a copy of it from
    :func:`app.imaging.deskew.shrink` with a long side of 700–1000 px (default: one made here)."""
    gray = to_gray(img) if gray is None else gray
    small, k = shrink(gray, _LONG_SIDE) if shrunk is None else shrunk
    best, best_support = None, MIN_SUPPORT
    for quad in _candidates(small):
        support = edge_support(small, quad)
        if support >= best_support:
            best, best_support = quad, support
    if best is None:
        return None
    full = best * k + (k - 1) / 2
    refined = _refine(gray, full, reach=2.0 * k + 4)
    return refined if _plausible(refined, gray.shape) else full


def measured_size(corners: Quad) -> tuple[float, float]:
    """Width and height of the sheet in photo pixels: the mean of opposite sides."""
    tl, tr, br, bl = corners
    w = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    h = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    return float(w), float(h)


def snap_paper(ratio: float, paper: str | None = None) -> str | None:
    """The standard paper whose long/short ratio is within SNAP_TOLERANCE of ``ratio`` (``paper``
    first, if given, then A4, Letter, ID-1, ...), or None."""
    if paper is not None and paper not in PAPER_SIZES:
        raise ValueError(f"unknown paper size {paper!r}; known: {', '.join(PAPER_SIZES)}")
    order = ((paper,) if paper else ()) + _SNAP_ORDER
    for name in order:
        short, long = PAPER_SIZES[name]
        if abs(ratio / (long / short) - 1) <= SNAP_TOLERANCE:
            return name
    return None


def rectify(img: Image, corners: Quad, dpi: int = 300, paper: str | None = None) -> Image:
    """The sheet inside ``corners`` seen square-on. Its aspect ratio snaps to a standard paper
    (A4 for √2 unless ``paper`` names A5/B5; Letter; ID-1 card) when within 3 %, and the image
    is then that paper's size at ``dpi``; otherwise it keeps the measured ratio and size."""
    w, h = measured_size(corners)
    name = snap_paper(max(w, h) / min(w, h), paper)
    if name is not None:
        short, long = (round(mm / 25.4 * dpi) for mm in PAPER_SIZES[name])
        out_w, out_h = (short, long) if h >= w else (long, short)
    else:
        out_w, out_h = round(w), round(h)
    dst = np.array([[-0.5, -0.5], [out_w - 0.5, -0.5], [out_w - 0.5, out_h - 0.5], [-0.5, out_h - 0.5]], np.float32)
    hom = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    return u8(cv2.warpPerspective(img, hom, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE))


def _poly_terms(x: npt.NDArray[np.float32], y: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Terms of a bivariate cubic: light falls off smoothly over a sheet."""
    return np.stack([np.ones_like(x), x, y, x * x, x * y, y * y, x ** 3, x * x * y, x * y * y, y ** 3], axis=-1)


def flatten_illumination(img: Image) -> Image:
    """The page with uneven light and paper tint divided out: paper comes out white, ink keeps
    its colour. The light is a smooth surface fitted to the paper (not the ink or a photo) on a
    small copy, so a photo on the page is not mistaken for shade."""
    h, w = img.shape[:2]
    k = max(1, round(max(h, w) / 200))
    small = cv2.resize(img[: h - h % k, : w - w % k], (w // k, h // k), interpolation=cv2.INTER_AREA)
    # Text strokes vanish under a small max filter; what stays dark is a photo or a block.
    small = cv2.dilate(small, np.ones((3, 3), np.uint8)).astype(np.float32)
    sh, sw = small.shape[:2]
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    terms = _poly_terms(xx.ravel() / sw - 0.5, yy.ravel() / sh - 0.5)
    values = small.reshape(sh * sw, -1)
    brightness = values.mean(axis=1)
    keep = brightness >= np.percentile(brightness, 20)
    fit = values
    for _ in range(3):
        # Refit on what lies near or above the surface: paper, not ink or photo. The normal
        # equations of 10 terms are tiny; lstsq on all the points would cost 10× more.
        chosen = terms[keep]
        coef = np.linalg.solve(chosen.T @ chosen + 1e-6 * np.eye(chosen.shape[1]), chosen.T @ values[keep])
        fit = terms @ coef
        keep = (values >= 0.93 * fit).all(axis=1)
        if keep.sum() < 20:
            return img.copy()
    light = np.clip(fit, 30, 255).reshape(small.shape).round().astype(np.uint8)
    return u8(cv2.divide(img, cv2.resize(light, (w, h), interpolation=cv2.INTER_LINEAR), scale=255.0))


def straighten_shot(img: Image, dpi: int = 300, paper: str | None = None) -> ShotResult:
    """Finds the sheet in a camera shot, corrects its perspective and light; when no sheet is
    found, returns the photo whole with ``found=False`` for the caller to flag."""
    corners = find_sheet(img)
    if corners is None:
        return ShotResult(img, None, False)
    return ShotResult(flatten_illumination(rectify(img, corners, dpi, paper)), corners, True)
