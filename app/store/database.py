"""The local database: one SQLite file per installation, one writer thread, many readers.

WAL lets readers (the window's list, the command line) run while the single writer
commits. Every write runs on the writer thread inside ``BEGIN IMMEDIATE … COMMIT``, so
a use case's rows land together or not at all.

Opening, every write and every reader's connection translate storage failures (a full disk,
a read-only or vanished folder, a lock held too long, a damaged file) into the user errors of
:mod:`app.store.faults`; a damaged database is never written to, only reported.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from app.core.errors import UserError
from app.store import faults, kill_points, sqlite
from app.store.blobs import BlobStore
from app.store.crypto import DataKey
from app.store.migrations import migrate

log = logging.getLogger("store.db")
T = TypeVar("T")
DB_NAME = "chuangkou.sqlite3"
#: every open store holds a shared lock on it; encrypting, rotating the key and repairing take it whole
LOCK_FILE = ".lock"
#: the decrypted page cache of each reader connection (KiB); pages are read and decrypted once
READER_CACHE_KIB = 128 * 1024
#: how long a write waits for another program's lock before it gives up with «数据库正被其他程序占用»
BUSY_TIMEOUT = 30.0

try:  # POSIX advisory locks; Windows builds go without a shared-use lock for now
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class PlaintextDatabase(UserError):
    """The folder's database is not encrypted yet: it must be encrypted in place before use."""


def is_plaintext(path: Path) -> bool:
    """Whether the database at ``path`` is an unencrypted SQLite file (the header says so)."""
    try:
        with path.open("rb") as f:
            return f.read(16) == sqlite.PLAIN_HEADER
    except FileNotFoundError:
        return False


def create_private(path: Path) -> None:
    """An empty file only this account can read, before SQLite makes it (and its -wal and -shm,
    which SQLite gives the database file's permissions)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def connect(path: Path, key: DataKey) -> sqlite.Connection:
    """A connection with the key and the pragmas every connection needs."""
    conn = sqlite.open_keyed(path, key, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        # FULL: an intake the clerk saw succeed must survive a power cut, not only a crash.
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


class Store:
    """The data folder: database, blob store and the lock that guards clean-ups."""

    def __init__(self, data_dir: Path, keys: list[DataKey], database_key_: DataKey | None = None) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        #: the data key (first) and, during an unfinished rotation, the previous one
        self.keys = keys
        #: the key the database is under (during a rotation, until its copy is swapped in: the old one)
        self.key = database_key_ or database_key(self.path, keys)
        self.blobs = BlobStore(data_dir / "blobs", keys)
        self._lock_file = open(data_dir / LOCK_FILE, "a+b")  # noqa: SIM115 - held for our lifetime
        if fcntl is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_SH)
        self._local = threading.local()
        self._writer_conn: sqlite.Connection | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._readers: list[sqlite.Connection] = []
        self._readers_lock = threading.Lock()
        #: set once a read or write met a damaged file: later writes are refused, so nothing new goes into it
        self._damaged: faults.DatabaseCorrupt | None = None

    @classmethod
    def open(cls, data_dir: Path, keys: list[DataKey], *, create: bool = False) -> Store:
        """Open (and migrate) the store in ``data_dir``; UserError if it is not one or cannot be used.

        ``keys``: the data key, then any key an unfinished rotation still needs. A plaintext
        database is refused (PlaintextDatabase): sign-in encrypts it in place first.
        """
        if not create and not (data_dir / DB_NAME).is_file():
            raise not_a_store(data_dir)
        with faults.translated(data_dir):
            make_private_folder(data_dir)  # also a folder made before this version, at 0755
            key = keys[0]
            if (data_dir / DB_NAME).exists():
                if is_plaintext(data_dir / DB_NAME):
                    raise PlaintextDatabase("本机数据尚未加密，请登录后再试", log=f"plaintext database in {data_dir}")
                key = database_key(data_dir / DB_NAME, keys)  # tried once: each try opens a connection
                check(data_dir / DB_NAME, data_dir, key)  # before any write
            else:
                create_private(data_dir / DB_NAME)
            store = cls(data_dir, keys, key)
            try:
                conn = connect(store.path, store.key)
                try:
                    conn.execute("PRAGMA journal_mode = WAL")
                    migrate(conn)
                finally:
                    conn.close()
            except BaseException:
                store.close()
                raise
        return store

    # -- reading -------------------------------------------------------------------------
    def reader(self) -> sqlite_utils.Database:
        """This thread's own read connection (opened on first use)."""
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            with self._faults():
                conn = connect(self.path, self.key)
            conn.execute("PRAGMA query_only = ON")  # no I/O: sets a flag on the connection
            # A reader keeps up to this much of the database decrypted: SQLCipher decrypts a page each
            # time it is read into the cache, so the list's searches and counts over 100 000 cases
            # would otherwise decrypt the same pages again at every keystroke.
            conn.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB}")
            with self._readers_lock:
                self._readers.append(conn)
            db = self._local.db = _Reading(conn, self._faults)
        return db

    @contextlib.contextmanager
    def _faults(self) -> Iterator[None]:
        """Storage failures as StorageFaults; damage, once seen, is remembered (see :meth:`_run_write`)."""
        try:
            with faults.translated(self.data_dir):
                yield
        except faults.DatabaseCorrupt as fault:
            self._damaged = fault
            raise

    # -- writing -------------------------------------------------------------------------
    def submit(self, fn: Callable[[sqlite_utils.Database], T]) -> Future[T]:
        """Run ``fn`` on the writer thread in one transaction; the future holds its result."""
        return self._writer.submit(self._run_write, fn)

    def write(self, fn: Callable[[sqlite_utils.Database], T]) -> T:
        """Like :meth:`submit`, waiting for the result (for the command line and tests)."""
        return self.submit(fn).result()

    def _run_write(self, fn: Callable[[sqlite_utils.Database], T]) -> T:
        if self._damaged is not None:
            raise faults.corrupt(self.data_dir, f"write refused after: {self._damaged.log}")
        try:
            with self._faults():
                if self._writer_conn is None:
                    self._writer_conn = connect(self.path, self.key)
                conn = self._writer_conn
                db = sqlite_utils.Database(conn, execute_plugins=False)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = fn(db)
                    kill_points.reached("db.before_commit")
                    conn.execute("COMMIT")
                    kill_points.reached("db.committed")
                except BaseException:
                    self._roll_back(conn)
                    raise
        except faults.StorageFault:
            # The folder or the file may have changed under this connection (a disk swapped back
            # in, a lock released): the next write starts on a fresh one.
            self._close_writer()
            raise
        return result

    def _roll_back(self, conn: sqlite.Connection) -> None:
        # SQLite has already rolled back after some failures (a full disk, an I/O error).
        if not conn.in_transaction:
            return
        try:
            conn.execute("ROLLBACK")
        except sqlite.Error:  # the first error is the one to report; this connection is done
            log.warning("rollback failed; the writer connection is closed", exc_info=True)
            self._close_writer()

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
        conn, self._writer_conn = self._writer_conn, None
        if conn is not None:
            try:
                conn.close()
            except sqlite.Error:  # closing checkpoints: it can meet the same fault again
                log.warning("closing the writer connection failed", exc_info=True)


