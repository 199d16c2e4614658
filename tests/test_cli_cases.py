"""The command line's case commands, end to end on a real data folder (DESIGN §9)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PERSON, snapshot
from tests.support import cases, folders

ITEM = cases.ITEM  # 城乡居民基本养老保险参保登记, 承诺 3 个工作日


def new_case(cli, person_file: Path, pages: dict[str, Path], *, complete: bool = False) -> dict:  # type: ignore[no-untyped-def]
    """A received case; ``complete``: with every required material of the checklist, so it may be accepted."""
    materials = (cases.material_args((pages["text"], pages["photo"]), pages["alpha"]) if complete else
                 ["--material", f"养老保险参保登记表={pages['text']},{pages['photo']}",
                  "--material", f"居民身份证={pages['alpha']}"])
    code, out, err = cli("--json", "case", "new", "--item", ITEM, "--applicant", str(person_file), *materials)
    assert code == 0, err
    made: dict = json.loads(out)
    return made


def show(cli, case: str) -> dict:  # type: ignore[no-untyped-def]
    code, out, err = cli("--json", "case", "show", case)
    assert code == 0, err
    shown: dict = json.loads(out)
    return shown


def test_catalog_list_json_has_the_contract_fields(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("--json", "catalog", "list")
    items = json.loads(out)
    assert code == 0 and len(items) >= 12
    assert {"code", "name", "tier", "promised_days", "materials"} <= items[0].keys()
    assert {"name", "required"} <= items[0]["materials"][0].keys()
    assert {i["tier"] for i in items} == {"township", "county", "city"}


def test_new_case_is_received_with_one_valid_pdf_per_material(cli, person_file, pages, data_dir) -> None:  # type: ignore[no-untyped-def]
    made = new_case(cli, person_file, pages)
    assert len(made["case_no"]) == 20 and made["case_no"].startswith("450403")
    case = show(cli, made["case_no"])
    assert case["status"] == "received" and case["item_code"] == ITEM
    assert case["deadline"] is None  # the clock starts at acceptance
    assert [m["name"] for m in case["materials"]] == ["养老保险参保登记表", "居民身份证"]
    assert [len(m["pages"]) for m in case["materials"]] == [2, 1]
    assert [p["kind"] for p in case["materials"][0]["pages"]] == ["bitonal", "color"]
    assert [a["type"] for a in case["actions"]] == ["receive"]
    for m in case["materials"]:
        pdf = folders.blob_file(data_dir, m["pdf_sha256"])
        subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        assert re.search(rf"^Pages:\s+{len(m['pages'])}$", info, re.M)
        assert m["name"] in info  # the title names the material


def test_case_list_and_search(cli, person_file, pages) -> None:  # type: ignore[no-untyped-def]
    made = new_case(cli, person_file, pages)
    for query in ("秀英", made["case_no"][-8:], "养老保险"):
        code, out, _ = cli("--json", "case", "list", "--search", query)
        assert code == 0
        assert [r["case_no"] for r in json.loads(out)] == [made["case_no"]], query
    assert json.loads(cli("--json", "case", "list", "--search", "不存在的人")[1]) == []
    assert json.loads(cli("--json", "case", "list", "--status", "accepted")[1]) == []
    accepted = json.loads(cli("--json", "case", "list", "--status", "received")[1])
    assert [r["case_no"] for r in accepted] == [made["case_no"]]


@pytest.mark.parametrize("breakage", ["bad_id", "unknown_item", "missing_file", "corrupt_image", "empty_file",
                                      "not_json", "no_material"])
def test_bad_input_exits_2_and_writes_nothing(cli, person_file, pages, data_dir, tmp_path, breakage) -> None:  # type: ignore[no-untyped-def]
    new_case(cli, person_file, pages)  # something already there, which must stay as it is
    item, applicant = ITEM, person_file
    materials = ["--material", f"申请表={pages['text']}", "--material", f"身份证={pages['photo']}"]
    if breakage == "bad_id":
        applicant = tmp_path / "bad.json"
        applicant.write_text(json.dumps({**PERSON, "id_number": "110105194912310021"}), encoding="utf-8")
    elif breakage == "unknown_item":
        item = "XK99999000"
    elif breakage == "missing_file":
        materials[-1] = f"身份证={tmp_path / 'nope.jpg'}"
    elif breakage == "corrupt_image":
        broken = tmp_path / "broken.jpg"
        broken.write_bytes(pages["photo"].read_bytes()[:300])
        materials[-1] = f"身份证={broken}"
    elif breakage == "empty_file":
        (tmp_path / "empty.png").write_bytes(b"")
        materials[-1] = f"身份证={tmp_path / 'empty.png'}"
    elif breakage == "not_json":
        applicant = tmp_path / "text.json"
        applicant.write_text("name: 张三", encoding="utf-8")
    elif breakage == "no_material":
        materials = []
    before = snapshot(data_dir)
    code, out, err = cli("case", "new", "--item", item, "--applicant", str(applicant), *materials)
    assert code == 2
    assert out == "" and err.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err)  # a message in Chinese
    assert snapshot(data_dir) == before


def test_error_messages_say_what_is_wrong(cli, person_file, pages, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**PERSON, "id_number": "110105194912310021"}), encoding="utf-8")
    _, _, err = cli("case", "new", "--item", ITEM, "--applicant", str(bad), "--material", f"a={pages['text']}")
    assert "校验位" in err
    _, _, err = cli("case", "new", "--item", "XK99999000", "--applicant", str(person_file),
                    "--material", f"a={pages['text']}")
    assert "XK99999000" in err and "事项目录" in err
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(pages["photo"].read_bytes()[:300])
    _, _, err = cli("case", "new", "--item", ITEM, "--applicant", str(person_file), "--material", f"身份证={broken}")
    assert "身份证" in err and "broken.jpg" in err and "损坏" in err


def test_lifecycle_refusals(cli, person_file, pages, data_dir) -> None:  # type: ignore[no-untyped-def]
    made = new_case(cli, person_file, pages, complete=True)
    no = made["case_no"]
    before = snapshot(data_dir)
    code, _, err = cli("case", "decide", no, "--result", "准予")
    assert code == 2 and "尚未受理" in err
    assert snapshot(data_dir) == before
    code, out, _ = cli("--json", "case", "accept", no)
    assert code == 0 and json.loads(out)["status"] == "accepted"
    before = snapshot(data_dir)
    code, _, err = cli("case", "accept", no)
    assert code == 2 and "不能重复受理" in err
    assert snapshot(data_dir) == before
    code, _, err = cli("case", "reject", no, "--reason", "材料不齐")
    assert code == 2 and "已受理" in err
    code, _, err = cli("case", "accept", "45040320990101010001")
    assert code == 2 and "找不到办件" in err


def test_full_path_to_archive_and_deadline(cli, person_file, pages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    no = new_case(cli, person_file, pages, complete=True)["case_no"]
    steps = [  # each by the person whose role it is, signing in with CHUANGKOU_USER as a script would
        ("clerk01", ("accept", no), "accepted"),
        ("reviewer01", ("suspend", no, "--reason", "现场踏勘"), "suspended"),
        ("reviewer01", ("resume", no), "in_review"),
        ("approver01", ("decide", no, "--result", "准予"), "approved"),
        ("approver01", ("issue", no), "issued"),
        ("clerk01", ("deliver", no, "--method", "邮寄", "--tracking", "SF123"), "delivered"),
        ("archivist01", ("archive", no), "archived"),
    ]
    for user, argv, status in steps:
        if argv[0] == "decide":  # not the clerk's to decide: refused here, before the platform says so
            monkeypatch.setenv("CHUANGKOU_USER", "clerk01")
            code, _, err = cli("case", *argv)
            assert code == 2 and "您的岗位（窗口受理）不能办理“作出决定”" in err
        monkeypatch.setenv("CHUANGKOU_USER", user)
        code, out, err = cli("--json", "case", *argv)
        assert code == 0, err
        assert json.loads(out)["status"] == status
    case = show(cli, no)
    assert [a["type"] for a in case["actions"]][:3] == ["receive", "accept", "suspend"]
    assert [a["actor"] for a in case["actions"]] == ["clerk01", *(user for user, _, _ in steps)]
    assert case["deadline"]["date"] and case["deadline"]["light"] is None  # closed: no light


def test_a_forwarded_case_is_the_higher_units_to_handle(cli, data_dir, person_file, pages) -> None:  # type: ignore[no-untyped-def]
    no = new_case(cli, person_file, pages, complete=True)["case_no"]
    assert cli("case", "accept", no)[0] == 0
    code, out, err = cli("--json", "case", "forward", no, "--to", "12450403MB1904031X", "--text", "拟同意")
    assert code == 0, err
    assert json.loads(out)["status"] == "forwarded"
    before = snapshot(data_dir)
    for argv in (("opinion", no, "--result", "同意", "--text", "同意办理"), ("decide", no, "--result", "准予")):
        code, _, err = cli("case", *argv)
        assert code == 2 and "已上报至12450403MB1904031X" in err, err
    assert snapshot(data_dir) == before
    # The applicant can still withdraw at the window that received the application.
    code, out, _ = cli("--json", "case", "withdraw", no)
    assert code == 0 and json.loads(out)["status"] == "withdrawn"


def test_accept_is_refused_while_a_required_material_is_missing(cli, person_file, pages, data_dir) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--json", "case", "new", "--item", ITEM, "--applicant", str(person_file),
                         "--material", f"{cases.FORM}={pages['text']}", "--material", f"居民身份证={pages['photo']}")
    assert code == 0, err
    no = json.loads(out)["case_no"]
    before = snapshot(data_dir)
    code, out, err = cli("case", "accept", no)
    assert code == 2 and out == ""
    # 居民身份证 is not the checklist's name: the 申请人居民身份证 it asks for is still missing
    assert "缺少必要材料" in err and f"“{cases.ID_CARD}”" in err and f"“{cases.HOUSEHOLD}”" in err, err
    assert cases.FORM not in err  # what was handed in is not reported missing
    assert snapshot(data_dir) == before
    complete = new_case(cli, person_file, pages, complete=True)["case_no"]
    code, out, err = cli("--json", "case", "accept", complete)
    assert code == 0 and json.loads(out)["status"] == "accepted", err


def test_notify_missing_lists_everything_and_then_accept(cli, person_file, pages) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--json", "case", "new", "--item", ITEM, "--applicant", str(person_file),
                         *cases.material_args((pages["text"], pages["photo"]), pages["alpha"],
                                              without=[cases.HOUSEHOLD]))
    assert code == 0, err
    no = json.loads(out)["case_no"]
    code, _, err = cli("case", "notify-missing", no, "--missing", cases.HOUSEHOLD, "--missing", "近期免冠照片")
    assert code == 0, err
    case = show(cli, no)
    assert case["status"] == "awaiting_materials" and case["missing"] == [cases.HOUSEHOLD, "近期免冠照片"]
    assert case["deadline"] is None  # 一次性告知 does not start the clock
    code, _, err = cli("case", "accept", no)
    assert code == 2 and f"“{cases.HOUSEHOLD}”" in err  # still missing
    code, _, err = cli("case", "amend", no, "--edit", "add", cases.HOUSEHOLD, str(pages["text"]))
    assert code == 0, err  # the photo is not on the checklist as required: accepted without it
    code, out, _ = cli("--json", "case", "accept", no)
    assert json.loads(out)["status"] == "accepted"
    assert show(cli, no)["deadline"]["light"] in ("green", "yellow")


def test_export_writes_pdfs_and_case_json(cli, person_file, pages, tmp_path) -> None:  # type: ignore[no-untyped-def]
    no = new_case(cli, person_file, pages)["case_no"]
    code, out, err = cli("--json", "case", "export", no, "--out", str(tmp_path / "usb"))
    assert code == 0, err
    files = [Path(f) for f in json.loads(out)["files"]]
    assert [f.name for f in files] == ["01-养老保险参保登记表.pdf", "02-居民身份证.pdf", "case.json"]
    exported = json.loads(files[-1].read_text(encoding="utf-8"))
    assert exported["case_no"] == no
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "20", "-png", str(files[0]), str(tmp_path / "p")], check=True)
        assert len(list(tmp_path.glob("p-*.png"))) == 2


def test_deadline_command(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("--json", "deadline", "--accepted", "2026-09-28", "--days", "5")
    assert code == 0 and json.loads(out) == {"deadline": "2026-10-10", "provisional": False}
    code, out, _ = cli("--json", "deadline", "--accepted", "2026-12-20", "--days", "20")
    result = json.loads(out)
    assert result["provisional"] is True and result["deadline"].startswith("2027-")
    code, _, err = cli("deadline", "--accepted", "2026-13-01", "--days", "5")
    assert code == 2 and "YYYY-MM-DD" in err


def test_uninitialised_folder_is_a_user_error(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main
    assert main(["--data", str(tmp_path / "none"), "case", "list"]) == 2
    assert "init" in capsys.readouterr().err


def test_config_lists_and_sets_unit_settings(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--json", "config", "list")
    assert code == 0, err
    listed = {s["name"]: s for s in json.loads(out)}
    assert listed["imaging.color_materials"]["value"] == "" and listed["imaging.color_materials"]["description"]
    code, out, err = cli("--json", "config", "set", "unit.window_no", "3")
    assert code == 0 and json.loads(out) == {"name": "unit.window_no", "value": 3}
    code, _, err = cli("config", "set", "unit.window_no", "三")
    assert code == 2 and "应为整数" in err
    code, _, err = cli("config", "set", "imaging.colour", "*")
    assert code == 2 and "没有名为“imaging.colour”的设置" in err
    code, _, err = cli("config", "set", "devices.scanner_source", "feeder")
    assert code == 2 and "应为flatbed、adf、duplex 之一，而不是“feeder”" in err
    code, out, _ = cli("--json", "config", "list")
    assert {s["name"]: s["value"] for s in json.loads(out)}["unit.window_no"] == 3
