"""Accounts and tokens: scrypt password hashes, opaque access and refresh tokens.

Every token descends from one sign-in (its ``login``). A refresh token is good once: exchanged,
it is kept as spent until it expires, and shown again it ends the whole sign-in, because one of
its two holders is not the person who signed in (OAuth 2.0 Security BCP, refresh token rotation).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from city_platform.models import Token, Unit, User, utcnow

log = logging.getLogger("platform.auth")
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_tokens(session: Session, username: str, access_ttl: int, refresh_ttl: int,
                 login: str | None = None) -> tuple[str, str]:
    """A new (access, refresh) pair of sign-in ``login`` (a new sign-in when None); expired
    tokens of the user are dropped on the way."""
    now = utcnow()
    session.execute(delete(Token).where(Token.username == username, Token.expires_at < now))
    access, refresh, pair = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_hex(16)
    login = login or secrets.token_hex(16)
    session.add(Token(token_hash=token_hash(access), username=username, kind="access",
                      expires_at=now + dt.timedelta(seconds=access_ttl), pair=pair, login=login))
    session.add(Token(token_hash=token_hash(refresh), username=username, kind="refresh",
                      expires_at=now + dt.timedelta(seconds=refresh_ttl), pair=pair, login=login))
    return access, refresh


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes even for timezone=True columns; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def user_for_token(session: Session, token: str, kind: str) -> User | None:
    row = session.get(Token, token_hash(token))
    if row is None or row.kind != kind or row.rotated_at is not None or _aware(row.expires_at) <= utcnow():
        return None
    return session.get(User, row.username)


@dataclass(frozen=True, slots=True)
class Rotation:
    """What presenting a refresh token came to: the user and sign-in to issue new tokens for,
    or None with ``reused`` when the token had been exchanged before (the sign-in is ended)."""

    user: User | None
    login: str = ""
    reused: bool = False


def rotate(session: Session, refresh: str) -> Rotation:
    """Spend ``refresh``: its access token ends with it. A token already spent ends its whole
    sign-in instead (the caller commits that, and answers 401 either way)."""
    row = session.get(Token, token_hash(refresh))
    if row is None or row.kind != "refresh" or _aware(row.expires_at) <= utcnow():
        return Rotation(None)
    if row.rotated_at is not None:
        ended = end_login(session, row.login)
        log.warning("refresh token of %s used again: sign-in %s ended (%d tokens)", row.username,
                    row.login[:8], ended)
        return Rotation(None, row.login, reused=True)
    user = session.get(User, row.username)
    row.rotated_at = utcnow()
    session.execute(delete(Token).where(Token.pair == row.pair, Token.kind == "access"))
    return Rotation(user, row.login)


def end_login(session: Session, login: str) -> int:
    """End every token of one sign-in; returns how many there were."""
    result = session.execute(delete(Token).where(Token.login == login))
    return int(getattr(result, "rowcount", 0) or 0)


def end_login_of(session: Session, token: str) -> None:
    """Sign out: end the sign-in ``token`` belongs to, every token descended from it."""
    row = session.get(Token, token_hash(token))
    if row is not None:
        end_login(session, row.login)


def unit_of(session: Session, user: User) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == user.unit))
    if unit is None:
        raise RuntimeError(f"user {user.username} belongs to unknown unit {user.unit}")
    return unit
