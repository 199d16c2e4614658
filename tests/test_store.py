"""The local store: migrations, blob store, audit chain, search."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from app.core.case_list import DEFAULT_SORT, CaseFilter
from app.core.lifecycle import ActionType
from app.services import intake, maintenance, queries
from app.services.case_actions import perform
from app.store import case_list, sqlite
from app.store.blobs import BlobStore
from app.store.crypto import DataKey
from app.store.database import connect
from app.store.migrations import LATEST, MIGRATIONS, migrate, schema_version
from tests.conftest import PERSON
from tests.support import cases, folders

KEY = DataKey.new()
VIEWPOINT = case_list.Viewpoint(today=dt.date(2026, 1, 5), yellow_before=dt.date(2026, 1, 8), actor="u", unit="")


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return sorted(conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'case_search_%'"
    ).fetchall())


@pytest.mark.parametrize("start", range(1, LATEST))
def test_upgrade_from_every_earlier_schema_keeps_data(tmp_path: Path, start: int) -> None:
    old = connect(tmp_path / "old.sqlite3", KEY)
    migrate(old, target=start)
    # A case written by the older schema must survive and be found by search afterwards.
    old.executescript("""
        INSERT INTO applicants VALUES ('person:1', 'person', '覃桂兰', '1', '{}');
        INSERT INTO cases (id, case_no, item_code, item_name, org, applicant_id, status, received_at,
                           head_seq, head_hash)
        VALUES ('c1', '45040320260101010001', 'GG00231000', '城乡居民基本养老保险参保登记', 'o', 'person:1',
                'received', '2026-01-01T09:00:00+08:00', 0, '');
    """)
    if start >= 2:  # from schema 2 on, writers index a case as they insert it
        from app.store.search import index_case
        index_case(old, "c1", "45040320260101010001", "覃桂兰", "城乡居民基本养老保险参保登记")
        old.commit()
    assert migrate(old) == start and schema_version(old) == LATEST
    fresh = connect(tmp_path / "fresh.sqlite3", KEY)
    migrate(fresh)
    assert _schema(old) == _schema(fresh)
    assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db = sqlite_utils.Database(old)
    assert case_list.case_ids(db, CaseFilter(search="桂兰"), DEFAULT_SORT, VIEWPOINT) == ["c1"]


def test_the_last_opinion_is_backfilled_onto_the_case_row(tmp_path: Path) -> None:
    old = connect(tmp_path / "old.sqlite3", KEY)
    migrate(old, target=10)
    old.executescript("""
        INSERT INTO applicants VALUES ('person:1', 'person', '覃桂兰', '1', '{}');
        INSERT INTO cases (id, case_no, item_code, item_name, org, applicant_id, status, received_at,
                           head_seq, head_hash)
        VALUES ('c1', '45040320260101010001', 'GG00231000', '城乡居民基本养老保险参保登记', 'o', 'person:1',
                'in_review', '2026-01-01T09:00:00+08:00', 4, '');
        INSERT INTO actions VALUES ('a3', 'c1', 3, 'opinion', 'u', '2026-01-02T09:00:00+08:00',
                                    '{"result":"同意","text":"拟同意","unit":"county"}', '', '');
        INSERT INTO actions VALUES ('a4', 'c1', 4, 'opinion', 'u', '2026-01-03T09:00:00+08:00',
                                    '{"result":"退回","text":"请补充户籍证明","unit":"county"}', '', '');
    """)
    old.commit()
    migrate(old)
    row = old.execute("SELECT last_opinion, last_opinion_text, last_opinion_unit FROM cases").fetchone()
    assert tuple(row) == ("退回", "请补充户籍证明", "county")
    returned = case_list.case_ids(sqlite_utils.Database(old), CaseFilter(returned=True), DEFAULT_SORT,
                                  dataclasses.replace(VIEWPOINT, unit="o"))
    assert returned == ["c1"]


def test_a_failed_migration_leaves_the_old_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = connect(tmp_path / "x.sqlite3", KEY)
    migrate(conn, target=1)

    def boom(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut")

    monkeypatch.setattr("app.store.migrations.MIGRATIONS", (MIGRATIONS[0], boom))
    with pytest.raises(RuntimeError):
        migrate(conn, target=2)
    assert schema_version(conn) == 1
    assert "half_done" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def test_blob_put_is_content_addressed_and_idempotent(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs", [KEY])
    digest = store.put(b"page one")
    assert store.put(b"page one") == digest
    assert store.path(digest).parent.name == digest[:2]
    assert store.verify(digest) and store.read(digest) == b"page one"
    store.path(digest).write_bytes(b"tampered")
    assert not store.verify(digest)
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []


def test_garbage_collection_removes_only_unreferenced_blobs(ctx, pages) -> None:  # type: ignore[no-untyped-def]
    made = intake.new_case(ctx, "GG00231000", PERSON, [intake.MaterialInput("申请表", (pages["text"],))])
    orphan = ctx.store.blobs.put(b"left behind by a crash")
    (ctx.store.blobs.root / "tmp" / "x.part").write_bytes(b"half")
    report = maintenance.collect_garbage(ctx)
    assert report.removed == 1 and not report.skipped
    assert not ctx.store.blobs.has(orphan)
    case = queries.show_case(ctx, made.id)
    assert ctx.store.blobs.verify(case["materials"][0]["pdf_sha256"])
    assert list((ctx.store.blobs.root / "tmp").iterdir()) == []


def _tamper(data_dir: Path, sql: str, params: tuple[object, ...]) -> None:
    conn = folders.connect(data_dir)
    conn.executescript("DROP TRIGGER actions_no_update; DROP TRIGGER actions_no_delete;")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def _three_cases(ctx, pages) -> list[str]:  # type: ignore[no-untyped-def]
    ids = []
    for _ in range(3):
        made = intake.new_case(ctx, cases.ITEM, PERSON, cases.materials(pages["text"]))
        perform(ctx, made.id, ActionType.ACCEPT)
        perform(folders.as_role(ctx, "reviewer"), made.id, ActionType.SUSPEND, {"reason": "现场踏勘"})
        ids.append(made.id)
    return ids


def test_actions_are_append_only(ctx, pages, data_dir) -> None:  # type: ignore[no-untyped-def]
    _three_cases(ctx, pages)
    conn = folders.connect(data_dir)
    with pytest.raises(sqlite.IntegrityError, match="append-only"):
        conn.execute("UPDATE actions SET actor = 'x'")
    with pytest.raises(sqlite.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM actions")


@pytest.mark.parametrize("how", ["payload", "actor", "time", "delete_middle", "rehash"])
def test_tampering_with_one_action_is_detected_and_named(ctx, pages, data_dir, how) -> None:  # type: ignore[no-untyped-def]
    ids = _three_cases(ctx, pages)
    assert maintenance.verify_chain(ctx) == []
    victim = ctx.store.reader().execute(
        "SELECT id, payload FROM actions WHERE case_id = ? AND seq = 2", [ids[1]]).fetchone()
    if how == "payload":
        _tamper(data_dir, "UPDATE actions SET payload = ? WHERE id = ?", ('{"promised_days":30}', victim[0]))
    elif how == "actor":
        _tamper(data_dir, "UPDATE actions SET actor = 'someone' WHERE id = ?", (victim[0],))
    elif how == "time":
        _tamper(data_dir, "UPDATE actions SET at = '2020-01-01T09:00:00+08:00' WHERE id = ?", (victim[0],))
    elif how == "delete_middle":
        _tamper(data_dir, "DELETE FROM actions WHERE id = ?", (victim[0],))
    else:  # change the payload and recompute its own hash: the next link still catches it
        from app.core.chain import action_digest
        row = ctx.store.reader().execute("SELECT * FROM actions WHERE id = ?", [victim[0]]).fetchone()
        cols = [d[0] for d in ctx.store.reader().execute("SELECT * FROM actions LIMIT 0").description]
        r = dict(zip(cols, row, strict=True))
        fields = {k: r[k] for k in ("id", "case_id", "seq", "type", "actor", "at")}
        fields["payload"] = {"promised_days": 30}
        _tamper(data_dir, "UPDATE actions SET payload = ?, hash = ? WHERE id = ?",
                (json.dumps(fields["payload"]), action_digest(r["prev_hash"], fields), victim[0]))
    breaks = maintenance.verify_chain(ctx)
    assert len(breaks) == 1
    b = breaks[0]
    assert b.case_id == ids[1]
    # The action itself is named: edited in place (its chain link), deleted or re-hashed (the ledger).
    assert (b.seq, b.action_id) == (2, victim[0])
    said = {"delete_middle": "被删除", "rehash": "改写"}.get(how, "篡改")
    assert said in b.describe() and victim[0] in b.describe()
    assert b.case_no in b.describe()


def test_verify_command_reports_the_broken_action(ctx, pages, data_dir, cli) -> None:  # type: ignore[no-untyped-def]
    ids = _three_cases(ctx, pages)
    victim = ctx.store.reader().execute("SELECT id FROM actions WHERE case_id = ? AND seq = 1", [ids[0]]).fetchone()
    code, out, _ = cli("verify")
    assert code == 0 and "未发现篡改" in out
    _tamper(data_dir, "UPDATE actions SET actor = 'x' WHERE id = ?", (victim[0],))
    code, out, _ = cli("--json", "verify")
    assert code == 3
    report = json.loads(out)
    assert report["ok"] is False and report["broken"][0]["action_id"] == victim[0]
