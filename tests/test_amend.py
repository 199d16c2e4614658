"""补正材料: editing a received case's pages through the command line, rebuilding only what changed.

On a real data folder, as a window clerk would: turn a page, rescan one, insert, delete and
reorder pages, add the material the one-time notice asked for. The PDFs are checked with
qpdf and pikepdf; the pages kept must keep their bytes, the materials untouched their PDF.
"""

from __future__ import annotations

import io
import json
import subprocess
from functools import partial
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from app.documents.material_pdf import read_material_metadata
from app.services.maintenance import collect_garbage
from tests.conftest import snapshot
from tests.support import cases, folders
from tests.support import pagegen as g

ITEM = cases.ITEM
DPI = 150
save = partial(g.save, dpi=DPI)


@pytest.fixture
def scans(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "scans"
    folder.mkdir()
    return {
        "p1": save(folder / "p1.png", g.text_page(1, DPI)),
        "p2": save(folder / "p2.png", g.table_page(2, DPI)),
        "p3": save(folder / "p3.png", g.text_page(3, DPI)),
        "id": save(folder / "id.jpg", g.mixed_page(4, DPI), quality=90),
        "new": save(folder / "new.png", g.text_page(5, DPI)),
        "new2": save(folder / "new2.png", g.one_line_page(6, DPI)),
        "blurred": save(folder / "blurred.png", g.blur(g.text_page(7, DPI), 1.6)),
        "blank": save(folder / "blank.png", g.blank_page(8, DPI)),
        "book": save(folder / "book.jpg", g.mixed_page(9, DPI), quality=90),
    }


@pytest.fixture
def case(cli, person_file: Path, scans: dict[str, Path]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A received case: 申请表 with three pages, 居民身份证 with one."""
    return new_case(cli, person_file, scans, "申请表", "居民身份证")


def new_case(cli, person_file: Path, scans: dict[str, Path], form: str, id_card: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A received case: ``form`` with three pages, ``id_card`` with one."""
    code, out, err = cli("--json", "case", "new", "--item", ITEM, "--applicant", str(person_file),
                         "--material", f"{form}={scans['p1']},{scans['p2']},{scans['p3']}",
                         "--material", f"{id_card}={scans['id']}")
    assert code == 0, err
    return show(cli, json.loads(out)["case_no"])


def show(cli, ref: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    code, out, err = cli("--json", "case", "show", ref)
    assert code == 0, err
    shown: dict[str, Any] = json.loads(out)
    return shown


def amend(cli, ref: str, *edits: list[str], extra: tuple[str, ...] = ()) -> tuple[int, dict[str, Any], str]:  # type: ignore[no-untyped-def]
    args = ["--json", "case", "amend", ref, *extra]
    for e in edits:
        args += ["--edit", *e]
    code, out, err = cli(*args)
    return code, (json.loads(out) if code == 0 else {}), err


def blob(data_dir: Path, sha: str) -> Path:
    return folders.blob_file(data_dir, sha)


def material(shown: dict[str, Any], name: str) -> dict[str, Any]:
    (m,) = [m for m in shown["materials"] if m["name"] == name]
    return m


def hashes(m: dict[str, Any]) -> list[str]:
    return [p["sha256"] for p in m["pages"]]


def check_pdf(data_dir: Path, m: dict[str, Any]) -> pikepdf.Pdf:
    """The material's PDF passes qpdf, names its pages in order and shows each with its turn."""
    path = blob(data_dir, m["pdf_sha256"])
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    subprocess.run(["pdftoppm", "-r", "10", "-png", str(path), str(path.parent / "render")], check=True)
    data = path.read_bytes()
    assert list(read_material_metadata(data).page_hashes) == hashes(m)
    pdf = pikepdf.open(io.BytesIO(data))
    assert [int(p.obj.get("/Rotate", 0)) for p in pdf.pages] == [p["rotation"] for p in m["pages"]]
    return pdf


def test_turning_a_page_changes_only_its_rotate_and_only_that_material(cli, case, data_dir) -> None:  # type: ignore[no-untyped-def]
    form, card = case["materials"]
    code, done, err = amend(cli, case["case_no"], ["rotate", "申请表", "2", "90"])
    assert code == 0, err
    assert done["rebuilt"] == ["申请表"] and done["status"] == "received"
    after = show(cli, case["case_no"])
    new_form = material(after, "申请表")
    assert hashes(new_form) == hashes(form)  # the pixels were not touched
    assert [p["rotation"] for p in new_form["pages"]] == [0, 90, 0]
    assert new_form["pdf_sha256"] != form["pdf_sha256"]
    assert material(after, "居民身份证") == card  # not rebuilt: same PDF, byte for byte
    check_pdf(data_dir, new_form)
    assert [a["type"] for a in after["actions"]] == ["receive", "amend_materials"]
    assert after["actions"][-1]["label"] == "补正材料"

    # Turned back the other way round: the page shows upright again.
    code, _, err = amend(cli, case["case_no"], ["rotate", "申请表", "2", "-90"])
    assert code == 0, err
    assert [p["rotation"] for p in material(show(cli, case["case_no"]), "申请表")["pages"]] == [0, 0, 0]
    code, out, _ = cli("case", "show", case["case_no"])
    assert "补正材料" in out


def test_rescan_insert_delete_and_move_in_one_amendment(cli, case, data_dir, scans) -> None:  # type: ignore[no-untyped-def]
    old = hashes(material(case, "申请表"))
    code, done, err = amend(cli, case["case_no"],
                            ["rescan", "申请表", "3", str(scans["new"])],      # p1 p2 N
                            ["insert", "申请表", "1", str(scans["new2"])],     # M p1 p2 N
                            ["delete", "申请表", "3"],                          # M p1 N
                            ["move", "申请表", "1", "3"],                       # p1 N M
                            ["rotate", "申请表", "2", "180"])
    assert code == 0, err
    assert done["rebuilt"] == ["申请表"]
    form = material(show(cli, case["case_no"]), "申请表")
    new = hashes(form)
    assert new[0] == old[0] and len(new) == 3 and not set(new[1:]) & set(old)
    assert [p["rotation"] for p in form["pages"]] == [0, 180, 0]
    assert [p["kind"] for p in form["pages"]] == ["bitonal"] * 3  # the new pages went through the pipeline
    check_pdf(data_dir, form)


def test_the_pages_let_go_are_neither_kept_nor_uploaded(cli, case, data_dir, scans) -> None:  # type: ignore[no-untyped-def]
    replaced = material(case, "申请表")["pages"][1]["sha256"]
    old_pdf = material(case, "申请表")["pdf_sha256"]
    code, _, err = amend(cli, case["case_no"], ["rescan", "申请表", "2", str(scans["new"])])
    assert code == 0, err
    conn = folders.connect(data_dir)
    try:
        known = {r[0] for r in conn.execute("SELECT sha256 FROM blobs")}
    finally:
        conn.close()
    assert replaced not in known and old_pdf not in known
    ctx = folders.open_signed_in(data_dir)
    try:
        collect_garbage(ctx)
    finally:
        ctx.close()
    assert not folders.blob_path(data_dir, replaced).exists() and not folders.blob_path(data_dir, old_pdf).exists()
    form = material(show(cli, case["case_no"]), "申请表")
    assert all(folders.blob_path(data_dir, h).exists() for h in [form["pdf_sha256"], *hashes(form)])


def test_after_the_one_time_notice_the_missing_material_is_added(cli, person_file, data_dir, scans) -> None:  # type: ignore[no-untyped-def]
    # the checklist's names: with 户口簿 added nothing required is missing, and 受理 succeeds
    case = new_case(cli, person_file, scans, cases.FORM, cases.ID_CARD)
    code, _, err = cli("case", "notify-missing", case["case_no"], "--missing", cases.HOUSEHOLD)
    assert code == 0, err
    code, done, err = amend(cli, case["case_no"], ["add", cases.HOUSEHOLD, str(scans["book"]), str(scans["blank"])])
    assert code == 0, err
    assert done["status"] == "awaiting_materials" and done["rebuilt"] == [cases.HOUSEHOLD]
    assert [(f["material"], f["page"]) for f in done["dropped_blank"]] == [(cases.HOUSEHOLD, 2)]
    after = show(cli, case["case_no"])
    assert [m["name"] for m in after["materials"]] == [cases.FORM, cases.ID_CARD, cases.HOUSEHOLD]
    assert material(after, cases.FORM) == material(case, cases.FORM)
    check_pdf(data_dir, material(after, cases.HOUSEHOLD))
    code, _, err = cli("case", "accept", case["case_no"])
    assert code == 0, err
    # Accepted: the file under review is fixed.
    before = snapshot(data_dir)
    code, _, err = amend(cli, case["case_no"], ["rotate", cases.HOUSEHOLD, "1", "90"])
    assert code == 2 and "不能补正材料" in err
    assert snapshot(data_dir) == before


@pytest.mark.parametrize(("edit", "message"), [
    (["rotate", "申请表", "4", "90"], "材料“申请表”没有第4页（共3页）"),
    (["rotate", "申请表", "1", "45"], "旋转角度应为 90、180 或 270 度"),
    (["delete", "居民身份证", "1"], "只有一页，不能删除"),
    (["remove", "户口簿"], "本办件没有名为“户口簿”的材料；现有材料：申请表、居民身份证"),
    (["add", "申请表", "x.png"], "材料“申请表”已经存在"),
    (["move", "申请表", "1", "1"], "修改后材料与原来相同"),
    (["rotate", "申请表", "一", "90"], "页码应为整数"),
    (["turn", "申请表", "1"], "不认识的修改“turn”"),
    (["rescan", "申请表", "1"], "修改的写法应为：rescan 材料名称 页码 文件"),
    (["insert", "申请表", "1", "missing.png"], "missing.png"),
])
def test_edits_that_cannot_apply_are_refused_in_chinese_and_write_nothing(  # type: ignore[no-untyped-def]
        cli, case, data_dir, edit, message) -> None:
    before = snapshot(data_dir)
    code, _, err = amend(cli, case["case_no"], edit)
    assert code == 2 and message in err, err
    assert "Traceback" not in err
    assert snapshot(data_dir) == before


def test_a_flagged_or_blank_rescan_is_refused_unless_the_clerk_gives_a_reason(cli, case, data_dir, scans) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(data_dir)
    code, _, err = amend(cli, case["case_no"], ["rescan", "申请表", "2", str(scans["blank"])])
    assert code == 2 and "材料“申请表”第2页重新扫描的页面是空白页" in err
    code, _, err = amend(cli, case["case_no"], ["rescan", "申请表", "2", str(scans["blurred"])])
    assert code == 2 and "材料“申请表”：第2页模糊，请重新扫描" in err and "--accept-warnings" in err
    assert snapshot(data_dir) == before

    reason = "申请人只带来这一份，原件即模糊"
    code, done, err = amend(cli, case["case_no"], ["insert", "申请表", "1", str(scans["new"])],
                            ["rescan", "申请表", "3", str(scans["blurred"])], extra=("--accept-warnings", reason))
    assert code == 0, err
    assert [(f["page"], f["code"]) for f in done["accepted_warnings"]] == [(3, "blurred")]
    payload = show(cli, case["case_no"])["actions"][-1]["payload"]
    assert payload["quality_override"] == {
        "reason": reason, "pages": [{"material": "申请表", "page": 3, "code": "blurred"}]}
    assert [c["op"] for c in payload["changes"]] == ["insert", "rescan"]
