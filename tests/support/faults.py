"""Real storage faults for the tests: a small full filesystem, a read-only mount, a damaged file.

Each needs root and the mount system call (a CI machine runs the suite as root; a container may
still refuse mounts): the fixtures skip with the reason when they cannot have the fault for real.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from app.store.crypto import DataKey
from tests.support import folders


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), capture_output=True, text=True, check=False)


def need_mounts() -> None:
    """Skip unless this process may mount file systems (root, and a kernel/container that lets it)."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root to mount a small or read-only file system")


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (e.g. "16m") mounted on ``folder`` for the block; unmounted afterwards."""
    need_mounts()
    folder.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        _unmount(folder)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` bind-mounted onto itself read-only for the block (root ignores file modes)."""
    need_mounts()
    done = _run("mount", "--bind", str(folder), str(folder))
    if done.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {done.stderr.strip()}")
    try:
        done = _run("mount", "-o", "remount,ro,bind", str(folder))
        if done.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {done.stderr.strip()}")
        yield folder
    finally:
        _unmount(folder)


def _unmount(folder: Path) -> None:
    if _run("umount", str(folder)).returncode != 0:
        _run("umount", "-l", str(folder))  # still busy (a leaked handle): detach it anyway


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` until at most ``leave`` bytes are free; returns the filler file."""
    filler = folder / "filler.bin"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with filler.open("wb") as f, contextlib.suppress(OSError):
        f.write(b"\0" * max(free - leave, 0))
        f.flush()
        os.fsync(f.fileno())
    return filler


def free_bytes(folder: Path) -> int:
    st = os.statvfs(folder)
    return st.f_bavail * st.f_frsize


#: what SQLCipher keeps at the end of every page: the page's IV (16 bytes) and HMAC-SHA512 (64)
RESERVE, IV = 80, 16


def decrypted(db_file: Path, key: DataKey, page_size: int) -> bytes:
    """The database file's pages decrypted in place (same page numbers): SQLCipher 4 encrypts each
    page with AES-256-CBC, its IV in the page's reserved tail; page 1 keeps the salt in clear."""
    raw, out = db_file.read_bytes(), bytearray()
    for start in range(0, len(raw), page_size):
        page = raw[start:start + page_size]
        head = 16 if start == 0 else 0
        body = page[head:page_size - RESERVE]
        iv = page[page_size - RESERVE:page_size - RESERVE + IV]
        dec = Cipher(algorithms.AES(key.sqlcipher_key), modes.CBC(iv)).decryptor()
        plain = dec.update(body) + dec.finalize()
        out += (b"SQLite format 3\x00" if head else b"") + plain + bytes(RESERVE)
    return bytes(out)


def leaf_pages(db_file: Path, table: str) -> list[int]:
    """The table's B-tree leaf pages, left to right, read from the decrypted file (no dbstat needed)."""
    key = folders.key_of(db_file.parent)
    conn = folders.connect(db_file.parent)
    try:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    finally:
        conn.close()
    data = decrypted(db_file, key, page_size)

    def walk(page: int) -> list[int]:
        base = (page - 1) * page_size
        header = base + (100 if page == 1 else 0)
        kind = data[header]
        if kind == 0x0D:
            return [page]
        assert kind == 0x05, f"page {page} is not a table b-tree page ({kind:#x})"
        cells = int.from_bytes(data[header + 3:header + 5], "big")
        children = []
        for i in range(cells):
            offset = int.from_bytes(data[header + 12 + 2 * i:header + 14 + 2 * i], "big")
            children.append(int.from_bytes(data[base + offset:base + offset + 4], "big"))
        children.append(int.from_bytes(data[header + 8:header + 12], "big"))
        return [leaf for child in children for leaf in walk(child)]

    return walk(root)


def flip_page(db_file: Path, page: int, length: int = 64) -> None:
    """Invert ``length`` bytes at the start of ``page`` (its header and cell pointers): a bad sector."""
    conn = folders.connect(db_file.parent)
    try:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()
    with db_file.open("r+b") as f:
        f.seek((page - 1) * page_size)
        block = f.read(length)
        f.seek((page - 1) * page_size)
        f.write(bytes(b ^ 0xFF for b in block))
