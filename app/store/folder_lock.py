"""An exclusive lock on a file in the data folder, held across processes (one sync at a time).

The window's sync engine and ``sync --once`` in a terminal may run against one data folder at
the same moment; two runs would upload the same blobs and answer the same actions twice. The
lock is an OS file lock (``flock`` on Linux, ``msvcrt.locking`` on Windows), so it is released
by the kernel when its holder dies: a crashed run never leaves the folder locked.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.core.errors import UserError


class FolderBusy(UserError):
    """Another process holds the lock."""


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def exclusive(path: Path, *, wait: float, message: str, poll: float = 0.1) -> Iterator[None]:
    """Hold ``path`` locked for the block; waits up to ``wait`` seconds, then FolderBusy(message)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise FolderBusy(message, log=f"{path.name} is locked by another process")
            time.sleep(poll)
        yield  # the lock goes with the descriptor: closing it (or dying) releases it
    finally:
        os.close(fd)
