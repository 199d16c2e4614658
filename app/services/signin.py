"""Signing in: who is at the window, checked by the platform or by this PC's key slots, and the data key.

* The first sign-in of a person on a PC needs the platform. It makes that person's key slot
  (the data key wrapped under Argon2id of their password), which later sign-ins open offline
  for ``signin.offline_days`` after the last online one.
* The data key comes from the person's own slot, the enrolment slot (a folder nobody has signed
  in to yet), the OS keyring's slot, or the platform's escrow of this installation's secret (a
  new person on a PC without a keyring). A stolen PC without a password opens nothing.
* ``signin.max_failures`` wrong passwords lock that person out for ``signin.lock_minutes``,
  counted on this PC whether the platform or the slot said no.
* A folder from before encryption is encrypted in place at the first (online) sign-in.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.core.errors import N_, Message, UserError
from app.core.session import Session
from app.core.settings import Settings
from app.store import database, encrypt_folder, keyring_secrets, keyslots
from app.store.crypto import Argon2Params, DataKey, WrongKey
from app.store.database import DB_NAME, not_a_store
from app.sync.client import LinkDown, PlatformClient, PlatformError, PlatformRefused
from app.sync.credentials import KeyringTokens, KeyringUnavailable, MemoryTokens, TokenStore
from app.sync.profile import Profile
from app.sync.retry import RetryPolicy

log = logging.getLogger("services.signin")
#: the settings sign-in needs before the database is open: mirrored into keys.json
PUBLIC_SETTINGS = ("unit.org", "platform.url", "platform.ca_bundle", "signin.offline_days", "signin.max_failures",
                   "signin.lock_minutes", "signin.idle_minutes", "signin.argon2_memory_kib")
#: signing in should not keep the clerk waiting on a platform that does not answer
SIGNIN_POLICY = RetryPolicy(attempts=1)
#: a client for the platform at this address, keeping its tokens there, trusting this CA bundle ("": the system's)
ClientFactory = Callable[[str, TokenStore, str], PlatformClient]


class SignInRefused(UserError):
    """Wrong password, locked out, offline too long, or no way to this folder's key."""


@dataclass(frozen=True, slots=True)
class Unlocked:
    """A signed-in person and the data keys their sign-in opened (the current one first)."""

    session: Session
    keys: list[DataKey]
    #: on an online sign-in: the unit as the platform described it, and where the tokens are
    unit: dict[str, Any] | None = None
    tokens: TokenStore | None = None


def public_of(settings: Settings) -> dict[str, Any]:
    return {name: settings.get(name) for name in PUBLIC_SETTINGS}


def _policy(keys: keyslots.KeyFile, name: str) -> Any:
    value = keys.public.get(name)
    return value if value is not None else Settings().get(name)


def _now(clock: Callable[[], dt.datetime]) -> dt.datetime:
    return clock().astimezone(dt.UTC)


def _default_client(url: str, tokens: TokenStore, ca_bundle: str) -> PlatformClient:
    return PlatformClient(url, tokens, policy=SIGNIN_POLICY, ca_bundle=ca_bundle)


def _token_store(keys: keyslots.KeyFile, user: str) -> TokenStore:
    store: TokenStore = KeyringTokens(str(_policy(keys, "platform.url")), str(_policy(keys, "unit.org")), user)
    try:
        store.load()
    except KeyringUnavailable:
        store = MemoryTokens()  # the documented fallback: tokens for this process only
    return store


def load_keys(data_dir: Path) -> keyslots.KeyFile | None:
    """The folder's key slots; None for a folder from before encryption. UserError if it is no data folder."""
    try:
        return keyslots.load(data_dir)
    except FileNotFoundError:
        if (data_dir / DB_NAME).is_file():
            return None
        raise not_a_store(data_dir) from None
    except keyslots.KeyFileDamaged as e:
        raise UserError("数据目录 {data_dir} 中的密钥文件 keys.json 已损坏，无法打开本机数据。请联系技术支持。",
                        data_dir=data_dir,
                        log=str(e)) from None


