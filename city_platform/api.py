"""The JSON API under ``/api/v1``: sign-in, blobs, actions and the change feed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.masking import mask_phone
from app.core.permissions import Permission
from city_platform.auth import check_password, end_login_of, issue_tokens, rotate, unit_of
from city_platform.casework import Judge, held_blobs
from city_platform.deps import Platform, PlatformDep, UserDep, problem, require
from city_platform.feed import read
from city_platform.models import (
    BlobHolder,
    Case,
    CaseAccess,
    CaseBlob,
    ChainRecord,
    ItemPost,
    Unit,
    User,
    ViewRecord,
    utcnow,
)
from city_platform.schemas import (
    SHA256,
    UUIDISH,
    ChainLinkOut,
    ChainPage,
    ErrorBody,
    FeedItem,
    FeedPage,
    Health,
    LoginRequest,
    Me,
    MissingRequest,
    MissingResponse,
    PostInfo,
    PushRequest,
    PushResponse,
    RefreshRequest,
    SmsOut,
    SmsPage,
    TokenPair,
    UnitInfo,
    ViewOut,
    ViewResult,
    ViewsPage,
    ViewsRequest,
    ViewsResponse,
)
from city_platform.sms import records_of

#: the largest JSON body taken (a batch of actions with their case envelopes is far smaller);
#: enforced by :class:`city_platform.app.BodyLimit`
MAX_BODY = 32 * 1024 * 1024
router = APIRouter(prefix="/api/v1", responses={401: {"model": ErrorBody}})
#: what a route that checks the caller's role may also answer
FORBIDDEN: dict[int | str, dict[str, Any]] = {403: {"model": ErrorBody, "description": "not for the caller's role"}}
#: what a route with a JSON body may also answer
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "the body is not JSON (or not UTF-8)"},
    413: {"model": ErrorBody, "description": "the body is too large"},
}


def _unit_info(unit: Unit) -> UnitInfo:
    return UnitInfo(code=unit.code, name=unit.name, tier=unit.tier,  # type: ignore[arg-type]
                    parent=unit.parent, window_no=unit.window_no)


@router.get("/health", response_model=Health, tags=["status"])
def health() -> Health:
    return Health(status="ok", time=utcnow().isoformat())


def posts_of(session: Session, username: str) -> list[PostInfo]:
    """The items whose A or B post ``username`` holds."""
    rows = session.scalars(select(ItemPost).where(ItemPost.username == username)
                           .order_by(ItemPost.item_code, ItemPost.post))
    return [PostInfo(item_code=r.item_code, post=r.post) for r in rows]  # type: ignore[arg-type]


def _token_pair(session: Session, platform: Platform, user: User, login: str | None = None) -> TokenPair:
    access, refresh = issue_tokens(session, user.username, platform.config.access_ttl, platform.config.refresh_ttl,
                                   login)
    return TokenPair(access_token=access, refresh_token=refresh, expires_in=platform.config.access_ttl,
                     user=user.username, unit=_unit_info(unit_of(session, user)), display_name=user.display_name,
                     role=user.role, posts=posts_of(session, user.username))


@router.post("/auth/login", response_model=TokenPair, tags=["auth"], responses=BODY_ERRORS)
def login(body: LoginRequest, platform: PlatformDep) -> TokenPair:
    """Sign in: tokens, and who the user is (unit, name, role, the posts they hold)."""
    with platform.db.writing() as session:
        user = session.get(User, body.username)
        if user is None or not check_password(body.password, user.password_hash):
            raise problem(401, "bad_credentials", "用户名或密码错误")
        return _token_pair(session, platform, user)


@router.post("/auth/refresh", response_model=TokenPair, tags=["auth"], responses=BODY_ERRORS)
def refresh(body: RefreshRequest, platform: PlatformDep) -> TokenPair:
    """New tokens for a refresh token, which is good once: shown again, it ends the whole sign-in."""
    with platform.db.writing() as session:
        turn = rotate(session, body.refresh_token)
        if turn.user is not None:
            return _token_pair(session, platform, turn.user, turn.login)
    # Outside the transaction, so that ending a sign-in whose token was reused is kept.
    raise problem(401, "refresh_expired", "登录已过期，请重新登录")


@router.post("/auth/logout", status_code=204, response_class=Response, tags=["auth"])
def logout(platform: PlatformDep, user: UserDep) -> Response:
    """Sign out: every token of this sign-in ends now (those of the user's other sign-ins do not)."""
    with platform.db.writing() as session:
        end_login_of(session, user.token)
    return Response(status_code=204)


@router.get("/me", response_model=Me, tags=["auth"])
def me(platform: PlatformDep, user: UserDep) -> Me:
    with platform.db.session() as session:
        row = session.get(User, user.username)
        assert row is not None
        return Me(user=row.username, display_name=row.display_name, role=row.role,
                  unit=_unit_info(unit_of(session, row)), posts=posts_of(session, row.username),
                  away=bool(row.away))


@router.post("/blobs/missing", response_model=MissingResponse, tags=["blobs"], responses={**BODY_ERRORS, **FORBIDDEN})
def missing(body: MissingRequest, platform: PlatformDep, user: UserDep) -> MissingResponse:
    """Which of these hashes this unit has not uploaded itself: the client uploads only those.

    Whether another unit uploaded a blob is nobody else's business: such a hash is named as
    missing, the caller uploads it (showing it holds the bytes) and the platform, which stores
    each hash once, keeps the copy it has.
    """
    require(user, Permission.UPLOAD_MATERIALS)
    wanted = list(dict.fromkeys(h.lower() for h in body.hashes))
    with platform.db.session() as session:
        have = held_blobs(session, user.unit, wanted)
    return MissingResponse(missing=[h for h in wanted if h not in have])


@router.get("/blobs/{sha256}", tags=["blobs"], response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}}, 206: {"description": "a byte range"},
                       404: {"model": ErrorBody}, **FORBIDDEN})
