"""Reading what is still readable from a damaged SQLite file, row by row, without writing to it.

A damaged page makes a table scan fail part-way. SQLite's B-tree still finds rows on either side
of it: after a failure the reader looks for the next rowid it can reach (doubling its step, then
halving back to the first one that works) and scans on from there. A row that cannot be read
itself is skipped. So one bad page costs the rows on it, not the table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.store import faults, sqlite
from app.store.crypto import DataKey

log = logging.getLogger("store.salvage")
_MIN_ROWID, _MAX_ROWID = -(1 << 63), (1 << 63) - 1
Rows = list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class TableRead:
    """How much of one table came back."""

    table: str
    rows: int
    complete: bool


class Damaged:
    """A read-only connection to a damaged database that starts afresh after each error.

    After a page fails its HMAC check, SQLCipher's connection refuses every page it has not
    cached yet, so a read that met the damage would end every read after it: ``reset`` after each.
    """

    def __init__(self, path: Path, key: DataKey) -> None:
        self.path, self.key = path, key
        self.conn = self._open()

    def _open(self) -> sqlite.Connection:
        return sqlite.open_keyed(f"{self.path.absolute().as_uri()}?mode=ro", self.key, uri=True,
                                 isolation_level=None)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite.Cursor:
        return self.conn.execute(sql, params)

    def reset(self) -> None:
        self.conn.close()
        self.conn = self._open()

    def close(self) -> None:
        self.conn.close()


def open_damaged(path: Path, key: DataKey) -> Damaged | None:
    """A read-only connection to ``path`` (its WAL included); None if nothing in it can be read.

    The damaged file is never written to. A damaged first 16 bytes (the salt, in an encrypted
    file) cost nothing: the salt comes with the key.
    """
    try:
        damaged = Damaged(path, key)
    except sqlite.DatabaseError as e:
        log.warning("cannot open %s: %s", path, damage(e, path.parent))
        return None
    try:
        damaged.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite.DatabaseError as e:
        damaged.close()
        log.warning("cannot read %s: %s", path, damage(e, path.parent))
        return None
    return damaged


def damage(exc: sqlite.DatabaseError, folder: Path | None = None) -> sqlite.DatabaseError:
    """``exc`` if it is the damage being read around; a StorageFault is raised for anything else.

    A lock held by some program, a full disk or a vanished folder is no reason to give up rows:
    the repair stops and says so instead.
    """
    fault = faults.classify(exc, folder)
    if fault is None or isinstance(fault, faults.DatabaseCorrupt):
        return exc
    raise fault from exc


def columns(conn: Damaged | sqlite.Connection, table: str) -> list[str]:
    """The columns of ``table`` ([] when it has no such table or it is unreadable)."""
    try:
        return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({_q(table)})")]
    except sqlite.DatabaseError as e:
        log.warning("schema of %s unreadable: %s", table, damage(e))
        _reset(conn)
        return []


def _reset(conn: Damaged | sqlite.Connection) -> None:
    if isinstance(conn, Damaged):
        conn.reset()


def read_table(conn: Damaged, table: str, names: Sequence[str],
               sink: Callable[[Rows], None], batch: int = 500) -> TableRead:
    """Hand every readable row of ``table`` (columns ``names``) to ``sink``, in batches, in rowid order."""
    cols = ", ".join(_q(c) for c in names)
    sql = f"SELECT rowid, {cols} FROM {_q(table)} WHERE rowid > ? ORDER BY rowid"
    after, count, complete = _MIN_ROWID, 0, True
    resumed_at: int | None = None
    while True:
        buf: Rows = []
        start = after
        try:
            for row in conn.execute(sql, [after]):
                after = row[0]
                buf.append(tuple(row[1:]))
                if len(buf) >= batch:
                    sink(buf)
                    count, buf = count + len(buf), []
            sink(buf)
            return TableRead(table, count + len(buf), complete)
        except sqlite.DatabaseError as e:
            damage(e)
            conn.reset()
            sink(buf)
            count += len(buf)
            complete = False
            if after == start and resumed_at is not None and after == resumed_at - 1:
                after = resumed_at  # the row we resumed at cannot be read itself: leave it out
            log.warning("%s: unreadable after rowid %d: %s", table, after, e)
            found = _next_reachable(conn, table, after) if after < _MAX_ROWID else None
            if found is None:
                return TableRead(table, count, complete)
            resumed_at, after = found, found - 1


def _next_reachable(conn: Damaged, table: str, after: int) -> int | None:
    """The first rowid above ``after`` that a B-tree search still reaches (None: none is)."""
    search = _searcher(conn, table)
    failed, step = after, 1
    while True:  # double the step until a search gets past the damage
        target = min(after + step, _MAX_ROWID)
        ok, _ = search(target)
        if ok:
            break
        failed = target
        if target == _MAX_ROWID:
            return None
        step *= 2
    good = target
    while good - failed > 1:  # then halve back to the first search that works
        middle = (failed + good) // 2
        ok, _ = search(middle)
        if ok:
            good = middle
        else:
            failed = middle
    return search(good)[1]


def _searcher(conn: Damaged, table: str) -> Callable[[int], tuple[bool, int | None]]:
    """``search(r)``: (whether the search worked, the first rowid >= r or None if there is none)."""
    sql = f"SELECT rowid FROM {_q(table)} WHERE rowid >= ? ORDER BY rowid LIMIT 1"

    def search(rowid: int) -> tuple[bool, int | None]:
        try:
            row = conn.execute(sql, [rowid]).fetchone()
        except sqlite.DatabaseError as e:
            damage(e)
            conn.reset()
            return False, None
        return True, None if row is None else int(row[0])

    return search


def read_index_keys(conn: Damaged, table: str, column: str) -> list[str]:
    """The values of a UNIQUE ``column`` as its index holds them: readable when the table's pages are not."""
    out: list[str] = []
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                                            [table])]
        index = next((n for n in names if [r[2] for r in conn.execute(f"PRAGMA index_info({_q(n)})")] == [column]),
                     None)
        if index is None:
            return out
        # A query that asks for nothing but the index's key is answered from the index alone.
        for (value,) in conn.execute(f"SELECT {_q(column)} FROM {_q(table)} INDEXED BY {_q(index)}"
                                     f" WHERE {_q(column)} IS NOT NULL ORDER BY {_q(column)}"):
            out.append(str(value))
    except sqlite.DatabaseError as e:
        log.warning("index of %s.%s readable up to %d keys: %s", table, column, len(out), damage(e))
        conn.reset()
    return out


def quoted(name: str) -> str:
    """``name`` as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


_q = quoted
