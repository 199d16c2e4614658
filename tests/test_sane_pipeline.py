"""Pages from a real scanner driver — SANE's ``test`` backend through ``scanimage`` — through the
page pipeline and ``case new``, judged by what the clerk sees: blank sheets dropped, a black
sheet refused as too dark, patterns stored as valid PDFs at the resolution they were scanned at,
a feeder's sheets becoming one material.

Needs ``scanimage`` (sane-utils): skipped without it on a developer's machine, failed in CI.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from app.imaging.decode import iter_pages
from app.imaging.pipeline import PipelineOptions, ProcessedPage, process_batch, process_page
from tests.conftest import snapshot
from tests.support import folders, pagegen
from tests.support.sane import Format, Mode, Picture, SaneTestBackend, skip_or_fail, unavailable

ITEM = "GG00231000"  # 城乡居民基本养老保险参保登记, as in test_cli_cases.py
SCANNER = PipelineOptions(source="scanner")
Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def sane(tmp_path_factory: pytest.TempPathFactory) -> SaneTestBackend:
    """The SANE test scanner, configured in a temporary folder (``/etc/sane.d`` untouched)."""
    reason = unavailable()
    if reason is None:
        backend = SaneTestBackend.configure(tmp_path_factory.mktemp("sane.d"))
        reason = backend.problem()
        if reason is None:
            return backend
    skip_or_fail(reason)


def only_page(path: Path) -> ProcessedPage:
    """The one page of a scan file through the pipeline as a scanner page."""
    raws = list(iter_pages(path))
    assert len(raws) == 1
    return process_page(raws[0], SCANNER)


def text_page(folder: Path, dpi: int = 150) -> Path:
    """A printed A4 form as a PNG that states its resolution."""
    path = folder / "text.png"
    Image.fromarray(pagegen.text_page(seed=11, dpi=dpi)).save(path, dpi=(dpi, dpi))
    return path


def blob(data_dir: Path, sha256: str) -> Path:
    return folders.blob_file(data_dir, sha256)


def case_new(cli: Cli, person_file: Path, *materials: str, extra: tuple[str, ...] = ()) -> tuple[int, str, str]:
    args = [a for m in materials for a in ("--material", m)]
    return cli("--json", "case", "new", "--item", ITEM, "--applicant", str(person_file), *args, *extra)


def show(cli: Cli, case_no: str) -> dict[str, Any]:
    code, out, err = cli("--json", "case", "show", case_no)
    assert code == 0, err
    shown: dict[str, Any] = json.loads(out)
    return shown


def check_pdf(pdf: Path, pages: int, tmp_path: Path) -> str:
    """``qpdf --check`` passes, ``pdfinfo`` counts ``pages`` and poppler renders each; the pdfinfo text."""
    subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True, timeout=30)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=30).stdout
    assert re.search(rf"^Pages:\s+{pages}$", info, re.M), info
    out = tmp_path / "render"
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(out)], check=True, capture_output=True, timeout=60)
    assert len(list(tmp_path.glob("render-*.png"))) == pages
    return info


# --- blank sheets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["Gray", "Color"])
@pytest.mark.parametrize("resolution", [150, 300])
def test_a_white_sheet_is_blank(sane: SaneTestBackend, tmp_path: Path, resolution: int, mode: Mode) -> None:
    """A scanned empty sheet is recognised as blank, with no warning to bother the clerk."""
    page = only_page(sane.scan(tmp_path / "white.tiff", "Solid white", mode=mode, resolution=resolution))
    assert page.blank is True
    assert page.warning_codes == ()
    assert page.dpi == resolution


def test_case_new_drops_a_white_sheet_unless_kept(sane: SaneTestBackend, cli: Cli, person_file: Path,
                                                  tmp_path: Path) -> None:
    """The back of a simplex sheet fed as duplex is dropped by default and named; --keep-blank keeps it."""
    text = text_page(tmp_path)
    white = sane.scan(tmp_path / "white.tiff", "Solid white", resolution=150)
    material = f"养老保险参保登记表={text},{white}"

    code, out, err = case_new(cli, person_file, material)
    assert code == 0, err
    made = json.loads(out)
    dropped = [(d["material"], d["page"], d["code"]) for d in made["dropped_blank"]]
    assert dropped == [("养老保险参保登记表", 2, "blank")]
    stored = show(cli, made["case_no"])["materials"]
    assert [len(m["pages"]) for m in stored] == [1]
    assert stored[0]["pages"][0]["blank"] is False

    code, out, err = case_new(cli, person_file, material, extra=("--keep-blank",))
    assert code == 0, err
    kept = json.loads(out)
    assert kept["dropped_blank"] == []
    pages = show(cli, kept["case_no"])["materials"][0]["pages"]
    assert [p["blank"] for p in pages] == [False, True]
    assert pages[1]["warnings"] == []


def test_a_feeder_of_white_sheets_is_refused(sane: SaneTestBackend, cli: Cli, person_file: Path,
                                             data_dir: Path, tmp_path: Path) -> None:
    """Sheets fed upside down (all blank) make a material with no page: refused, nothing written."""
    files = sane.scan_feeder(tmp_path / "adf", 3, "Solid white")
    before = snapshot(data_dir)
    code, out, err = case_new(cli, person_file, "居民身份证=" + ",".join(map(str, files)))
    assert code == 2 and out == ""
    assert "各页都是空白页" in err and "居民身份证" in err
    assert snapshot(data_dir) == before


# --- a black sheet -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["Gray", "Color"])
def test_a_black_sheet_is_too_dark_not_blank(sane: SaneTestBackend, tmp_path: Path, mode: Mode) -> None:
    """A scan that is black all over is not an empty sheet: it is flagged as too dark."""
    page = only_page(sane.scan(tmp_path / "black.tiff", "Solid black", mode=mode))
    assert page.blank is False
    assert "too_dark" in page.warning_codes


def test_case_new_refuses_a_black_sheet(sane: SaneTestBackend, cli: Cli, person_file: Path, data_dir: Path,
                                        tmp_path: Path) -> None:
    """Without a reason the quality gate refuses the page in Chinese and writes nothing; with one,
    the case is received and the page keeps its warning on record."""
    black = sane.scan(tmp_path / "black.tiff", "Solid black")
    before = snapshot(data_dir)
    code, out, err = case_new(cli, person_file, f"居民身份证={black}")
    assert code == 2 and out == ""
    assert "第1页太暗" in err and "居民身份证" in err and "--accept-warnings" in err
    assert snapshot(data_dir) == before

    code, out, err = case_new(cli, person_file, f"居民身份证={black}", extra=("--accept-warnings", "原件底色深"))
    assert code == 0, err
    made = json.loads(out)
    assert [(w["page"], w["code"]) for w in made["accepted_warnings"]] == [(1, "too_dark")]
    page = show(cli, made["case_no"])["materials"][0]["pages"][0]
    assert page["blank"] is False and "too_dark" in page["warnings"]


# --- patterns in colour mode ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["tiff", "png"])
@pytest.mark.parametrize(("mode", "depth"), [("Gray", 8), ("Color", 8), ("Gray", 1)])
@pytest.mark.parametrize("resolution", [150, 200])
def test_decode_reads_the_scan_resolution(sane: SaneTestBackend, tmp_path: Path, fmt: Format, mode: Mode,
                                          depth: int, resolution: int) -> None:
    """scanimage states its resolution in TIFF and PNG; decode reads it (PNG's pixels per metre
    round it to within 0.02 dpi) and gets an A4 page of pixels of the right shape."""
    path = sane.scan(tmp_path / f"grid.{fmt}", "Grid", mode=mode, depth=depth, resolution=resolution, fmt=fmt)
    (raw,) = iter_pages(path)
    assert raw.dpi == pytest.approx(resolution, abs=0.02)
    height, width = raw.pixels.shape[:2]
    assert abs(width - 210 / 25.4 * resolution) < 1 and abs(height - 297 / 25.4 * resolution) < 1  # SANE rounds down
    # The grid is black and white: every mode, even Color, decodes it as grey.
    assert raw.pixels.ndim == 2 and set(np.unique(raw.pixels)) == {0, 255}


@pytest.mark.parametrize(("picture", "kind"), [("Grid", "bitonal"), ("Color pattern", "color")])
def test_a_colour_scan_is_stored_as_a_valid_pdf(sane: SaneTestBackend, cli: Cli, person_file: Path,
                                                data_dir: Path, tmp_path: Path, picture: Picture,
                                                kind: str) -> None:
    """A colour-mode scan goes through case new: a PDF qpdf accepts and poppler renders, the page's
    kind on record (a black-and-white grid stays bitonal even scanned in colour), the stored page
    at the scan's resolution."""
    scan = sane.scan(tmp_path / "scan.tiff", picture, mode="Color", resolution=150)
    page = only_page(scan)
    assert page.kind == kind and page.blank is False
    assert page.dpi == 150

    # Patterns run off every edge of the scan area, which the gate may flag: the clerk accepts.
    code, out, err = case_new(cli, person_file, f"测试图样={scan}", extra=("--accept-warnings", "测试图样"))
    assert code == 0, err
    material = show(cli, json.loads(out)["case_no"])["materials"][0]
    (stored,) = material["pages"]
    assert stored["kind"] == kind and stored["blank"] is False
    assert stored["warnings"] == list(page.warning_codes)
    with Image.open(blob(data_dir, stored["sha256"])) as im:
        assert im.format == ("TIFF" if kind == "bitonal" else "JPEG")
        assert tuple(round(float(d)) for d in im.info["dpi"]) == (150, 150)
    check_pdf(blob(data_dir, material["pdf_sha256"]), 1, tmp_path)


