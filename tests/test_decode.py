"""Decoding page files: each format comes out upright and right, each bad file is refused clearly."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import tracemalloc
import zlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile, TiffImagePlugin, features

from app.core.errors import UserError
from app.imaging import decode
from app.imaging.decode import RawPage, decode_bytes, iter_pages

W, H = 240, 320  # portrait, so a page turned by 90° shows in its shape
CYAN, MAGENTA, YELLOW, RED = (0, 255, 255), (255, 0, 255), (255, 255, 0), (255, 0, 0)


def _upright() -> np.ndarray:
    """A colour page whose every orientation is distinct: a dark block top left, red top right."""
    rng = np.random.default_rng(7)
    page = np.full((H, W, 3), 235, np.uint8)
    page[:, :, 2] = np.linspace(120, 250, W, dtype=np.uint8)[None, :]  # a blue gradient left to right
    page[20:80, 20:70] = 20
    page[20:60, 170:220] = RED
    cells = rng.integers(0, 255, (5, 8, 3), dtype=np.uint8)  # a "photo" of coarse colour cells
    page[200:300, 40:200] = cells.repeat(20, axis=0).repeat(20, axis=1)
    return page


UPRIGHT = _upright()
GRAY = cv2.cvtColor(UPRIGHT, cv2.COLOR_RGB2GRAY)


def _encode(img: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    img.copy().save(out, fmt, **options)  # a copy: Pillow keeps encoder settings on the image
    return out.getvalue()


def _one(data: bytes, name: str = "page") -> RawPage:
    pages = list(decode_bytes(data, name))
    assert len(pages) == 1
    return pages[0]


def _close(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    return a.shape == b.shape and float(np.abs(a.astype(int) - b.astype(int)).mean()) < tol


# ---- formats that must decode correctly -------------------------------------------------

def test_jpeg_baseline_progressive_and_gray() -> None:
    rgb = Image.fromarray(UPRIGHT)
    for options in ({}, {"progressive": True}):
        page = _one(_encode(rgb, "JPEG", quality=95, **options))
        assert _close(page.pixels, UPRIGHT, 3)
    gray = _one(_encode(Image.fromarray(GRAY), "JPEG", quality=95))
    assert gray.pixels.ndim == 2 and _close(gray.pixels, GRAY, 3)


# Stored pixels = the upright page turned by the inverse of what the EXIF tag asks for.
_STORED = {1: None, 2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
           4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90,
           7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_270}


@pytest.mark.parametrize("orientation", list(_STORED))
def test_exif_orientation_is_applied(orientation: int) -> None:
    method = _STORED[orientation]
    stored = Image.fromarray(UPRIGHT) if method is None else Image.fromarray(UPRIGHT).transpose(method)
    exif = Image.Exif()
    exif[0x0112] = orientation
    page = _one(_encode(stored, "JPEG", quality=95, exif=exif, dpi=(300, 300)))
    assert _close(page.pixels, UPRIGHT, 3)
    assert page.dpi == 300


@pytest.mark.parametrize("fmt", ["TIFF", "PNG", "WEBP"])
def test_orientation_in_other_formats_is_applied_once(fmt: str) -> None:
    if fmt == "WEBP" and not features.check("webp"):
        pytest.skip("Pillow without WebP")
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = Image.fromarray(UPRIGHT).transpose(Image.Transpose.ROTATE_90)
    options: dict[str, object] = {"lossless": True} if fmt == "WEBP" else {}
    page = _one(_encode(stored, fmt, exif=exif, **options))
    assert _close(page.pixels, UPRIGHT, 1)


def _ink_page() -> np.ndarray:
    """CMYK ink: cyan, magenta, yellow and black bands on bare paper."""
    ink = np.zeros((H, W, 4), np.uint8)
    for band, channel in enumerate(range(4)):
        ink[band * 60:(band + 1) * 60, :, channel] = 255
    return ink


_INK_RGB = [CYAN, MAGENTA, YELLOW, (0, 0, 0), (255, 255, 255)]


def _ycck_jpeg(ink: np.ndarray) -> bytes:
    """An Adobe YCCK JPEG, as Photoshop writes them: YCbCr of the inverted CMY, inverted K."""
    c, m, y, k = (ink[..., i].astype(float) for i in range(4))
    ycc = np.dstack([0.299 * c + 0.587 * m + 0.114 * y,
                     128 - 0.168736 * c - 0.331264 * m + 0.5 * y,
                     128 + 0.5 * c - 0.418688 * m - 0.081312 * y,
                     255 - k]).round().clip(0, 255).astype(np.uint8)
    # Pillow writes CMYK inverted (Adobe style), so hand it the inverse of the stored samples.
    data = bytearray(_encode(Image.fromarray(255 - ycc, "CMYK"), "JPEG", quality=95))
    adobe = data.index(b"Adobe")
    data[adobe + 11] = 2  # APP14 transform: 2 = YCCK
    return bytes(data)


@pytest.mark.parametrize("kind", ["cmyk", "ycck"])
def test_cmyk_and_ycck_jpeg_become_rgb(kind: str) -> None:
    ink = _ink_page()
    data = _encode(Image.fromarray(ink, "CMYK"), "JPEG", quality=95) if kind == "cmyk" else _ycck_jpeg(ink)
    page = _one(data)
    assert page.pixels.shape == (H, W, 3)
    for band, rgb in enumerate(_INK_RGB):
        centre = page.pixels[band * 60 + 30, W // 2].astype(int)
        assert np.abs(centre - rgb).max() < 12, (kind, band, centre)


def _wide_gradient() -> np.ndarray:
    ramp = np.linspace(0, 65535, W).round().astype(np.uint16)
    return np.tile(ramp, (H, 1))


@pytest.mark.parametrize("ext", [".png", ".tif"])
def test_16_bit_gray_and_rgb_are_scaled_not_clipped(ext: str) -> None:
    gray16 = _wide_gradient()
    ok, gray_file = cv2.imencode(ext, gray16)
    assert ok
    page = _one(gray_file.tobytes())
    assert page.pixels.ndim == 2 and page.pixels.dtype == np.uint8
    assert np.array_equal(page.pixels, (gray16 >> 8).astype(np.uint8))
    assert page.pixels[0, 0] == 0 and page.pixels[0, -1] == 255 and 126 <= page.pixels[0, W // 2] <= 129

    rgb16 = np.zeros((H, W, 3), np.uint16)
    rgb16[:, :, 0] = gray16  # red ramps up; green is half; blue stays 0
    rgb16[:, :, 1] = 128 * 257
    ok, rgb_file = cv2.imencode(ext, rgb16[:, :, ::-1])  # OpenCV writes BGR
    assert ok
    page = _one(rgb_file.tobytes())
    assert page.pixels.shape == (H, W, 3)
    assert np.array_equal(page.pixels[..., 0], (gray16 >> 8).astype(np.uint8))
    assert (page.pixels[..., 1] == 128).all() and (page.pixels[..., 2] == 0).all()
    assert page.dpi is None  # OpenCV's TIFF says 1 dpi: absurd, so unknown


def test_alpha_is_flattened_onto_white_paper() -> None:
    rgba = np.zeros((H, W, 4), np.uint8)
    rgba[..., :3] = RED
    rgba[:100, :, 3] = 255  # opaque red
    rgba[100:200, :, 3] = 128  # half-transparent red
    page = _one(_encode(Image.fromarray(rgba, "RGBA"), "PNG"))
    assert tuple(page.pixels[50, 50]) == RED
    assert np.abs(page.pixels[150, 50].astype(int) - (255, 127, 127)).max() <= 2
    assert tuple(page.pixels[250, 50]) == (255, 255, 255)

    la = np.dstack([np.full((H, W), 40, np.uint8), np.where(np.arange(H)[:, None] < 100, 255, 0).repeat(W, 1)])
    gray = _one(_encode(Image.fromarray(la.astype(np.uint8), "LA"), "PNG"))
    assert gray.pixels.ndim == 2 and gray.pixels[50, 50] == 40 and gray.pixels[250, 50] == 255


def test_palette_images_keep_colour_or_gray_and_transparency_is_white() -> None:
    colour = Image.fromarray(UPRIGHT).quantize(64)
    index_of_corner = colour.getpixel((0, 0))
    page = _one(_encode(colour, "PNG", transparency=index_of_corner))
    assert page.pixels.ndim == 3 and tuple(page.pixels[0, 0]) == (255, 255, 255)
    assert np.abs(page.pixels[40, 190].astype(int) - RED).max() < 30  # the red block is still red

    gray = Image.fromarray(GRAY).convert("P")  # a gray palette
    assert gray.mode == "P"
    page = _one(_encode(gray, "PNG"))
    assert page.pixels.ndim == 2 and np.array_equal(page.pixels, GRAY)


def test_bitonal_gray_neutral_colour_and_bmp() -> None:
    bitonal = _one(_encode(Image.fromarray(GRAY).convert("1"), "PNG"))
    assert bitonal.pixels.ndim == 2 and set(np.unique(bitonal.pixels)) <= {0, 255}
    assert len(np.unique(bitonal.pixels)) == 2

    assert np.array_equal(_one(_encode(Image.fromarray(GRAY), "PNG")).pixels, GRAY)
    neutral = _one(_encode(Image.fromarray(np.dstack([GRAY] * 3)), "PNG"))
    assert neutral.pixels.ndim == 2 and np.array_equal(neutral.pixels, GRAY)

    assert np.array_equal(_one(_encode(Image.fromarray(UPRIGHT), "BMP")).pixels, UPRIGHT)
    assert np.array_equal(_one(_encode(Image.fromarray(UPRIGHT), "PNG", interlace=1)).pixels, UPRIGHT)


@pytest.mark.skipif(not features.check("webp"), reason="Pillow without WebP")
def test_webp() -> None:
    assert np.array_equal(_one(_encode(Image.fromarray(UPRIGHT), "WEBP", lossless=True)).pixels, UPRIGHT)


def test_phone_mpo_gives_the_photo_only() -> None:
    data = _encode(Image.fromarray(UPRIGHT), "MPO", save_all=True, quality=95,
                   append_images=[Image.fromarray(GRAY[::2, ::2])])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    assert _close(_one(data).pixels, UPRIGHT, 3)


@pytest.mark.parametrize(("dpi", "expected"), [
    ((300, 300), 300.0), ((200, 200), 200.0), ((72, 72), 72.0), ((1, 1), None), ((30, 30), None), ((5000, 5000), None),
])
def test_dpi_is_read_from_each_format_and_absurd_values_dropped(dpi: tuple[int, int], expected: float | None) -> None:
    img = Image.fromarray(UPRIGHT)
    for fmt in ("JPEG", "PNG", "TIFF", "BMP"):
        page = _one(_encode(img, fmt, dpi=dpi))
        assert page.dpi == (None if expected is None else pytest.approx(expected, abs=0.05)), fmt
    assert _one(_encode(img, "PNG")).dpi is None


def test_fax_resolution_is_stretched_to_square_pixels() -> None:
    squashed = cv2.resize(GRAY, (W, H // 2), interpolation=cv2.INTER_AREA)
    page = _one(_encode(Image.fromarray(squashed), "TIFF", dpi=(200, 100)))
    assert page.dpi == 200 and page.pixels.shape == (H, W)
    assert _close(page.pixels, GRAY, 12)


def _multipage(frames: list[tuple[Image.Image, str]], dpi: int = 300) -> bytes:
    out = io.BytesIO()
    with TiffImagePlugin.AppendingTiffWriter(out, new=True) as tiff:
        for img, compression in frames:
            img.copy().save(tiff, "TIFF", compression=compression, dpi=(dpi, dpi))
            tiff.newFrame()
    return out.getvalue()


MIXED = [(Image.fromarray(GRAY).convert("1"), "group4"), (Image.fromarray(GRAY), "tiff_lzw"),
         (Image.fromarray(UPRIGHT), "tiff_lzw"), (Image.fromarray(UPRIGHT), "jpeg"),
         (Image.fromarray(GRAY).convert("1"), "group4")]


def test_multipage_tiff_with_mixed_compression() -> None:
    pages = list(decode_bytes(_multipage(MIXED), "batch.tif"))
    assert [p.index for p in pages] == [0, 1, 2, 3, 4]
    assert [p.pixels.ndim for p in pages] == [2, 2, 3, 3, 2]
    assert all(p.dpi == 300 for p in pages)
    assert set(np.unique(pages[0].pixels)) == {0, 255}
    assert np.array_equal(pages[1].pixels, GRAY) and np.array_equal(pages[2].pixels, UPRIGHT)
    assert _close(pages[3].pixels, UPRIGHT, 4)


def test_pixels_are_read_only_values() -> None:
    page = _one(_encode(Image.fromarray(UPRIGHT), "PNG"))
    assert page.pixels.flags.c_contiguous and not page.pixels.flags.writeable
    with pytest.raises(ValueError):
        page.pixels[0, 0] = 0


def test_iter_pages_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "扫描件.tif"
    path.write_bytes(_multipage(MIXED[:2]))
    assert [p.pixels.shape for p in iter_pages(path)] == [(H, W), (H, W)]


_STREAM_SCRIPT = """
import resource, sys
from pathlib import Path
from app.imaging.decode import iter_pages
path = Path(sys.argv[1])
pages = iter_pages(path)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
count = sum(p.pixels.size for p in pages)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(count, (after - before) // 1024)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB is Linux's")
def test_a_multipage_tiff_streams_page_by_page(tmp_path: Path) -> None:
    frame = Image.fromarray(cv2.resize(GRAY, (1654, 2339)))  # A4 at 200 dpi, 3.9 MB decoded
    path = tmp_path / "batch.tif"
    path.write_bytes(_multipage([(frame, "tiff_lzw")] * 40))  # 155 MB if held at once
    out = subprocess.run([sys.executable, "-c", _STREAM_SCRIPT, str(path)], check=True, capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parents[1]).stdout.split()
    assert int(out[0]) == 40 * 1654 * 2339
    assert int(out[1]) < 40, f"peak memory grew by {out[1]} MB while decoding"


# ---- files that must be refused -------------------------------------------------------

def _refused(data: bytes, fragment: str, name: str = "申请表.jpg") -> UserError:
    with pytest.raises(UserError, match=fragment) as err:
        list(decode_bytes(data, name))
    assert name in err.value.message
    return err.value


VALID: dict[str, bytes] = {
    "baseline.jpg": _encode(Image.fromarray(UPRIGHT), "JPEG", quality=90),
    "progressive.jpg": _encode(Image.fromarray(UPRIGHT), "JPEG", quality=90, progressive=True),
    "gray.png": _encode(Image.fromarray(GRAY), "PNG"),
    "colour.png": _encode(Image.fromarray(UPRIGHT), "PNG"),
    "lzw.tif": _encode(Image.fromarray(UPRIGHT), "TIFF", compression="tiff_lzw"),
    "g4.tif": _encode(Image.fromarray(GRAY).convert("1"), "TIFF", compression="group4"),
    "raw.tif": _encode(Image.fromarray(GRAY), "TIFF"),
    "multi.tif": _multipage(MIXED),
}


@pytest.mark.parametrize("name", list(VALID))
@pytest.mark.parametrize("keep", [0.3, 0.7, 0.97])
def test_truncated_files_are_refused_not_grey_filled(name: str, keep: float) -> None:
    data = VALID[name]
    _refused(data[:int(len(data) * keep)], "已损坏或不完整", name)


def test_decoding_refuses_to_run_if_truncated_images_were_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        decode_bytes(VALID["baseline.jpg"], "page.jpg")


def test_empty_foreign_and_damaged_headers() -> None:
    _refused(b"", "空文件")
    _refused(b"%PDF-1.7 this is a PDF, not a scan", "无法识别")
    _refused(_encode(Image.fromarray(UPRIGHT), "GIF"), "无法识别")
    _refused(VALID["lzw.tif"][:6], "已损坏")  # a TIFF signature with nothing after it
    png = bytearray(VALID["colour.png"])
    png[len(png) // 2] ^= 0xFF  # inside IDAT: the chunk's CRC no longer matches
    _refused(bytes(png), "已损坏")


def test_a_corrupt_later_tiff_page_stops_iteration_with_its_number() -> None:
    data = bytearray(VALID["multi.tif"])
    tiff = Image.open(io.BytesIO(bytes(data)))
    tiff.seek(2)
    start = tiff.tag_v2[273][0]  # the third page's first strip
    data[start:start + 600] = bytes(range(256)) * 2 + bytes(88)
    pages = decode_bytes(bytes(data), "batch.tif")  # the headers are fine: no error yet
    got = [next(pages).index, next(pages).index]
    assert got == [0, 1]
    with pytest.raises(UserError, match="第3页已损坏"):
        next(pages)


def _g4_headers(sizes: list[tuple[int, int]]) -> bytes:
    """A TIFF of bitonal G4 pages with the given sizes whose pixel data is 8 bytes in all.

    It is only a header: any attempt to decode it would fail, and a guard that decodes
    before checking sizes would allocate the claimed pixels first.
    """
    entries = 8
    ifd_size = 2 + entries * 12 + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", 16) + bytes(8))
    for i, (width, height) in enumerate(sizes):
        following = 0 if i == len(sizes) - 1 else 16 + (i + 1) * ifd_size
        tags = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 1), (259, 3, 1, 4), (262, 3, 1, 0),
                (273, 4, 1, 8), (278, 4, 1, height), (279, 4, 1, 8)]
        out += struct.pack("<H", entries) + b"".join(struct.pack("<HHII", *t) for t in tags)
        out += struct.pack("<I", following)
    return bytes(out)


