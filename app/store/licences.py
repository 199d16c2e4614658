"""This installation's licence counter, kept with the actions it numbers.

A licence's serial is the installation's id and this counter (:mod:`app.core.licence_ids`). The
counter is advanced in a transaction of its own just before the 出件 action's (the licence is sealed
in between, which may wait on the network), so a number is used at most once: an issue refused
afterwards leaves a gap. It lives in
``sync_meta``; in case that row is ever lost (a repaired folder), the next number is also above
every counter this installation's own issue actions already carry.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from app.core.licence_ids import COUNTER_DIGITS, MAX_COUNTER, parse

_KEY = "licence_counter"


def _highest_issued(db: sqlite_utils.Database, station: str) -> int:
    rows = db.execute(
        "SELECT json_extract(payload, '$.licence.id') FROM actions WHERE type = 'issue'"
        " AND instr(json_extract(payload, '$.licence.id'), ?) > 0", [station]).fetchall()
    highest = 0
    for (text,) in rows:
        lid = parse(text)
        if lid.station == station:
            highest = max(highest, int(lid.serial[-COUNTER_DIGITS:]))
    return highest


def next_counter(db: sqlite_utils.Database, station: str) -> int:
    """Take the next licence number of the installation whose serials start with ``station``."""
    row = db.execute("SELECT value FROM sync_meta WHERE key = ?", [_KEY]).fetchone()
    stored = int(json.loads(row[0])) if row else 0
    counter = max(stored, _highest_issued(db, station)) + 1
    if counter > MAX_COUNTER:
        raise RuntimeError("this installation has used every licence number")
    db.execute("INSERT OR REPLACE INTO sync_meta (key, value) VALUES (?, ?)", [_KEY, json.dumps(counter)])
    return counter


def _held_key(holder: str) -> str:
    return f"held_licences:{holder}"


def save_held(db: sqlite_utils.Database, holder: str, at: str, licences: list[dict[str, Any]]) -> None:
    """Keep the library's last answer about ``holder`` (with when it came), for intake while offline."""
    db.execute("INSERT OR REPLACE INTO sync_meta (key, value) VALUES (?, ?)",
               [_held_key(holder), json.dumps({"at": at, "licences": licences}, ensure_ascii=False)])


def load_held(db: sqlite_utils.Database, holder: str) -> tuple[str, list[dict[str, Any]]] | None:
    """The last answer kept about ``holder``: (when it came, the licences), or None."""
    row = db.execute("SELECT value FROM sync_meta WHERE key = ?", [_held_key(holder)]).fetchone()
    if row is None:
        return None
    kept = json.loads(row[0])
    return str(kept["at"]), list(kept["licences"])