@pytest.mark.parametrize(("mode", "resolution"), [("Color", 150), ("Gray", 150), ("Color", 300), ("Gray", 300)])
def test_a_straight_pattern_scan_is_not_turned(sane: SaneTestBackend, tmp_path: Path, mode: Mode,
                                               resolution: int) -> None:
    """A scanner page with no skew comes out (nearly) unturned and A4-sized, whatever is printed
    on it. SANE's colour pattern is a lattice of cells, whose diagonals once outscored its rows
    (10.6° at 150 dpi): the skew search sampled every n-th ink point, itself a lattice."""
    page = only_page(sane.scan(tmp_path / "pattern.tiff", "Color pattern", mode=mode, resolution=resolution))
    assert abs(page.angle) <= 0.5
    out_dpi = page.dpi
    assert abs(page.width - round(210 / 25.4 * out_dpi)) <= 0.015 * page.width
    assert abs(page.height - round(297 / 25.4 * out_dpi)) <= 0.015 * page.height


def test_scanimage_default_pnm_is_refused_clearly(sane: SaneTestBackend, cli: Cli, person_file: Path,
                                                  data_dir: Path, tmp_path: Path) -> None:
    """scanimage writes PNM unless told otherwise; intake does not take PNM and says which formats it takes."""
    pnm = sane.scan(tmp_path / "grid.pnm", "Grid", fmt="pnm")
    assert pnm.read_bytes()[:2] == b"P5"
    before = snapshot(data_dir)
    code, out, err = case_new(cli, person_file, f"户口簿={pnm}")
    assert code == 2 and out == ""
    assert "grid.pnm" in err and "TIFF" in err and "PNG" in err
    assert snapshot(data_dir) == before