def sign_in(data_dir: Path, user: str, password: str, *, clock: Callable[[], dt.datetime],
            prefer_online: bool = True, client_factory: ClientFactory = _default_client) -> Unlocked:
    """Check ``user``'s password and open the folder's data key; SignInRefused (or a UserError) if not.

    ``prefer_online``: ask the platform first when one is set (the window, ``login``), falling
    back to this PC's slot when it cannot be reached; otherwise (each command of a script) the
    platform is asked only when the slot cannot answer alone.
    """
    unlocked = _sign_in(data_dir, user, password, clock, prefer_online, client_factory)
    if database.is_plaintext(data_dir / DB_NAME):  # encrypted last: an encryption a crash cut short
        encrypt_folder.encrypt_in_place(data_dir, unlocked.keys[0])
    if len(unlocked.keys) > 1:  # a key rotation a crash cut short: finish it
        unlocked = replace(unlocked, keys=_rotate(data_dir, unlocked.session.user, password, unlocked.keys))
    return unlocked


def rekey(data_dir: Path, user: str, password: str, *, clock: Callable[[], dt.datetime]) -> Unlocked:
    """Rotate the folder's data key: a new key, every page file and the database resealed under it.

    Resumable: until it is done the key file holds both keys, and the next sign-in finishes it.
    Afterwards the signing person's slot and the keyring's hold the new key; other people's slots
    are dropped (each signs in online once more: the keyring's slot or the platform's escrow
    opens the folder for them), and the platform's escrow is renewed at the next online sign-in.
    """
    unlocked = sign_in(data_dir, user, password, clock=clock, prefer_online=False)
    keys = [DataKey.new(), *unlocked.keys]
    return replace(unlocked, keys=_rotate(data_dir, unlocked.session.user, password, keys))


def _rewrap(data_dir: Path, user: str, password: str, data_keys: list[DataKey]) -> None:
    """Only ``user``'s slot and the keyring's, each wrapping ``data_keys`` (newest first)."""
    keys = keyslots.load(data_dir)
    mine = keys.user_slot(user)
    assert mine is not None
    slot = keyslots.user_slot(keys, user, password, data_keys, mine.profile,
                              dt.datetime.fromisoformat(mine.online_at), mine.argon2)
    keys = replace(keys, slots=(slot,))
    secret = keyring_secrets.slot_secret(keys.folder)
    if secret is not None:
        keys = keys.with_slot(keyslots.secret_slot(keys, "keyring", secret, data_keys))
    keyslots.save(data_dir, keys)


def _rotate(data_dir: Path, user: str, password: str, data_keys: list[DataKey]) -> list[DataKey]:
    new, old = data_keys[0], data_keys[-1]
    _rewrap(data_dir, user, password, [new, old])  # both keys are kept before anything is resealed
    encrypt_folder.rotate(data_dir, new, old)
    _rewrap(data_dir, user, password, [new])
    log.info("data key of %s rotated by %s", data_dir, user)
    return [new]


def _sign_in(data_dir: Path, user: str, password: str, clock: Callable[[], dt.datetime], prefer_online: bool,
             client_factory: ClientFactory) -> Unlocked:
    user = user.strip()
    if not user or not password:
        raise SignInRefused("请输入用户名和口令", log="empty user or password")
    keys = load_keys(data_dir)
    if keys is None:  # a folder from before encryption: only the platform can vouch for anyone
        return _first_encryption(data_dir, user, password, clock, client_factory)
    _refuse_if_locked(keys, user, clock)
    slot = keys.user_slot(user)
    url = str(_policy(keys, "platform.url"))
    expired = slot is not None and _offline_expired(keys, slot, clock)
    if url and (prefer_online or slot is None or expired):
        try:
            return _online(data_dir, keys, user, password, clock, client_factory)
        except (LinkDown, PlatformError) as e:  # down, or answering nonsense: this PC's slot can still say
            if slot is None:
                raise SignInRefused("首次在本机登录需要连接市级平台，请联网后再登录。（{detail}）", detail=e.message,
                                    log=f"first sign-in of {user} offline: {e.log}") from None
            log.info("platform unusable at sign-in of %s; checking offline: %s", user, e.log)
    if slot is None:
        raise SignInRefused("首次在本机登录需要连接市级平台，请先设置平台地址并联网后再登录。",
                            log=f"no key slot for {user}, no platform")
    return _offline(data_dir, keys, slot, password, clock)


