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