# --- the document feeder --------------------------------------------------------------------------------


def test_three_sheets_from_the_feeder_make_one_material(sane: SaneTestBackend, cli: Cli, person_file: Path,
                                                        data_dir: Path, tmp_path: Path) -> None:
    """``--batch`` through the feeder gives one file per sheet; together they are one material whose
    PDF has three pages, in feeding order."""
    files = sane.scan_feeder(tmp_path / "adf", 3, "Grid")
    assert all(f.is_file() for f in files)
    processed = list(process_batch((raw, SCANNER) for f in files for raw in iter_pages(f)))
    assert len(processed) == 3 and not any(p.blank for p in processed)

    code, out, err = case_new(cli, person_file, "户口簿=" + ",".join(map(str, files)),
                              extra=("--accept-warnings", "测试图样"))
    assert code == 0, err
    made = json.loads(out)
    assert made["dropped_blank"] == []
    (material,) = show(cli, made["case_no"])["materials"]
    assert material["name"] == "户口簿" and len(material["pages"]) == 3
    assert [p["sha256"] for p in material["pages"]] == [
        hashlib.sha256(p.data).hexdigest() for p in processed]
    info = check_pdf(blob(data_dir, material["pdf_sha256"]), 3, tmp_path)
    assert "户口簿" in info


# --- line-art -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("picture", ["Grid", "Color pattern"])
def test_lineart_scans_go_through(sane: SaneTestBackend, cli: Cli, person_file: Path, data_dir: Path,
                                  tmp_path: Path, picture: Picture) -> None:
    """1-bit scans (Gray at depth 1) decode to black and white pixels and are stored bitonal (G4)."""
    scan = sane.scan(tmp_path / "lineart.tiff", picture, depth=1, resolution=150)
    with Image.open(scan) as im:
        assert im.mode == "1"
    (raw,) = iter_pages(scan)
    assert raw.pixels.ndim == 2 and set(np.unique(raw.pixels)) == {0, 255}
    page = process_page(raw, SCANNER)
    assert page.kind == "bitonal" and page.media_type == "image/tiff" and page.blank is False
    with Image.open(io.BytesIO(page.data)) as im:
        assert im.info["compression"] == "group4"

    code, out, err = case_new(cli, person_file, f"线稿={scan}", extra=("--accept-warnings", "测试图样"))
    assert code == 0, err
    material = show(cli, json.loads(out)["case_no"])["materials"][0]
    assert [p["kind"] for p in material["pages"]] == ["bitonal"]
    check_pdf(blob(data_dir, material["pdf_sha256"]), 1, tmp_path)
