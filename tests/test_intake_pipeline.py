"""Receiving a case puts every page through the pipeline: the clerk hears about bad pages first.

Through the command line on a real data folder, as a window clerk would: blank backs dropped,
the quality gate refusing (nothing written) or accepting with a recorded reason, colour kept
for the materials the unit names, odd image files turned into valid PDF pages.
"""

from __future__ import annotations

import json
import re
import subprocess
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.conftest import snapshot
from tests.support import folders
from tests.support import pagegen as g

ITEM = "GG00231000"
DPI = 150
save = partial(g.save, dpi=DPI)


@pytest.fixture
def scans(tmp_path: Path) -> dict[str, Path]:
    """Pages at 150 dpi as a feeder delivers them: skewed text on the dark backing, a blank back,
    a table, a blurred page, a certificate with a photo and a red seal."""
    folder = tmp_path / "scans"
    folder.mkdir()
    return {
        "text": save(folder / "p1.png", g.scanner_borders(g.rotate_page(g.text_page(1, DPI), 3.0, fill=40), 1)),
        "back": save(folder / "p2.png", g.scanner_borders(g.blank_page(2, DPI), 2)),
        "table": save(folder / "p3.jpg", g.table_page(3, DPI), quality=90),
        "blurred": save(folder / "p4.png", g.blur(g.text_page(4, DPI), 1.6)),
        "seal": save(folder / "p5.jpg", g.mixed_page(5, DPI), quality=90),
    }


def receive(cli, person_file: Path, *materials: str, extra: tuple[str, ...] = ()) -> tuple[int, dict[str, Any], str]:  # type: ignore[no-untyped-def]
    args = ["--json", "case", "new", "--item", ITEM, "--applicant", str(person_file), *extra]
    for m in materials:
        args += ["--material", m]
    code, out, err = cli(*args)
    return code, (json.loads(out) if code == 0 else {}), err


