"""Material PDFs: valid, rendered right side up at the right size, images untouched, metadata readable."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from app.documents.material_pdf import (
    XMP_NS,
    MaterialMeta,
    PdfPage,
    build_material_pdf,
    page_layout,
    read_material_metadata,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt makes the QApplication

FONT = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "DroidSansFallbackFull.ttf"
CREATED = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
A4_PT = (595.28, 841.89)


def _a4_page(dpi: int) -> Image.Image:
    """An application form: a title, lines of Chinese text and a red round seal, bottom right."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    unit = dpi / 300
    title = ImageFont.truetype(FONT, round(70 * unit))
    draw.text((200 * unit, 200 * unit), "梧州市政务服务中心 营业执照申请表", font=title, fill="black")
    body = ImageFont.truetype(FONT, round(42 * unit))
    for line in range(30):
        text = f"申请事项{'一二三四五六七八九十'[line % 10]}：申请人 韦秀英 长洲区大塘街道新兴二路"
        draw.text((200 * unit, (400 + line * 80) * unit), text, font=body, fill="black")
    draw.ellipse([v * unit for v in (1700, 2800, 2200, 3300)], outline=(220, 30, 30), width=round(14 * unit))
    return page


def _encode(img: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    img.copy().save(out, fmt, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def pages() -> dict[str, bytes]:
    """Each kind of page the pipeline stores, with the resolution it states."""
    a4 = _a4_page(300)
    gray = a4.convert("L")
    bitonal = gray.point(lambda v: 255 if v > 160 else 0).convert("1")
    small = _a4_page(150)
    return {
        "g4": _encode(bitonal, "TIFF", compression="group4", dpi=(300, 300), strip_size=1 << 30),
        "jpeg_gray": _encode(gray, "JPEG", quality=75, dpi=(300, 300)),
        "jpeg_colour": _encode(a4, "JPEG", quality=80, dpi=(300, 300)),
        "png_gray": _encode(small.convert("L"), "PNG", dpi=(150, 150)),
        "png_colour": _encode(small, "PNG", dpi=(150, 150)),
        "phone_72dpi": _encode(small.resize((1500, 2000)), "JPEG", quality=80, dpi=(72, 72)),
        "landscape_no_dpi": _encode(small.rotate(90, expand=True), "JPEG", quality=80),
    }


#: Page size in points each kind must get (portrait before /Rotate).
SIZES = {"g4": A4_PT, "jpeg_gray": A4_PT, "jpeg_colour": A4_PT, "png_gray": A4_PT, "png_colour": A4_PT,
         "phone_72dpi": A4_PT, "landscape_no_dpi": (A4_PT[1], A4_PT[0])}
ROTATIONS = {"g4": 0, "jpeg_gray": 90, "jpeg_colour": 180, "png_gray": 270, "png_colour": 0, "phone_72dpi": 90,
             "landscape_no_dpi": 0}
MATERIAL = "营业执照（副本）"


def _hashes(datas: list[bytes]) -> list[str]:
    return [hashlib.sha256(d).hexdigest() for d in datas]


@pytest.fixture(scope="module")
def material(pages: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    items = [PdfPage(pages[k], ROTATIONS[k]) for k in SIZES]
    pdf = build_material_pdf(items, case_id="01JD8Z3Q5W", material=MATERIAL,
                             page_hashes=_hashes([p.data for p in items]), created=CREATED)
    path = tmp_path_factory.mktemp("material") / "material.pdf"
    path.write_bytes(pdf)
    return path


ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT).stdout


def test_qpdf_finds_no_problem(material: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(material)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_pdfinfo_shows_title_page_sizes_and_rotations(material: Path) -> None:
    info = _run("pdfinfo", "-f", "1", "-l", str(len(SIZES)), str(material))
    assert re.search(r"^Title:\s+营业执照（副本）$", info, re.M)
    assert re.search(r"^Producer:\s+Chuangkou$", info, re.M) and re.search(r"^Creator:\s+Chuangkou$", info, re.M)
    assert re.search(r"^Pages:\s+7$", info, re.M)
    for number, kind in enumerate(SIZES, 1):
        size = re.search(rf"^Page\s+{number} size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
        rot = re.search(rf"^Page\s+{number} rot:\s+(\d+)", info, re.M)
        assert size and rot
        assert float(size[1]) == pytest.approx(SIZES[kind][0], abs=1), kind
        assert float(size[2]) == pytest.approx(SIZES[kind][1], abs=1), kind
        assert int(rot[1]) == ROTATIONS[kind], kind


def test_poppler_renders_every_page_turned_as_asked(material: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(material), str(tmp_path / "r")], check=True)
    rendered = sorted(tmp_path.glob("r-*.png"))
    assert len(rendered) == len(SIZES)
    for path, kind in zip(rendered, SIZES, strict=True):
        width, height = (round(v * 50 / 72) for v in SIZES[kind])
        if ROTATIONS[kind] in (90, 270):
            width, height = height, width
        with Image.open(path) as img:
            assert abs(img.width - width) <= 1 and abs(img.height - height) <= 1, kind
            ink = np.asarray(img.convert("L")) < 128
            assert 0.002 < ink.mean() < 0.3, f"{kind} renders blank or black"


def _png_idat(data: bytes) -> bytes:
    out, pos = bytearray(), 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            out += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return bytes(out)


def _g4_strip(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as tiff:
        offsets, counts = tiff.tag_v2[273], tiff.tag_v2[279]
    assert len(offsets) == 1
    return data[offsets[0]:offsets[0] + counts[0]]


def test_images_are_embedded_byte_for_byte(material: Path, pages: dict[str, bytes]) -> None:
    expected = {
        "g4": ("/CCITTFaxDecode", _g4_strip(pages["g4"])),
        "png_gray": ("/FlateDecode", _png_idat(pages["png_gray"])),
        "png_colour": ("/FlateDecode", _png_idat(pages["png_colour"])),
        **{k: ("/DCTDecode", pages[k]) for k in ("jpeg_gray", "jpeg_colour", "phone_72dpi", "landscape_no_dpi")},
    }
    with pikepdf.open(material) as pdf:
        for page, kind in zip(pdf.pages, SIZES, strict=True):
            (image,) = page.obj.Resources.XObject.values()
            filters = image.Filter if isinstance(image.Filter, pikepdf.Array) else [image.Filter]
            assert [str(f) for f in filters] == [expected[kind][0]], kind
            assert image.read_raw_bytes() == expected[kind][1], kind


def _render(pdf: bytes, folder: Path, dpi: int = 20) -> list[np.ndarray]:
    path = folder / "turns.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(path), str(folder / "t")], check=True)
    return [np.asarray(Image.open(p)).astype(int) for p in sorted(folder.glob("t-*.pgm"))]


def test_rotation_turns_the_page_clockwise_without_touching_its_pixels(pages: dict[str, bytes],
                                                                        tmp_path: Path) -> None:
    data = pages["jpeg_colour"]
    turns = [0, 90, 180, 270]
    pdf = build_material_pdf([PdfPage(data, t) for t in turns], case_id="c", material="m",
                             page_hashes=_hashes([data] * 4), created=CREATED)
    upright, *turned = _render(pdf, tmp_path)
    for quarter, image in enumerate(turned, 1):
        expected = np.rot90(upright, -quarter)  # /Rotate is clockwise; np.rot90 counter-clockwise
        assert image.shape == expected.shape
        assert np.abs(image - expected).mean() < 3, f"{quarter * 90}° turned wrongly"
    assert np.abs(turned[1] - upright).mean() > 10  # the comparison can tell a page from its turn


@pytest.mark.parametrize(("pixels", "dpi", "expected"), [
    ((2480, 3508), (300, 300), A4_PT),  # an A4 scan
    ((1654, 2339), (200.0, 200.0), A4_PT),
    ((4961, 7016), (600, 600), A4_PT),
    ((800, 600), (96, 96), (600, 450)),  # a small screenshot: believable, keeps its size
    ((3000, 4000), (72, 72), A4_PT),  # a phone photo "at 72 dpi" would be 1.06 × 1.41 m
    ((1200, 1600), (72, 72), A4_PT),  # still bigger than A3 at a placeholder resolution
    ((4000, 3000), None, (A4_PT[1], A4_PT[0])),  # no resolution, landscape
    ((2480, 3508), (1, 1), A4_PT),  # TIFF writers' "1 dpi"
    ((4967, 7022), (150, 150), (2384, 3370)),  # an A1 plan at 150 dpi keeps its size
    ((20000, 3000), (100, 100), (A4_PT[1], A4_PT[0])),  # 5 m long: not a sheet
])
def test_page_size_rule(pixels: tuple[int, int], dpi: tuple[float, float] | None,
                        expected: tuple[float, float]) -> None:
    page_w, page_h, image_w, image_h = page_layout(*pixels, dpi)
    assert (page_w, page_h) == pytest.approx(expected, abs=1)
    assert image_w <= page_w + 0.01 and image_h <= page_h + 0.01
    assert image_w / image_h == pytest.approx(pixels[0] / pixels[1], rel=1e-6)  # never stretched
    assert max(image_w / page_w, image_h / page_h) == pytest.approx(1)  # fills the page one way


def test_metadata_round_trips_in_xmp_and_document_info(material: Path, pages: dict[str, bytes]) -> None:
    data = material.read_bytes()
    hashes = _hashes([pages[k] for k in SIZES])
    assert read_material_metadata(data) == MaterialMeta("01JD8Z3Q5W", MATERIAL, tuple(hashes))
    with pikepdf.open(material) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == MATERIAL
        assert str(info["/ChuangkouCaseId"]) == "01JD8Z3Q5W" and str(info["/ChuangkouMaterial"]) == MATERIAL
        assert str(info["/ChuangkouPageSHA256"]).split() == hashes
        assert str(info["/CreationDate"]).startswith("D:20261123093000+08")
        assert str(info["/Producer"]) == "Chuangkou"
        xmp = pdf.Root.Metadata.read_bytes().decode()
        meta = pdf.open_metadata()
        assert meta["dc:title"] == MATERIAL
        assert meta["xmp:CreateDate"].startswith("2026-11-23T09:30:00+08:00")
    assert f'xmlns:ck="{XMP_NS}"' in xmp and "<rdf:Seq>" in xmp


_BUILD_SCRIPT = """
import datetime as dt, hashlib, sys
from pathlib import Path
from app.documents.material_pdf import PdfPage, build_material_pdf
datas = [Path(p).read_bytes() for p in sys.argv[1:]]
created = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
pdf = build_material_pdf([PdfPage(datas[0]), PdfPage(datas[1])], case_id="c1", material="申请表",
                         page_hashes=[hashlib.sha256(d).hexdigest() for d in datas], created=created)
print(hashlib.sha256(pdf).hexdigest())
"""


def test_same_inputs_give_the_same_bytes(pages: dict[str, bytes], tmp_path: Path) -> None:
    datas = [pages["g4"], pages["jpeg_gray"]]

    def build(rotation: int = 0, case_id: str = "c1") -> bytes:
        return build_material_pdf([PdfPage(datas[0]), PdfPage(datas[1], rotation)], case_id=case_id, material="申请表",
                                  page_hashes=_hashes(datas), created=CREATED)

    first = build()
    time.sleep(1.1)  # a timestamp taken from the clock would now differ
    assert build() == first
    files = [tmp_path / "1.tif", tmp_path / "2.jpg"]
    for path, data in zip(files, datas, strict=True):
        path.write_bytes(data)
    elsewhere = _run(sys.executable, "-c", _BUILD_SCRIPT, *map(str, files))  # another process: other seeds
    assert elsewhere.strip() == hashlib.sha256(first).hexdigest()
    assert build(rotation=90) != first and build(case_id="c2") != first
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert len(pdf.trailer.ID) == 2


def test_plain_bytes_are_still_accepted_as_pages(pages: dict[str, bytes]) -> None:
    pdf = build_material_pdf([pages["g4"]], case_id="c", material="m", page_hashes=["0" * 64], created=CREATED)
    assert pikepdf.open(io.BytesIO(pdf)).pages[0].obj.get("/Rotate") is None


def test_a_phone_photos_exif_turn_adds_to_the_requested_one() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: shown turned 90° clockwise
    photo = _encode(Image.new("RGB", (400, 300), "white"), "JPEG", exif=exif)
    pdf = build_material_pdf([PdfPage(photo), PdfPage(photo, 90), PdfPage(photo, 270)], case_id="c", material="m",
                             page_hashes=_hashes([photo] * 3), created=CREATED)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert [int(p.obj.get("/Rotate", 0)) for p in doc.pages] == [90, 180, 0]


def test_programming_errors_are_caught(pages: dict[str, bytes]) -> None:
    with pytest.raises(ValueError, match="rotation"):
        PdfPage(pages["g4"], 45)
    with pytest.raises(ValueError, match="hashes"):
        build_material_pdf([PdfPage(pages["g4"])], case_id="c", material="m", page_hashes=[], created=CREATED)
    with pytest.raises(ValueError, match="at least one page"):
        build_material_pdf([], case_id="c", material="m", page_hashes=[], created=CREATED)


def test_a_pdf_without_our_metadata_is_not_a_material(pages: dict[str, bytes]) -> None:
    import img2pdf

    with pytest.raises(ValueError, match="no Chuangkou material metadata"):
        read_material_metadata(img2pdf.convert([pages["jpeg_gray"]]))
    with pytest.raises(ValueError, match="not a readable PDF"):
        read_material_metadata(b"%PDF-1.4 nothing else")


def test_qt_pdf_viewer_opens_and_renders_it(material: Path, qapp: object) -> None:
    qtpdf = pytest.importorskip("PySide6.QtPdf")
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage

    document = qtpdf.QPdfDocument(None)
    document.load(str(material))
    assert document.status() == qtpdf.QPdfDocument.Status.Ready
    assert document.pageCount() == len(SIZES)
    assert document.metaData(qtpdf.QPdfDocument.MetaDataField.Title) == MATERIAL
    image = document.render(0, QSize(300, 424)).convertToFormat(QImage.Format.Format_Grayscale8)
    assert (image.width(), image.height()) == (300, 424)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    gray = rows[:, :image.width()]
    assert gray.max() > 200 and (gray < 128).mean() > 0.002  # white paper with text on it
    document.close()
