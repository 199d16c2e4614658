"""A damaged database: reported in words (never written to), then repaired by ``recover``.

The damage is real: bytes of a B-tree page inverted in the file, as a bad sector would leave
them. ``recover`` must keep the damaged file byte for byte, bring back every case it can read
whole, list the others (unsynced ones first of all), and leave a database the app works on.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli import main as cli_main
from app.services import intake
from app.services.context import AppContext
from app.services.demo import seed_bulk
from app.store.database import DB_NAME
from tests.conftest import PERSON, make_data_folder
from tests.support import cases, folders
from tests.support.faults import flip_page, leaf_pages

REPO = Path(__file__).resolve().parents[1]
DAMAGED = "本地数据库文件已损坏"


def run_app(data: Path, *argv: str) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-m", "app", "--data", str(data), *argv], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def cli(data: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli_main(["--data", str(data), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def sql(data: Path, query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    conn = folders.connect(data)
    try:
        rows = conn.execute(query, params or []).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _intake(ctx: AppContext, pages: dict[str, Path], name: str, *, complete: bool = False) -> str:
    """A received case with one 申请表; ``complete``: with the checklist's required materials (it may be accepted)."""
    materials = cases.materials(pages["text"]) if complete else [intake.MaterialInput("申请表", (pages["text"],))]
    made = intake.new_case(ctx, cases.ITEM, {**PERSON, "name": name}, materials)
    return made.case_no


@pytest.fixture
def unit(tmp_path: Path, pages: dict[str, Path]) -> tuple[Path, list[str]]:
    """300 cases already on the platform, then two received today and not synced yet."""
    made: list[str] = []

    def fill(ctx: AppContext, _: Path) -> None:
        seed_bulk(ctx, 300)
        sql(ctx.data_dir, "UPDATE action_sync SET state = 'accepted', platform_seq = rowid")
        sql(ctx.data_dir, "INSERT INTO sync_meta (key, value) VALUES ('cursor', '4711')")
        made.extend(_intake(ctx, pages, name) for name in ("韦秀英", "覃桂兰"))

    return make_data_folder(tmp_path, fill), made


