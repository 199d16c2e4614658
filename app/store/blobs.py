"""Content-addressed blob store: page images and PDFs kept once, named by SHA-256, sealed.

``blobs/ab/cdef…``, where the name is the SHA-256 of the plaintext (so deduplication and sync
work as before) and the file holds it sealed with AES-256-GCM (see :mod:`app.store.crypto`).
A blob is written to a temporary file, fsynced, then renamed into place, and the folder is
fsynced: a crash leaves either the whole blob or nothing, and a failed write (a full disk)
removes its temporary file before it reports the fault.

A download in progress is kept as sealed records (:class:`PartialBlob`), never as plaintext.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.store import kill_points
from app.store.crypto import DataKey, WrongKey, is_sealed, sealed_key_id
from app.store.faults import translated

log = logging.getLogger("store.blobs")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks (the platform's stored files can be large)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fsync_dir(path: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory for fsync
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(target: Path, data: bytes, tmp_dir: Path, prefix: str) -> None:
    """``data`` at ``target`` whole or not at all (temporary file, fsync, rename, fsync folder); mode 0600."""
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix=prefix, suffix=".part")
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
    fsync_dir(target.parent)


class BlobStore:
    """Immutable, sealed files addressed by the SHA-256 of their plaintext under one root folder."""

    def __init__(self, root: Path, keys: list[DataKey]) -> None:
        self.root = root
        self._tmp = root / "tmp"
        self._tmp.mkdir(mode=0o700, parents=True, exist_ok=True)
        #: the data folder, named in the messages of storage faults
        self._folder = root.parent
        #: the first seals new blobs; the others still open blobs of an unfinished key rotation
        self._keys = keys
        self._by_id = {k.key_id: k for k in keys}

    @property
    def key(self) -> DataKey:
        return self._keys[0]

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
            target.parent.mkdir(mode=0o700, exist_ok=True)
            write_atomically(target, self.key.seal_blob(digest, data), self._tmp, digest[:8])
        kill_points.reached("blob.stored")
        return digest

    def read(self, sha256: str) -> bytes:
        """The plaintext of blob ``sha256``; WrongKey if the file does not open (altered or damaged)."""
        with translated(self._folder):
            sealed = self.path(sha256).read_bytes()
        return self.open_sealed(sha256, sealed)

    def open_sealed(self, sha256: str, sealed: bytes) -> bytes:
        key = self._by_id.get(sealed_key_id(sealed)) if is_sealed(sealed) else None
        if key is None:
            raise WrongKey(f"blob {sha256[:12]} is not sealed with a key of this folder")
        return key.open_blob(sha256, sealed)

    def verify(self, sha256: str) -> bool:
        """True if the blob exists, opens, and its plaintext still hashes to its name."""
        try:
            return sha256_hex(self.read(sha256)) == sha256
        except (FileNotFoundError, WrongKey):
            return False

    def partial(self, sha256: str) -> PartialBlob:
        """Where a download of ``sha256`` collects its bytes until they are whole and checked."""
        return PartialBlob(self, sha256)

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


_RECORD = struct.Struct(">I")


class PartialBlob:
    """A download in progress: sealed records appended to ``blobs/downloads/<sha>.part``.

    Each record is bound to the blob and to its plaintext offset, so records cannot be reordered
    or spliced in from another download. A record torn by a crash is cut off at the next look.
    """

    def __init__(self, store: BlobStore, sha256: str) -> None:
        self.store, self.sha256 = store, sha256
        self.file = store.root / "downloads" / f"{sha256}.part"

    def _records(self) -> Iterator[tuple[int, int, bytes]]:
        """(file offset after it, plaintext offset, plaintext) of each whole record that opens, in order."""
        if not self.file.exists():
            return
        data = self.file.read_bytes()
        pos = plain = 0
        while pos + _RECORD.size <= len(data):
            (n,) = _RECORD.unpack_from(data, pos)
            end = pos + _RECORD.size + n
            if end > len(data):
                return
            try:
                block = self.store.key.open_chunk(self._aad(plain), data[pos + _RECORD.size:end])
            except WrongKey:
                return
            yield end, plain, block
            pos, plain = end, plain + len(block)

    def _aad(self, offset: int) -> bytes:
        return f"{self.sha256}@{offset}".encode()

    def size(self) -> int:
        """Plaintext bytes held; a torn or foreign tail is cut off here."""
        good_end, plain = 0, 0
        for end, start, block in self._records():
            good_end, plain = end, start + len(block)
        if self.file.exists() and self.file.stat().st_size != good_end:
            with self.file.open("r+b") as f:
                f.truncate(good_end)
        return plain

    def reset(self) -> None:
        self.file.unlink(missing_ok=True)

    @contextlib.contextmanager
    def appending(self, at: int) -> Iterator[_Appender]:
        """Append plaintext blocks from plaintext offset ``at``; fsynced on the way out."""
        self.file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with self.file.open("ab") as f:
            appender = _Appender(self, f, at)
            try:
                yield appender
            finally:
                f.flush()
                os.fsync(f.fileno())

    def finish(self) -> bool:
        """Move a whole download into the store if its plaintext hashes right; False (and reset) if not."""
        data = b"".join(block for _, _, block in self._records())
        if sha256_hex(data) != self.sha256:
            self.reset()
            return False
        kill_points.reached("download.part_written")
        self.store.put(data)
        kill_points.reached("download.moved")
        self.reset()
        return True


class _Appender:
    def __init__(self, partial: PartialBlob, f: BinaryIO, at: int) -> None:
        self.partial, self.f, self.at = partial, f, at

    def write(self, block: bytes) -> None:
        record = self.partial.store.key.seal_chunk(self.partial._aad(self.at), block)
        self.f.write(_RECORD.pack(len(record)) + record)
        self.at += len(block)

    def tell(self) -> int:
        return self.at
