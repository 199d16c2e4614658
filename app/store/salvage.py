"""Reading what is still readable from a damaged SQLite file, row by row, without writing to it.

A damaged page makes a table scan fail part-way. SQLite's B-tree still finds rows on either side
of it: after a failure the reader looks for the next rowid it can reach (doubling its step, then
halving back to the first one that works) and scans on from there. A row that cannot be read
itself is skipped. So one bad page costs the rows on it, not the table.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.store import faults, sqlite
from app.store.crypto import DataKey

log = logging.getLogger("store.salvage")
MAGIC = b"SQLite format 3\x00"
_MIN_ROWID, _MAX_ROWID = -(1 << 63), (1 << 63) - 1
Rows = list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class TableRead:
    """How much of one table came back."""

    table: str
    rows: int
    complete: bool


def open_damaged(path: Path, scratch: Path, key: DataKey) -> sqlite.Connection | None:
    """A read-only connection to ``path`` (its WAL included); None if nothing in it can be read.

    A file whose first 16 bytes («SQLite format 3») are damaged is copied to ``scratch`` with
    them restored, and the copy is read: the damaged file itself is never written to.
    """
    conn = _read_only(path, key)
    if conn is not None:
        return conn
    with path.open("rb") as f:
        head = f.read(len(MAGIC))
    if head == MAGIC or len(head) < len(MAGIC):
        return None
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / path.name
    shutil.copyfile(path, copy)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    with copy.open("r+b") as f:
        f.write(MAGIC)
    log.info("header of %s damaged; reading a copy with it restored", path)
    return _read_only(copy, key)


def damage(exc: sqlite.DatabaseError, folder: Path | None = None) -> sqlite.DatabaseError:
    """``exc`` if it is the damage being read around; a StorageFault is raised for anything else.

    A lock held by some program, a full disk or a vanished folder is no reason to give up rows:
    the repair stops and says so instead.
    """
    fault = faults.classify(exc, folder)
    if fault is None or isinstance(fault, faults.DatabaseCorrupt):
        return exc
    raise fault from exc


def _read_only(path: Path, key: DataKey) -> sqlite.Connection | None:
    conn = sqlite.open_keyed(f"{path.absolute().as_uri()}?mode=ro", key, uri=True, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite.DatabaseError as e:
        conn.close()
        log.warning("cannot read %s: %s", path, damage(e, path.parent))
        return None
    return conn


def columns(conn: sqlite.Connection, table: str) -> list[str]:
    """The columns of ``table`` in the damaged file ([] when it has no such table or it is unreadable)."""
    try:
        return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({_q(table)})")]
    except sqlite.DatabaseError as e:
        log.warning("schema of %s unreadable: %s", table, damage(e))
        return []


def read_table(conn: sqlite.Connection, table: str, names: Sequence[str],
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


def _next_reachable(conn: sqlite.Connection, table: str, after: int) -> int | None:
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


def _searcher(conn: sqlite.Connection, table: str) -> Callable[[int], tuple[bool, int | None]]:
    """``search(r)``: (whether the search worked, the first rowid >= r or None if there is none)."""
    sql = f"SELECT rowid FROM {_q(table)} WHERE rowid >= ? ORDER BY rowid LIMIT 1"

    def search(rowid: int) -> tuple[bool, int | None]:
        try:
            row = conn.execute(sql, [rowid]).fetchone()
        except sqlite.DatabaseError as e:
            damage(e)
            return False, None
        return True, None if row is None else int(row[0])

    return search


def read_index_keys(conn: sqlite.Connection, table: str, column: str) -> list[str]:
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
    return out


def quoted(name: str) -> str:
    """``name`` as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


_q = quoted
