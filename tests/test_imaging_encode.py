"""Encoded pages are small, decode to what was encoded, and go into a PDF without re-encoding."""

from __future__ import annotations

import io
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Literal

import cv2
import img2pdf
import numpy as np
import pikepdf
import pytest
from PIL import Image as PILImage
from PIL import TiffImagePlugin

from app.imaging import libtiff
from app.imaging.classify import binarize, ink_mask
from app.imaging.encode import encode_bitonal, encode_ink, encode_jpeg
from app.imaging.libtiff import G4Writer
from tests.support import pagegen as pg

A4_PT = (210 / 25.4 * 72, 297 / 25.4 * 72)


@cache
def _text_scan() -> np.ndarray:
    return cv2.cvtColor(pg.add_noise(pg.text_page(1), 4), cv2.COLOR_RGB2GRAY)


@cache
def _bitonal() -> np.ndarray:
    return binarize(_text_scan())


@cache
def _mixed_scan() -> np.ndarray:
    return pg.add_noise(pg.mixed_page(2), 4)


def _only_image(pdf_bytes: bytes) -> tuple[pikepdf.Pdf, pikepdf.Stream]:
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    (image,) = pdf.pages[0].get_images().values()
    return pdf, image


def _filters(image: pikepdf.Stream) -> list[str]:
    """The stream's filter names, whether /Filter is one name or an array of them."""
    f = image.Filter
    return [str(n) for n in f] if isinstance(f, pikepdf.Array) else [str(f)]


def _page_size_pt(pdf: pikepdf.Pdf) -> tuple[float, float]:
    box = [float(v) for v in pdf.pages[0].MediaBox]
    return box[2] - box[0], box[3] - box[1]


# --- bitonal: CCITT G4 TIFF ----------------------------------------------------------------------


def _strip(data: bytes) -> bytes:
    tiff = PILImage.open(io.BytesIO(data))
    (offset,), (length,) = tiff.tag_v2[TiffImagePlugin.STRIPOFFSETS], tiff.tag_v2[TiffImagePlugin.STRIPBYTECOUNTS]
    return data[offset : offset + length]


def test_libtiff_is_called_directly_here() -> None:
    # Pillow's wheel ships libtiff on Linux: without it the pipeline's second worker waits
    # on the GIL for every bitonal page.
    assert libtiff.load() is not None


@pytest.mark.parametrize("writer", ["auto", None], ids=["libtiff", "pillow"])
@pytest.mark.parametrize("width", [2479, 2480, 1])  # rows ending mid-byte and on a byte
def test_g4_tiff_decodes_to_the_same_pixels_with_its_tags(writer: G4Writer | Literal["auto"] | None,
                                                         width: int) -> None:
    ink = ink_mask(_text_scan())[:, :width]
    data = encode_ink(ink, 300, writer=writer)
    tiff = PILImage.open(io.BytesIO(data))
    assert tiff.info["compression"] == "group4"
    assert tiff.tag_v2[TiffImagePlugin.PHOTOMETRIC_INTERPRETATION] == 0  # MinIsWhite
    assert tiff.tag_v2[TiffImagePlugin.ROWSPERSTRIP] == tiff.height
    assert len(tiff.tag_v2[TiffImagePlugin.STRIPOFFSETS]) == 1
    assert tiff.info["dpi"] == (300, 300)
    assert np.array_equal(np.asarray(tiff.convert("L")) == 0, ink == 255)


def test_both_writers_give_the_same_g4_stream() -> None:
    ink = ink_mask(_text_scan())
    assert _strip(encode_ink(ink, 300)) == _strip(encode_ink(ink, 300, writer=None))


def test_g4_pages_encode_on_two_threads_at_once() -> None:
    pages = [ink_mask(_text_scan()), ink_mask(_text_scan())[::-1].copy(), np.zeros((3508, 2480), np.uint8)]
    alone = [encode_ink(p, 300) for p in pages]
    with ThreadPoolExecutor(2) as pool:
        together = list(pool.map(lambda p: encode_ink(p, 300), pages * 3))
    assert together == alone * 3


def test_g4_tiff_of_the_bitonal_page_decodes_to_it() -> None:
    data = encode_bitonal(_bitonal(), 300)
    assert np.array_equal(np.asarray(PILImage.open(io.BytesIO(data)).convert("L")), _bitonal())


def test_img2pdf_embeds_the_g4_strip_unchanged() -> None:
    data = encode_bitonal(_bitonal(), 300)
    pdf, image = _only_image(img2pdf.convert(data))
    assert _filters(image) == ["/CCITTFaxDecode"]
    assert image.read_raw_bytes() == _strip(data)
    assert _page_size_pt(pdf) == pytest.approx(A4_PT, abs=0.5)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_the_g4_page_renders_black_on_white(tmp_path: Path) -> None:
    page = np.full((600, 400), 255, np.uint8)
    page[100:200, 50:350] = 0  # one black bar on white paper
    (tmp_path / "p.pdf").write_bytes(img2pdf.convert(encode_bitonal(page, 100)))
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", str(tmp_path / "p.pdf"), str(tmp_path / "r")], check=True)
    rendered = np.asarray(PILImage.open(next(tmp_path.glob("r*.png"))).convert("L"))
    assert rendered[150, 200] < 50 and rendered[400, 200] > 200


