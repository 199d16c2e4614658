"""Reading page images from files: every page either loads fully or is refused clearly.

Formats img2pdf can embed as they are (baseline JPEG, plain PNG) are kept byte for byte;
anything else (TIFF, BMP, alpha, CMYK, 16-bit, palette) is converted losslessly to PNG.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from app.core.errors import UserError

# A4 at 600 dpi is ~35 Mpx; anything far larger is a mistake or a decompression bomb.
MAX_PIXELS = 80_000_000
_KINDS = {"1": "bitonal", "L": "gray"}


@dataclass(frozen=True, slots=True)
class PageImage:
    """One page ready to store and embed: encoded bytes plus what the list shows."""

    data: bytes
    media_type: str
    kind: str
    width: int
    height: int


def _embeddable(img: Image.Image) -> bool:
    if img.format == "JPEG":
        return img.mode in ("L", "RGB") and not img.info.get("progressive")
    if img.format == "PNG":
        return img.mode in ("1", "L", "RGB") and "transparency" not in img.info
    return False


def _to_png(frame: Image.Image) -> tuple[bytes, str]:
    """Lossless PNG in a mode img2pdf embeds as is; returns (bytes, resulting mode)."""
    img = ImageOps.exif_transpose(frame)
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        img = img.point(lambda v: v / 256).convert("L")
    elif img.mode in ("RGBA", "LA", "P", "PA") or "transparency" in img.info:
        # Flatten onto white paper, keeping a grey page grey.
        grey = img.mode in ("LA", "L")
        rgba = img.convert("RGBA")
        img = Image.new("RGB", rgba.size, "white")
        img.paste(rgba, mask=rgba.getchannel("A"))
        if grey:
            img = img.convert("L")
    elif img.mode not in ("1", "L", "RGB"):
        img = img.convert("RGB")
    out = io.BytesIO()
    img.save(out, "PNG", optimize=False)
    return out.getvalue(), img.mode


def load_pages(path: Path) -> list[PageImage]:
    """All pages in an image file (a multi-page TIFF gives several); UserError if unusable."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"找不到图像文件“{path}”，请检查路径后重试", log=f"image not found: {path}") from None
    except IsADirectoryError:
        raise UserError(f"“{path}”是文件夹，请指定图像文件", log=f"image path is a folder: {path}") from None
    except PermissionError:
        raise UserError(f"没有权限读取“{path}”", log=f"no permission to read {path}") from None
    if not data:
        raise UserError(f"图像文件“{name}”是空文件（0 字节），请重新扫描", log=f"empty image file {path}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            pages = []
            for frame in ImageSequence.Iterator(img):
                frame.load()
                if _embeddable(img) and getattr(img, "n_frames", 1) == 1:
                    encoded, media, mode = data, f"image/{img.format.lower()}", frame.mode  # type: ignore[union-attr]
                else:
                    (encoded, mode), media = _to_png(frame), "image/png"
                pages.append(PageImage(encoded, media, _KINDS.get(mode, "color"), frame.width, frame.height))
    except UnidentifiedImageError:
        raise UserError(f"无法识别“{name}”的图像格式，请使用 JPEG、PNG 或 TIFF 文件",
                        log=f"unidentified image format: {path}") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UserError(f"图像“{name}”尺寸过大，无法处理，请降低扫描分辨率后重试",
                        log=f"image too large (decompression bomb guard): {path}") from None
    except (OSError, SyntaxError, ValueError) as e:
        raise UserError(f"图像文件“{name}”已损坏或不完整，无法读取，请重新扫描",
                        log=f"unreadable image {path}: {e}") from None
    return pages