def show(cli, case: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    code, out, err = cli("--json", "case", "show", case)
    assert code == 0, err
    shown: dict[str, Any] = json.loads(out)
    return shown


def blob(data_dir: Path, sha: str) -> Path:
    return folders.blob_file(data_dir, sha)


def test_pages_are_straightened_judged_and_reported_per_page(cli, person_file, scans, data_dir) -> None:  # type: ignore[no-untyped-def]
    code, made, err = receive(cli, person_file, f"申请表={scans['text']},{scans['back']},{scans['table']}",
                              f"营业执照={scans['seal']}")
    assert code == 0, err
    assert made["dropped_blank"] == [
        {"material": "申请表", "page": 2, "code": "blank", "message": "材料“申请表”：第2页是空白页"}]
    case = show(cli, made["case_no"])
    form, licence = case["materials"]
    assert [p["kind"] for p in form["pages"]] == ["bitonal", "bitonal"]
    assert [p["kind"] for p in licence["pages"]] == ["color"]
    for m in case["materials"]:
        for p in m["pages"]:
            stored = blob(data_dir, p["sha256"])
            assert p["bytes"] == stored.stat().st_size and p["blank"] is False and p["warnings"] == []
        pdf = blob(data_dir, m["pdf_sha256"])
        subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
        # Straightened and cropped to the sheet: an A4 page (595 × 842 pt), not the scanner bed.
        assert width == pytest.approx(595, rel=0.03) and height == pytest.approx(842, rel=0.03)
    # A bitonal text page is a fraction of what the same page costs as a grey JPEG.
    assert form["pages"][0]["bytes"] < 40_000

    code, out, _ = cli("case", "show", made["case_no"])
    assert "第1页  黑白" in out and "彩色" in out


def test_keep_blank_keeps_the_back_and_marks_it(cli, person_file, scans) -> None:  # type: ignore[no-untyped-def]
    code, made, err = receive(cli, person_file, f"申请表={scans['text']},{scans['back']}", extra=("--keep-blank",))
    assert code == 0, err
    assert made["dropped_blank"] == []
    pages = show(cli, made["case_no"])["materials"][0]["pages"]
    assert [p["blank"] for p in pages] == [False, True]
    code, out, _ = cli("case", "show", made["case_no"])
    assert "第2页是空白页" in out


def test_a_material_of_only_blank_pages_is_refused(cli, person_file, scans, data_dir) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(data_dir)
    code, _, err = receive(cli, person_file, f"申请表={scans['text']}", f"居民身份证={scans['back']}")
    assert code == 2 and "材料“居民身份证”的各页都是空白页" in err
    assert snapshot(data_dir) == before


def test_the_quality_gate_refuses_with_page_numbers_and_writes_nothing(cli, person_file, scans, data_dir) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(data_dir)
    code, _, err = receive(cli, person_file, f"申请表={scans['text']},{scans['blurred']}")
    assert code == 2
    assert "材料“申请表”：第2页模糊，请重新扫描" in err and "--accept-warnings" in err
    assert "第1页" not in err
    assert snapshot(data_dir) == before


def test_an_override_reason_receives_the_page_and_is_on_record(cli, person_file, scans, data_dir) -> None:  # type: ignore[no-untyped-def]
    reason = "申请人仅带来此份复印件，原件字迹即不清晰"
    code, made, err = receive(cli, person_file, f"申请表={scans['text']},{scans['blurred']}",
                              extra=("--accept-warnings", reason))
    assert code == 0, err
    assert [(f["page"], f["code"]) for f in made["accepted_warnings"]] == [(2, "blurred")]
    pages = show(cli, made["case_no"])["materials"][0]["pages"]
    assert [p["warnings"] for p in pages] == [[], ["blurred"]]
    conn = folders.connect(data_dir)
    try:
        (payload,) = conn.execute("SELECT payload FROM actions WHERE case_id = ? AND type = 'receive'",
                                  [made["id"]]).fetchone()
    finally:
        conn.close()
    assert json.loads(payload)["quality_override"] == {
        "reason": reason, "pages": [{"material": "申请表", "page": 2, "code": "blurred"}]}
    code, out, _ = cli("case", "show", made["case_no"])
    assert "第2页模糊" in out


def test_a_blank_reason_is_no_reason(cli, person_file, scans) -> None:  # type: ignore[no-untyped-def]
    code, _, err = receive(cli, person_file, f"申请表={scans['blurred']}", extra=("--accept-warnings", "  "))
    assert code == 2 and "第1页模糊" in err


def test_the_unit_setting_keeps_named_materials_in_colour(cli, person_file, scans) -> None:  # type: ignore[no-untyped-def]
    code, made, err = receive(cli, person_file, f"申请表={scans['table']}", f"户口簿={scans['text']}")
    assert code == 0, err
    assert [m["pages"][0]["kind"] for m in show(cli, made["case_no"])["materials"]] == ["bitonal", "bitonal"]
    code, _, err = cli("config", "set", "imaging.color_materials", "户口簿、彩色照片")
    assert code == 0, err
    code, made, err = receive(cli, person_file, f"申请表={scans['table']}", f"户口簿={scans['text']}")
    assert code == 0, err
    # The scan is neutral grey, so "colour" keeps it grey: what matters is that it is not binarised.
    assert [m["pages"][0]["kind"] for m in show(cli, made["case_no"])["materials"]] == ["bitonal", "gray"]


@pytest.mark.parametrize("name", ["cmyk.jpg", "deep.png", "palette.png", "alpha.png", "pages.tiff", "turned.jpg"])
def test_odd_image_files_become_valid_pdf_pages(cli, person_file, tmp_path: Path, data_dir, name: str) -> None:  # type: ignore[no-untyped-def]
    text = Image.fromarray(g.text_page(11, DPI))
    path, pages = tmp_path / name, 1
    if name == "cmyk.jpg":
        text.convert("CMYK").save(path, dpi=(DPI, DPI))
    elif name == "deep.png":
        deep = (np.asarray(text.convert("L")).astype(np.uint16) * 257)
        Image.fromarray(deep).save(path, dpi=(DPI, DPI))
    elif name == "palette.png":
        text.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(path, dpi=(DPI, DPI))
    elif name == "alpha.png":
        rgba = text.convert("RGBA")
        rgba.putalpha(255)
        rgba.save(path, dpi=(DPI, DPI))
    elif name == "pages.tiff":
        frames = [Image.fromarray(g.text_page(s, DPI)).convert("L") for s in (12, 13, 14)]
        frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(DPI, DPI))
        pages = 3
    else:  # a phone photo of an upright page stored on its side with an EXIF turn
        exif = Image.Exif()
        exif[0x0112] = 6  # rotate 90° clockwise to view
        text.rotate(90, expand=True).save(path, exif=exif, dpi=(DPI, DPI))
    code, made, err = receive(cli, person_file, f"申请表={path}")
    assert code == 0, err
    (material,) = show(cli, made["case_no"])["materials"]
    assert len(material["pages"]) == pages and {p["kind"] for p in material["pages"]} == {"bitonal"}
    pdf = blob(data_dir, material["pdf_sha256"])
    subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
    png = tmp_path / "view"
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(png)], check=True, capture_output=True)
    rendered = sorted(tmp_path.glob("view*.png"))
    assert len(rendered) == pages
    with Image.open(rendered[0]) as first:
        assert first.height > first.width  # upright, portrait, whatever the file's own orientation
