"""Encrypting a data folder from before encryption, in place, resumably, losing nothing.

Order, each step whole or not at all, so a kill at any point leaves either form whole:

1. the data key is written to ``keys.json`` (before anything is sealed with it);
2. each page file is sealed into a temporary file, fsynced, and renamed over the plain one;
   a file already sealed is passed over, so a second run goes on where the first stopped;
3. the database's WAL is checkpointed into it, the whole database is exported into an encrypted
   copy (``sqlcipher_export``), fsynced, the empty WAL is removed and the copy renamed over the
   original. Until that rename the plain database is the whole truth; after it, the encrypted one.

Plain partial downloads are removed (they are fetched again); logs are rewritten masked.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from app.core.errors import N_, UserError
from app.core.masking import mask_personal_numbers
from app.store import folder_lock, keyslots, kill_points, sqlite
from app.store.blobs import fsync_dir, sha256_hex, write_atomically
from app.store.crypto import DataKey, WrongKey, is_sealed, sealed_key_id
from app.store.database import DB_NAME, LOCK_FILE, database_key, is_plaintext, make_private_folder

log = logging.getLogger("store.encrypt")
EXPORT = DB_NAME + ".encrypting"


def plaintext_settings(data_dir: Path, names: Sequence[str]) -> dict[str, Any]:
    """The unit settings ``names`` of a plain database (read-only), for signing in before it is encrypted."""
    conn = sqlite.connect(f"{(data_dir / DB_NAME).absolute().as_uri()}?mode=ro", uri=True)
    try:
        rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    finally:
        conn.close()
    out: dict[str, Any] = {}
    for name in names:
        raw = rows.get(name)
        if raw is not None:
            with contextlib.suppress(ValueError):
                out[name] = json.loads(raw)
    return out


def prepare(data_dir: Path, public: dict[str, Any]) -> DataKey:
    """The key this folder will be sealed with, in ``keys.json`` before anything is sealed."""
    if keyslots.exists(data_dir):
        key = keyslots.enrolment_key(keyslots.load(data_dir))
        if key is None:
            raise RuntimeError("plain folder whose keys.json has no enrolment slot")
        return key
    return keyslots.create(data_dir, public)


def encrypt_in_place(data_dir: Path, key: DataKey) -> None:
    """Seal every plain page file and the database with ``key`` (see the module docstring)."""
    with alone(data_dir):
        make_private_folder(data_dir)
        sealed = 0
        for file in list(_plain_blobs(data_dir, key)):
            digest = file.parent.name + file.name
            write_atomically(file, key.seal_blob(digest, file.read_bytes()), data_dir / "blobs" / "tmp", "enc-")
            sealed += 1
            kill_points.reached("encrypt.blob_sealed")
        downloads = data_dir / "blobs" / "downloads"
        if downloads.is_dir() and is_plaintext(data_dir / DB_NAME):  # plain partial downloads: fetched again
            for part in downloads.glob("*.part"):
                part.unlink()
        if is_plaintext(data_dir / DB_NAME):
            _mask_old_logs(data_dir)
            export_database(data_dir, None, key)
        if sealed:
            log.info("sealed %d page files in %s", sealed, data_dir)


def _plain_blobs(data_dir: Path, key: DataKey) -> Iterator[Path]:
    root = data_dir / "blobs"
    if not root.is_dir():
        return
    for file in sorted(root.glob("??/*")):
        digest = file.parent.name + file.name
        if len(digest) != 64 or not file.is_file():
            continue
        data = file.read_bytes()
        if is_sealed(data):
            try:
                key.open_blob(digest, data)
                continue
            except WrongKey:
                pass
        if sha256_hex(data) == digest:
            yield file
        elif not is_sealed(data):
            log.warning("page file %s neither plain nor sealed: left as it is", digest[:12])


def export_database(data_dir: Path, old: DataKey | None, key: DataKey) -> None:
    """The database, plain (``old`` None) or under ``old``, replaced whole by a copy under ``key``."""
    db, export = data_dir / DB_NAME, data_dir / EXPORT
    export.unlink(missing_ok=True)  # a copy an earlier run did not finish
    conn = sqlite.connect(db, isolation_level=None) if old is None else sqlite.open_keyed(db, old,
                                                                                       isolation_level=None)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise UserError("数据目录正被其他程序使用，请关闭窗口程序和其他命令后再登录",
                            log=f"checkpoint before encryption blocked in {data_dir}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        fd = os.open(export, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        conn.execute(f"ATTACH DATABASE ? AS enc KEY {key.sqlcipher_pragma}", [str(export)])
        conn.execute("SELECT sqlcipher_export('enc')")
        conn.execute(f"PRAGMA enc.user_version = {int(version)}")
        conn.execute("DETACH DATABASE enc")
    finally:
        conn.close()
    with export.open("rb+") as f:
        os.fsync(f.fileno())
    kill_points.reached("encrypt.db_exported")
    for suffix in ("-wal", "-shm"):  # empty after the checkpoint; a stale WAL must never meet the new file
        Path(str(db) + suffix).unlink(missing_ok=True)
    kill_points.reached("encrypt.wal_removed")
    os.replace(export, db)
    fsync_dir(data_dir)
    kill_points.reached("encrypt.db_replaced")
    log.info("database of %s encrypted", data_dir)


def _mask_old_logs(data_dir: Path) -> None:
    """Logs written before this version name ID and phone numbers in full: masked as they are now."""
    for log_file in (data_dir / "logs").glob("*.log*"):
        text = log_file.read_text(encoding="utf-8", errors="replace")
        masked = mask_personal_numbers(text)
        if masked != text:
            write_atomically(log_file, masked.encode("utf-8"), log_file.parent, ".mask-")


def rotate(data_dir: Path, new: DataKey, old: DataKey) -> None:
    """Seal every page file under ``new`` and the database too (a key rotation's middle, resumable:
    a file already under ``new`` is passed over; the database is swapped whole)."""
    with alone(data_dir):
        resealed = 0
        for blob in sorted((data_dir / "blobs").glob("??/*")):
            name, data = blob.parent.name + blob.name, blob.read_bytes()
            if len(name) != 64 or not is_sealed(data) or sealed_key_id(data) != old.key_id:
                continue
            write_atomically(blob, new.seal_blob(name, old.open_blob(name, data)), data_dir / "blobs" / "tmp",
                             "rekey-")
            resealed += 1
            kill_points.reached("encrypt.blob_sealed")
        for part in (data_dir / "blobs" / "downloads").glob("*.part"):
            part.unlink()  # records under the old key: fetched again
        if database_key(data_dir / DB_NAME, [new, old]) is old:
            export_database(data_dir, old, new)
    log.info("key rotation of %s: %d page files resealed", data_dir, resealed)


def alone(data_dir: Path) -> contextlib.AbstractContextManager[None]:
    """The data folder to this process alone (no window or command has it open), or «正被使用»."""
    return folder_lock.exclusive(data_dir / LOCK_FILE, wait=0, message=N_(
        "数据目录正被窗口程序或其他命令使用，本机数据需要先完成加密或更换密钥：请关闭它们后再登录。"))
