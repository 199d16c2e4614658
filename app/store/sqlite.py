"""The SQLite driver: SQLCipher (``sqlcipher3``), a drop-in DB-API module with page encryption.

Everything in the app that talks to the database imports the driver from here, never the
standard library's ``sqlite3``: the two raise different exception classes, so an error of one
would slip past an ``except`` written for the other.

sqlite-utils looks for its driver once, when it is first imported (``pysqlite3`` if installed,
else the standard library), and catches that module's ``OperationalError`` in its own code
(a savepoint that cannot be released yet, a table that is not there to drop). It is pointed at
SQLCipher here, which is the same code as pysqlite3 with encryption; ``tests/test_store_cipher.py``
fails if an upgrade of sqlite-utils stops honouring this.
"""

from __future__ import annotations

from typing import Any

import sqlcipher3  # type: ignore[import-untyped]
import sqlcipher3.dbapi2 as driver  # type: ignore[import-untyped]
import sqlite_utils.db
import sqlite_utils.utils

from app.store.crypto import DataKey

sqlite_utils.utils.sqlite3 = sqlcipher3  # type: ignore[attr-defined]
sqlite_utils.utils.dbapi2 = driver  # type: ignore[attr-defined]
sqlite_utils.utils.OperationalError = driver.OperationalError
sqlite_utils.db.sqlite3 = sqlcipher3  # type: ignore[attr-defined]
sqlite_utils.db.OperationalError = driver.OperationalError  # type: ignore[attr-defined]

Connection = driver.Connection
Cursor = driver.Cursor
Row = driver.Row
Error = driver.Error
DatabaseError = driver.DatabaseError
OperationalError = driver.OperationalError
IntegrityError = driver.IntegrityError
ProgrammingError = driver.ProgrammingError
InterfaceError = driver.InterfaceError
connect = driver.connect
sqlite_version = driver.sqlite_version
#: the first 16 bytes of every unencrypted SQLite database; an encrypted one starts with its salt
PLAIN_HEADER = b"SQLite format 3\x00"
complete_statement = driver.complete_statement


def open_keyed(target: Any, key: DataKey, **kwargs: Any) -> Any:
    """A connection to ``target`` opened with ``key`` before any other statement."""
    conn = connect(target, **kwargs)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # our faults say it, in words; not a line on stderr
        conn.execute(f"PRAGMA key = {key.sqlcipher_pragma}")
        # Sorts and temporary tables stay in memory: SQLite's temporary files would land in /tmp.
        conn.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        conn.close()
        raise
    return conn