def download(sha256: Annotated[str, Path(pattern=SHA256.metadata[0].pattern)], platform: PlatformDep,
             user: UserDep) -> FileResponse:
    """A blob this unit uploaded, or of a case it can see; honours ``Range`` so a download resumes."""
    require(user, Permission.READ_CASE)
    with platform.db.session() as session:
        visible = session.get(BlobHolder, (sha256, user.unit)) is not None or session.scalar(
            select(CaseBlob.sha256).join(CaseAccess, CaseAccess.case_id == CaseBlob.case_id)
            .where(CaseBlob.sha256 == sha256, CaseAccess.unit == user.unit).limit(1)) is not None
    if not visible or not platform.blobs.has(sha256):
        raise problem(404, "no_blob", "找不到该材料，或本单位无权查看")
    return FileResponse(platform.blobs.path(sha256), media_type="application/octet-stream",
                        headers={"ETag": f'"{sha256}"', "Cache-Control": "private, max-age=31536000, immutable"})


@router.post("/actions", response_model=PushResponse, tags=["cases"], responses=BODY_ERRORS)
def push(body: PushRequest, platform: PlatformDep, user: UserDep) -> PushResponse:
    """Take a batch of actions, in order; each answer says accepted, duplicate, refused or retry."""
    results = []
    for item in body.actions:
        with platform.db.writing() as session:
            unit, person = session.get(Unit, user.unit), session.get(User, user.username)
            assert unit is not None and person is not None
            results.append(Judge(session, unit, person).take(item))
    return PushResponse(results=results)


