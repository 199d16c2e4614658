"""Each person's recent and favourite catalogue items, kept in the (encrypted) database.

Local to this PC and never synced: they are a convenience of the person's own window, not a
record of the unit. Rows are keyed by the platform user id and the item's 基本编码; an item that
leaves the catalogue keeps its row (it may come back) and is left out by whoever reads it.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

SCHEMA = """
CREATE TABLE item_prefs (
    user TEXT NOT NULL,
    item_code TEXT NOT NULL,
    favourite INTEGER NOT NULL DEFAULT 0,
    favourite_since TEXT,
    uses INTEGER NOT NULL DEFAULT 0,
    last_used TEXT,
    -- the order of the person's uses and marks (times alone tie within a second)
    use_seq INTEGER NOT NULL DEFAULT 0,
    favourite_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user, item_code)
);
CREATE INDEX item_prefs_by_use ON item_prefs (user, use_seq);
"""

_NEXT = "(SELECT COALESCE(MAX({column}), 0) + 1 FROM item_prefs WHERE user = :user)"


def note_used(db: sqlite_utils.Database, user: str, code: str, at: dt.datetime) -> None:
    """``user`` has just used ``code`` (a case of it was received)."""
    db.execute("INSERT INTO item_prefs (user, item_code, uses, last_used, use_seq)"
               f" VALUES (:user, :code, 1, :at, {_NEXT.format(column='use_seq')})"
               " ON CONFLICT (user, item_code) DO UPDATE SET uses = uses + 1, last_used = excluded.last_used,"
               " use_seq = excluded.use_seq",
               {"user": user, "code": code, "at": at.isoformat()})


def set_favourite(db: sqlite_utils.Database, user: str, code: str, on: bool, at: dt.datetime) -> None:
    db.execute("INSERT INTO item_prefs (user, item_code, favourite, favourite_since, favourite_seq)"
               f" VALUES (:user, :code, :on, :at, {_NEXT.format(column='favourite_seq')})"
               " ON CONFLICT (user, item_code) DO UPDATE SET favourite = excluded.favourite,"
               " favourite_since = excluded.favourite_since, favourite_seq = excluded.favourite_seq",
               {"user": user, "code": code, "on": int(on), "at": at.isoformat() if on else None})


def is_favourite(db: sqlite_utils.Database, user: str, code: str) -> bool:
    row = db.execute("SELECT favourite FROM item_prefs WHERE user = ? AND item_code = ?", [user, code]).fetchone()
    return bool(row and row[0])


def recent(db: sqlite_utils.Database, user: str, limit: int) -> list[str]:
    """The codes ``user`` used last, most recent first."""
    rows = db.execute("SELECT item_code FROM item_prefs WHERE user = ? AND last_used IS NOT NULL"
                      " ORDER BY use_seq DESC LIMIT ?", [user, limit]).fetchall()
    return [r[0] for r in rows]


def favourites(db: sqlite_utils.Database, user: str) -> list[str]:
    """The codes ``user`` marked, in the order they were marked."""
    rows = db.execute("SELECT item_code FROM item_prefs WHERE user = ? AND favourite = 1"
                      " ORDER BY favourite_seq", [user]).fetchall()
    return [r[0] for r in rows]
