"""The licence library (证照库): e-licences and 批文 registered as their issue actions are accepted,
and the public check of one that its QR code opens.

A licence is registered in the same transaction that accepts the issue action naming it, once the
issuing unit has uploaded its PDF (until then the action is answered "retry", as a notice is). It
is refused, with the reason the clerk reads, when its issuer is not the sending unit, its serial was
not made by the sending installation (:mod:`app.core.licence_ids`: serials are the installation's id
and its own counter, so two PCs never make the same one), its holder is not the case's applicant,
or its identifier is registered already. 注销 (a ``revoke_licence`` action) marks it revoked.

The public check needs no sign-in and shows no more than a verifier needs: the status, the PDF's
SHA-256, the licence's name, the issuer, the validity, and the holder masked. An identifier that is
malformed or not registered answers "unknown" (the same for both: the page says nothing about
which identifiers exist).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app.core.errors import UserError
from app.core.licence_ids import MAX_LENGTH, parse
from app.core.licences import LICENCE_PATH, IssuedLicence, LicenceKind, masked_holder
from app.core.permissions import Permission
from city_platform.deps import PlatformDep, Principal, UserDep, problem, require
from city_platform.models import Case, Licence, LicenceLookup, Unit, User, utcnow
from city_platform.pages import public_page
from city_platform.schemas import ErrorBody

router = APIRouter(tags=["licences"])

Status = Literal["valid", "expired", "revoked", "unknown"]
_STATUS_LABELS = {"valid": "有效", "expired": "已过有效期", "revoked": "已注销", "unknown": "未找到该证照"}


def check_issue(session: Session, unit: Unit, case: Case, licence: IssuedLicence, installation: str | None,
                holder_id: str) -> None:
    """UserError unless ``unit`` may register ``licence`` for ``case`` (sent by ``installation``)."""
    lid = licence.id
    if lid.issuer != unit.code:
        raise UserError(f"证照的颁发机构代码 {lid.issuer} 不是本单位的统一社会信用代码（{unit.code}），平台未接收",
                        log=f"licence issuer {lid.issuer} is not {unit.code}")
    if lid.station is None or (installation is not None
                               and lid.station != installation.replace("-", "").upper()):
        raise UserError("证照流水号不是本机生成的，平台未接收；请在本机重新出件",
                        log=f"licence serial {lid.serial} not made by installation {installation}")
    if licence.holder_id != holder_id:
        raise UserError("证照的持证人与办件的申请人不符，平台未接收", log="licence holder is not the case's applicant")
    if session.get(Licence, str(lid)) is not None:
        raise UserError(f"证照标识 {lid} 已在平台登记，平台未接收重复的证照",
                        log=f"licence id {lid} registered already")


def check_held(session: Session, licence_id: str, pdf_sha256: str, holder_id: str, today: dt.date) -> None:
    """UserError unless a material may be licence ``licence_id`` (免证): registered, with that PDF,
    held by ``holder_id`` (the case's applicant), neither revoked nor expired."""
    lid = str(parse(licence_id))
    row = session.get(Licence, lid)
    if row is None:
        raise UserError(f"材料引用的电子证照 {lid} 不在证照库中，平台未接收；请扫描该材料",
                        log=f"held licence {lid} unknown")
    # Before anything about its state: a licence of someone else is not described to this unit.
    if row.holder_id != holder_id:
        raise UserError("材料引用的电子证照不是本办件申请人的证照，平台未接收；请扫描该材料",
                        log=f"held licence {lid} belongs to another holder")
    if row.pdf_sha256 != pdf_sha256:
        raise UserError("材料的文件与证照库登记的该证照文件不符，平台未接收；请重新选用该证照",
                        log=f"held licence {lid}: pdf hash differs")
    if row.revoked_at is not None:
        raise UserError("材料引用的电子证照已注销，平台未接收；请扫描该材料", log=f"held licence {lid} revoked")
    if row.valid_until is not None and row.valid_until < today.isoformat():
        raise UserError("材料引用的电子证照已过有效期，平台未接收；请扫描该材料", log=f"held licence {lid} expired")


def register(session: Session, unit: Unit, case: Case, licence: IssuedLicence, action_id: str) -> None:
    session.add(Licence(
        id=str(licence.id), kind=str(licence.kind), type_code=licence.id.type_code, issuer=unit.code,
        name=licence.name, holder_id=licence.holder_id, holder_name=licence.holder_name,
        holder_kind="person" if licence.holder_is_person else "org", valid_from=licence.valid_from.isoformat(),
        valid_until=licence.valid_until.isoformat() if licence.valid_until else None,
        pdf_sha256=licence.pdf_sha256, case_id=case.id, action_id=action_id))
    session.flush()


def revoke(session: Session, licence_id: str, reason: str) -> None:
    """Mark a registered licence revoked (the lifecycle rules have checked it is the case's)."""
    row = session.get(Licence, licence_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at, row.revoke_reason = utcnow(), reason


class LicenceStatus(BaseModel):
    """What anyone may learn of a licence: whether it holds, and enough to match it with the PDF in hand."""

    status: Status
    sha256: str | None = None
    #: the holder masked (a person's name and ID number partly starred)
    holder: str | None = None
    name: str | None = None
    kind: str | None = None
    issuer_name: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    revoked_at: str | None = None


def status_of(session: Session, text: str, today: dt.date) -> LicenceStatus:
    try:
        lid = str(parse(text))
    except UserError:
        return LicenceStatus(status="unknown")
    row = session.get(Licence, lid)
    if row is None:
        return LicenceStatus(status="unknown")
    issuer = session.get(Unit, row.issuer)
    status: Status = "revoked" if row.revoked_at is not None else \
        "expired" if row.valid_until is not None and row.valid_until < today.isoformat() else "valid"
    return LicenceStatus(
        status=status, sha256=row.pdf_sha256, name=row.name, kind=LicenceKind(row.kind).label,
        holder=masked_holder(row.holder_name, row.holder_id, person=row.holder_kind == "person"),
        issuer_name=issuer.name if issuer else row.issuer, valid_from=row.valid_from, valid_until=row.valid_until,
        revoked_at=row.revoked_at.date().isoformat() if row.revoked_at else None)


#: a path segment far longer than any identifier is not read at all (422)
_ID_PATH = Path(min_length=1, max_length=4 * MAX_LENGTH)


@router.get(LICENCE_PATH + "/{licence_id}/status", response_model=LicenceStatus)
def licence_status(licence_id: Annotated[str, _ID_PATH], platform: PlatformDep) -> LicenceStatus:
    """Whether a licence is valid, revoked or unknown to the library (no sign-in)."""
    with platform.db.session() as session:
        return status_of(session, licence_id, dt.date.today())




# A web page for people, not part of the API the windows use: left out of /openapi.json.
@router.get(LICENCE_PATH + "/{licence_id}", response_class=HTMLResponse, include_in_schema=False)
def licence_page(licence_id: Annotated[str, _ID_PATH], platform: PlatformDep) -> HTMLResponse:
    """The page a licence's QR code opens: its status and what identifies it, in Chinese."""
    with platform.db.session() as session:
        found = status_of(session, licence_id, dt.date.today())
    rows = [("证照状态", _STATUS_LABELS[found.status])]
    if found.status != "unknown":
        rows += [("证照标识", licence_id.strip()), ("证照名称", found.name or ""), ("类别", found.kind or ""),
                 ("持证人", found.holder or ""), ("发证机关", found.issuer_name or ""),
                 ("有效期自", found.valid_from or ""), ("有效期至", found.valid_until or "长期"),
                 ("文件 SHA-256", found.sha256 or "")]
        if found.revoked_at:
            rows.append(("注销日期", found.revoked_at))
    body = "<dl>" + "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in rows) + "</dl>"
    if found.status == "unknown":
        body += "<p>请核对证照标识；如有疑问，请向发证机关咨询。</p>"
    return public_page("电子证照核验", body, status=404 if found.status == "unknown" else 200, width="36em",
                       headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})


# -- 免证: the window asks for the licences an applicant already holds ---------------------------

api_router = APIRouter(prefix="/api/v1", tags=["licences"], responses={401: {"model": ErrorBody}})
#: a holder's identifying number: a resident ID, a passport number or a credit code
_HOLDER = Query(min_length=5, max_length=20, pattern=r"^[0-9A-Za-z]+$")
#: no holder has more valid licences than this; the answer is cut off beyond it
MAX_HELD = 200


class HeldLicence(BaseModel):
    """One valid licence a holder holds, as the window offers it instead of a scan."""

    id: str
    type_code: str
    name: str
    kind: str
    issuer_name: str
    valid_from: str
    valid_until: str | None
    sha256: str


class HeldLicences(BaseModel):
    holder: str
    licences: list[HeldLicence]


def _audit(session: Session, user: Principal, holder_id: str, what: str, found: int,
           licence_id: str | None = None) -> None:
    person = session.get(User, user.username)
    session.add(LicenceLookup(unit=user.unit, actor=user.username, actor_name=person.display_name if person else "",
                              role=person.role if person else "", holder_id=holder_id, what=what,
                              licence_id=licence_id, found=found))


def _valid(today: dt.date) -> Select[Licence]:
    return select(Licence).where(Licence.revoked_at.is_(None),
                                 or_(Licence.valid_until.is_(None), Licence.valid_until >= today.isoformat()))


@api_router.get("/licences", response_model=HeldLicences, responses={403: {"model": ErrorBody}})
def held_licences(holder: Annotated[str, _HOLDER], platform: PlatformDep, user: UserDep) -> HeldLicences:
    """The valid licences of one holder (by ID number or credit code), for the window taking their
    application; every look is recorded."""
    require(user, Permission.READ_PERSONAL_DATA)
    number = holder.upper()
    today = dt.date.today()
    with platform.db.writing() as session:
        rows = list(session.scalars(_valid(today).where(Licence.holder_id == number)
                                    .order_by(Licence.registered_at.desc()).limit(MAX_HELD)))
        issuers = {u.code: u.name for u in session.scalars(select(Unit).where(Unit.code.in_({r.issuer for r in rows})))}
        _audit(session, user, number, "list", len(rows))
    return HeldLicences(holder=number, licences=[
        HeldLicence(id=r.id, type_code=r.type_code, name=r.name, kind=r.kind,
                    issuer_name=issuers.get(r.issuer, r.issuer), valid_from=r.valid_from, valid_until=r.valid_until,
                    sha256=r.pdf_sha256) for r in rows])


@api_router.get("/licences/{licence_id}/pdf", response_class=FileResponse,
                responses={403: {"model": ErrorBody}, 404: {"model": ErrorBody}})
def licence_file(licence_id: Annotated[str, _ID_PATH], holder: Annotated[str, _HOLDER], platform: PlatformDep,
                 user: UserDep) -> FileResponse:
    """A valid licence's PDF, for the window whose applicant is its holder (named again: a window
    fetches only the licences of the person in front of it); recorded as a look."""
    require(user, Permission.READ_PERSONAL_DATA)
    not_found = problem(404, "no_licence", "找不到该证照，或该证照已注销、已过有效期，或持证人不符")
    try:
        lid = str(parse(licence_id))
    except UserError:
        raise not_found from None
    with platform.db.writing() as session:
        row = session.scalar(_valid(dt.date.today()).where(Licence.id == lid))
        found = row is not None and row.holder_id == holder.upper()
        _audit(session, user, holder.upper(), "pdf", int(found), lid)
    if row is None or not found:
        raise not_found
    path = platform.blobs.path(row.pdf_sha256)
    if not path.is_file():
        raise not_found
    return FileResponse(path, media_type="application/pdf", headers={"Cache-Control": "no-store"})
