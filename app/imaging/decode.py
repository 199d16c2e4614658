"""Decoding page image files: every page either decodes fully or is refused clearly.

A file is checked in two steps. When :func:`iter_pages` or :func:`decode_bytes` is called,
everything that can be known without decoding pixels is checked at once: the file is
readable, non-empty, a format we accept, and every frame's size and colour mode is sane
(so a decompression bomb is refused after reading a few header bytes). Pixels are then
decoded one frame at a time while the caller iterates, so a 200-page TIFF never sits in
memory whole; a corrupt later frame raises :class:`UserError` during iteration and the
caller discards the pages it already got.

Pixels come out as the pipeline wants them: gray (H, W) or RGB (H, W, 3) ``uint8``,
upright (EXIF/TIFF orientation applied), transparency flattened onto white paper, 16-bit
samples reduced to their top byte (the same uniform mapping Pillow uses for 16-bit RGB),
CMYK and Adobe YCCK JPEGs as RGB (Pillow undoes Adobe's inverted CMYK), a colour image
whose three channels are equal as gray, fax-style unequal resolutions (204×98 dpi) made
square. Embedded ICC profiles are not applied: CMYK is converted with the plain formula,
which keeps a page legible if not colour-exact.

Truncation is found because Pillow's ``ImageFile.LOAD_TRUNCATED_IMAGES`` stays False (it
would grey-fill what is missing); decoding refuses to run if anything has switched it on.
"""

from __future__ import annotations

import io
import math
import stat
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage
from PIL import ImageFile, UnidentifiedImageError

from app.core.errors import Message, UserError

Pixels = npt.NDArray[np.uint8]

#: Larger files are refused before reading: a 200-page colour scan stays far below this.
MAX_FILE_BYTES = 1 << 30
#: One frame: A3 at 600 dpi is ~70 Mpx; anything larger is a mistake or a bomb.
MAX_FRAME_PIXELS = 80_000_000
#: One file: ~340 A4 pages at 300 dpi. Bounds the decoding work a small file can demand.
MAX_TOTAL_PIXELS = 3_000_000_000
MAX_FRAMES = 1000
#: Anything narrower than this on either side is an icon or a thumbnail, not a page.
MIN_SIDE = 100
#: Resolutions outside this range are placeholders or nonsense (TIFF writers often say 1).
MIN_DPI, MAX_DPI = 50.0, 2400.0

# MPO (multi-picture JPEG from phones) is reached through the JPEG plugin; we keep its
# first picture, the photo itself. Only TIFF frames are pages; animated PNG/WebP give
# their first frame.
_FORMATS = ("JPEG", "PNG", "TIFF", "BMP", "WEBP")
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+", b"BM")
_PNG_END = b"\x00\x00\x00\x00IEND"
_MODES = {"1", "L", "P", "PA", "LA", "La", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr",
          "I;16", "I;16L", "I;16B", "I;16N", "I"}
# What Pillow raises on malformed data besides OSError: its parsers index, unpack and
# divide header fields straight from the file. Warnings count only when the application
# runs with warnings as errors (the tests do).
_CORRUPT = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, KeyError,
            TypeError, ZeroDivisionError, OverflowError, RecursionError, Warning)
_ORIENT = {2: PILImage.Transpose.FLIP_LEFT_RIGHT, 3: PILImage.Transpose.ROTATE_180,
           4: PILImage.Transpose.FLIP_TOP_BOTTOM, 5: PILImage.Transpose.TRANSPOSE,
           6: PILImage.Transpose.ROTATE_270, 7: PILImage.Transpose.TRANSVERSE,
           8: PILImage.Transpose.ROTATE_90}


@dataclass(frozen=True, slots=True)
class RawPage:
    """One decoded page: upright pixels, the resolution the file states, its place in the file.

    ``pixels`` is gray (H, W) or RGB (H, W, 3) ``uint8``, C-contiguous and read-only (a
    page is a value; copy it to change it in place). ``dpi`` is None when the file states
    none or an absurd one. ``index`` counts from 0 within the file.
    """

    pixels: Pixels
    dpi: float | None
    index: int


def iter_pages(path: Path) -> Iterator[RawPage]:
    """The pages of an image file, decoded one at a time.

    Raises UserError at once for an unreadable, empty, unknown, oversized or undersized
    file; raises UserError while iterating for a page whose pixel data is corrupt.
    """
    return _decode(_read(path), path.name, str(path))


def decode_bytes(data: bytes, name: str) -> Iterator[RawPage]:
    """The pages of an image file held in memory; ``name`` is what messages call the file.

    Same checks and errors as :func:`iter_pages`.
    """
    return _decode(data, name, name)


