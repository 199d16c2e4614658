"""What every request handler needs: the platform's parts and the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.core.permissions import Permission, Role, parse_role, why_not_granted
from city_platform.auth import unit_of, user_for_token
from city_platform.blobstore import BlobDir
from city_platform.ca import CertificateAuthority
from city_platform.config import PlatformConfig
from city_platform.database import Database


@dataclass
class Platform:
    """One running platform: configuration, database, blob folder, and injected faults."""

    config: PlatformConfig
    db: Database
    blobs: BlobDir
    faults: list[dict[str, Any]] = field(default_factory=list)
    #: the CA (None when the platform has none: the PKI routes answer 503)
    ca: CertificateAuthority | None = None


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user, their role and the unit they act for."""

    username: str
    unit: str
    unit_name: str
    #: the access token the request came with (signing out ends it)
    token: str = field(repr=False, default="")
    #: None for an account whose role the platform does not know: it may do nothing
    role: Role | None = None


def problem(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> HTTPException:
    """An error whose ``message`` the clerk reads (Chinese) and whose ``code`` programs test."""
    return HTTPException(status, detail={"code": code, "message": message}, headers=headers)


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


_bearer = HTTPBearer(auto_error=False)


def current_user(
    platform: Annotated[Platform, Depends(get_platform)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    unauthorised = problem(401, "unauthorised", "登录已失效，请重新登录", {"WWW-Authenticate": "Bearer"})
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorised
    with platform.db.session() as session:
        user = user_for_token(session, credentials.credentials, "access")
        if user is None:
            raise unauthorised
        unit = unit_of(session, user)
        return Principal(user.username, unit.code, unit.name, credentials.credentials, parse_role(user.role))


def require(user: Principal, permission: Permission) -> None:
    """403 with the reason the person reads unless their role holds ``permission``."""
    reason = why_not_granted(user.role, permission)
    if reason:
        raise problem(403, "forbidden", reason)


PlatformDep = Annotated[Platform, Depends(get_platform)]
UserDep = Annotated[Principal, Depends(current_user)]
