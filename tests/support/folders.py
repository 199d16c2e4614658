"""Data folders as they stand after a person's first (online) sign-in, made without a platform.

The real first sign-in (``app.services.signin``) asks the platform, then writes the person's key
slot; the tests of sign-in itself do exactly that against a real platform process. Every other
test starts from the state it leaves: a folder with one person's slot and no enrolment slot.
Argon2id runs at a low cost here: the cost is a setting, and the tests sign in thousands of times.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from app.core.session import Session
from app.services.context import AppContext, open_context
from app.services.signin import Unlocked, sign_in
from app.services.sync_run import record_sign_in
from app.store import keyslots, sqlite
from app.store.blobs import BlobStore
from app.store.crypto import Argon2Params, DataKey
from app.sync.client import PlatformClient
from app.sync.credentials import TokenStore
from app.sync.retry import RetryPolicy

#: the password of every test person (the demo platform's, so a test can also sign in there)
PASSWORD = "chuangkou-demo"
USER = "clerk01"
#: the people of a test unit besides its clerk, by role (each has signed in on the test folders)
STAFF = {"reviewer": "reviewer01", "approver": "approver01", "archivist": "archivist01", "supervisor": "supervisor01"}
NAMES = {"clerk": "测试受理员", "reviewer": "测试审核员", "approver": "测试审批员", "archivist": "测试档案员",
         "supervisor": "测试监察员"}
CHEAP = Argon2Params(time_cost=1, memory_kib=1024, parallelism=1)


def cheap(data_dir: Path) -> None:
    """The folder's sign-ins at the tests' Argon2id cost (a setting kept in keys.json before anyone signs in)."""
    keys = keyslots.load(data_dir)
    keyslots.save(data_dir, dataclasses.replace(keys, public={**keys.public,
                                                              "signin.argon2_memory_kib": CHEAP.memory_kib}))


def enrol(data_dir: Path, user: str = USER, *, name: str = "测试受理员", role: str = "clerk",
          password: str = PASSWORD, online_at: dt.datetime | None = None) -> None:
    """Write ``user``'s key slot as a first online sign-in would, and drop the enrolment slot."""
    keys = keyslots.load(data_dir)
    key = keyslots.enrolment_key(keys)
    if key is None:
        opener = next(iter(keys.users()))
        data_keys = keyslots.open_user(keys, opener, password)
    else:
        data_keys = [key]
    org = str(keys.public.get("unit.org", ""))
    profile = Session(user=user, name=name, role=role, unit=org).profile()
    when = online_at or dt.datetime.now(dt.UTC)
    slot = keyslots.user_slot(keys, user, password, data_keys, profile, when, CHEAP)
    keys = dataclasses.replace(keys.with_slot(slot).without("enrolment"), last_user=user,
                               public={**keys.public, "signin.argon2_memory_kib": CHEAP.memory_kib})
    keyslots.save(data_dir, keys)


def enrol_staff(data_dir: Path) -> None:
    """The unit's reviewer, approver, archivist and supervisor, as if each had signed in here once;
    the clerk stays the last to have signed in (the commands' default)."""
    for role, user in STAFF.items():
        enrol(data_dir, user, name=NAMES[role], role=role)
    keys = keyslots.load(data_dir)
    keyslots.save(data_dir, dataclasses.replace(keys, last_user=USER if keys.user_slot(USER) else keys.last_user))


def as_role(ctx: AppContext, role: str) -> AppContext:
    """``ctx`` with the unit's ``role`` signed in instead (the window's switch of user, without the dialog)."""
    user = STAFF.get(role, USER)
    session = Session(user=user, name=NAMES[role], role=role, unit=ctx.session.unit, device=ctx.session.device)
    return dataclasses.replace(ctx, session=session)


def staff(ctx: AppContext) -> list[Session]:
    """The unit's other people, for use cases that take several roles (the demo data)."""
    return [as_role(ctx, role).session for role in STAFF]


def unlock(data_dir: Path, user: str = "", password: str = PASSWORD) -> Unlocked:
    """Sign in offline (as the last person to sign in, by default), through the real verifier."""
    user = user or keyslots.load(data_dir).last_user
    return sign_in(data_dir, user, password, clock=lambda: dt.datetime.now().astimezone(), prefer_online=False)


def open_signed_in(data_dir: Path, user: str = "", password: str = PASSWORD, **kwargs: Any) -> AppContext:
    unlocked = unlock(data_dir, user, password)
    return open_context(data_dir, unlocked.session, unlocked.keys, **kwargs)


def online(data_dir: Path, user: str, password: str = PASSWORD, *, tokens: TokenStore | None = None,
           **kwargs: Any) -> AppContext:
    """Sign in at the platform (the real first sign-in), and open the folder as that person."""
    clock = kwargs.get("clock") or (lambda: dt.datetime.now().astimezone())
    cheap(data_dir)
    unlocked = sign_in(data_dir, user, password, clock=clock, prefer_online=True, client_factory=lambda url, kept, ca:
                       PlatformClient(url, tokens or kept, policy=RetryPolicy(attempts=1), ca_bundle=ca))
    ctx = open_context(data_dir, unlocked.session, unlocked.keys, tokens=tokens, **kwargs)
    assert unlocked.unit is not None
    return record_sign_in(ctx, unlocked.unit)


def key_of(data_dir: Path, user: str = "", password: str = PASSWORD) -> DataKey:
    keys = keyslots.load(data_dir)
    slot = keys.user_slot(user or keys.last_user)
    assert slot is not None, f"{user} has not signed in on {data_dir}"
    return keyslots.open_user(keys, slot, password)[0]


def connect(data_dir: Path, user: str = "", password: str = PASSWORD, **kwargs: Any) -> Any:
    """A raw SQLCipher connection to the folder's database (for tests that look at rows directly)."""
    if data_dir.suffix == ".sqlite3":
        data_dir = data_dir.parent
    keys = keyslots.load(data_dir)
    slot = keys.user_slot(user or keys.last_user)
    assert slot is not None, f"{user} has not signed in on {data_dir}"
    key = keyslots.open_user(keys, slot, password)[0]
    return sqlite.open_keyed(data_dir / "chuangkou.sqlite3", key, **kwargs)


def blob_bytes(data_dir: Path, sha256: str, user: str = "", password: str = PASSWORD) -> bytes:
    """The plaintext of a blob in the folder (its file on disk is sealed)."""
    return BlobStore(data_dir / "blobs", [key_of(data_dir, user, password)]).read(sha256)


def blob_file(data_dir: Path, sha256: str) -> Path:
    """A plaintext copy of a blob, outside the data folder, for tools that read files (qpdf, PIL)."""
    out = data_dir.parent / "plain-blobs" / sha256
    if not out.exists():
        out.parent.mkdir(exist_ok=True)
        out.write_bytes(blob_bytes(data_dir, sha256))
    return out


def blob_path(data_dir: Path, sha256: str) -> Path:
    """Where the sealed file of a blob lives."""
    return data_dir / "blobs" / sha256[:2] / sha256[2:]
