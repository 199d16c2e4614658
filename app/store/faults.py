"""Storage faults are user errors: a full disk, a read-only or vanished folder, a busy or damaged database.

Classified here, once. The store's own entry points (opening, every write transaction, every
blob written or read) translate what the OS and SQLite raise with :func:`translated`; the two
outer edges (the command line and the window's background tasks) pass anything that still got
past them (a read on a reader connection, a download's partial file) through :func:`classify`.
Anything not recognised stays what it was: a bug.

A write that fails this way has written nothing: SQLite rolls the transaction back, and a blob
is a temporary file until it is whole (see :mod:`app.store.blobs`).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ParamSpec, TypeVar

from app.core.errors import N_, UserError
from app.store import sqlite

#: the command that repairs a damaged database (README «数据库损坏时»)
RECOVER_COMMAND = "python -m app --data {folder} recover"
#: less free space than this, after an unexplained I/O error, means the disk is full
NEARLY_FULL = 1 << 20

P = ParamSpec("P")
R = TypeVar("R")
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_PROTOCOL, _SQLITE_NOTADB = 15, 26
_SQLITE_READONLY_DBMOVED = _SQLITE_READONLY | (4 << 8)


class StorageFault(UserError):
    """The data folder or its database cannot be used right now; nothing was written."""


class DiskFull(StorageFault):
    """No space left on the disk that holds the data folder."""


class FolderReadOnly(StorageFault):
    """The data folder is on a read-only disk, or this account may not write to it."""


class FolderMissing(StorageFault):
    """The data folder is gone (a USB disk unplugged, a network drive dropped)."""


class DatabaseBusy(StorageFault):
    """Another program holds the database's lock longer than we wait."""


class DatabaseCorrupt(StorageFault):
    """The database file is damaged; it must be repaired with ``recover``, never written over."""


class DiskError(StorageFault):
    """The disk reports a read or write error."""


def _where(place: Path | None) -> str:
    return f"（{place}）" if place is not None else ""


def disk_full(place: Path | None, log: str, noun: str = N_("数据目录")) -> DiskFull:
    return DiskFull("磁盘空间不足，本次操作没有保存。请清理{noun}所在的磁盘{where}后重试，已保存的办件不会丢失。",
                    noun=noun, where=_where(place), log=f"disk full: {log}")


def read_only(place: Path | None, log: str, noun: str = N_("数据目录")) -> FolderReadOnly:
    return FolderReadOnly("{noun}{where}无法写入：磁盘是只读的，或本账户没有写入权限，本次操作没有保存。"
                          "请检查U盘或移动硬盘的写保护开关，或请管理员开放写入权限后重试。",
                          noun=noun, where=_where(place),
                          log=f"read-only: {log}")


def missing(place: Path | None, log: str, noun: str = N_("数据目录")) -> FolderMissing:
    return FolderMissing("找不到{noun}{where}，本次操作没有保存。如果它在U盘、移动硬盘或网络盘上，请连接好后重试。",
                         noun=noun, where=_where(place), log=f"folder missing: {log}")


def busy(log: str) -> DatabaseBusy:
    return DatabaseBusy("本地数据库正被其他程序占用，本次操作没有保存。请关闭同时使用本数据目录的其他程序"
                        "（另一个窗口程序、命令行或备份软件）后重试。", log=f"database busy: {log}")


def corrupt(folder: Path | None, log: str) -> DatabaseCorrupt:
    command = RECOVER_COMMAND.format(folder=folder if folder is not None else N_("数据目录"))
    return DatabaseCorrupt(
        "本地数据库文件已损坏{where}，请停止录入，并请技术支持运行修复命令：{command}。修复时损坏的文件会另行保存、"
        "不会删除；已同步到市级平台的办件下次同步时自动取回，未同步的办件会尽量从损坏的文件中找回，"
        "找不回的会逐件列出。", where=_where(folder), command=command,
        log=f"database damaged: {log}")


