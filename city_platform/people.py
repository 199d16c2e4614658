"""People and their PCs: who is away (AB岗), and the keys installations keep in escrow here.

Both answer a user of another unit as they answer a name nobody has (404): a unit learns
nothing of the others' accounts or PCs.
"""

from __future__ import annotations

import base64
import logging
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from app.core.permissions import Permission
from city_platform.api import BODY_ERRORS, FORBIDDEN
from city_platform.deps import PlatformDep, UserDep, problem, require
from city_platform.models import InstallationSecret, User, utcnow
from city_platform.schemas import NO_NUL, AwayRequest, AwayStatus, ErrorBody, InstallationSecretOut

log = logging.getLogger("platform.people")
router = APIRouter(prefix="/api/v1", responses={401: {"model": ErrorBody}})
#: an installation id is a UUID the client makes (any case; kept lower-case)
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "unknown, or of another unit"}}


@router.post("/users/{username}/away", response_model=AwayStatus, tags=["users"],
             responses={**BODY_ERRORS, **FORBIDDEN, **_NOT_FOUND})
def mark_away(username: Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL)], body: AwayRequest,
              platform: PlatformDep, user: UserDep) -> AwayStatus:
    """Mark a user away (不在岗) or back: the B post of their items acts while they are away.

    Anyone may mark themselves; the unit's administrator may mark anyone of the unit.
    """
    with platform.db.writing() as session:
        target = session.get(User, username)
        if target is None or target.unit != user.unit:
            raise problem(404, "no_user", "找不到该账号，或该账号不属于本单位")
        require(user, Permission.MARK_SELF_AWAY if username == user.username else Permission.MARK_OTHERS_AWAY)
        target.away, target.away_set_by, target.away_set_at = body.away, user.username, utcnow()
    log.info("%s marked %s %s", user.username, username, "away" if body.away else "back")
    return AwayStatus(user=username, away=body.away)


@router.post("/installations/{installation_id}/secret", response_model=InstallationSecretOut, tags=["installations"],
             responses=_NOT_FOUND)
def installation_secret(installation_id: Annotated[str, Path(pattern=UUID_PATTERN)], platform: PlatformDep,
                        user: UserDep) -> JSONResponse:
    """The installation's escrowed key: made at the first call and bound to the caller's unit;
    the same key to every user of that unit (each may sign in on that PC) and to nobody else."""
    installation = installation_id.lower()
    with platform.db.writing() as session:
        row = session.get(InstallationSecret, installation)
        if row is None:
            row = InstallationSecret(installation=installation, unit=user.unit, created_by=user.username,
                                     secret=base64.b64encode(secrets.token_bytes(32)).decode("ascii"))
            session.add(row)
            log.info("installation %s: key made for unit %s by %s", installation, user.unit, user.username)
        elif row.unit != user.unit:
            log.warning("installation %s of unit %s: key asked for by %s of %s", installation, row.unit,
                        user.username, user.unit)
            raise problem(404, "no_installation", "找不到该电脑的登记信息，或该电脑不属于本单位")
        secret = row.secret
    log.info("installation %s: key given to %s", installation, user.username)
    body = InstallationSecretOut(secret=secret).model_dump()
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
