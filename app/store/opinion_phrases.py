"""Each reviewer's library of 常用意见 on this PC (migration 14): the texts they chose to keep."""

from __future__ import annotations

import sqlite_utils

#: the most phrases one person keeps (the oldest beyond go first)
MAX_PHRASES = 200


def phrases(db: sqlite_utils.Database, user: str) -> list[str]:
    """The person's own phrases, the newest first."""
    return [str(r[0]) for r in db.execute(
        "SELECT text FROM opinion_phrases WHERE user = ? ORDER BY added_at DESC, id DESC LIMIT ?",
        [user, MAX_PHRASES]).fetchall()]


def add(db: sqlite_utils.Database, user: str, text: str, now: str) -> None:
    """Keep ``text`` for ``user`` (again: it moves to the top); the oldest beyond the limit are let go."""
    db.execute("INSERT INTO opinion_phrases (user, text, added_at) VALUES (?, ?, ?)"
               " ON CONFLICT (user, text) DO UPDATE SET added_at = excluded.added_at", [user, text, now])
    db.execute("DELETE FROM opinion_phrases WHERE user = ? AND id NOT IN (SELECT id FROM opinion_phrases"
               " WHERE user = ? ORDER BY added_at DESC, id DESC LIMIT ?)", [user, user, MAX_PHRASES])


def remove(db: sqlite_utils.Database, user: str, text: str) -> None:
    db.execute("DELETE FROM opinion_phrases WHERE user = ? AND text = ?", [user, text])