def disk_error(place: Path | None, log: str, noun: str = N_("数据目录")) -> DiskError:
    return DiskError("读写{noun}{where}时磁盘出错，本次操作没有保存。请检查磁盘或U盘是否连接牢固后重试；如反复出现，"
                     "请联系技术支持检查磁盘。", noun=noun, where=_where(place), log=f"disk I/O error: {log}")


def _detail(exc: BaseException) -> str:
    if isinstance(exc, sqlite.Error):
        return f"{type(exc).__name__}: {exc} ({getattr(exc, 'sqlite_errorname', '?')})"
    return f"{type(exc).__name__}: {exc}"


def _gone(folder: Path | None) -> bool:
    return folder is not None and not folder.is_dir()


def _probe(folder: Path | None, detail: str) -> StorageFault | None:
    """What state the folder is in, when an error does not say (SQLite's "disk I/O error")."""
    if folder is None:
        return None
    if _gone(folder):
        return missing(folder, detail)
    with contextlib.suppress(OSError):
        if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY:
            return read_only(folder, detail)
        if shutil.disk_usage(folder).free < NEARLY_FULL:
            return disk_full(folder, detail)
        if not os.access(folder, os.W_OK):  # this account may not write there (root always may)
            return read_only(folder, detail)
    return None


def _place(exc: OSError, folder: Path | None) -> tuple[Path | None, str]:
    """Where the failed file is, and what to call it: the data folder, or another folder (an export)."""
    name = exc.filename if isinstance(exc.filename, str | os.PathLike) else None
    if name is None or folder is None:
        return folder, N_("数据目录")
    path = Path(name)
    if path.is_relative_to(folder):
        return folder, N_("数据目录")
    return path.parent, "文件夹"


def _from_os(exc: OSError, folder: Path | None) -> StorageFault | None:
    detail = _detail(exc)
    place, noun = _place(exc, folder)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return disk_full(place, detail, noun)
    if exc.errno == errno.EROFS or (exc.errno in (errno.EACCES, errno.EPERM) and exc.filename is not None):
        return read_only(place, detail, noun)  # (a permission refused to no file is some other program's)
    if exc.errno in (errno.EIO, getattr(errno, "ESTALE", errno.EIO)):
        return (_probe(folder, detail) if noun == "数据目录" else None) or disk_error(place, detail, noun)
    if exc.errno == errno.ENOENT and _gone(folder):
        # A missing file in a folder that is still there is a bug, not the clerk's to fix.
        return missing(folder, detail)
    return None


def _from_sqlite(exc: sqlite.Error, folder: Path | None) -> StorageFault | None:
    detail = _detail(exc)
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # not from the engine itself (a misuse of the API): a bug
        return None
    primary = code & 0xFF
    if primary == _SQLITE_FULL:
        return disk_full(folder, detail)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_PROTOCOL):
        return busy(detail)
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return corrupt(folder, detail)
    if primary in (_SQLITE_READONLY, _SQLITE_PERM):
        if code == _SQLITE_READONLY_DBMOVED:  # the file was deleted or moved under us
            return _probe(folder, detail) or missing(folder, detail)
        return read_only(folder, detail)
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return _probe(folder, detail) or disk_error(folder, detail)
    return None


def classify(exc: BaseException, folder: Path | None = None) -> StorageFault | None:
    """The user error a storage failure amounts to, or None if ``exc`` is not one (a bug).

    ``folder`` is the data folder, when known: it names the place in the message and tells
    a vanished folder from a missing file.
    """
    if isinstance(exc, StorageFault):
        return exc
    if isinstance(exc, OSError):
        return _from_os(exc, folder)
    if isinstance(exc, sqlite.Error):
        return _from_sqlite(exc, folder)
    return None


@contextlib.contextmanager
def translated(folder: Path | None = None) -> Iterator[None]:
    """Re-raise a storage failure inside the block as its :class:`StorageFault`."""
    try:
        yield
    except (OSError, sqlite.Error) as exc:
        fault = classify(exc, folder)
        if fault is None:
            raise
        raise fault from exc


def translating(fn: Callable[P, R]) -> Callable[P, R]:
    """:func:`translated` around every call of ``fn`` (for writers that know no data folder)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translated():
            return fn(*args, **kwargs)

    return wrapper