def test_a_damaged_page_is_reported_with_what_to_do_and_nothing_is_written(unit, person_file, pages) -> None:  # type: ignore[no-untyped-def]
    data, _ = unit
    db = data / DB_NAME
    leaves = leaf_pages(db, "actions")
    flip_page(db, leaves[len(leaves) // 2])
    before = digest(db)

    code, out, err = run_app(data, "case", "list")
    assert code == 2 and out == ""
    assert DAMAGED in err and f"python -m app --data {data} recover" in err
    assert "Traceback" not in err
    code, _, err = run_app(data, "case", "new", "--item", "GG00231000", "--applicant", str(person_file),
                           "--material", f"申请表={pages['text']}")
    assert code == 2 and DAMAGED in err
    assert digest(db) == before  # the check reads only; nothing was written to the damaged file

    # The window says the same at start-up, in a message (offscreen: printed), never a crash.
    window = subprocess.run([sys.executable, "main.py", "--data", str(data)], cwd=REPO, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert window.returncode == 2 and DAMAGED in window.stderr and "Traceback" not in window.stderr
    assert digest(db) == before


def test_recover_keeps_the_damaged_file_and_brings_back_whole_cases(unit, person_file, pages, capsys) -> None:  # type: ignore[no-untyped-def]
    data, today = unit
    db = data / DB_NAME
    leaves = leaf_pages(db, "actions")
    flip_page(db, leaves[len(leaves) // 2])
    damaged = digest(db)

    code, out, err = run_app(data, "recover")
    assert code == 0, err
    assert "Traceback" not in err
    assert "损坏的数据库文件已另存到" in out and "未能完整恢复的办件" in out
    kept = next((data / "damaged").iterdir())
    assert digest(kept / DB_NAME) == damaged  # set aside byte for byte, never deleted
    assert (kept / "恢复报告.txt").read_text(encoding="utf-8").strip() == out.strip()
    report = json.loads((kept / "report.json").read_text(encoding="utf-8"))
    lost = {c["case_no"] for c in report["lost"]}
    assert 1 <= len(lost) < 40 and not lost & set(today)  # one page's cases, not the rest
    assert report["cases"] == 302 - len(lost)
    assert {t["table"] for t in report["tables"] if not t["complete"]} == {"actions"}
    for number in lost:
        assert number in out

    # The fresh database is whole, every chain verifies, and the unsynced cases are back with their pages.
    assert sql(data, "PRAGMA integrity_check") == [("ok",)]
    assert sql(data, "PRAGMA foreign_key_check") == []
    assert cli(data, capsys, "verify")[0] == 0
    listed = {r["case_no"] for r in json.loads(cli(data, capsys, "--json", "case", "list")[1])}
    assert listed.isdisjoint(lost) and set(today) <= listed and len(listed) == report["cases"]
    for number in today:
        shown = json.loads(cli(data, capsys, "--json", "case", "show", number)[1])
        assert shown["status"] == "received" and len(shown["materials"][0]["pages"]) == 1
    assert report["unsynced"] == 2
    assert sql(data, "SELECT COUNT(*) FROM action_sync WHERE state = 'pending'") == [(2,)]
    # The feed starts again from the beginning: the platform sends back the synced cases left out.
    assert sql(data, "SELECT value FROM sync_meta WHERE key = 'cursor'") == []
    # The files of the cases left out stay (the clean-up must not take them before the platform's copies arrive).
    files = {p.parent.name + p.name for p in (data / "blobs").glob("??/*")}
    assert files <= {r[0] for r in sql(data, "SELECT sha256 FROM blobs")}

    # The window works on it again: a new case gets the next number.
    code, out, err = cli(data, capsys, "--json", "case", "new", "--item", "GG00231000", "--applicant",
                         str(person_file), "--material", f"申请表={pages['text']}")
    assert code == 0, err
    assert json.loads(out)["case_no"] == today[-1][:-4] + f"{int(today[-1][-4:]) + 1:04d}"
    # A second run finds nothing wrong and changes nothing.
    before = digest(db)
    code, out, _ = cli(data, capsys, "recover")
    assert code == 0 and "无需修复" in out and digest(db) == before


def test_unsynced_cases_whose_rows_are_lost_are_listed_and_their_numbers_kept(tmp_path, pages, person_file, capsys,
                                                                             ) -> None:  # type: ignore[no-untyped-def]
    made: list[str] = []
    data = make_data_folder(tmp_path, lambda ctx, _: made.extend(
        _intake(ctx, pages, name) for name in ("韦秀英", "覃桂兰", "黄志强")))
    db = data / DB_NAME
    [root] = leaf_pages(db, "cases")  # three cases: one page, now unreadable
    flip_page(db, root)

    code, out, err = cli(data, capsys, "--json", "recover")
    assert code == 0, err
    report = json.loads(out)
    assert report["cases"] == 0
    assert sorted(c["applicant"] for c in report["lost"]) == sorted(["韦秀英", "覃桂兰", "黄志强"])
    assert all(c["unsynced"] is True and c["item"] == "GG00231000" for c in report["lost"])
    assert report["reserved"] == made  # read from the case-number index, which the damage spared
    text = next((data / "damaged").glob("*/恢复报告.txt")).read_text(encoding="utf-8")
    assert "有尚未上传的操作：请按纸质材料重新收件或补录" in text and made[0] in text

    code, out, err = cli(data, capsys, "--json", "case", "new", "--item", "GG00231000", "--applicant",
                         str(person_file), "--material", f"申请表={pages['text']}")
    assert code == 0, err
    assert json.loads(out)["case_no"].endswith("0004")  # the three numbers on the applicants' receipts stay theirs


def test_a_damaged_header_costs_nothing(tmp_path, pages, capsys) -> None:  # type: ignore[no-untyped-def]
    made: list[str] = []
    data = make_data_folder(tmp_path, lambda ctx, _: made.append(_intake(ctx, pages, "韦秀英")))
    db = data / DB_NAME
    with db.open("r+b") as f:
        f.write(b"\xff" * 16)  # the first 16 bytes, an encrypted file's salt, are damaged
    # The salt comes with the key (keys.json), so nothing is lost and there is nothing to repair.
    code, out, err = cli(data, capsys, "--json", "case", "list")
    assert code == 0, err
    code, out, err = cli(data, capsys, "--json", "recover")
    assert code == 0 and json.loads(out)["needed"] is False, err
    assert json.loads(cli(data, capsys, "--json", "case", "show", made[0])[1])["status"] == "received"


def test_recover_waits_for_the_folder_to_itself(data_dir, capsys) -> None:  # type: ignore[no-untyped-def]
    ctx = folders.open_signed_in(data_dir)  # a window has it open
    try:
        code, _, err = cli(data_dir, capsys, "recover")
    finally:
        ctx.close()
    assert code == 2 and "请先关闭它们" in err
    assert not (data_dir / "damaged").exists()


def test_a_database_that_is_gone_is_not_offered_a_fresh_init(data_dir, pages, capsys) -> None:  # type: ignore[no-untyped-def]
    ctx = folders.open_signed_in(data_dir)
    try:
        _intake(ctx, pages, "韦秀英")
    finally:
        ctx.close()
    (data_dir / DB_NAME).rename(data_dir.parent / "moved.sqlite3")
    code, _, err = cli(data_dir, capsys, "case", "list")
    assert code == 2 and "数据库文件不见了" in err and "请不要重新初始化" in err


def test_a_window_that_meets_damage_writes_nothing_more(tmp_path, pages) -> None:  # type: ignore[no-untyped-def]
    """Damage found mid-session: that write and every later one is refused with the repair message."""
    from app.core.lifecycle import ActionType
    from app.services import unit_settings
    from app.services.case_actions import perform
    from app.store import faults

    made: list[str] = []
    data = make_data_folder(tmp_path, lambda ctx, _: made.append(_intake(ctx, pages, "韦秀英", complete=True)))
    ctx = folders.open_signed_in(data)
    try:
        [root] = leaf_pages(data / DB_NAME, "cases")
        flip_page(data / DB_NAME, root)  # the disk goes bad under the open window
        with pytest.raises(faults.DatabaseCorrupt, match="recover"):
            perform(ctx, made[0], ActionType.ACCEPT)
        with pytest.raises(faults.DatabaseCorrupt):
            unit_settings.set_setting(ctx, "unit.window_no", "2")  # another table, still refused
    finally:
        ctx.close()