def _read(path: Path) -> bytes:
    name = path.name or str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise UserError("“{name}”是文件夹，不是图像文件，请选择要导入的图像文件", name=name,
                            log=f"image path is a folder: {path}")
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise UserError("“{name}”不是普通文件，请选择扫描得到的图像文件", name=name,
                            log=f"image path is not a regular file: {path}")
        if info.st_size > MAX_FILE_BYTES:
            raise UserError("图像文件“{name}”太大（超过 1 GB），请降低扫描分辨率或分成几个文件", name=name,
                            log=f"image file too large ({info.st_size} bytes): {path}")
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError("找不到图像文件“{name}”，请检查文件是否已被移动或删除", name=name,
                        log=f"image not found: {path}") from None
    except PermissionError:
        raise UserError("没有权限读取图像文件“{name}”，请检查文件权限或先把文件复制到本机", name=name,
                        log=f"no permission to read {path}") from None
    except OSError as e:
        raise UserError("无法读取图像文件“{name}”，请把文件复制到本机后重试", name=name,
                        log=f"cannot read {path}: {e}") from None


@contextmanager
def _refusing(name: str, where: str, page: int | None, *, signed: bool = True) -> Iterator[None]:
    """Turn Pillow's complaints about a file into a UserError that says what to do.

    ``signed``: the data starts like a format we accept, so a file Pillow cannot identify
    is a damaged one (a TIFF cut short loses its directory) rather than a foreign one.
    """
    which = Message("第{page}页", page=page) if page is not None else ""
    corrupt = Message("图像文件“{name}”{which}已损坏或不完整，无法读取，请重新扫描或重新复制该文件",
                      name=name, which=which)
    try:
        yield
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as e:
        raise _too_large(name, which, where, str(e)) from None
    except UnidentifiedImageError:
        if signed:
            raise UserError(corrupt, log=f"damaged header of {where}") from None
        raise UserError("无法识别“{name}”的图像格式，请使用 JPEG、PNG、TIFF、BMP 或 WebP 图像", name=name,
                        log=f"unidentified image format: {where}") from None
    except _CORRUPT as e:
        raise UserError(corrupt, log=f"corrupt image {where} page {page}: {type(e).__name__}: {e}") from None


def _signed(data: bytes) -> bool:
    """Whether ``data`` starts with the signature of a format we accept."""
    return data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _too_large(name: str, which: str, where: str, detail: str) -> UserError:
    return UserError("图像“{name}”{which}尺寸过大，无法处理，请降低扫描分辨率后重试", name=name, which=which,
                     log=f"image too large (decompression bomb guard) {where}: {detail}")


def _decode(data: bytes, name: str, where: str) -> Iterator[RawPage]:
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES is on: truncated pages would be grey-filled")
    if not data:
        raise UserError("图像文件“{name}”是空文件（0 字节），请重新扫描", name=name, log=f"empty image file {where}")
    if len(data) > MAX_FILE_BYTES:
        raise UserError("图像文件“{name}”太大（超过 1 GB），请降低扫描分辨率或分成几个文件", name=name,
                        log=f"image data too large ({len(data)} bytes): {where}")
    with _refusing(name, where, None, signed=_signed(data)):
        img = PILImage.open(io.BytesIO(data), formats=_FORMATS)
        if img.format == "PNG" and _PNG_END not in data[-4096:]:
            # Pillow stops at the last pixel row and never reads the end: a copy cut off
            # there has complete-looking pixels whose last chunk was never checked.
            raise EOFError("PNG without its IEND chunk")
        count = _probe(img, name, where)
    return _frames(img, count, name, where)


def _probe(img: PILImage.Image, name: str, where: str) -> int:
    """Check every frame's header before any pixel is decoded; the number of pages."""
    count, total = 0, 0
    while True:
        width, height = img.size
        which = Message("第{page}页", page=count + 1) if count else ""
        if width * height > MAX_FRAME_PIXELS:
            raise _too_large(name, which, where, f"frame {count} is {width}x{height}")
        if min(width, height) < MIN_SIDE:
            raise UserError("图像“{name}”{which}只有 {width}×{height} 像素，太小，不是一页扫描件，请重新扫描",
                            name=name, which=which, width=width, height=height,
                            log=f"image too small ({width}x{height}) frame {count}: {where}")
        if img.mode not in _MODES:
            raise UserError("图像“{name}”{which}的颜色格式（{mode}）无法处理，请另存为 JPEG 或 PNG 后重试",
                            name=name, which=which, mode=img.mode,
                            log=f"unsupported image mode {img.mode} frame {count}: {where}")
        count, total = count + 1, total + width * height
        if total > MAX_TOTAL_PIXELS:
            raise UserError("图像文件“{name}”的页面总像素过多，请降低扫描分辨率或分成几个文件", name=name,
                            log=f"image file too large in total (> {MAX_TOTAL_PIXELS} px): {where}")
        if img.format != "TIFF":
            return 1
        try:
            img.seek(count)
        except EOFError:
            break
        if count >= MAX_FRAMES:
            raise UserError("图像文件“{name}”页数过多（超过 {max_frames} 页），请分成几个文件",
                            name=name, max_frames=MAX_FRAMES,
                            log=f"too many frames (> {MAX_FRAMES}): {where}")
    if count > 1:
        img.seek(0)
    return count


