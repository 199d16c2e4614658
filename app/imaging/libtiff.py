"""libtiff's CCITT G4 writer called through ctypes, so a bitonal page encodes without the GIL.

Pillow's TIFF writer holds the GIL for the whole G4 encode (~15 ms a 300 dpi page), which keeps
the second pipeline worker waiting; ctypes releases the GIL for the foreign call, so two pages
encode at once. The library is the libtiff Pillow ships in its wheel (always there, the same
build Pillow writes with), else the system's; :func:`load` returns ``None`` where neither can
be found (Pillow's Windows wheels link libtiff in), and :mod:`app.imaging.encode` then writes
through Pillow. The stream is the same either way: it is the same encoder.

The file is written to memory through libtiff's client I/O: libtiff calls back into Python
only to hand over the finished strip and directory (a few calls a page), not per row.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import io
import logging
from pathlib import Path

import numpy as np
import PIL

from app.imaging.arrays import Image

log = logging.getLogger(__name__)

_SIZE = ctypes.c_int64  # tmsize_t
_OFF = ctypes.c_uint64  # toff_t
_RW = ctypes.CFUNCTYPE(_SIZE, ctypes.c_void_p, ctypes.c_void_p, _SIZE)
_SEEK = ctypes.CFUNCTYPE(_OFF, ctypes.c_void_p, _OFF, ctypes.c_int)
_CLOSE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_SIZEPROC = ctypes.CFUNCTYPE(_OFF, ctypes.c_void_p)
_MAP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(_OFF))
_UNMAP = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, _OFF)

# TIFF tags and values (TIFF 6.0).
_WIDTH, _LENGTH, _BITS, _COMPRESSION, _PHOTOMETRIC = 256, 257, 258, 259, 262
_SAMPLES, _ROWS_PER_STRIP, _X_RES, _Y_RES, _PLANAR, _RES_UNIT = 277, 278, 282, 283, 284, 296
_CCITT_G4, _MIN_IS_WHITE, _CONTIG, _INCH = 4, 0, 1, 2


class G4Writer:
    """Writes single-strip CCITT G4 TIFFs through one loaded libtiff."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        lib.TIFFClientOpen.restype = ctypes.c_void_p
        lib.TIFFClientOpen.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p,
                                       _RW, _RW, _SEEK, _CLOSE, _SIZEPROC, _MAP, _UNMAP]
        lib.TIFFWriteEncodedStrip.restype = _SIZE
        lib.TIFFWriteEncodedStrip.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p, _SIZE]
        lib.TIFFClose.restype = None
        lib.TIFFClose.argtypes = [ctypes.c_void_p]
        # TIFFSetField is variadic: its arguments are passed as C promotes them (int, double).
        lib.TIFFSetField.restype = ctypes.c_int
        self._lib = lib

    def write(self, ink: Image, dpi: float) -> bytes:
        """A single-strip G4 TIFF of ``ink`` (255 = ink, 0 = paper), photometric MinIsWhite.

        The ink is stored as 1-bits under MinIsWhite, the form G4 was designed for (paper is
        coded as the cheap "white" runs); one strip, because PDF's CCITTFaxDecode takes one G4
        stream per image and img2pdf copies only single-strip TIFFs unchanged.
        """
        height, width = ink.shape
        rows = np.packbits(ink, axis=1)  # nonzero → 1, MSB first: libtiff's FillOrder 1
        out = io.BytesIO()

        def write(_client: int, buf: int, n: int) -> int:
            out.write(ctypes.string_at(buf, n))
            return n

        def seek(_client: int, offset: int, whence: int) -> int:
            return out.seek(offset, whence)

        # Keep the callbacks referenced until TIFFClose: libtiff holds bare pointers to them.
        callbacks = (_RW(lambda _c, _b, _n: 0), _RW(write), _SEEK(seek), _CLOSE(lambda _c: 0),
                     _SIZEPROC(lambda _c: len(out.getbuffer())), _MAP(lambda _c, _b, _s: 0),
                     _UNMAP(lambda _c, _b, _s: None))
        lib = self._lib
        tif = lib.TIFFClientOpen(b"page", b"wl", None, *callbacks)
        if not tif:
            raise RuntimeError("libtiff could not open a TIFF in memory for writing")
        handle = ctypes.c_void_p(tif)
        try:
            for tag, value in ((_WIDTH, width), (_LENGTH, height), (_BITS, 1), (_SAMPLES, 1),
                               (_COMPRESSION, _CCITT_G4), (_PHOTOMETRIC, _MIN_IS_WHITE),
                               (_ROWS_PER_STRIP, height), (_PLANAR, _CONTIG), (_RES_UNIT, _INCH)):
                if not lib.TIFFSetField(handle, ctypes.c_uint(tag), ctypes.c_uint(value)):
                    raise RuntimeError(f"libtiff refused tag {tag} = {value}")
            for tag in (_X_RES, _Y_RES):
                if not lib.TIFFSetField(handle, ctypes.c_uint(tag), ctypes.c_double(dpi)):
                    raise RuntimeError(f"libtiff refused resolution {dpi}")
            if lib.TIFFWriteEncodedStrip(handle, 0, rows.ctypes.data, rows.nbytes) < 0:
                raise RuntimeError(f"libtiff could not encode a {width}×{height} page as G4")
        finally:
            lib.TIFFClose(handle)  # writes the directory
        return out.getvalue()


def _candidates() -> list[str]:
    pil = Path(PIL.__file__).resolve().parent
    bundled = [*pil.parent.glob("pillow.libs/libtiff*.so*"), *pil.glob(".dylibs/libtiff*.dylib")]
    system = ctypes.util.find_library("tiff")
    return [str(p) for p in sorted(bundled)] + ([system] if system else [])


@functools.cache
def load() -> G4Writer | None:
    """The G4 writer over the first libtiff that loads, or ``None``; looked up once."""
    for path in _candidates():
        try:
            return G4Writer(ctypes.CDLL(path))
        except (OSError, AttributeError) as exc:  # not loadable, or not a libtiff 4
            log.info("libtiff at %s not usable (%s)", path, exc)
    log.info("no libtiff to call; bitonal pages are encoded through Pillow, holding the GIL")
    return None