def test_g4_text_page_is_at_most_a_sixth_of_a_grey_jpeg() -> None:
    g4 = encode_bitonal(_bitonal(), 300)
    baseline = io.BytesIO()
    PILImage.fromarray(_text_scan()).save(baseline, "JPEG", quality=75)
    assert len(g4) * 6 <= len(baseline.getvalue())


def test_the_ink_mask_is_the_bitonal_page_and_encodes_to_the_same_file() -> None:
    ink = ink_mask(_text_scan())
    assert np.array_equal(ink == 255, _bitonal() == 0)
    assert encode_ink(ink, 300) == encode_bitonal(_bitonal(), 300)


def test_encode_bitonal_refuses_colour() -> None:
    with pytest.raises(ValueError):
        encode_bitonal(np.zeros((10, 10, 3), np.uint8), 300)


# --- grey and colour: baseline JPEG --------------------------------------------------------------


@pytest.mark.parametrize("colour", [True, False], ids=["rgb", "gray"])
def test_jpeg_is_baseline_at_200_dpi_and_keeps_the_page_size(colour: bool) -> None:
    img = _mixed_scan() if colour else cv2.cvtColor(_mixed_scan(), cv2.COLOR_RGB2GRAY)
    data = encode_jpeg(img, 300)
    jpeg = PILImage.open(io.BytesIO(data))
    assert jpeg.format == "JPEG" and not jpeg.info.get("progressive")
    assert jpeg.mode == ("RGB" if colour else "L")
    assert jpeg.info["dpi"] == (200, 200)
    assert jpeg.size == (1653, 2339)
    pdf, image = _only_image(img2pdf.convert(data))
    assert _filters(image) == ["/DCTDecode"]
    assert image.read_raw_bytes() == data
    assert _page_size_pt(pdf) == pytest.approx(A4_PT, abs=1.0)


def test_jpeg_is_what_pillow_writes_with_the_same_settings() -> None:
    """Encoded by OpenCV (no copy into Pillow, no GIL held), the page is the JPEG Pillow writes
    with the same settings (both use libjpeg-turbo; with the versions tested, byte for byte)."""
    img = cv2.resize(_mixed_scan(), (827, 1169), interpolation=cv2.INTER_AREA)
    ours = encode_jpeg(img, 100)
    pillow = io.BytesIO()
    PILImage.fromarray(img).save(pillow, "JPEG", quality=80, subsampling=2, optimize=True, dpi=(100, 100))
    assert len(ours) == pytest.approx(len(pillow.getvalue()), rel=0.02)
    a = np.asarray(PILImage.open(io.BytesIO(ours))).astype(int)
    b = np.asarray(PILImage.open(pillow)).astype(int)
    assert a.shape == b.shape and np.abs(a - b).mean() < 0.5


def test_jpeg_at_or_under_the_limit_keeps_its_pixels_and_dpi() -> None:
    small = cv2.resize(_mixed_scan(), (827, 1169), interpolation=cv2.INTER_AREA)
    jpeg = PILImage.open(io.BytesIO(encode_jpeg(small, 100)))
    assert jpeg.size == (827, 1169) and jpeg.info["dpi"] == (100, 100)


def test_jpeg_keeps_text_legible_and_the_seal_red() -> None:
    clean = pg.mixed_page(2)
    decoded = np.asarray(PILImage.open(io.BytesIO(encode_jpeg(_mixed_scan(), 300))).convert("RGB"))
    reference = cv2.resize(clean, (decoded.shape[1], decoded.shape[0]), interpolation=cv2.INTER_AREA)
    # Text: the bitonal copies of the decoded and the reference page agree (quality 80 gives an
    # IoU of ~0.96 and a grey error near strokes of ~6 levels, most of it the scan's noise;
    # quality 5 gives 0.86 and 16), and strokes keep their grey levels.
    ref_gray = cv2.cvtColor(reference, cv2.COLOR_RGB2GRAY)
    ref_ink = binarize(ref_gray, dpi=200) == 0
    dec_ink = binarize(cv2.cvtColor(decoded, cv2.COLOR_RGB2GRAY), dpi=200) == 0
    assert (ref_ink & dec_ink).sum() / (ref_ink | dec_ink).sum() > 0.93
    near_text = cv2.dilate(ref_ink.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    error = np.abs(cv2.cvtColor(decoded, cv2.COLOR_RGB2GRAY).astype(int) - ref_gray)[near_text].mean()
    assert error < 8
    # Seal: where the reference is seal red, the decoded page is still clearly red.
    ref = reference.astype(int)
    seal = (ref[..., 0] - ref[..., 1] > 120) & (ref[..., 0] - ref[..., 2] > 120)
    dec = decoded.astype(int)
    assert seal.sum() > 1000
    assert np.median(dec[..., 0][seal] - dec[..., 1][seal]) > 100