class _Reading(sqlite_utils.Database):
    """A reader's database whose statements report storage failures as StorageFaults.

    Only the outer calls are wrapped: sqlite-utils catches some OperationalErrors of its own
    inside them (a savepoint that cannot be released yet reports SQLITE_BUSY). Rows after the
    first are read lazily, outside the wrapper; the command line and the window's tasks
    classify what arrives from there.
    """

    def __init__(self, conn: sqlite.Connection, guard: Callable[[], contextlib.AbstractContextManager[None]]) -> None:
        self._guard = guard  # first: the base class runs a PRAGMA as it starts
        super().__init__(conn, execute_plugins=False)

    def execute(self, sql: str, parameters: Any = None) -> sqlite.Cursor:
        with self._guard():
            return super().execute(sql, parameters)

    def query(self, sql: str, params: Any = None) -> Generator[dict[Any, Any], None, None]:
        with self._guard():
            return super().query(sql, params)


def database_key(path: Path, keys: list[DataKey]) -> DataKey:
    """Which of ``keys`` the database at ``path`` is under: the first, unless a key rotation was cut
    short before the database's turn (then a later one opens it). The first if none does, so the
    damage is reported as damage."""
    if len(keys) > 1 and path.exists():
        for key in keys:
            conn = sqlite.open_keyed(f"{path.absolute().as_uri()}?mode=ro", key, uri=True, timeout=BUSY_TIMEOUT)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return key
            except sqlite.DatabaseError:
                continue
            finally:
                conn.close()
    return keys[0]


def check(path: Path, data_dir: Path, key: DataKey) -> None:
    """DatabaseCorrupt if the file's structure is damaged (``PRAGMA quick_check``).

    The check reads through a read-only connection: a damaged file must not be written to, and
    the last read-write connection to close would checkpoint the WAL into it.

    quick_check, not integrity_check: it reads every page but does not compare each index with
    its table, which makes it four to five times faster (1 s against 6 s at 100 000 cases) for a
    check that runs at every start of the window and every command.
    """
    conn = sqlite.open_keyed(f"{path.absolute().as_uri()}?mode=ro", key, uri=True, timeout=BUSY_TIMEOUT)
    try:
        problems = [str(row[0]) for row in conn.execute("PRAGMA quick_check(20)")]
    finally:
        conn.close()
    if problems != ["ok"]:
        raise faults.corrupt(data_dir, f"quick_check on {path}: " + "; ".join(problems))


def make_private_folder(data_dir: Path) -> None:
    """The data folder, readable by this account only (0700 on POSIX, whatever the umask)."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(data_dir, 0o700)


def not_a_store(data_dir: Path) -> UserError:
    """Why ``data_dir`` cannot be opened when it holds no database."""
    if not data_dir.exists():
        return faults.FolderMissing(
            "找不到数据目录 {data_dir}。如果数据存放在U盘、移动硬盘或网络盘上，请连接好后重试；如果本机是第一次使用，"
            "请先运行 init --org 本单位代码", data_dir=data_dir, log=f"data folder missing: {data_dir}")
    if any((data_dir / "blobs").glob("??/*")):
        # Page files but no database: it was deleted or moved. A fresh init would orphan the
        # pages (and the clean-up would then remove them), so say so instead of offering init.
        return faults.DatabaseCorrupt(
            "数据目录 {data_dir} 中的数据库文件不见了（材料文件还在）。请不要重新初始化，"
            "请技术支持找回数据库文件后重试。",
            data_dir=data_dir, log=f"{DB_NAME} missing but blobs present in {data_dir}")
    return UserError("数据目录 {data_dir} 尚未初始化，请先运行 init --org 本单位代码", data_dir=data_dir,
                     log=f"data folder not initialised: {data_dir}")
