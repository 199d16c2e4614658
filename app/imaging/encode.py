"""Encoding pages into the two forms a material PDF embeds as they are (img2pdf, no re-encoding).

* Bitonal pages: a single-strip TIFF with CCITT Group 4, photometric MinIsWhite and the
  resolution tags; img2pdf copies the strip into the PDF as /CCITTFaxDecode.
* Grey and colour pages: a baseline JFIF JPEG with the density set; img2pdf copies it as
  /DCTDecode. Pages above ``JPEG_MAX_DPI`` are resampled down to it first.
"""

from __future__ import annotations

import io
import struct
from typing import Literal

import cv2
import numpy as np
from PIL import Image as PILImage

from app.imaging import libtiff
from app.imaging.arrays import Image, u8
from app.imaging.libtiff import G4Writer

#: JPEG quality for grey and colour pages. At 80, 1 mm Chinese strokes keep clean edges and
#: ringing round text stays under ~10 grey levels; above it files grow ~15 % per 5 steps for
#: differences nobody sees on a document.
JPEG_QUALITY = 80
#: Chroma subsampling 4:2:0. A seal's shape and small red text live in the luma channel (red
#: ink is much darker than paper), which keeps full resolution; only the hue of a seal's edge
#: is spread over half a chroma pixel (0.13 mm at 200 dpi). 4:4:4 costs ~15 % more bytes for that.
JPEG_SUBSAMPLING = cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420
#: Grey and colour pages are stored at no more than this resolution: 12 pt Chinese has
#: ~3 px strokes at 200 dpi and reads as well as at 300 dpi, for less than half the bytes.
JPEG_MAX_DPI = 200

_TIFF_PHOTOMETRIC = 262
_MIN_IS_WHITE = 0


def encode_bitonal(bitonal: Image, dpi: float) -> bytes:
    """A single-strip CCITT G4 TIFF of a bitonal page (0 = ink, 255 = paper) at ``dpi``."""
    if bitonal.ndim != 2:
        raise ValueError("encode_bitonal takes a (H, W) bitonal image")
    return encode_ink(np.asarray(cv2.threshold(bitonal, 127, 255, cv2.THRESH_BINARY_INV)[1], dtype=np.uint8), dpi)


def encode_ink(ink: Image, dpi: float, *, writer: G4Writer | Literal["auto"] | None = "auto") -> bytes:
    """:func:`encode_bitonal` of a page given as its ink mask (255 = ink, 0 = paper).

    Written by libtiff through ctypes (:mod:`app.imaging.libtiff`, no GIL held) when it can be
    loaded, else through Pillow; ``writer=None`` asks for Pillow. Both give the same G4 stream.
    """
    if ink.ndim != 2:
        raise ValueError("encode_ink takes a (H, W) ink mask")
    g4 = libtiff.load() if writer == "auto" else writer
    return g4.write(ink, dpi) if g4 is not None else _encode_ink_pillow(ink, dpi)


def _encode_ink_pillow(ink: Image, dpi: float) -> bytes:
    """Pillow would invert a "1" image pixel by pixel in Python to write MinIsWhite, so the mask
    is written as is and the one tag is set after writing. A "1" image holds a byte per pixel:
    converting the mask to it is one pass, where packing the bits for ``frombytes`` would cost a
    fill, a pack and an unpack."""
    height, width = ink.shape
    img = PILImage.fromarray(ink).convert("1", dither=PILImage.Dither.NONE)
    out = io.BytesIO()
    # strip_size ≥ the raw image makes libtiff write one strip (see G4Writer.write).
    img.save(out, "TIFF", compression="group4", dpi=(dpi, dpi), strip_size=(width + 7) // 8 * height + 1)
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
        img = u8(cv2.resize(img, (out_w, out_h), interpolation=cv2.INTER_LINEAR))
    if img.ndim == 3:
        img = u8(cv2.cvtColor(img, cv2.COLOR_RGB2BGR))  # what OpenCV's encoder takes
    # OpenCV's encoder, not Pillow's: Pillow copies the page into an image of its own and
    # encodes holding the GIL (a 20 ms stall for the other pages' threads); the JPEG is the
    # same libjpeg-turbo stream either way.
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1,
                                         cv2.IMWRITE_JPEG_PROGRESSIVE, 0,
                                         cv2.IMWRITE_JPEG_SAMPLING_FACTOR, JPEG_SUBSAMPLING])
    if not ok:
        raise ValueError("OpenCV could not encode the page as JPEG")
    return _set_jfif_density(np.asarray(buf).tobytes(), round(out_dpi))


def _set_jfif_density(data: bytes, dpi: int) -> bytes:
    """``data`` (a JPEG opening with its JFIF segment, as libjpeg writes it) with the density set
    to ``dpi`` dots per inch."""
    buf = bytearray(data)
    if buf[:4] != b"\xff\xd8\xff\xe0" or buf[6:11] != b"JFIF\x00":
        raise ValueError("expected a JPEG opening with a JFIF segment")
    buf[13] = 1  # units: dots per inch
    struct.pack_into(">HH", buf, 14, dpi, dpi)
    return bytes(buf)
