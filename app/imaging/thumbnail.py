"""Small previews of stored pages (the intake's thumbnails and the page viewer's first look)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image as PILImage

from app.imaging.arrays import Image

#: a page image larger than this is not a page (a decompression bomb): refused before decoding
MAX_PIXELS = 200_000_000


def preview(data: bytes, max_side: int, rotation: int = 0) -> Image:
    """The page in ``data`` (as stored: TIFF G4, JPEG, PNG) as RGB pixels fitting ``max_side``,
    turned clockwise by ``rotation`` degrees as the page is shown. ValueError if it cannot be read."""
    if max_side < 1 or rotation % 90:
        raise ValueError(f"bad preview request: {max_side}px, {rotation} degrees")
    try:
        with PILImage.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_PIXELS:
                raise ValueError(f"page image too large: {img.width}x{img.height}")
            img.draft("RGB", (max_side, max_side))  # JPEG: decode at a fraction of the size
            small = img.convert("L" if img.mode in ("1", "L") else "RGB")
            small.thumbnail((max_side, max_side), PILImage.Resampling.LANCZOS)
            small = small.convert("RGB")
    except (OSError, PILImage.DecompressionBombError) as e:
        raise ValueError(f"page image cannot be read: {e}") from e
    turned = small.rotate(-rotation % 360, expand=True) if rotation % 360 else small
    return np.ascontiguousarray(np.asarray(turned, dtype=np.uint8))
