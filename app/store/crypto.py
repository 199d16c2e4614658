"""The encryption of personal data at rest: one random data key, the keys derived from it, and blobs.

One 32-byte data key per data folder. The database key (SQLCipher, raw key: no PBKDF2 per
connection, which would cost every reader thread a second) and the blob key are derived from it
with HKDF, so neither is ever the key that the key slots wrap.

A blob on disk is ``CKB1`` + key id (4 bytes) + nonce (12 bytes) + AES-256-GCM(plaintext), with
the blob's name (the SHA-256 of its plaintext) as associated data: a blob moved to another name,
or a file swapped in, does not open. The key id tells which data key sealed it, so a rotation
(``rekey``) can be interrupted and resumed with some blobs under each key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"CKB1"
KEY_ID_BYTES = 4
NONCE_BYTES = 12
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + NONCE_BYTES
TAG_BYTES = 16


class WrongKey(Exception):
    """A wrapped key or a blob did not open: wrong password, wrong key or altered bytes."""


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"chuangkou " + purpose).derive(key)


@dataclass(frozen=True, slots=True)
class DataKey:
    """A data folder's data key and what is derived from it. ``repr`` never shows the bytes."""

    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != 32:
            raise ValueError("a data key has 32 bytes")

    def __repr__(self) -> str:
        return f"DataKey(id={self.key_id.hex()})"

    @classmethod
    def new(cls) -> DataKey:
        return cls(os.urandom(32))

    @property
    def key_id(self) -> bytes:
        return _derive(self.raw, b"key id v1")[:KEY_ID_BYTES]

    @property
    def sqlcipher_key(self) -> bytes:
        """The database's AES key (SQLCipher's raw key)."""
        return _derive(self.raw, b"sqlcipher v1")

    @property
    def sqlcipher_pragma(self) -> str:
        """The ``PRAGMA key`` value: a raw 256-bit key, so opening a connection costs no KDF, and the
        salt with it, so a damaged first page header (where SQLCipher keeps the salt) costs no more
        than that page."""
        return f"\"x'{self.sqlcipher_key.hex()}{_derive(self.raw, b'sqlcipher salt v1')[:16].hex()}'\""

    def _blob_cipher(self) -> AESGCM:
        return AESGCM(_derive(self.raw, b"blobs v1"))

    def seal_blob(self, name: str, plaintext: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return MAGIC + self.key_id + nonce + self._blob_cipher().encrypt(nonce, plaintext, name.encode())

    def open_blob(self, name: str, sealed: bytes) -> bytes:
        if not is_sealed(sealed) or sealed_key_id(sealed) != self.key_id:
            raise WrongKey(f"blob {name[:12]} is not sealed with key {self.key_id.hex()}")
        nonce = sealed[len(MAGIC) + KEY_ID_BYTES:HEADER_BYTES]
        try:
            return self._blob_cipher().decrypt(nonce, sealed[HEADER_BYTES:], name.encode())
        except InvalidTag:
            raise WrongKey(f"blob {name[:12]} does not open (altered, or moved from another name)") from None

    def seal_chunk(self, aad: bytes, plaintext: bytes) -> bytes:
        """One record of a partial download: nonce + AES-GCM, bound to its place by ``aad``."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._blob_cipher().encrypt(nonce, plaintext, b"chunk " + aad)

    def open_chunk(self, aad: bytes, record: bytes) -> bytes:
        try:
            return self._blob_cipher().decrypt(record[:NONCE_BYTES], record[NONCE_BYTES:], b"chunk " + aad)
        except InvalidTag:
            raise WrongKey("a partial download's record does not open") from None


def is_sealed(data: bytes) -> bool:
    return data[:len(MAGIC)] == MAGIC and len(data) >= HEADER_BYTES + TAG_BYTES


def sealed_key_id(data: bytes) -> bytes:
    return data[len(MAGIC):len(MAGIC) + KEY_ID_BYTES]


def sealed_size(plain_size: int) -> int:
    return HEADER_BYTES + plain_size + TAG_BYTES


# -- wrapping the data key -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Argon2Params:
    """Argon2id cost: RFC 9106's second recommendation (64 MiB, 3 passes) by default."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4

    def derive(self, password: str, salt: bytes) -> bytes:
        return hash_secret_raw(password.encode(), salt, time_cost=self.time_cost, memory_cost=self.memory_kib,
                               parallelism=self.parallelism, hash_len=32, type=Type.ID)


def wrap(kek: bytes, key: DataKey, aad: bytes) -> tuple[bytes, bytes]:
    """``key`` sealed under ``kek`` (nonce, ciphertext); ``aad`` binds what the slot says about itself."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(kek).encrypt(nonce, key.raw, aad)


def unwrap(kek: bytes, nonce: bytes, wrapped: bytes, aad: bytes) -> DataKey:
    try:
        return DataKey(AESGCM(kek).decrypt(nonce, wrapped, aad))
    except (InvalidTag, ValueError):
        raise WrongKey("the key slot does not open") from None


def secret_kek(secret: bytes, purpose: str) -> bytes:
    """A key-encryption key from a random secret (the keyring's, the platform's escrow)."""
    return _derive(secret, b"slot " + purpose.encode())