# -- offline ---------------------------------------------------------------------------------
def _refuse_if_locked(keys: keyslots.KeyFile, user: str, clock: Callable[[], dt.datetime]) -> None:
    slot = keys.user_slot(user)
    if slot is not None and slot.locked_until:
        until = dt.datetime.fromisoformat(slot.locked_until)
        if _now(clock) < until:
            raise SignInRefused("口令连续输错次数过多，该账号在本机已锁定，请于 {until:%H:%M} 后再试",
                                until=until.astimezone(),
                                log=f"{user} locked out until {slot.locked_until}")


def _offline_expired(keys: keyslots.KeyFile, slot: keyslots.Slot, clock: Callable[[], dt.datetime]) -> bool:
    days = int(_policy(keys, "signin.offline_days"))
    return _now(clock) - dt.datetime.fromisoformat(slot.online_at) > dt.timedelta(days=days)


def _count_failure(data_dir: Path, keys: keyslots.KeyFile, user: str, clock: Callable[[], dt.datetime]) -> str:
    """Count a wrong password for ``user`` on this PC; the words that tell the clerk where they stand."""
    slot = keys.user_slot(user)
    if slot is None:  # nobody to count against here: the platform counts its own
        return N_("用户名或口令错误")
    limit = int(_policy(keys, "signin.max_failures"))
    failures = slot.failures + 1
    locked = ""
    if failures >= limit:
        locked = (_now(clock) + dt.timedelta(minutes=int(_policy(keys, "signin.lock_minutes")))).isoformat()
        failures = 0
    keyslots.save(data_dir, keys.with_slot(replace(slot, failures=failures, locked_until=locked)))
    log.warning("wrong password for %s on this PC (%d of %d)%s", user, failures or limit, limit,
                "; locked" if locked else "")
    if locked:
        return Message("口令连续输错 {limit} 次，该账号在本机锁定 {minutes} 分钟", limit=limit,
                       minutes=_policy(keys, "signin.lock_minutes"))
    return Message("用户名或口令错误（再错 {left} 次将锁定）", left=limit - failures)


def _offline(data_dir: Path, keys: keyslots.KeyFile, slot: keyslots.Slot, password: str,
             clock: Callable[[], dt.datetime]) -> Unlocked:
    try:
        data_keys = keyslots.open_user(keys, slot, password)
    except WrongKey:
        raise SignInRefused(_count_failure(data_dir, keys, slot.user, clock),
                            log=f"offline sign-in of {slot.user}: wrong password") from None
    if _offline_expired(keys, slot, clock):
        days = _policy(keys, "signin.offline_days")
        raise SignInRefused("距上次联网登录已超过 {days} 天，请连接市级平台后再登录", days=days,
                            log=f"{slot.user}: last online sign-in {slot.online_at}, over {days} days")
    if slot.failures or slot.locked_until or keys.last_user != slot.user:  # an unchanged file is not rewritten
        keyslots.save(data_dir, replace(keys.with_slot(replace(slot, failures=0, locked_until="")),
                                        last_user=slot.user))
    session = Session.from_profile(slot.user, slot.profile, device=keys.folder, online=False,
                                   signed_in_at=clock())
    log.info("signed in offline: %s", slot.user)
    return Unlocked(session, data_keys)