@router.get("/feed", response_model=FeedPage, tags=["feed"], responses=FORBIDDEN)
def feed(platform: PlatformDep, user: UserDep, after: Annotated[int, Query(ge=0, le=2**62)] = 0,
         limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> FeedPage:
    """Changes for this unit after the cursor ``after``: catalogue, holidays, units, its cases.

    The same for every role that may read cases (an installation keeps one copy of its unit's
    feed, whoever signs in there): a role that may not is refused it whole.
    """
    require(user, Permission.READ_CASE)
    with platform.db.session() as session:
        rows, more = read(session, user.unit, after, limit)
    entries = [FeedItem(seq=r.seq, kind=r.kind, case_id=r.case_id, body=json.loads(r.body))  # type: ignore[arg-type]
               for r in rows]
    return FeedPage(entries=entries, cursor=rows[-1].seq if rows else after, more=more)


@router.get("/chain", response_model=ChainPage, tags=["audit"])
def chain(platform: PlatformDep, user: UserDep, installation: Annotated[str, Query(
              min_length=1, max_length=36, pattern=UUIDISH.metadata[-1].pattern)],
          after: Annotated[int, Query(ge=0, le=2**62)] = 0,
          limit: Annotated[int, Query(ge=1, le=1000)] = 500) -> ChainPage:
    """The chain links one installation of this unit sent with its accepted actions, by ledger number.

    Only the caller's own unit's: an installation checks its history against what it told the platform.
    """
    with platform.db.session() as session:
        rows = list(session.scalars(
            select(ChainRecord).where(ChainRecord.unit == user.unit, ChainRecord.installation == installation,
                                      ChainRecord.gseq > after).order_by(ChainRecord.gseq).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return ChainPage(links=[ChainLinkOut(action_id=r.action_id, case_id=r.case_id, seq=r.seq, hash=r.hash,
                                         gseq=r.gseq, ghash=r.ghash) for r in rows],
                     cursor=rows[-1].gseq if rows else after, more=more)


#: how large a view event's detail may be once serialised (a material name, a page number, a device)
MAX_VIEW_DETAIL = 2000


@router.post("/views", response_model=ViewsResponse, tags=["audit"], responses={**BODY_ERRORS, **FORBIDDEN})
def record_views(body: ViewsRequest, platform: PlatformDep, user: UserDep) -> ViewsResponse:
    """Keep who looked at personal data. Only the signed-in person's own looks, at cases the unit may see
    (or a case not here yet: its receive may still be on the way); a resend is a duplicate."""
    require(user, Permission.READ_CASE)
    results = []
    with platform.db.writing() as session:
        person = session.get(User, user.username)
        assert person is not None
        for v in body.views:
            detail = json.dumps(v.detail, ensure_ascii=False, sort_keys=True)
            if session.get(ViewRecord, v.id) is not None:
                results.append(ViewResult(id=v.id, result="duplicate"))
                continue
            if v.actor != user.username:
                results.append(ViewResult(id=v.id, result="refused", reason=(
                    f"查看记录的查看人“{v.actor}”不是登录平台的账号（{user.username}），平台未接收")))
                continue
            if len(detail) > MAX_VIEW_DETAIL or (v.case_id is not None and session.get(Case, v.case_id) is not None
                                                 and session.get(CaseAccess, (v.case_id, user.unit)) is None):
                results.append(ViewResult(id=v.id, result="refused", reason="查看记录所指的办件本单位无权查看"))
                continue
            session.add(ViewRecord(id=v.id, case_id=v.case_id, unit=user.unit, actor=v.actor,
                                   actor_name=person.display_name, role=person.role, at=v.at, received_at=utcnow(),
                                   what=v.what, detail=detail, prev_hash=v.prev_hash, hash=v.hash))
            results.append(ViewResult(id=v.id, result="accepted"))
    return ViewsResponse(results=results)


@router.get("/cases/{case_id}/views", response_model=ViewsPage, tags=["audit"],
            responses={404: {"model": ErrorBody}, **FORBIDDEN})
def case_views(case_id: Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[0-9A-Za-z-]+$")],
               platform: PlatformDep, user: UserDep) -> ViewsPage:
    """Who looked at a case the unit may see, at every unit (效能监察: the supervisor's list)."""
    require(user, Permission.LIST_VIEWERS)
    with platform.db.session() as session:
        if session.get(CaseAccess, (case_id, user.unit)) is None:
            raise problem(404, "no_case", "找不到该办件，或本单位无权查看")
        rows = list(session.scalars(select(ViewRecord).where(ViewRecord.case_id == case_id)
                                    .order_by(ViewRecord.received_at, ViewRecord.id).limit(5000)))
    return ViewsPage(views=[ViewOut(id=r.id, unit=r.unit, actor=r.actor, actor_name=r.actor_name, role=r.role,
                                    at=r.at, received_at=r.received_at.isoformat(), what=r.what,
                                    detail=json.loads(r.detail)) for r in rows])


@router.get("/sms", response_model=SmsPage, tags=["audit"], responses=FORBIDDEN)
def sms_log(platform: PlatformDep, user: UserDep, case_no: Annotated[str | None, Query(
        min_length=1, max_length=32, pattern=r"^[0-9A-Za-z-]+$")] = None) -> SmsPage:
    """The text messages recorded for the unit's applicants on 出件 and 送达 (the reference platform
    sends none), newest first, phones masked: for the unit's administrator and supervisors."""
    require(user, Permission.READ_SMS_LOG)
    with platform.db.session() as session:
        rows = records_of(session, user.unit, case_no)
        return SmsPage(messages=[SmsOut(case_no=r.case_no, kind=r.kind, phone=mask_phone(r.phone), text=r.text,
                                        at=(r.at if r.at.tzinfo else r.at.replace(tzinfo=dt.UTC)).isoformat())
                                 for r in rows])
