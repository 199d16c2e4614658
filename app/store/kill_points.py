"""TEST ONLY: named points in the writing code where a crash test may kill this process.

A crash test must land *inside* a write, not before it starts or after it ends; timing a
SIGKILL from outside mostly misses (the writing is the last few per cent of a run). So the
writers call :func:`reached` at the edges of each step: a blob's temporary file written, a
blob renamed into place, a transaction about to commit, a batch answered by the platform...

Inert in production: unless ``CHUANGKOU_TEST_ONLY_KILL_AT`` is set in the environment when
the process starts, :func:`reached` returns at once and does nothing else. The variable
names one point, optionally the how-manieth time it is reached: ``blob.stored#3``. When that
moment comes the process sends itself SIGKILL: no clean-up, no ``finally``, as in a power cut.
With ``!pause`` after it (``blob.stored#3!pause``) the process instead creates the file named
by ``CHUANGKOU_TEST_ONLY_PAUSE_FILE`` and waits, at most a minute, until the test removes it:
so a test can run something else (gc, a second sync) at exactly that moment.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

ENV = "CHUANGKOU_TEST_ONLY_KILL_AT"
PAUSE_FILE_ENV = "CHUANGKOU_TEST_ONLY_PAUSE_FILE"
_SPEC = os.environ.get(ENV, "")
_POINT, _, _HOW = _SPEC.partition("!")
_NAME, _, _NTH = _POINT.partition("#")
_WANTED = int(_NTH) if _NTH.isdigit() else 1
_seen = 0
_lock = threading.Lock()

#: every point the code calls, for the tests to choose from and to check they are all reached
POINTS = (
    "blob.tmp_written", "blob.stored", "db.before_commit", "db.committed",
    "upload.chunk_sent", "sync.blob_uploaded", "sync.batch_answered", "feed.page_applied",
    "download.part_written", "download.moved",
    "encrypt.blob_sealed", "encrypt.db_exported", "encrypt.wal_removed", "encrypt.db_replaced",
)


def arm(spec: str) -> None:
    """TEST ONLY: aim at ``spec`` (as the variable would) in a process forked after this module was imported.

    The crash tests fork each run from a process that has imported the program once, to spare
    dozens of start-ups; nothing in the program calls this.
    """
    global _SPEC, _POINT, _HOW, _NAME, _NTH, _WANTED, _seen
    _SPEC = spec
    _POINT, _, _HOW = spec.partition("!")
    _NAME, _, _NTH = _POINT.partition("#")
    _WANTED = int(_NTH) if _NTH.isdigit() else 1
    _seen = 0


def reached(name: str) -> None:
    """Die here if the test asked for this point (and this is its turn); otherwise nothing."""
    if not _SPEC or name != _NAME:
        return
    global _seen
    with _lock:
        _seen += 1
        if _seen != _WANTED:
            return
    if _HOW == "pause":
        marker = Path(os.environ[PAUSE_FILE_ENV])
        marker.touch()
        end = time.monotonic() + 60
        while marker.exists() and time.monotonic() < end:
            time.sleep(0.02)
        return
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
