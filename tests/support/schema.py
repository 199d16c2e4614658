"""Taking a database back to an older schema, for the tests that upgrade one from there.

Dropping the tables later migrations made is not enough once a migration adds columns and
indexes to an older table (11 does, on ``cases``): those go too, indexes first.
"""

from __future__ import annotations

from typing import Any


def _names(conn: Any, kind: str) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = ?", [kind])}


def _columns(conn: Any, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def drop_later_columns_and_indexes(conn: Any, older: Any) -> None:
    """Drop from ``conn`` the indexes and the columns of ``older``'s tables that ``older`` lacks."""
    for name in sorted(_names(conn, "index") - _names(older, "index")):
        if not name.startswith("sqlite_"):
            conn.execute(f"DROP INDEX {name}")
    for table in sorted(_names(older, "table") & _names(conn, "table")):
        kept = set(_columns(older, table))
        for column in _columns(conn, table):
            if column not in kept:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
