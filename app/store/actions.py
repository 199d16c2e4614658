"""The append-only action log, hash-chained per case and in the installation's ledger, and its verifier."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.core.chain import GENESIS, action_digest, canonical_json
from app.core.lifecycle import Action, ActionType
from app.store import ledger


def _fields(action: Action, seq: int) -> dict[str, Any]:
    return {
        "id": action.id,
        "case_id": action.case_id,
        "seq": seq,
        "type": str(action.type),
        "actor": action.actor,
        "at": action.at.isoformat(),
        "payload": dict(action.payload),
    }


def append(db: sqlite_utils.Database, action: Action, prev_seq: int, prev_hash: str) -> tuple[int, str]:
    """Insert ``action`` after (prev_seq, prev_hash); returns the new (seq, hash)."""
    seq = prev_seq + 1
    fields = _fields(action, seq)
    digest = action_digest(prev_hash, fields)
    db.execute(
        "INSERT INTO actions (id, case_id, seq, type, actor, at, payload, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [action.id, action.case_id, seq, fields["type"], action.actor, fields["at"],
         canonical_json(fields["payload"]), prev_hash, digest],
    )
    case_no = db.execute("SELECT case_no FROM cases WHERE id = ?", [action.case_id]).fetchone()
    ledger.append(db, action.id, action.case_id, case_no[0] if case_no else "", seq, digest)
    return seq, digest


def row_to_action(row: dict[str, Any]) -> Action:
    """An action as its row holds it."""
    return Action(
        id=row["id"], case_id=row["case_id"], type=ActionType(row["type"]), actor=row["actor"],
        at=dt.datetime.fromisoformat(row["at"]), payload=json.loads(row["payload"]),
    )


def load(db: sqlite_utils.Database, case_id: str) -> list[Action]:
    """All actions of a case, oldest first."""
    rows = db.query("SELECT * FROM actions WHERE case_id = ? ORDER BY seq", [case_id])
    return [row_to_action(r) for r in rows]


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first link of a case's chain that does not hold."""

    case_id: str
    case_no: str
    action_id: str
    seq: int
    reason: str

    def describe(self) -> str:
        if self.seq:
            return f"办件 {self.case_no} 的第 {self.seq} 条操作（{self.action_id}）{self.reason}"
        return f"办件 {self.case_no}：{self.reason}" if self.case_no else self.reason


def _breaks(db: sqlite_utils.Database) -> Iterator[ChainBreak]:
    current: str | None = None
    prev_hash, expected_seq, broken = GENESIS, 1, False
    rows = db.query(
        "SELECT a.*, c.case_no, c.head_hash, c.head_seq FROM actions a"
        " JOIN cases c ON c.id = a.case_id ORDER BY a.case_id, a.seq"
    )
    last: dict[str, Any] | None = None
    for row in rows:
        if row["case_id"] != current:
            if last is not None and not broken:
                yield from _check_head(last, prev_hash, expected_seq - 1)
            current, prev_hash, expected_seq, broken = row["case_id"], GENESIS, 1, False
        last = row
        if broken:
            continue

        if row["seq"] != expected_seq:
            broken = True
            yield _break(row, f"序号不连续（应为 {expected_seq}），之前的操作可能被删除")
            continue
        if row["prev_hash"] != prev_hash:
            broken = True
            yield _break(row, "与前一条操作的链接不符，前一条操作可能被篡改")
            continue
        fields = {
            "id": row["id"], "case_id": row["case_id"], "seq": row["seq"], "type": row["type"],
            "actor": row["actor"], "at": row["at"], "payload": json.loads(row["payload"]),
        }
        if action_digest(prev_hash, fields) != row["hash"]:
            broken = True
            yield _break(row, "内容与其哈希不符，已被篡改")
            continue
        prev_hash, expected_seq = row["hash"], expected_seq + 1
    if last is not None and not broken:
        yield from _check_head(last, prev_hash, expected_seq - 1)


def _break(row: dict[str, Any], reason: str) -> ChainBreak:
    return ChainBreak(row["case_id"], row["case_no"], row["id"], row["seq"], reason)


def _check_head(row: dict[str, Any], chain_hash: str, chain_seq: int) -> Iterator[ChainBreak]:
    if row["head_hash"] != chain_hash or row["head_seq"] != chain_seq:
        yield _break(row, "之后的操作缺失，或末条操作被篡改")


def case_chain_breaks(db: sqlite_utils.Database) -> list[ChainBreak]:
    """Only the per-case chains, each case's first broken link (the ledger not consulted)."""
    return list(_breaks(db))


def verify(db: sqlite_utils.Database) -> list[ChainBreak]:
    """Every case whose chain does not hold, and what the ledger finds missing or rewritten.

    Where the ledger names what happened to a case (an action deleted or rewritten, the
    whole case removed) that is reported; otherwise the case's first broken link.
    """
    by_case: dict[str, list[ChainBreak]] = {}
    for m in ledger.check(db):
        by_case.setdefault(m.case_id, []).append(ChainBreak(m.case_id, m.case_no, m.action_id, m.seq, m.reason))
    found: list[ChainBreak] = []
    for b in _breaks(db):
        found.extend(by_case.pop(b.case_id, []) or [b])
    for rest in by_case.values():
        found.extend(rest)
    return found