def _png_bomb(side: int) -> bytes:
    """A valid 1-bit PNG of side×side white pixels: a few KB that decode to side² bytes."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * side, 9)) + chunk(b"IEND", b""))


BOMBS: dict[str, tuple[Callable[[], bytes], str]] = {
    "png 12000²": (lambda: _png_bomb(12_000), "尺寸过大"),
    "png 85 Mpx, under Pillow's own limit": (lambda: _png_bomb(9_250), "尺寸过大"),
    "tiff 100000²": (lambda: _g4_headers([(100_000, 100_000)]), "尺寸过大"),
    "tiff page 5 of 5 too large": (lambda: _g4_headers([(2480, 3508)] * 4 + [(10_000, 9_000)]), "第5页尺寸过大"),
    "tiff too many pages": (lambda: _g4_headers([(1000, 1000)] * (decode.MAX_FRAMES + 1)), "页数过多"),
    "tiff too many pixels": (lambda: _g4_headers([(8_900, 8_900)] * 40), "总像素过多"),
    "jpeg 60000²": (lambda: _jpeg_claiming(60_000, 60_000), "尺寸过大"),
}


def _jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(VALID["baseline.jpg"])
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize("case", list(BOMBS))
def test_decompression_bombs_are_refused_before_decoding(case: str) -> None:
    make, fragment = BOMBS[case]
    data = make()
    assert len(data) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(UserError, match=fragment):
            decode_bytes(data, "bomb.tif")  # refused at the call, before any page is asked for
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Refused from the header: nothing near a page's pixels was ever allocated. (No wall-clock
    # check: on a loaded machine it fails for reasons that have nothing to do with the code.)
    assert peak < 2_000_000, f"{peak} bytes allocated while refusing"


_BOMB_SCRIPT = """
import resource, sys
from pathlib import Path
from app.core.errors import UserError
from app.imaging.decode import iter_pages
paths = [Path(p) for p in sys.argv[1:]]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
refused = 0
for path in paths:
    try:
        list(iter_pages(path))
    except UserError:
        refused += 1
