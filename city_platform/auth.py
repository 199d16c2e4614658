"""Accounts and tokens: scrypt password hashes, opaque access and refresh tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from city_platform.models import Token, Unit, User, utcnow

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


def issue_tokens(session: Session, username: str, access_ttl: int, refresh_ttl: int) -> tuple[str, str]:
    """A new (access, refresh) pair; expired tokens of the user are dropped on the way."""
    now = utcnow()
    session.execute(delete(Token).where(Token.username == username, Token.expires_at < now))
    access, refresh, pair = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_hex(16)
    session.add(Token(token_hash=token_hash(access), username=username, kind="access",
                      expires_at=now + dt.timedelta(seconds=access_ttl), pair=pair))
    session.add(Token(token_hash=token_hash(refresh), username=username, kind="refresh",
                      expires_at=now + dt.timedelta(seconds=refresh_ttl), pair=pair))
    return access, refresh


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes even for timezone=True columns; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def user_for_token(session: Session, token: str, kind: str) -> User | None:
    row = session.get(Token, token_hash(token))
    if row is None or row.kind != kind or _aware(row.expires_at) <= utcnow():
        return None
    return session.get(User, row.username)


def revoke_pair(session: Session, token: str) -> None:
    """End ``token`` and the token issued with it: a used refresh token takes its access token
    along (a stolen access token dies with the rotation), and signing out ends both."""
    row = session.get(Token, token_hash(token))
    if row is not None:
        session.execute(delete(Token).where(Token.pair == row.pair))


def unit_of(session: Session, user: User) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == user.unit))
    if unit is None:
        raise RuntimeError(f"user {user.username} belongs to unknown unit {user.unit}")
    return unit
