"""Looking at personal data leaves a trace: who, when, which case, what; kept, chained and synced."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import pytest
import sqlite_utils

from app.cli import main as cli_main
from app.services.context import init_data_dir
from app.store import sqlite, views
from tests.conftest import PERSON
from tests.support import folders
from tests.support.platform import PASSWORD, TOWNSHIP, USERS, PlatformProcess, user_of


def _new_case(cli, person_file: Path, pages: dict[str, Path]) -> str:  # type: ignore[no-untyped-def]
    code, out, err = cli("--json", "case", "new", "--item", "GG00231000", "--applicant", str(person_file),
                         "--material", f"申请表={pages['text']}")
    assert code == 0, err
    return str(json.loads(out)["case_no"])


def test_opening_and_exporting_are_recorded_and_the_supervisor_lists_them(  # type: ignore[no-untyped-def]
        cli, data_dir: Path, person_file: Path, pages: dict[str, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    case_no = _new_case(cli, person_file, pages)
    assert cli("case", "show", case_no)[0] == 0
    monkeypatch.setenv("CHUANGKOU_USER", "reviewer01")
    assert cli("case", "show", case_no)[0] == 0
    assert cli("case", "export", case_no, "--out", str(tmp_path / "out"))[0] == 0

    code, _, err = cli("case", "viewers", case_no)  # the reviewer may not list who looked
    assert code == 2 and "效能监察" in err
    monkeypatch.setenv("CHUANGKOU_USER", "supervisor01")
    code, out, err = cli("--json", "case", "viewers", case_no)
    assert code == 0, err
    seen = [(v["actor"], v["actor_name"], v["what"]) for v in json.loads(out)]
    assert seen == [("clerk01", "测试受理员", "open_case"), ("reviewer01", "测试审核员", "open_case"),
                    ("reviewer01", "测试审核员", "export")]
    code, out, _ = cli("case", "viewers", case_no)
    assert "测试审核员（reviewer01）  导出办件" in out
    # The supervisor watches deadlines, not people: the applicant's numbers and address are masked.
    code, out, _ = cli("--json", "case", "show", case_no)
    applicant = json.loads(out)["applicant"]
    assert applicant["id_number"] == PERSON["id_number"][:4] + "*" * 10 + PERSON["id_number"][-4:]
    assert PERSON["phone"] not in out and PERSON["address"] not in out


def test_view_events_are_append_only_and_chained(cli, data_dir: Path, person_file: Path,  # type: ignore[no-untyped-def]
                                                 pages: dict[str, Path]) -> None:
    case_no = _new_case(cli, person_file, pages)
    for _ in range(3):
        assert cli("case", "show", case_no)[0] == 0
    conn = folders.connect(data_dir)
    try:
        with pytest.raises(sqlite.IntegrityError, match="append-only"):
            conn.execute("UPDATE views SET actor = 'someone'")
        with pytest.raises(sqlite.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM views")
        db = sqlite_utils.Database(conn)
        assert views.check(db) == []
        conn.executescript("DROP TRIGGER views_no_delete; DELETE FROM views WHERE seq = 2;")
        assert len(views.check(db)) == 1  # the one after the hole no longer follows
    finally:
        conn.close()


def test_reading_a_card_is_recorded(cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert cli("config", "set", "devices.id_reader", "sim:id_reader")[0] == 0
    code, _, err = cli("--json", "devices", "read-card")
    assert code == 0, err
    conn = folders.connect(data_dir)
    try:
        rows = conn.execute("SELECT actor, what, case_id FROM views").fetchall()
    finally:
        conn.close()
    assert rows == [("clerk01", "read_card", None)]


@pytest.mark.slow
def test_looks_reach_the_platform_and_its_supervisor_sees_every_units(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], pages: dict[str, Path], person_file: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "township"

    def run(*argv: str) -> dict | list:  # type: ignore[type-arg]
        code = cli_main(["--data", str(folder), "--json", *argv])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        return json.loads(captured.out)  # type: ignore[no-any-return]

    with PlatformProcess(tmp_path / "platform") as platform:
        init_data_dir(folder, TOWNSHIP, platform.url)
        folders.cheap(folder)
        monkeypatch.setenv("CHUANGKOU_PASSWORD", PASSWORD)
        run("login", "--user", USERS[TOWNSHIP])
        made = run("case", "new", "--item", "GG00231000", "--applicant", str(person_file),
                   "--material", f"申请表={pages['text']}")
        run("case", "show", made["case_no"])
        assert run("sync", "--once")["pending"] == 0
        # The unit's supervisor signs in on the same PC and asks the platform who looked.
        run("login", "--user", user_of(TOWNSHIP, "supervisor"))
        seen = run("case", "viewers", made["case_no"], "--platform")
        assert [(v["actor"], v["what"], v["unit"]) for v in seen] == [(USERS[TOWNSHIP], "open_case", TOWNSHIP)]
        assert seen[0]["actor_name"] != USERS[TOWNSHIP]  # the platform's name for the person
        # A look claimed for somebody else is refused by the platform.
        token = platform.token(TOWNSHIP)
        forged = {"id": str(uuid.uuid4()), "case_id": made["id"], "actor": "someone-else", "at": "2026-12-07T09:00:00",
                  "what": "open_case", "detail": {}, "prev_hash": "0" * 64, "hash": "1" * 64}
        r = httpx.post(f"{platform.url}/api/v1/views", json={"views": [forged]},
                       headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert r.json()["results"][0]["result"] == "refused"
    assert PERSON["name"] not in json.dumps(seen, ensure_ascii=False)  # who looked, not what they saw