# -- online ----------------------------------------------------------------------------------
def _platform_login(keys: keyslots.KeyFile, data_dir: Path, user: str, password: str,
                    clock: Callable[[], dt.datetime], client_factory: ClientFactory,
                    tokens: TokenStore) -> tuple[PlatformClient, dict[str, Any]]:
    client = client_factory(str(_policy(keys, "platform.url")), tokens, str(_policy(keys, "platform.ca_bundle")))
    try:
        body = client.login(user, password)
    except PlatformRefused as e:
        client.close()
        if e.status == 401:
            raise SignInRefused(_count_failure(data_dir, keys, user, clock), log=f"platform: {e.log}") from None
        raise
    except BaseException:
        client.close()
        raise
    org = str(_policy(keys, "unit.org"))
    if body["unit"]["code"] != org:
        client.tokens.clear()
        client.close()
        raise SignInRefused("账号“{user}”属于{name}（{code}），与本机单位 {org} 不符",
                            user=user, name=body["unit"]["name"], code=body["unit"]["code"], org=org,
                            log=f"user {user} belongs to {body['unit']['code']}, data folder is {org}")
    return client, body


def _session_from(body: dict[str, Any], keys: keyslots.KeyFile, clock: Callable[[], dt.datetime]) -> Session:
    profile: Profile | None = body.get("profile")
    if profile is None:  # a platform from before profiles: the person acts as a window clerk
        return Session(user=body["user"], name=body["user"], role="clerk", unit=body["unit"]["code"],
                       device=keys.folder, online=True, signed_in_at=clock())
    return Session(user=body["user"], name=profile.display_name, role=profile.role, unit=body["unit"]["code"],
                   posts=tuple((p.item_code, p.post) for p in profile.posts), device=keys.folder, online=True,
                   signed_in_at=clock())


def _escrow_secret(client: PlatformClient, folder: str) -> bytes | None:
    """This installation's secret kept by the platform for the unit; None if the platform has none to give."""
    try:
        body = client.post_json(f"/api/v1/installations/{folder}/secret", {})
        secret = base64.b64decode(str(body["secret"]), validate=True)
    except PlatformRefused as e:
        log.info("no installation secret from the platform: %s", e.log)
        return None
    except (ValueError, KeyError, TypeError):
        log.warning("unusable installation secret from the platform")
        return None
    return secret if len(secret) == 32 else None


def _data_keys(keys: keyslots.KeyFile, user: str, password: str, client: PlatformClient) -> list[DataKey]:
    """The data keys, from whichever slot opens first; SignInRefused if none does."""
    slot = keys.user_slot(user)
    if slot is not None:
        try:
            return keyslots.open_user(keys, slot, password)
        except WrongKey:  # the password changed on the platform since: open another way, re-wrap below
            log.info("slot of %s made with an older password", user)
    enrolment = keyslots.enrolment_key(keys)
    if enrolment is not None:
        return [enrolment]
    secret = keyring_secrets.slot_secret(keys.folder)
    if secret is not None:
        try:
            return keyslots.open_secret(keys, "keyring", secret)
        except WrongKey:
            log.warning("keyring slot does not open for folder %s", keys.folder)
    if keys.slot("platform") is not None:
        secret = _escrow_secret(client, keys.folder)
        if secret is not None:
            try:
                return keyslots.open_secret(keys, "platform", secret)
            except WrongKey:
                log.warning("platform slot does not open for folder %s", keys.folder)
    raise SignInRefused("本机数据无法为该账号打开：本机没有可用的系统密钥环，平台也未提供本机的密钥。"
                        "请由已在本机登录过的同事登录，或联系技术支持。", log=f"no slot opens for {user}")


