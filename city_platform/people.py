"""People: who is away (AB岗).

A user of another unit is answered as a name nobody has (404): a unit learns nothing of the
others' accounts.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Path

from app.core.permissions import Permission
from city_platform.api import BODY_ERRORS, FORBIDDEN
from city_platform.deps import PlatformDep, UserDep, problem, require
from city_platform.models import User, utcnow
from city_platform.schemas import NO_NUL, AwayRequest, AwayStatus, ErrorBody

log = logging.getLogger("platform.people")
router = APIRouter(prefix="/api/v1", responses={401: {"model": ErrorBody}})
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