def _frames(img: PILImage.Image, count: int, name: str, where: str) -> Iterator[RawPage]:
    for index in range(count):
        with _refusing(name, where, index + 1 if count > 1 else None):
            if index:
                img.seek(index)
            frame, dpi = _load(img)
        yield _page(frame, dpi, index)


def _load(img: PILImage.Image) -> tuple[PILImage.Image, tuple[float, float] | None]:
    """Decode the current frame, upright; everything here reads the file, so may find it corrupt."""
    img.load()  # TIFF applies its Orientation tag while loading and then drops it
    frame: PILImage.Image = img
    dpi = _dpi(img.info.get("dpi"))
    orientation = img.getexif().get(0x0112, 1)
    method = _ORIENT.get(orientation) if isinstance(orientation, int) else None
    if method is not None:
        frame = img.transpose(method)
        if dpi is not None and method in (PILImage.Transpose.TRANSPOSE, PILImage.Transpose.TRANSVERSE,
                                          PILImage.Transpose.ROTATE_90, PILImage.Transpose.ROTATE_270):
            dpi = (dpi[1], dpi[0])
    return frame, dpi


def _dpi(raw: object) -> tuple[float, float] | None:
    if not isinstance(raw, tuple) or len(raw) != 2:
        return None
    try:
        x, y = float(raw[0]), float(raw[1])
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(v) and MIN_DPI <= v <= MAX_DPI for v in (x, y)):
        return None
    return round(x, 2), round(y, 2)  # PNG and BMP state pixels per metre: 300 dpi reads as 299.9994


def _page(frame: PILImage.Image, dpi: tuple[float, float] | None, index: int) -> RawPage:
    pixels = _pixels(frame)
    if dpi is not None and abs(dpi[0] - dpi[1]) > 0.01 * max(dpi):
        pixels, dpi = _square_pixels(pixels, dpi)
    pixels.flags.writeable = False
    return RawPage(pixels, None if dpi is None else (dpi[0] + dpi[1]) / 2, index)


def _square_pixels(pixels: Pixels, dpi: tuple[float, float]) -> tuple[Pixels, tuple[float, float] | None]:
    """Fax-style resolutions (204×98 dpi): stretch the coarse axis so the page is not squashed."""
    height, width = pixels.shape[:2]
    target = max(dpi)
    size = (round(width * target / dpi[0]), round(height * target / dpi[1]))
    if size[0] * size[1] > MAX_FRAME_PIXELS:
        return pixels, None
    return cv2.resize(pixels, size, interpolation=cv2.INTER_LINEAR).astype(np.uint8, copy=False), (target, target)


def _pixels(img: PILImage.Image) -> Pixels:
    """Gray or RGB uint8 pixels of a decoded frame."""
    mode = img.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        wide = np.asarray(img)
        if mode == "I":  # 32-bit container of 16-bit data (some PNG/TIFF readers)
            wide = np.clip(wide, 0, 0xFFFF)
        return (wide >> 8).astype(np.uint8)
    if mode == "1":
        return np.asarray(img.convert("L"))
    gray_palette = mode in ("P", "PA") and _palette_is_gray(img)
    if "A" in mode or "a" in mode or "transparency" in img.info:
        img = _flatten(img, gray=mode in ("L", "LA", "La") or gray_palette)
    elif mode == "P":
        img = img.convert("L" if gray_palette else "RGB")
    elif mode not in ("L", "RGB"):
        img = img.convert("RGB")
    pixels: Pixels = np.asarray(img)
    return _gray_if_neutral(pixels) if pixels.ndim == 3 else pixels


def _palette_is_gray(img: PILImage.Image) -> bool:
    palette = img.getpalette("RGB") or []
    rgb = np.asarray(palette, dtype=np.uint8).reshape(-1, 3)
    return bool((rgb[:, 0] == rgb[:, 1]).all() and (rgb[:, 1] == rgb[:, 2]).all())


def _flatten(img: PILImage.Image, *, gray: bool) -> PILImage.Image:
    """Transparent parts become white paper, as a printout of the image would show."""
    rgba = img.convert("RGBA")
    paper = PILImage.new("RGB", rgba.size, (255, 255, 255))
    paper.paste(rgba, mask=rgba.getchannel("A"))
    return paper.convert("L") if gray else paper


def _gray_if_neutral(rgb: Pixels) -> Pixels:
    """A colour image whose three channels are equal everywhere is a gray page."""
    sample = rgb[::31, ::31]  # cheap early exit: a real colour page differs within a few samples
    if not ((sample[..., 0] == sample[..., 1]).all() and (sample[..., 1] == sample[..., 2]).all()):
        return rgb
    if np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 1], rgb[..., 2]):
        return np.ascontiguousarray(rgb[..., 0])
    return rgb
