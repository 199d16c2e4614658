"""The unit's seal keys, their certificates, the pinned platform root and the CRLs, in the encrypted database.

A seal key's PKCS#8 DER sits in ``seal_keys`` inside the SQLCipher database, so it is encrypted
under the data key (the data-protection key slots) and nowhere else: never a file, never a log
line, never part of what sync uploads. Certificates, the platform's root (pinned at the first
sync) and its CRLs are public; they live here too, so that what the verifier reads from
``<data_dir>/pki`` can always be written again from the database.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

SCHEMA = """
CREATE TABLE seal_keys (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    algorithm TEXT NOT NULL CHECK (algorithm IN ('ec-p256', 'rsa-3072')),
    pkcs8 BLOB NOT NULL,
    spki_sha256 TEXT NOT NULL UNIQUE,
    -- pending: made, no certificate yet; active: certified; retired: superseded or revoked
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'retired')),
    request_id TEXT
);
CREATE TABLE seal_certs (
    serial TEXT PRIMARY KEY,
    key_id TEXT NOT NULL REFERENCES seal_keys(id),
    cert_der BLOB NOT NULL,
    -- JSON list of base64 DER certificates: the issuing CA first, then up to the root
    chain TEXT NOT NULL,
    unit TEXT NOT NULL,
    not_before TEXT NOT NULL,
    not_after TEXT NOT NULL,
    revoked_at TEXT,
    revocation_reason TEXT,
    received_at TEXT NOT NULL
);
CREATE TABLE pki_trust (
    sha256 TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('root', 'intermediate')),
    der BLOB NOT NULL,
    pinned_at TEXT NOT NULL
);
CREATE TABLE pki_crls (
    issuer_sha256 TEXT PRIMARY KEY REFERENCES pki_trust(sha256),
    der BLOB NOT NULL,
    this_update TEXT NOT NULL,
    next_update TEXT,
    received_at TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class KeyRow:
    """A seal key as stored (the private key's DER stays in ``pkcs8``; never logged)."""

    id: str
    created_at: str
    algorithm: str
    pkcs8: bytes
    spki_sha256: str
    status: str
    request_id: str | None

    def __repr__(self) -> str:
        return f"KeyRow(id={self.id!r}, algorithm={self.algorithm!r}, status={self.status!r})"


@dataclass(frozen=True, slots=True)
class CertRow:
    """A seal certificate as stored."""

    serial: str
    key_id: str
    cert_der: bytes
    chain: tuple[bytes, ...]
    unit: str
    not_before: str
    not_after: str
    revoked_at: str | None
    revocation_reason: str | None
    received_at: str


def _key(row: dict[str, Any]) -> KeyRow:
    return KeyRow(**{k: row[k] for k in KeyRow.__slots__})


def _cert(row: dict[str, Any]) -> CertRow:
    values = {k: row[k] for k in CertRow.__slots__}
    values["chain"] = tuple(base64.b64decode(c) for c in json.loads(row["chain"]))
    return CertRow(**values)


def add_key(db: sqlite_utils.Database, row: KeyRow) -> None:
    db.execute("INSERT INTO seal_keys (id, created_at, algorithm, pkcs8, spki_sha256, status, request_id)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)",
               [row.id, row.created_at, row.algorithm, row.pkcs8, row.spki_sha256, row.status, row.request_id])


def keys(db: sqlite_utils.Database) -> list[KeyRow]:
    return [_key(r) for r in db.query("SELECT * FROM seal_keys ORDER BY created_at, id")]


def pending_key(db: sqlite_utils.Database) -> KeyRow | None:
    """The newest key made but not certified yet."""
    rows = list(db.query("SELECT * FROM seal_keys WHERE status = 'pending' ORDER BY created_at DESC LIMIT 1"))
    return _key(rows[0]) if rows else None


def key_by_spki(db: sqlite_utils.Database, spki_sha256: str) -> KeyRow | None:
    rows = list(db.query("SELECT * FROM seal_keys WHERE spki_sha256 = ?", [spki_sha256]))
    return _key(rows[0]) if rows else None


def key_by_id(db: sqlite_utils.Database, key_id: str) -> KeyRow | None:
    rows = list(db.query("SELECT * FROM seal_keys WHERE id = ?", [key_id]))
    return _key(rows[0]) if rows else None


def set_key(db: sqlite_utils.Database, key_id: str, *, status: str | None = None,
            request_id: str | None = None) -> None:
    if status is not None:
        db.execute("UPDATE seal_keys SET status = ? WHERE id = ?", [status, key_id])
    if request_id is not None:
        db.execute("UPDATE seal_keys SET request_id = ? WHERE id = ?", [request_id, key_id])


def add_cert(db: sqlite_utils.Database, row: CertRow) -> bool:
    """Keep a certificate; False if it was already here."""
    if list(db.query("SELECT 1 FROM seal_certs WHERE serial = ?", [row.serial])):
        return False
    db.execute("INSERT INTO seal_certs (serial, key_id, cert_der, chain, unit, not_before, not_after, revoked_at,"
               " revocation_reason, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [row.serial, row.key_id, row.cert_der, json.dumps([base64.b64encode(c).decode() for c in row.chain]),
                row.unit, row.not_before, row.not_after, row.revoked_at, row.revocation_reason, row.received_at])
    return True


def certs(db: sqlite_utils.Database) -> list[CertRow]:
    """Every certificate, newest expiry first."""
    return [_cert(r) for r in db.query("SELECT * FROM seal_certs ORDER BY not_after DESC, serial")]


def mark_revoked(db: sqlite_utils.Database, serial: str, at: str, reason: str) -> bool:
    """Record a revocation the CRL names; False if already recorded (or unknown)."""
    cur = db.execute("UPDATE seal_certs SET revoked_at = ?, revocation_reason = ? WHERE serial = ?"
                     " AND revoked_at IS NULL", [at, reason, serial])
    return bool(cur.rowcount)


def trust(db: sqlite_utils.Database, kind: str) -> list[tuple[str, bytes]]:
    """(sha256, DER) of the pinned roots or the intermediates."""
    return [(r["sha256"], r["der"]) for r in db.query("SELECT sha256, der FROM pki_trust WHERE kind = ?"
                                                      " ORDER BY pinned_at, sha256", [kind])]


def add_trust(db: sqlite_utils.Database, sha256: str, kind: str, der: bytes, at: str) -> None:
    db.execute("INSERT OR IGNORE INTO pki_trust (sha256, kind, der, pinned_at) VALUES (?, ?, ?, ?)",
               [sha256, kind, der, at])


def crls(db: sqlite_utils.Database) -> list[tuple[str, bytes, str]]:
    """(issuer sha256, DER, this_update) of each CRL kept."""
    return [(r["issuer_sha256"], r["der"], r["this_update"]) for r in
            db.query("SELECT issuer_sha256, der, this_update FROM pki_crls ORDER BY issuer_sha256")]


def save_crl(db: sqlite_utils.Database, issuer_sha256: str, der: bytes, this_update: str, next_update: str | None,
             at: str) -> None:
    """Keep a CRL unless a newer one of the same issuer is here already."""
    db.execute("INSERT INTO pki_crls (issuer_sha256, der, this_update, next_update, received_at)"
               " VALUES (?, ?, ?, ?, ?) ON CONFLICT (issuer_sha256) DO UPDATE SET der = excluded.der,"
               " this_update = excluded.this_update, next_update = excluded.next_update,"
               " received_at = excluded.received_at WHERE excluded.this_update >= pki_crls.this_update",
               [issuer_sha256, der, this_update, next_update, at])
