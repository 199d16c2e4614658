"""Page images from files: odd formats are embedded correctly, broken ones refused clearly."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from app.core.errors import UserError
from app.documents.material_pdf import build_material_pdf
from app.imaging import pages as pages_mod
from app.imaging.pages import load_pages

BASE = Image.effect_noise((300, 400), 50)


def _exif_rotated(path: Path) -> None:
    img = BASE.convert("RGB")
    exif = img.getexif()
    exif[0x0112] = 6
    img.save(path, exif=exif)


MAKERS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "plain.jpg": (lambda p: BASE.convert("RGB").save(p), ["color"]),
    "gray.jpg": (lambda p: BASE.save(p), ["gray"]),
    "cmyk.jpg": (lambda p: BASE.convert("CMYK").save(p), ["color"]),
    "progressive.jpg": (lambda p: BASE.convert("RGB").save(p, progressive=True), ["color"]),
    "rotated.jpg": (_exif_rotated, ["color"]),
    "interlaced.png": (lambda p: BASE.convert("RGB").save(p, interlace=1), ["color"]),
    "16bit.png": (lambda p: Image.new("I;16", (200, 200), 30000).save(p), ["gray"]),
    "bitonal.png": (lambda p: BASE.convert("1").save(p), ["bitonal"]),
    "gray_alpha.png": (lambda p: BASE.convert("LA").save(p), ["gray"]),
    "rgba.png": (lambda p: BASE.convert("RGBA").save(p), ["color"]),
    "palette.png": (lambda p: BASE.convert("P").save(p, transparency=0), ["color"]),
    "scan.bmp": (lambda p: BASE.convert("RGB").save(p), ["color"]),
    "multi.tif": (lambda p: BASE.convert("RGB").save(
        p, save_all=True, append_images=[BASE.convert("L"), BASE.convert("1")]), ["color", "gray", "bitonal"]),
}


@pytest.mark.parametrize("name", list(MAKERS))
def test_odd_formats_become_valid_pdf_pages(tmp_path: Path, name: str) -> None:
    make, kinds = MAKERS[name]
    path = tmp_path / name
    make(path)
    pages = load_pages(path)
    assert [p.kind for p in pages] == kinds
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(build_material_pdf([p.data for p in pages], case_id="c", material="申请表",
                                       page_hashes=["0" * 64] * len(pages), created=dt.datetime(2026, 11, 23)))
    subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
    subprocess.run(["pdftoppm", "-r", "10", "-png", str(pdf), str(tmp_path / "r")], check=True)
    assert len(list(tmp_path.glob("r-*.png"))) == len(kinds)


def test_a_plain_jpeg_is_kept_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    BASE.convert("RGB").save(path, quality=80)
    assert load_pages(path)[0].data == path.read_bytes()


@pytest.mark.parametrize(("content", "fragment"), [
    (b"", "空文件"),
    (b"this is not an image", "无法识别"),
    ("truncated", "损坏"),
])
def test_broken_files_are_refused_in_chinese(tmp_path: Path, content: bytes | str, fragment: str) -> None:
    path = tmp_path / "page.jpg"
    if content == "truncated":
        BASE.convert("RGB").save(path)
        path.write_bytes(path.read_bytes()[:400])
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    with pytest.raises(UserError, match=fragment) as err:
        load_pages(path)
    assert "page.jpg" in err.value.message and str(path) in err.value.log


def test_a_decompression_bomb_is_refused_not_decoded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    Image.new("1", (12_000, 12_000)).save(path)  # a few KB on disk, 144 Mpx decoded
    assert path.stat().st_size < 100_000 and pages_mod.MAX_PIXELS < 12_000 * 12_000
    with pytest.raises(UserError, match="尺寸过大"):
        load_pages(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="找不到"):
        load_pages(tmp_path / "nope.png")
    with pytest.raises(UserError, match="文件夹"):
        load_pages(tmp_path)
