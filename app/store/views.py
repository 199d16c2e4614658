"""Who looked at personal data: view events, append-only and hash-chained like actions.

Opening a case's detail, viewing a page, exporting, printing and reading an ID card each leave
one event: who (the signed-in person), when, which case (none for a card read before a case
exists), what, and a short detail. Events are chained installation-wide (each hash covers the
one before), refused to UPDATE and DELETE by triggers, and sent to the platform by the sync.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.core.chain import GENESIS, canonical_json

SCHEMA = """
CREATE TABLE views (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    case_id TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    what TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX views_by_case ON views (case_id, seq);
CREATE INDEX views_unsent ON views (sent, seq);
CREATE TRIGGER views_no_delete BEFORE DELETE ON views
BEGIN SELECT RAISE(ABORT, 'view events are append-only'); END;
CREATE TRIGGER views_no_update BEFORE UPDATE OF id, case_id, actor, at, what, detail, prev_hash, hash ON views
BEGIN SELECT RAISE(ABORT, 'view events are append-only'); END;
"""

#: what a view event can be, with the words the audit list shows
WHAT = {"open_case": "查看办件", "view_page": "查看材料页面", "export": "导出办件", "print": "打印",
        "read_card": "读取身份证件"}


@dataclass(frozen=True, slots=True)
class View:
    """One look at personal data."""

    id: str
    case_id: str | None
    actor: str
    at: str
    what: str
    #: who the actor is as people name them (name, role, post, device) and what exactly was seen
    detail: dict[str, Any]

    def fields(self) -> dict[str, Any]:
        return {"id": self.id, "case_id": self.case_id, "actor": self.actor, "at": self.at, "what": self.what,
                "detail": self.detail}


def digest(prev_hash: str, view: View) -> str:
    return hashlib.sha256(canonical_json({"prev": prev_hash, **view.fields()}).encode("utf-8")).hexdigest()


def append(db: sqlite_utils.Database, view: View) -> str:
    """Record ``view`` after the last event (same transaction as the caller's); returns its hash."""
    if view.what not in WHAT:
        raise ValueError(f"unknown view kind {view.what!r}")
    row = db.execute("SELECT hash FROM views ORDER BY seq DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    link = digest(prev, view)
    db.execute("INSERT INTO views (id, case_id, actor, at, what, detail, prev_hash, hash)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               [view.id, view.case_id, view.actor, view.at, view.what, canonical_json(view.detail), prev, link])
    return link


def _view(row: dict[str, Any]) -> View:
    return View(row["id"], row["case_id"], row["actor"], row["at"], row["what"], json.loads(row["detail"]))


def of_case(db: sqlite_utils.Database, case_id: str) -> list[View]:
    return [_view(r) for r in db.query("SELECT * FROM views WHERE case_id = ? ORDER BY seq", [case_id])]


def unsent(db: sqlite_utils.Database, actor: str, limit: int = 500) -> list[dict[str, Any]]:
    """``actor``'s events the platform has not taken yet, oldest first, with their links."""
    return list(db.query("SELECT * FROM views WHERE sent = 0 AND actor = ? ORDER BY seq LIMIT ?", [actor, limit]))


def as_wire(row: dict[str, Any]) -> dict[str, Any]:
    return {**_view(row).fields(), "prev_hash": row["prev_hash"], "hash": row["hash"]}


def mark_sent(db: sqlite_utils.Database, ids: list[str]) -> None:
    for i in ids:
        db.execute("UPDATE views SET sent = 1 WHERE id = ?", [i])


def check(db: sqlite_utils.Database) -> list[str]:
    """The ids of events whose link does not follow from the one before (an edit or a removal)."""
    broken, prev = [], GENESIS
    for row in db.query("SELECT * FROM views ORDER BY seq"):
        if row["prev_hash"] != prev or digest(prev, _view(row)) != row["hash"]:
            broken.append(str(row["id"]))
        prev = row["hash"]
    return broken
