"""The local database: one SQLite file per installation, one writer thread, many readers.

WAL lets readers (the window's list, the command line) run while the single writer
commits. Every write runs on the writer thread inside ``BEGIN IMMEDIATE … COMMIT``, so
a use case's rows land together or not at all.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from app.core.errors import UserError
from app.store import kill_points
from app.store.blobs import BlobStore
from app.store.migrations import migrate

log = logging.getLogger("store.db")
T = TypeVar("T")
DB_NAME = "chuangkou.sqlite3"

try:  # POSIX advisory locks; Windows builds go without a shared-use lock for now
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the pragmas every connection needs."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    # FULL: an intake the clerk saw succeed must survive a power cut, not only a crash.
    conn.execute("PRAGMA synchronous = FULL")
    return conn


class Store:
    """The data folder: database, blob store and the lock that guards clean-ups."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self.blobs = BlobStore(data_dir / "blobs")
        self._lock_file = open(data_dir / ".lock", "a+b")  # noqa: SIM115 - held for our lifetime
        if fcntl is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_SH)
        self._local = threading.local()
        self._writer_conn: sqlite3.Connection | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    @classmethod
    def open(cls, data_dir: Path, *, create: bool = False) -> Store:
        """Open (and migrate) the store in ``data_dir``; UserError if it is not one."""
        if create:
            data_dir.mkdir(parents=True, exist_ok=True)
        elif not (data_dir / DB_NAME).is_file():
            raise UserError(f"数据目录 {data_dir} 尚未初始化，请先运行 init --org 本单位代码",
                            log=f"data folder not initialised: {data_dir}")
        store = cls(data_dir)
        conn = connect(store.path)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise UserError(
                    "本地数据库已损坏，请勿继续录入，联系技术支持从备份恢复",
                    log=f"quick_check on {store.path}: {ok}",
                )
            migrate(conn)
        except BaseException:
            store.close()
            raise
        finally:
            conn.close()
        return store

    # -- reading -------------------------------------------------------------------------
    def reader(self) -> sqlite_utils.Database:
        """This thread's own read connection (opened on first use)."""
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            conn = connect(self.path)
            conn.execute("PRAGMA query_only = ON")
            with self._readers_lock:
                self._readers.append(conn)
            db = self._local.db = sqlite_utils.Database(conn, execute_plugins=False)
        return db

    # -- writing -------------------------------------------------------------------------
    def submit(self, fn: Callable[[sqlite_utils.Database], T]) -> Future[T]:
        """Run ``fn`` on the writer thread in one transaction; the future holds its result."""
        return self._writer.submit(self._run_write, fn)

    def write(self, fn: Callable[[sqlite_utils.Database], T]) -> T:
        """Like :meth:`submit`, waiting for the result (for the command line and tests)."""
        return self.submit(fn).result()

    def _run_write(self, fn: Callable[[sqlite_utils.Database], T]) -> T:
        if self._writer_conn is None:
            self._writer_conn = connect(self.path)
        db = sqlite_utils.Database(self._writer_conn, execute_plugins=False)
        self._writer_conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(db)
            kill_points.reached("db.before_commit")
            self._writer_conn.execute("COMMIT")
            kill_points.reached("db.committed")
        except BaseException:
            if self._writer_conn.in_transaction:
                self._writer_conn.execute("ROLLBACK")
            raise
        return result

    # -- housekeeping --------------------------------------------------------------------
    @contextlib.contextmanager
    def exclusive(self) -> Iterator[bool]:
        """Yield True while this is the only process using the data folder."""
        if fcntl is None:  # pragma: no cover - Windows
            yield False
            return
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(self._lock_file, fcntl.LOCK_SH)

    def close(self) -> None:
        self._writer.submit(self._close_writer).result()
        self._writer.shutdown()
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self._lock_file.close()

    def _close_writer(self) -> None:
        if self._writer_conn is not None:
            self._writer_conn.close()
            self._writer_conn = None
