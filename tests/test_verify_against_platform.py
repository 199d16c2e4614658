"""`verify --against-platform`: what no check of the file alone can see, the platform's records can."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.core.lifecycle import ActionType
from app.services import sync_run
from app.services.case_actions import perform
from app.services.context import init_data_dir
from app.services.intake import new_case
from app.sync.credentials import MemoryTokens
from tests.conftest import PERSON
from tests.support import cases, folders
from tests.support.platform import PASSWORD, TOWNSHIP, USERS, PlatformProcess, user_of
from tests.test_audit_ledger import UNGUARD, rewrite_tail_with_its_head

pytestmark = pytest.mark.slow


@pytest.fixture
def synced(tmp_path: Path, pages: dict[str, Path]) -> Iterator[tuple[Path, list[str]]]:
    with PlatformProcess(tmp_path / "platform") as platform:
        folder = tmp_path / "township"
        init_data_dir(folder, TOWNSHIP, platform.url)
        ctx = folders.online(folder, USERS[TOWNSHIP], tokens=MemoryTokens())
        ids = []
        try:
            for _ in range(2):
                made = new_case(ctx, cases.ITEM, PERSON, cases.materials(pages["text"]))
                perform(ctx, made.id, ActionType.ACCEPT)
                ids.append(made.id)
            assert sync_run.sync_once(ctx).pending == 0
        finally:
            ctx.close()
        # Suspending is the reviewer's: the unit's reviewer signs in on the same PC.
        ctx = folders.online(folder, user_of(TOWNSHIP, "reviewer"), tokens=MemoryTokens())
        try:
            for case_id in ids:
                perform(ctx, case_id, ActionType.SUSPEND, {"reason": "现场踏勘"})
            report = sync_run.sync_once(ctx)
            assert (report.pending, report.refused) == (0, [])
        finally:
            ctx.close()
        before = os.environ.get("CHUANGKOU_PASSWORD")
        os.environ["CHUANGKOU_PASSWORD"] = PASSWORD
        try:
            yield folder, ids
        finally:
            if before is None:
                del os.environ["CHUANGKOU_PASSWORD"]
            else:
                os.environ["CHUANGKOU_PASSWORD"] = before


def _verify(folder: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[dict[str, object]]]:
    code = cli_main(["--data", str(folder), "--json", "verify", *extra])
    return code, json.loads(capsys.readouterr().out)["broken"]


def test_an_untouched_history_matches_the_platform(synced, capsys) -> None:  # type: ignore[no-untyped-def]
    folder, _ = synced
    assert _verify(folder, capsys, "--against-platform") == (0, [])


def test_a_tail_rewritten_with_its_head_and_ledger_is_caught_against_the_platform(synced, capsys) -> None:  # type: ignore[no-untyped-def]
    folder, ids = synced
    victim = rewrite_tail_with_its_head(folder, ids[1])
    assert _verify(folder, capsys) == (0, [])  # the file alone cannot tell
    code, broken = _verify(folder, capsys, "--against-platform")
    assert code == 3 and [(b["action_id"], b["seq"]) for b in broken] == [(victim, 3)]
    assert "已被改写" in str(broken[0]["reason"])


def test_a_tail_cut_with_every_trace_in_the_file_is_caught_against_the_platform(synced, capsys) -> None:  # type: ignore[no-untyped-def]
    """The last action, its ledger entry, the case head and SQLite's own sequence record: all made consistent."""
    folder, ids = synced
    conn = folders.connect(folder)
    victim, prev = conn.execute("SELECT id, prev_hash FROM actions WHERE case_id = ? AND seq = 3", [ids[1]]).fetchone()
    conn.executescript(UNGUARD)
    conn.execute("DELETE FROM ledger WHERE action_id = ?", [victim])
    conn.execute("DELETE FROM action_sync WHERE action_id = ?", [victim])
    conn.execute("DELETE FROM actions WHERE id = ?", [victim])
    conn.execute("UPDATE cases SET head_seq = 2, head_hash = ?, status = 'accepted' WHERE id = ?", [prev, ids[1]])
    conn.execute("UPDATE sqlite_sequence SET seq = (SELECT MAX(gseq) FROM ledger) WHERE name = 'ledger'")
    conn.commit()
    conn.close()
    assert _verify(folder, capsys) == (0, [])
    code, broken = _verify(folder, capsys, "--against-platform")
    assert code == 3 and [b["action_id"] for b in broken] == [victim]
    assert "本机已没有" in str(broken[0]["reason"])