print(refused, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB is Linux's")
def test_bombs_leave_the_process_small(tmp_path: Path) -> None:
    """tracemalloc does not see Pillow's pixel buffers; the process's peak memory does."""
    paths = []
    for number, (make, _) in enumerate(BOMBS.values()):
        paths.append(tmp_path / f"bomb{number}")
        paths[-1].write_bytes(make())
    out = subprocess.run([sys.executable, "-c", _BOMB_SCRIPT, *map(str, paths)], check=True, capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parents[1]).stdout.split()
    assert int(out[0]) == len(BOMBS)
    assert int(out[1]) < 10, f"peak memory grew by {out[1]} MB while refusing bombs"


def test_thumbnails_are_not_pages() -> None:
    _refused(_encode(Image.fromarray(UPRIGHT[:80, :80]), "PNG"), "太小")
    _refused(_encode(Image.fromarray(UPRIGHT[:, :60]), "JPEG"), "太小")


def test_unsupported_colour_mode_is_refused_up_front() -> None:
    floats = Image.fromarray(GRAY.astype(np.float32) / 255)
    _refused(_encode(floats, "TIFF"), "颜色格式")


def test_unreadable_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UserError, match="找不到") as err:
        iter_pages(tmp_path / "第1页.jpg")
    assert "第1页.jpg" in err.value.message and str(tmp_path / "第1页.jpg") in err.value.log
    with pytest.raises(UserError, match="文件夹"):
        iter_pages(tmp_path)
    empty = tmp_path / "空.png"
    empty.touch()
    with pytest.raises(UserError, match="空文件"):
        iter_pages(empty)
    if hasattr(os, "mkfifo"):  # reading a pipe would wait forever
        os.mkfifo(tmp_path / "pipe.jpg")
        with pytest.raises(UserError, match="不是普通文件"):
            iter_pages(tmp_path / "pipe.jpg")
    locked = tmp_path / "locked.jpg"
    locked.write_bytes(VALID["baseline.jpg"])

    def refuse(self: Path) -> bytes:  # chmod does not stop root, who runs the CI
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(UserError, match="没有权限"):
        iter_pages(locked)


# ---- random damage: only ever a UserError ----------------------------------------------

@settings(max_examples=1000, deadline=timedelta(seconds=5), database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(VALID)),
       edits=st.lists(st.tuples(st.one_of(st.integers(0, 600), st.integers(0, 10**7)), st.integers(0, 255)),
                      max_size=6),
       cut=st.one_of(st.none(), st.floats(0, 1)))
def test_random_damage_gives_pages_or_a_user_error(name: str, edits: list[tuple[int, int]], cut: float | None) -> None:
    data = bytearray(VALID[name])
    for position, value in edits:
        data[position % len(data)] = value
    if cut is not None:
        del data[int(len(data) * cut):]
    try:
        pages = list(decode_bytes(bytes(data), name))
    except UserError as err:
        assert name in err.message and err.log
        return
    for page in pages:
        assert page.pixels.dtype == np.uint8 and page.pixels.ndim in (2, 3)
        assert min(page.pixels.shape[:2]) >= decode.MIN_SIDE
