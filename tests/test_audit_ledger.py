"""The installation-wide ledger: whatever someone with the database file removes, `verify` names it.

Each test tampers with the SQLite file behind the program's back (triggers dropped first, as an attacker
would), then runs ``python -m app verify`` in-process and checks the exit code (3) and what is named.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.chain import action_digest, ledger_digest
from app.core.lifecycle import ActionType
from app.services import intake
from app.services.case_actions import perform
from app.services.context import AppContext
from app.store import database, sqlite
from app.store.migrations import migrate
from tests.conftest import PERSON
from tests.support import cases, folders
from tests.support.schema import drop_later_columns_and_indexes

UNGUARD = ("DROP TRIGGER IF EXISTS actions_no_update; DROP TRIGGER IF EXISTS actions_no_delete;"
           "DROP TRIGGER IF EXISTS ledger_no_update; DROP TRIGGER IF EXISTS ledger_no_delete;")


def _cases(ctx: AppContext, pages: dict[str, Path]) -> list[tuple[str, str]]:
    made = []
    for _ in range(3):
        case = intake.new_case(ctx, cases.ITEM, PERSON, cases.materials(pages["text"]))
        perform(ctx, case.id, ActionType.ACCEPT)
        perform(folders.as_role(ctx, "reviewer"), case.id, ActionType.SUSPEND, {"reason": "现场踏勘"})
        made.append((case.id, case.case_no))
    return made


def _tamper(data_dir: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    conn = folders.connect(data_dir)
    conn.executescript(UNGUARD)
    for sql, params in statements:
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def _row(data_dir: Path, sql: str, params: tuple[object, ...] = ()) -> tuple[object, ...]:
    conn = folders.connect(data_dir)
    try:
        row = conn.execute(sql, params).fetchone()
    finally:
        conn.close()
    assert row is not None
    return tuple(row)


def _verify(cli) -> tuple[int, list[dict[str, object]], str]:  # type: ignore[no-untyped-def]
    code, out, _err = cli("--json", "verify")
    report = json.loads(out)
    _, human, _ = cli("verify")
    return code, report["broken"], human


def test_an_untouched_database_verifies(ctx: AppContext, pages: dict[str, Path], cli) -> None:  # type: ignore[no-untyped-def]
    _cases(ctx, pages)
    code, broken, human = _verify(cli)
    assert code == 0 and broken == [] and "未发现篡改" in human


def test_the_last_action_of_a_case_deleted(ctx, pages, data_dir, cli) -> None:  # type: ignore[no-untyped-def]
    made = _cases(ctx, pages)
    victim = _row(data_dir, "SELECT id FROM actions WHERE case_id = ? AND seq = 3", (made[0][0],))[0]
    _tamper(data_dir, ("DELETE FROM actions WHERE id = ?", (victim,)))
    code, broken, human = _verify(cli)
    assert code == 3
    assert [(b["case_no"], b["action_id"], b["seq"]) for b in broken] == [(made[0][1], victim, 3)]
    assert f"办件 {made[0][1]} 的第 3 条操作（{victim}）被删除" in human


def test_the_last_action_deleted_and_the_case_head_moved_back(ctx, pages, data_dir, cli) -> None:  # type: ignore[no-untyped-def]
    made = _cases(ctx, pages)
    case_id = made[1][0]
    victim, prev = _row(data_dir, "SELECT id, prev_hash FROM actions WHERE case_id = ? AND seq = 3", (case_id,))
    _tamper(data_dir, ("DELETE FROM actions WHERE id = ?", (victim,)),
            ("UPDATE cases SET head_seq = 2, head_hash = ? WHERE id = ?", (prev, case_id)))
    code, broken, _ = _verify(cli)
    assert code == 3 and [(b["action_id"], b["reason"]) for b in broken] == [(victim, "被删除")]


def test_every_action_of_a_case_deleted(ctx, pages, data_dir, cli) -> None:  # type: ignore[no-untyped-def]
    made = _cases(ctx, pages)
    _tamper(data_dir, ("DELETE FROM actions WHERE case_id = ?", (made[2][0],)),
            ("UPDATE cases SET head_seq = 0, head_hash = '' WHERE id = ?", (made[2][0],)))
    code, broken, _ = _verify(cli)
    assert code == 3
    assert sorted((b["case_no"], b["seq"]) for b in broken) == [(made[2][1], 1), (made[2][1], 2), (made[2][1], 3)]


def test_a_whole_case_deleted(ctx, pages, data_dir, cli) -> None:  # type: ignore[no-untyped-def]
    made = _cases(ctx, pages)
    case_id, case_no = made[1]
    _tamper(data_dir, ("DELETE FROM actions WHERE case_id = ?", (case_id,)),
            ("DELETE FROM action_sync WHERE action_id NOT IN (SELECT id FROM actions)", ()),
            ("DELETE FROM case_search WHERE case_id = ?", (case_id,)),
            ("DELETE FROM pages WHERE material_id IN (SELECT id FROM materials WHERE case_id = ?)", (case_id,)),
            ("DELETE FROM materials WHERE case_id = ?", (case_id,)),
            ("DELETE FROM cases WHERE id = ?", (case_id,)))
    code, broken, human = _verify(cli)
    assert code == 3 and len(broken) == 1
    assert broken[0]["case_no"] == case_no and "整件被删除（原有 3 条操作）" in human


def test_a_case_row_deleted(ctx, pages, data_dir, cli) -> None:  # type: ignore[no-untyped-def]
    made = _cases(ctx, pages)
    conn = folders.connect(data_dir)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM cases WHERE id = ?", (made[0][0],))
    conn.commit()
    conn.close()
    code, broken, human = _verify(cli)
    assert code == 3 and any(b["case_no"] == made[0][1] for b in broken)
    assert "办件记录被删除" in human


def test_the_ledgers_own_tail_cut_with_its_actions(ctx, pages, data_dir, cli) -> None:  # type: ignore[no-untyped-def]
    """The last case's last action, its ledger entry and its head, all removed together: the gap remains."""
    made = _cases(ctx, pages)
    case_id = made[2][0]
    victim, prev = _row(data_dir, "SELECT id, prev_hash FROM actions WHERE case_id = ? AND seq = 3", (case_id,))
    _tamper(data_dir, ("DELETE FROM ledger WHERE action_id = ?", (victim,)),
            ("DELETE FROM action_sync WHERE action_id = ?", (victim,)),
            ("DELETE FROM actions WHERE id = ?", (victim,)),
            ("UPDATE cases SET head_seq = 2, head_hash = ? WHERE id = ?", (prev, case_id)))
    code, _broken, human = _verify(cli)
    assert code == 3 and "最后 1 条操作及其总账记录被删除" in human


