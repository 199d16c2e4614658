"""Encoding pages into the two forms a material PDF embeds as they are (img2pdf, no re-encoding).

* Bitonal pages: a single-strip TIFF with CCITT Group 4, photometric MinIsWhite and the
  resolution tags; img2pdf copies the strip into the PDF as /CCITTFaxDecode.
* Grey and colour pages: a baseline JFIF JPEG with the density set; img2pdf copies it as
  /DCTDecode. Pages above ``JPEG_MAX_DPI`` are resampled down to it first.
"""

from __future__ import annotations

import io
import struct

import cv2
import numpy as np
from PIL import Image as PILImage

from app.imaging.arrays import Image

#: JPEG quality for grey and colour pages. At 80, 1 mm Chinese strokes keep clean edges and
#: ringing round text stays under ~10 grey levels; above it files grow ~15 % per 5 steps for
#: differences nobody sees on a document.
JPEG_QUALITY = 80
#: Chroma subsampling 4:2:0 (Pillow's 2). A seal's shape and small red text live in the luma
#: channel (red ink is much darker than paper), which keeps full resolution; only the hue of
#: a seal's edge is spread over half a chroma pixel (0.13 mm at 200 dpi). 4:4:4 costs ~15 %
#: more bytes for that.
JPEG_SUBSAMPLING = 2
#: Grey and colour pages are stored at no more than this resolution: 12 pt Chinese has
#: ~3 px strokes at 200 dpi and reads as well as at 300 dpi, for less than half the bytes.
JPEG_MAX_DPI = 200

_TIFF_PHOTOMETRIC = 262
_MIN_IS_WHITE = 0


def encode_bitonal(bitonal: Image, dpi: float) -> bytes:
    """A single-strip CCITT G4 TIFF of a bitonal page (0 = ink, 255 = paper) at ``dpi``.

    The ink is stored as 1-bits under photometric MinIsWhite, the form G4 was designed for
    (paper is coded as the cheap "white" runs). Pillow would invert a "1" image pixel by pixel
    in Python to write MinIsWhite, so the inverted bits are packed here and the one tag
    is set after writing.
    """
    if bitonal.ndim != 2:
        raise ValueError("encode_bitonal takes a (H, W) bitonal image")
    height, width = bitonal.shape
    ink = np.asarray(cv2.threshold(bitonal, 127, 255, cv2.THRESH_BINARY_INV)[1], dtype=np.uint8)
    ink_bits = np.packbits(ink, axis=1)
    img = PILImage.frombytes("1", (width, height), ink_bits.tobytes())
    out = io.BytesIO()
    # strip_size ≥ the raw image makes libtiff write one strip: PDF's CCITTFaxDecode takes
    # one G4 stream per image, and img2pdf copies only single-strip TIFFs unchanged.
    img.save(out, "TIFF", compression="group4", dpi=(dpi, dpi), strip_size=ink_bits.size + 1)
    return _set_tiff_short(out.getvalue(), _TIFF_PHOTOMETRIC, _MIN_IS_WHITE)


def _set_tiff_short(data: bytes, tag: int, value: int) -> bytes:
    """``data`` (a little-endian single-image TIFF as Pillow writes it) with a SHORT tag set."""
    buf = bytearray(data)
    if buf[:4] != b"II*\x00":
        raise ValueError("expected a little-endian TIFF")
    (ifd,) = struct.unpack_from("<I", buf, 4)
    (count,) = struct.unpack_from("<H", buf, ifd)
    for i in range(count):
        entry = ifd + 2 + 12 * i
        entry_tag, entry_type, n = struct.unpack_from("<HHI", buf, entry)
        if entry_tag == tag:
            if entry_type != 3 or n != 1:
                raise ValueError(f"TIFF tag {tag} is not a single SHORT")
            struct.pack_into("<H", buf, entry + 8, value)
            return bytes(buf)
    raise ValueError(f"TIFF tag {tag} not found")


def jpeg_size(width: int, height: int, dpi: float, max_dpi: float = JPEG_MAX_DPI) -> tuple[int, int, float]:
    """Width, height and resolution :func:`encode_jpeg` stores a page of this size and ``dpi`` at."""
    if dpi <= max_dpi:
        return width, height, dpi
    return max(1, round(width * max_dpi / dpi)), max(1, round(height * max_dpi / dpi)), max_dpi


def encode_jpeg(img: Image, dpi: float, *, quality: int = JPEG_QUALITY, max_dpi: float = JPEG_MAX_DPI) -> bytes:
    """A baseline JPEG of a grey (H, W) or RGB (H, W, 3) page with its JFIF density set.

    Pages above ``max_dpi`` are resampled down to it first (bilinear: from 300 dpi that is a
    2/3 step, where it costs 8 ms against 60+ ms for an area average, for no visible
    difference on text); the JFIF density then says ``max_dpi``, so the PDF page keeps its
    size (to within half a pixel).
    """
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] != 3):
        raise ValueError("encode_jpeg takes a (H, W) grey or (H, W, 3) RGB image")
    height, width = img.shape[:2]
    out_w, out_h, out_dpi = jpeg_size(width, height, dpi, max_dpi)
    if (out_w, out_h) != (width, height):
        img = np.asarray(cv2.resize(img, (out_w, out_h), interpolation=cv2.INTER_LINEAR), dtype=np.uint8)
    dpi = out_dpi
    buf = io.BytesIO()
    density = round(dpi)
    PILImage.fromarray(img).save(
        buf,
        "JPEG",
        quality=quality,
        subsampling=JPEG_SUBSAMPLING,
        optimize=True,
        progressive=False,
        dpi=(density, density),
    )
    return buf.getvalue()
