"""Content-addressed blob store: page images and PDFs kept once, named by SHA-256.

``blobs/ab/cdef…``. A blob is written to a temporary file, fsynced, then renamed into
place, and the folder is fsynced: a crash leaves either the whole blob or nothing, and a
failed write (a full disk) removes its temporary file before it reports the fault.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.store import kill_points
from app.store.faults import translated

log = logging.getLogger("store.blobs")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory for fsync
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks (uploads and downloads can be large)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class BlobStore:
    """Immutable files addressed by their SHA-256 under one root folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / "tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)
        #: the data folder, named in the messages of storage faults
        self._folder = root.parent

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes) -> str:
        """Store ``data`` (idempotent) and return its SHA-256; a StorageFault if the disk refuses."""
        digest = sha256_hex(data)
        target = self.path(digest)
        if target.is_file():
            return digest
        with translated(self._folder):
            target.parent.mkdir(exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix=digest[:8], suffix=".part")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                kill_points.reached("blob.tmp_written")
                os.replace(tmp_name, target)
            except BaseException:
                with contextlib.suppress(OSError):  # the folder may be gone or read-only by now
                    os.unlink(tmp_name)
                raise
            _fsync_dir(target.parent)
        kill_points.reached("blob.stored")
        return digest

    def partial_path(self, sha256: str) -> Path:
        """Where a download of ``sha256`` collects its bytes until they are whole and checked."""
        return self.root / "downloads" / f"{sha256}.part"

    def read(self, sha256: str) -> bytes:
        with translated(self._folder):
            return self.path(sha256).read_bytes()

    def verify(self, sha256: str) -> bool:
        """True if the blob exists and its content still hashes to its name."""
        try:
            return sha256_hex(self.read(sha256)) == sha256
        except FileNotFoundError:
            return False

    def all_hashes(self) -> Iterator[str]:
        for sub in self.root.iterdir():
            if len(sub.name) == 2 and sub.is_dir():
                for f in sub.iterdir():
                    yield sub.name + f.name

    def collect_garbage(self, referenced: set[str]) -> list[str]:
        """Delete leftovers of interrupted writes: temp files and unreferenced blobs.

        Only call this while no other writer can be between "blob written" and
        "record committed" (the store holds the data folder's exclusive lock).
        """
        for part in self._tmp.iterdir():
            part.unlink(missing_ok=True)
        removed = [h for h in self.all_hashes() if h not in referenced]
        for h in removed:
            self.path(h).unlink(missing_ok=True)
        if removed:
            log.info("removed %d unreferenced blobs", len(removed))
        return removed
