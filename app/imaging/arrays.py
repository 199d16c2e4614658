"""The pixel arrays every page function takes: the type and the two conversions they share."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

#: gray (H, W) or RGB (H, W, 3), uint8; bitonal pages are gray with 0 = ink, 255 = paper
Image = npt.NDArray[np.uint8]


def u8(a: npt.ArrayLike) -> Image:
    """``a`` as a uint8 image (no copy when it is one already: OpenCV's results are)."""
    return np.asarray(a, dtype=np.uint8)


def to_gray(img: Image) -> Image:
    """The grey version of an RGB or grey page (a grey page is returned as is)."""
    if img.ndim == 2:
        return img
    if img.ndim == 3 and img.shape[2] == 3:
        return u8(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY))
    raise ValueError(f"expected a grey (H, W) or RGB (H, W, 3) page, got shape {img.shape}")


def halve(img: Image, times: int) -> Image:
    """``img`` (grey or RGB) shrunk ``2**times`` times by area averages; small pixel ``i`` covers
    full pixels ``q*i … q*i + q - 1`` (``q = 2**times``): the last rows/columns that do not fill
    a small pixel are dropped, which also keeps OpenCV on its fast exact-halving path."""
    if times <= 0:
        return img
    q = 1 << times
    h, w = img.shape[:2]
    small = img[: h - h % q, : w - w % q]
    for _ in range(times):
        small = u8(cv2.resize(small, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))
    return small
