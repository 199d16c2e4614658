"""The key slots file ``keys.json``: the data key, wrapped once per way of opening the folder.

It sits beside the database because it must be read before the database can be: it holds no
personal data, only wrapped keys and what the sign-in screen needs before anything is unlocked.

Slots:

* ``user``: one per person who has signed in on this PC, the key wrapped under Argon2id of their
  password. What the slot says about the person (name, role, unit, when they last signed in
  online) is the wrap's associated data: editing it makes the slot not open, so the offline
  period cannot be stretched by editing the file. The failure count is not bound (it changes
  without the password); resetting it by hand gains nothing over guessing offline, which the
  Argon2id cost is for.
* ``keyring``: the key wrapped under a random secret kept in the OS keyring.
* ``platform``: the key wrapped under a secret the platform keeps for this installation and
  gives only to a signed-in user of the unit: a first sign-in on a PC without a keyring.
* ``enrolment``: the key itself, from ``init`` until the first sign-in. The folder holds no
  personal data before somebody signs in (every command that writes or shows it needs a
  signed-in user), and the first sign-in removes this slot.

Each slot holds a list of wrapped keys: during a key rotation, the old and the new one.
The file is replaced whole (temporary file, fsync, rename), mode 0600.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import tempfile
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.store.crypto import Argon2Params, DataKey, WrongKey, secret_kek, unwrap, wrap

KEYS_FILE = "keys.json"
FORMAT = 1


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


class KeyFileDamaged(Exception):
    """``keys.json`` is missing, unreadable or not ours."""


@dataclass(frozen=True, slots=True)
class Wrapped:
    """One data key sealed under a slot's key-encryption key."""

    key_id: str
    nonce: bytes
    ciphertext: bytes

    def to_json(self) -> dict[str, str]:
        return {"key_id": self.key_id, "nonce": b64(self.nonce), "wrapped": b64(self.ciphertext)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Wrapped:
        return cls(str(d["key_id"]), unb64(d["nonce"]), unb64(d["wrapped"]))


@dataclass(frozen=True, slots=True)
class Slot:
    """One way to open the folder; ``user`` slots also carry the person's profile."""

    kind: str  # user | keyring | platform | enrolment
    keys: tuple[Wrapped, ...] = ()
    user: str = ""
    profile: dict[str, Any] = field(default_factory=dict)
    online_at: str = ""
    salt: bytes = b""
    argon2: Argon2Params = field(default_factory=Argon2Params)
    failures: int = 0
    locked_until: str = ""
    #: enrolment only: the key itself
    plain: bytes = b""

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        if self.kind == "enrolment":
            d["key"] = b64(self.plain)
            return d
        d["keys"] = [w.to_json() for w in self.keys]
        if self.kind == "user":
            d.update(user=self.user, profile=self.profile, online_at=self.online_at, salt=b64(self.salt),
                     argon2={"t": self.argon2.time_cost, "m": self.argon2.memory_kib, "p": self.argon2.parallelism},
                     failures=self.failures, locked_until=self.locked_until)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Slot:
        kind = str(d["kind"])
        if kind == "enrolment":
            return cls(kind, plain=unb64(d["key"]))
        keys = tuple(Wrapped.from_json(w) for w in d["keys"])
        if kind != "user":
            return cls(kind, keys)
        a = d["argon2"]
        return cls(kind, keys, user=str(d["user"]), profile=dict(d["profile"]), online_at=str(d["online_at"]),
                   salt=unb64(d["salt"]), argon2=Argon2Params(int(a["t"]), int(a["m"]), int(a["p"])),
                   failures=int(d.get("failures", 0)), locked_until=str(d.get("locked_until", "")))


@dataclass(frozen=True, slots=True)
class KeyFile:
    """The whole of ``keys.json``."""

    folder: str
    slots: tuple[Slot, ...]
    #: what sign-in needs before the database opens, copied from the unit's settings: unit code,
    #: platform address, lock-out and offline rules (no secret, nothing personal)
    public: dict[str, Any] = field(default_factory=dict)
    #: who signed in last: the command line's default user
    last_user: str = ""

    def user_slot(self, user: str) -> Slot | None:
        return next((s for s in self.slots if s.kind == "user" and s.user == user), None)

    def slot(self, kind: str) -> Slot | None:
        return next((s for s in self.slots if s.kind == kind), None)

    def users(self) -> list[Slot]:
        return [s for s in self.slots if s.kind == "user"]

    def with_slot(self, slot: Slot) -> KeyFile:
        """Replace the slot of the same kind (and user), or add it."""
        def same(s: Slot) -> bool:
            return s.kind == slot.kind and (slot.kind != "user" or s.user == slot.user)
        return replace(self, slots=(*(s for s in self.slots if not same(s)), slot))

    def without(self, kind: str) -> KeyFile:
        return replace(self, slots=tuple(s for s in self.slots if s.kind != kind))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "folder": self.folder, "public": self.public, "last_user": self.last_user,
                "slots": [s.to_json() for s in self.slots]}