def _enrol(data_dir: Path, keys: keyslots.KeyFile, session: Session, password: str, data_keys: list[DataKey],
           client: PlatformClient | None, clock: Callable[[], dt.datetime]) -> keyslots.KeyFile:
    """Write ``session``'s slot (online now), drop the enrolment slot, and keep the other slots current."""
    params = Argon2Params(memory_kib=int(_policy(keys, "signin.argon2_memory_kib")))
    slot = keyslots.user_slot(keys, session.user, password, data_keys, session.profile(), _now(clock), params)
    keys = replace(keys.with_slot(slot).without("enrolment"), last_user=session.user)
    secret = keyring_secrets.slot_secret(keys.folder)
    if secret is None or keys.slot("keyring") is None:
        secret = keyring_secrets.new_slot_secret(keys.folder)
    if secret is not None:
        keys = keys.with_slot(keyslots.secret_slot(keys, "keyring", secret, data_keys))
    if client is not None:
        escrow = _escrow_secret(client, keys.folder)
        if escrow is not None:
            keys = keys.with_slot(keyslots.secret_slot(keys, "platform", escrow, data_keys))
    keyslots.save(data_dir, keys)
    return keys


def _online(data_dir: Path, keys: keyslots.KeyFile, user: str, password: str,
            clock: Callable[[], dt.datetime], client_factory: ClientFactory) -> Unlocked:
    tokens = _token_store(keys, user)
    client, body = _platform_login(keys, data_dir, user, password, clock, client_factory, tokens)
    with client:
        data_keys = _data_keys(keys, user, password, client)
        session = _session_from(body, keys, clock)
        _enrol(data_dir, keys, session, password, data_keys, client, clock)
    log.info("signed in online: %s (%s)", user, session.role)
    return Unlocked(session, data_keys, body["unit"], tokens)


def _first_encryption(data_dir: Path, user: str, password: str, clock: Callable[[], dt.datetime],
                      client_factory: ClientFactory) -> Unlocked:
    """A folder from before encryption: sign in online, make the key and its slots, encrypt in place."""
    public = encrypt_folder.plaintext_settings(data_dir, PUBLIC_SETTINGS)
    if not public.get("platform.url"):
        raise SignInRefused("本机数据需要加密保存，但未设置市级平台地址，无法完成首次联网登录。请联系技术支持。",
                            log=f"plaintext folder {data_dir} without a platform")
    encrypt_folder.prepare(data_dir, public)  # the key is in the enrolment slot before anything is sealed
    keys = keyslots.load(data_dir)
    try:
        return _online(data_dir, keys, user, password, clock, client_factory)
    except LinkDown:
        raise SignInRefused("本机数据需要加密保存：请联网登录一次即可完成（之后可离线登录）。",
                            log=f"plaintext folder {data_dir}: platform unreachable") from None


# -- the command line's session -----------------------------------------------------------------
def held_session(data_dir: Path, clock: Callable[[], dt.datetime]) -> Unlocked | None:
    """The sign-in ``login`` left in the OS keyring, if it has not been idle too long (then renewed)."""
    keys = load_keys(data_dir)
    if keys is None:
        return None
    held = keyring_secrets.session(keys.folder)
    slot = keys.user_slot(str(held.get("user"))) if held else None
    secret = keyring_secrets.slot_secret(keys.folder)
    if held is None or slot is None or secret is None:
        return None
    if _now(clock) >= dt.datetime.fromisoformat(str(held.get("expires"))) or _offline_expired(keys, slot, clock):
        keyring_secrets.end_session(keys.folder)
        return None
    try:
        data_keys = keyslots.open_secret(keys, "keyring", secret)
    except WrongKey:
        return None
    hold_session(keys, slot.user, clock)
    return Unlocked(Session.from_profile(slot.user, slot.profile, device=keys.folder, signed_in_at=clock()),
                    data_keys)


def hold_session(keys: keyslots.KeyFile, user: str, clock: Callable[[], dt.datetime]) -> bool:
    """Keep ``user`` signed in for the command line until ``signin.idle_minutes`` without a command."""
    expires = _now(clock) + dt.timedelta(minutes=int(_policy(keys, "signin.idle_minutes")))
    return keyring_secrets.keep_session(keys.folder, {"user": user, "expires": expires.isoformat()})


def end_held_session(data_dir: Path) -> None:
    keys = load_keys(data_dir)
    if keys is not None:
        keyring_secrets.end_session(keys.folder)
