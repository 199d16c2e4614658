"""The database driver is SQLCipher, and sqlite-utils, FTS5 and the keyed files work with it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from app.store import sqlite
from app.store.crypto import DataKey
from app.store.database import DB_NAME, connect, is_plaintext


def test_sqlite_utils_catches_the_drivers_errors(tmp_path: Path) -> None:
    """sqlite-utils catches its driver's OperationalError in its own code: it must be SQLCipher's."""
    db = sqlite_utils.Database(connect(tmp_path / "x.sqlite3", DataKey.new()), execute_plugins=False)
    db["nothing"].drop(ignore=True)  # raises OperationalError inside, caught there
    db["t"].insert({"id": 1, "name": "韦秀英"}, pk="id")
    assert list(db.query("SELECT name FROM t")) == [{"name": "韦秀英"}]
    with pytest.raises(sqlite.OperationalError):
        db.execute("SELECT * FROM missing")


def test_fts5_trigram_search_runs_on_the_encrypted_file(tmp_path: Path) -> None:
    conn = connect(tmp_path / "x.sqlite3", DataKey.new())
    conn.execute("CREATE VIRTUAL TABLE s USING fts5(name, tokenize='trigram')")
    conn.executemany("INSERT INTO s (name) VALUES (?)", [("城乡居民基本养老保险参保登记",), ("个体工商户设立登记",)])
    assert conn.execute("SELECT name FROM s WHERE s MATCH '工商户'").fetchall() == [("个体工商户设立登记",)]


def test_the_file_is_encrypted_and_another_key_reads_nothing(tmp_path: Path) -> None:
    key = DataKey.new()
    conn = connect(tmp_path / DB_NAME, key)
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.execute("INSERT INTO t VALUES ('11010519491231002X')")
    conn.close()
    raw = (tmp_path / DB_NAME).read_bytes()
    assert b"11010519491231002X" not in raw and not is_plaintext(tmp_path / DB_NAME)
    other = sqlite.open_keyed(tmp_path / DB_NAME, DataKey.new())
    with pytest.raises(sqlite.DatabaseError):
        other.execute("SELECT * FROM t").fetchall()
    assert connect(tmp_path / DB_NAME, key).execute("SELECT v FROM t").fetchall() == [("11010519491231002X",)]
