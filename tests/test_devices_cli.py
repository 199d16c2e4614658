"""``python -m app devices list|scan|read-card`` (DESIGN §9) with real SANE, a serial reader on a pty, the twins."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.core.ids import resident_id_problem
from app.core.resident_card import encode_text_block
from app.devices import sane_scanner
from app.devices.id_simulated import SimulatedIdReader
from app.services.demo import render_page
from tests.support.id_reader_emulator import IdReaderEmulator

ITEM = "GG00231000"  # 城乡居民基本养老保险参保登记


def test_devices_list_json_names_kind_and_status(cli: Any) -> None:
    code, out, _ = cli("--json", "devices", "list")
    assert code == 0
    rows = json.loads(out)
    assert all({"name", "kind", "status"} <= set(r) for r in rows)
    names = {r["name"]: r for r in rows}
    assert names["sim:scanner"]["kind"] == "scanner" and names["sim:scanner"]["simulated"] is True
    if sane_scanner.available():
        assert names["sane:test:0"]["status"] == "ready"


def test_devices_list_for_people_is_chinese(cli: Any) -> None:
    code, out, _ = cli("devices", "list")
    assert code == 0 and "扫描仪\tsim:scanner\t模拟扫描仪\t就绪" in out


def test_the_simulated_scanner_feeds_generated_forms_through_the_pipeline(cli: Any, tmp_path: Path) -> None:
    code, out, err = cli("--json", "devices", "scan", "--device", "sim:scanner", "--out", str(tmp_path / "scans"))
    assert code == 0, err
    pages = json.loads(out)["pages"]
    assert len(pages) == 3
    for page in pages:
        assert page["kind"] == "bitonal" and not page["blank"] and page["warnings"] == []
        with Image.open(page["file"]) as img:  # straightened and cropped to the A4 sheet
            assert abs(img.size[0] / img.size[1] - 210 / 297) < 0.01


def test_the_simulated_scanner_scans_a_folder_of_images(cli: Any, pages: dict[str, Path], tmp_path: Path) -> None:
    folder = pages["text"].parent
    assert cli("config", "set", "devices.sim_scanner_folder", str(folder))[0] == 0
    code, out, err = cli("--json", "devices", "scan", "--device", "sim:scanner", "--out", str(tmp_path / "o"))
    assert code == 0, err
    assert len(json.loads(out)["pages"]) == len([p for p in folder.iterdir() if p.suffix in (".png", ".jpg")])
    code, out, err = cli("--json", "devices", "scan", "--device", "sim:scanner", "--source", "flatbed",
                         "--out", str(tmp_path / "o"))
    assert code == 0 and len(json.loads(out)["pages"]) == 1


def test_scan_messages_for_what_the_clerk_can_fix(cli: Any, tmp_path: Path) -> None:
    code, _, err = cli("devices", "scan", "--device", "sane:nosuch", "--out", str(tmp_path / "o"))
    assert code == 2 and "未找到扫描仪“nosuch”" in err
    code, _, err = cli("devices", "scan", "--device", "twain:x", "--out", str(tmp_path / "o"))
    assert code == 2 and "未找到扫描仪“twain:x”" in err
    (tmp_path / "file").write_text("x")
    code, _, err = cli("devices", "scan", "--device", "sim:scanner", "--out", str(tmp_path / "file"))
    assert code == 2 and "不是文件夹" in err
    assert cli("config", "set", "devices.sim_scanner_folder", str(tmp_path / "gone"))[0] == 0
    code, _, err = cli("devices", "scan", "--device", "sim:scanner", "--out", str(tmp_path / "o"))
    assert code == 2 and "模拟扫描仪的图片文件夹" in err and "不存在" in err


@pytest.mark.skipif(not sane_scanner.available(), reason="python-sane is not installed")
def test_devices_scan_with_sane_reports_every_sheet(cli: Any, tmp_path: Path) -> None:
    assert cli("config", "set", "devices.scanner_dpi", "100")[0] == 0
    code, out, err = cli("devices", "scan", "--device", "sane:test:0", "--out", str(tmp_path / "o"))
    assert code == 0 and "已扫描 10 页" in out
    assert err.count("页：scan-") == 10  # progress, one line a sheet


def test_read_card_from_the_simulated_reader_gives_applicant_fields(cli: Any) -> None:
    code, out, err = cli("--json", "devices", "read-card", "--device", "sim:id_reader")
    assert code == 0, err
    card = json.loads(out)
    assert card["kind"] == "person" and card["id_type"] == "resident_id"
    assert resident_id_problem(card["id_number"]) is None and card["name"] and card["address"]


def test_read_card_through_a_serial_reader_and_as_the_applicant_file(cli: Any, tmp_path: Path) -> None:
    card = SimulatedIdReader(5).read_card()
    with IdReaderEmulator(encode_text_block(card), card.photo_wlt) as reader:
        assert cli("config", "set", "devices.id_reader", f"serial:{reader.port}")[0] == 0
        code, out, err = cli("--json", "devices", "read-card")
    assert code == 0, err
    read = json.loads(out)
    assert read["name"] == card.name and read["id_number"] == card.id_number and read["nation"] == card.nation
    # what was read is an applicant file `case new` takes as it is
    applicant = tmp_path / "applicant.json"
    applicant.write_text(out, encoding="utf-8")
    code, out, err = cli("--json", "case", "new", "--item", ITEM, "--applicant", str(applicant),
                         "--material", f"申请表={_page(tmp_path)}")
    assert code == 0, err


def test_read_card_without_a_reader_chosen_says_where_to_set_it(cli: Any) -> None:
    code, _, err = cli("devices", "read-card")
    assert code == 2 and "devices.id_reader" in err
    code, _, err = cli("devices", "read-card", "--device", "serial:/dev/ttyNOPE")
    assert code == 2 and "未检测到身份证阅读器（串口 /dev/ttyNOPE）" in err


def _page(folder: Path) -> Path:
    path = folder / "申请表.png"
    path.write_bytes(render_page("申请表", ["申请人：林晓燕"]))
    return path