# -- the file --------------------------------------------------------------------------------
def path(data_dir: Path) -> Path:
    return data_dir / KEYS_FILE


def exists(data_dir: Path) -> bool:
    return path(data_dir).is_file()


def load(data_dir: Path) -> KeyFile:
    try:
        raw = json.loads(path(data_dir).read_bytes())
        if raw.get("format") != FORMAT:
            raise KeyFileDamaged(f"keys.json format {raw.get('format')!r}")
        return KeyFile(str(raw["folder"]), tuple(Slot.from_json(s) for s in raw["slots"]),
                       dict(raw.get("public", {})), str(raw.get("last_user", "")))
    except FileNotFoundError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise KeyFileDamaged(f"keys.json unreadable: {type(e).__name__}: {e}") from None


def save(data_dir: Path, keys: KeyFile) -> None:
    """Replace ``keys.json`` whole: a crash leaves the old file or the new one."""
    data = json.dumps(keys.to_json(), ensure_ascii=False, indent=1).encode()
    fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".keys-", suffix=".part")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path(data_dir))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if os.name == "posix":
        dfd = os.open(data_dir, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def create(data_dir: Path, public: dict[str, Any]) -> DataKey:
    """A new data key for a new folder, in the enrolment slot until the first sign-in."""
    key = DataKey.new()
    save(data_dir, KeyFile(str(uuid.uuid4()), (Slot("enrolment", plain=key.raw),), public))
    return key


# -- opening slots ---------------------------------------------------------------------------
def _user_aad(folder: str, user: str, profile: dict[str, Any], online_at: str) -> bytes:
    return json.dumps({"folder": folder, "user": user, "profile": profile, "online_at": online_at},
                      sort_keys=True, ensure_ascii=False).encode()


def _open_all(kek: bytes, slot: Slot, aad: bytes) -> list[DataKey]:
    return [unwrap(kek, w.nonce, w.ciphertext, aad + w.key_id.encode()) for w in slot.keys]


def _wrap_all(kek: bytes, keys: list[DataKey], aad: bytes) -> tuple[Wrapped, ...]:
    out = []
    for k in keys:
        nonce, ct = wrap(kek, k, aad + k.key_id.hex().encode())
        out.append(Wrapped(k.key_id.hex(), nonce, ct))
    return tuple(out)


def open_user(keys: KeyFile, slot: Slot, password: str) -> list[DataKey]:
    """The data keys in ``slot``; WrongKey if the password (or the slot) is wrong."""
    kek = slot.argon2.derive(password, slot.salt)
    return _open_all(kek, slot, _user_aad(keys.folder, slot.user, slot.profile, slot.online_at))


def user_slot(keys: KeyFile, user: str, password: str, data_keys: list[DataKey], profile: dict[str, Any],
              online_at: dt.datetime, params: Argon2Params) -> Slot:
    salt = os.urandom(16)
    when = online_at.isoformat()
    kek = params.derive(password, salt)
    return Slot("user", _wrap_all(kek, data_keys, _user_aad(keys.folder, user, profile, when)), user=user,
                profile=profile, online_at=when, salt=salt, argon2=params)


def open_secret(keys: KeyFile, kind: str, secret: bytes) -> list[DataKey]:
    slot = keys.slot(kind)
    if slot is None:
        raise WrongKey(f"no {kind} slot")
    return _open_all(secret_kek(secret, kind), slot, keys.folder.encode())


def secret_slot(keys: KeyFile, kind: str, secret: bytes, data_keys: list[DataKey]) -> Slot:
    return Slot(kind, _wrap_all(secret_kek(secret, kind), data_keys, keys.folder.encode()))


def enrolment_key(keys: KeyFile) -> DataKey | None:
    slot = keys.slot("enrolment")
    return DataKey(slot.plain) if slot is not None else None