def rewrite_tail_with_its_head(data_dir: Path, case_id: str) -> str:
    """Change the last action's payload and recompute its hash, the case head and the ledger's last link.

    Nothing inside the file can tell: only the platform, which recorded the links when it accepted the
    action, can. Returns the action's id.
    """
    conn = folders.connect(data_dir)
    conn.row_factory = sqlite.Row
    a = dict(conn.execute("SELECT * FROM actions WHERE case_id = ? ORDER BY seq DESC LIMIT 1", (case_id,)).fetchone())
    fields = {k: a[k] for k in ("id", "case_id", "seq", "type", "actor", "at")}
    fields["payload"] = {"reason": "申请人已撤回"}
    digest = action_digest(a["prev_hash"], fields)
    entry = dict(conn.execute("SELECT * FROM ledger WHERE action_id = ?", (a["id"],)).fetchone())
    later = conn.execute("SELECT COUNT(*) FROM ledger WHERE gseq > ?", (entry["gseq"],)).fetchone()[0]
    assert later == 0, "the tail of the ledger is this action"
    ghash = ledger_digest(entry["prev"], entry["gseq"], a["id"], case_id, entry["case_no"], a["seq"], digest)
    conn.executescript(UNGUARD)
    conn.execute("UPDATE actions SET payload = ?, hash = ? WHERE id = ?",
                 (json.dumps(fields["payload"], ensure_ascii=False), digest, a["id"]))
    conn.execute("UPDATE cases SET head_hash = ? WHERE id = ?", (digest, case_id))
    conn.execute("UPDATE ledger SET action_hash = ?, hash = ? WHERE action_id = ?", (digest, ghash, a["id"]))
    conn.commit()
    conn.close()
    return str(a["id"])


def test_a_tail_rewritten_with_its_head_and_ledger_passes_locally(ctx, pages, data_dir, cli) -> None:  # type: ignore[no-untyped-def]
    """The known limit of a file checked alone (caught against the platform: tests/test_sync_e2e.py)."""
    made = _cases(ctx, pages)
    rewrite_tail_with_its_head(data_dir, made[2][0])
    code, broken, _ = _verify(cli)
    assert code == 0 and broken == []


def test_an_action_slipped_in_behind_the_programs_back(ctx, pages, data_dir, cli) -> None:  # type: ignore[no-untyped-def]
    made = _cases(ctx, pages)
    case_id = made[0][0]
    seq, head = _row(data_dir, "SELECT head_seq, head_hash FROM cases WHERE id = ?", (case_id,))
    fields = {"id": "forged-1", "case_id": case_id, "seq": int(seq) + 1, "type": "resume", "actor": "x",  # type: ignore[call-overload]
              "at": "2026-12-01T09:00:00+08:00", "payload": {}}
    digest = action_digest(str(head), fields)
    _tamper(data_dir, ("INSERT INTO actions (id, case_id, seq, type, actor, at, payload, prev_hash, hash)"
                       " VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?)",
                       ("forged-1", case_id, fields["seq"], "resume", "x", fields["at"], head, digest)),
            ("UPDATE cases SET head_seq = ?, head_hash = ? WHERE id = ?", (fields["seq"], digest, case_id)))
    code, broken, human = _verify(cli)
    assert code == 3 and [b["action_id"] for b in broken] == ["forged-1"] and "未记入总账" in human


@pytest.mark.parametrize("start", [5])
def test_a_database_from_before_the_ledger_is_entered_in_the_order_written(
        ctx, pages, data_dir, cli, tmp_path, start: int) -> None:  # type: ignore[no-untyped-def]
    """Migration 6 backfills the ledger: an upgraded database verifies, and tampering after it is caught."""
    made = _cases(ctx, pages)
    older = database.connect(tmp_path / f"schema{start}.sqlite3", folders.key_of(data_dir))
    migrate(older, target=start)
    kept = {name for (name,) in older.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn = folders.connect(data_dir)  # as schema 5 left it: without the tables, columns and indexes of later ones
    later = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
             if name not in kept and not name.startswith("sqlite_")]
    assert "ledger" in later
    drop_later_columns_and_indexes(conn, older)
    older.close()
    conn.executescript("".join(f"DROP TABLE {name}; DELETE FROM sqlite_sequence WHERE name = '{name}';"
                               for name in later))
    conn.execute(f"PRAGMA user_version = {start}")
    conn.commit()
    conn.close()
    code, broken, _ = _verify(cli)
    assert code == 0 and broken == []
    order = [r[0] for r in folders.connect(data_dir).execute("SELECT case_no FROM ledger ORDER BY gseq")]
    assert order[:3] == [made[0][1]] * 3 and order[-1] == made[2][1]
