"""The installation-wide ledger: one hash chain over every action this database holds.

Each case's actions are chained (``actions.prev_hash``), but a per-case chain cannot tell
that a whole case is gone, nor that a case's tail was cut together with its head. The ledger
chains every action across cases in the order they were written, and names the case number
of each, so a deleted action, case or case row is found and named by ``verify``.

Its key is ``AUTOINCREMENT``: SQLite remembers the largest number it ever gave out, so the
ledger's own last entries cannot be removed without leaving a gap behind. Someone who edits
that record too is caught by ``verify --against-platform``: the platform records each
action's links as it accepts them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.core.chain import GENESIS, ledger_digest

SCHEMA = """
CREATE TABLE ledger (
    gseq INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id TEXT NOT NULL UNIQUE,
    case_id TEXT NOT NULL,
    case_no TEXT NOT NULL,
    case_seq INTEGER NOT NULL,
    action_hash TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
"""


@dataclass(frozen=True, slots=True)
class Link:
    """Where one action stands in the ledger (sent with it to the platform)."""

    gseq: int
    hash: str


def head(db: Any) -> tuple[int, str]:
    row = db.execute("SELECT gseq, hash FROM ledger ORDER BY gseq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(db: Any, action_id: str, case_id: str, case_no: str, case_seq: int, action_hash: str) -> Link:
    """Record one action just written (same transaction). ``db`` is a sqlite3 or sqlite-utils connection."""
    last, prev = head(db)
    gseq = last + 1
    digest = ledger_digest(prev, gseq, action_id, case_id, case_no, case_seq, action_hash)
    db.execute("INSERT INTO ledger (gseq, action_id, case_id, case_no, case_seq, action_hash, prev, hash)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [gseq, action_id, case_id, case_no, case_seq, action_hash, prev,
                                                    digest])
    return Link(gseq, digest)


def name_installation(conn: Any) -> None:
    """Give this database its own id, which the platform files its chain links under."""
    conn.execute("INSERT OR IGNORE INTO sync_meta (key, value) VALUES ('installation', ?)",
                 [json.dumps(str(uuid.uuid4()))])


def installation(db: Any) -> str:
    row = db.execute("SELECT value FROM sync_meta WHERE key = 'installation'").fetchone()
    if row is None:
        raise RuntimeError("database without an installation id (migration 6 not applied)")
    return str(json.loads(row[0]))


def backfill(conn: Any) -> None:
    """Enter the actions written before the ledger existed, in the order they were written."""
    rows = conn.execute("SELECT a.id, a.case_id, COALESCE(c.case_no, ''), a.seq, a.hash FROM actions a"
                        " LEFT JOIN cases c ON c.id = a.case_id ORDER BY a.rowid").fetchall()
    for action_id, case_id, case_no, seq, digest in rows:
        append(conn, action_id, case_id, case_no, seq, digest)


def links(db: sqlite_utils.Database, action_ids: list[str]) -> dict[str, Link]:
    marks = ",".join("?" * len(action_ids))
    rows = db.execute(f"SELECT action_id, gseq, hash FROM ledger WHERE action_id IN ({marks})", action_ids)
    return {r[0]: Link(int(r[1]), str(r[2])) for r in rows.fetchall()}


@dataclass(frozen=True, slots=True)
class Missing:
    """Something the ledger says should be there and is not, or is there and should not be."""

    case_id: str
    case_no: str
    action_id: str
    seq: int
    reason: str


def check(db: sqlite_utils.Database) -> Iterator[Missing]:
    """Walk the ledger: its own chain, then every action and case it names, then what it does not name."""
    prev, expected = GENESIS, 1
    named: dict[str, list[dict[str, Any]]] = {}
    for row in db.query("SELECT * FROM ledger ORDER BY gseq"):
        if row["gseq"] != expected:
            yield Missing(row["case_id"], row["case_no"], "", 0,
                          f"总账第 {expected}–{row['gseq'] - 1} 条记录被删除（其对应的操作无法再核对）")
        elif row["prev"] != prev or ledger_digest(prev, row["gseq"], row["action_id"], row["case_id"],
                                                  row["case_no"], row["case_seq"], row["action_hash"]) != row["hash"]:
            yield Missing(row["case_id"], row["case_no"], row["action_id"], row["case_seq"],
                          f"总账第 {row['gseq']} 条记录被篡改")
        prev, expected = row["hash"], row["gseq"] + 1
        named.setdefault(row["case_id"], []).append(row)
    issued = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'ledger'").fetchone()
    if issued is not None and int(issued[0]) >= expected:
        yield Missing("", "", "", 0, f"最后 {int(issued[0]) - expected + 1} 条操作及其总账记录被删除")
    yield from _against_tables(db, named)


def _against_tables(db: sqlite_utils.Database, named: dict[str, list[dict[str, Any]]]) -> Iterator[Missing]:
    actions = {r["id"]: r for r in db.query("SELECT id, case_id, seq, hash FROM actions")}
    case_rows = {r["id"] for r in db.query("SELECT id FROM cases")}
    for case_id, entries in named.items():
        case_no = entries[0]["case_no"]
        present = [e for e in entries if e["action_id"] in actions]
        if case_id not in case_rows and not present:
            yield Missing(case_id, case_no, "", 0, f"整件被删除（原有 {len(entries)} 条操作）")
            continue
        if case_id not in case_rows:
            yield Missing(case_id, case_no, "", 0, "办件记录被删除，其操作仍在")
        for e in entries:
            found = actions.get(e["action_id"])
            if found is None:
                yield Missing(case_id, case_no, e["action_id"], e["case_seq"], "被删除")
            elif found["hash"] != e["action_hash"] or found["seq"] != e["case_seq"]:
                yield Missing(case_id, case_no, e["action_id"], e["case_seq"], "与总账记录不符，已被改写")
    listed = {e["action_id"] for entries in named.values() for e in entries}
    for action_id, a in actions.items():
        if action_id not in listed:
            row = db.execute("SELECT case_no FROM cases WHERE id = ?", [a["case_id"]]).fetchone()
            yield Missing(a["case_id"], row[0] if row else "", action_id, a["seq"],
                          "未记入总账，可能是绕过本程序写入的")


@dataclass(frozen=True, slots=True)
class Recorded:
    """What the platform kept of one action this installation sent: its links here when it was accepted."""

    action_id: str
    case_id: str
    seq: int
    hash: str
    gseq: int
    ghash: str


def against(db: sqlite_utils.Database, recorded: list[Recorded]) -> Iterator[Missing]:
    """Each action the platform accepted from this installation must still be here, with the same links.

    A history rewritten here together with its case head and its ledger verifies on its own; it
    cannot match what the platform kept when it took the original.
    """
    for r in recorded:
        local = db.execute("SELECT a.seq, a.hash, c.case_no FROM actions a LEFT JOIN cases c ON c.id = a.case_id"
                           " WHERE a.id = ?", [r.action_id]).fetchone()
        entry = db.execute("SELECT gseq, hash, case_no FROM ledger WHERE action_id = ?", [r.action_id]).fetchone()
        case_no = (local[2] if local else None) or (entry[2] if entry else "") or ""
        if local is None:
            yield Missing(r.case_id, case_no, r.action_id, r.seq, "已被平台接收，但本机已没有这条操作")
        elif (local[0], local[1]) != (r.seq, r.hash):
            yield Missing(r.case_id, case_no, r.action_id, r.seq, "与平台接收时的记录不符，已被改写")
        elif entry is None or (entry[0], entry[1]) != (r.gseq, r.ghash):
            yield Missing(r.case_id, case_no, r.action_id, r.seq, "在总账中的位置与平台接收时的记录不符，总账已被改写")
