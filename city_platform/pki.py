"""The platform's PKI over HTTP: unit seal certificates, revocation, the CRL, the CA bundle and the TSA.

Public, no sign-in: ``GET /pki/ca`` (root and issuing CA, PEM), ``GET /pki/crl`` (DER) and
``POST /pki/tsa`` (RFC 3161). Signed in: a seal holder asks for a certificate for a key their PC
made (``POST /api/v1/pki/certificates``, answered 202 with the request id: the certificate and
its chain reach the unit through the feed, kind ``certificate``); the unit's administrator names
seal holders and revokes. Every revocation publishes a new CRL through the feed (kind ``crl``).

Rotation: a request may name the certificate it ``supersedes`` (one of the same unit); that one is
revoked (reason superseded) as the new one is issued. Without it, older certificates stay valid:
a unit holds one per PC key.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import secrets
from typing import Annotated, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import seal_policy
from app.core.permissions import Role
from city_platform import tsa
from city_platform.api import BODY_ERRORS, FORBIDDEN
from city_platform.ca import REASONS, CertificateAuthority, CSRRefused, check_csr, spki_sha256
from city_platform.database import Database
from city_platform.deps import Platform, PlatformDep, Principal, UserDep, problem
from city_platform.feed import publish
from city_platform.models import FeedEntry, SealCertificate, SealHolder, Unit, User, utcnow
from city_platform.schemas import NO_NUL, ErrorBody, RequestBody

log = logging.getLogger("platform.pki")
public = APIRouter(prefix="/pki", tags=["pki"])
router = APIRouter(prefix="/api/v1/pki", tags=["pki"], responses={401: {"model": ErrorBody}})
SERIAL = r"^[0-9a-f]{1,42}$"
_NO_CA = ("no_ca", "平台尚未建立证书颁发机构，请联系平台管理员")


class CertificateRequest(RequestBody):
    """A seal certificate request: the CSR (PEM) of a key made on the unit's PC."""

    csr: str = Field(min_length=1, max_length=8192)
    seal_name: str = Field(default="行政审批专用章", min_length=2, max_length=20, pattern=r"^[^\x00-\x1f]*章$")
    supersedes: str | None = Field(default=None, pattern=SERIAL)


class RevokeRequest(RequestBody):
    reason: str = Field(default="unspecified", pattern="^(" + "|".join(REASONS) + ")$")


def _ca(platform: Platform) -> CertificateAuthority:
    if platform.ca is None:
        raise problem(404, *_NO_CA)  # not 503: a client would retry what will not change
    return platform.ca


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def crl_der(session: Session, ca: CertificateAuthority, crl_days: int) -> bytes:
    """The current CRL: every revoked certificate, signed now."""
    rows = session.scalars(select(SealCertificate).where(SealCertificate.revoked_at.is_not(None))
                           .order_by(SealCertificate.serial))
    revoked = [(int(r.serial, 16), _aware(r.revoked_at), r.revocation_reason or "unspecified")  # type: ignore[arg-type]
               for r in rows]
    return ca.crl(revoked, utcnow(), crl_days)


def publish_crl(session: Session, ca: CertificateAuthority, crl_days: int) -> None:
    """Send the current CRL to every unit through the feed."""
    der = crl_der(session, ca, crl_days)
    crl = x509.load_der_x509_crl(der)
    publish(session, "crl", None, None, {
        "crl": base64.b64encode(der).decode("ascii"), "this_update": crl.last_update_utc.isoformat(),
        "next_update": crl.next_update_utc.isoformat() if crl.next_update_utc else None})


def revoke(session: Session, ca: CertificateAuthority, crl_days: int, serial: str, reason: str) -> SealCertificate:
    """Revoke ``serial`` (LookupError if unknown) and publish the new CRL; a second revocation changes nothing."""
    row = session.get(SealCertificate, serial.lower())
    if row is None:
        raise LookupError(serial)
    if row.revoked_at is None:
        row.revoked_at, row.revocation_reason = utcnow(), reason
        session.flush()
        publish_crl(session, ca, crl_days)
        log.info("certificate %s of %s revoked (%s)", serial, row.unit, reason)
    return row


def _is_holder(session: Session, user: Principal) -> bool:
    return session.get(SealHolder, (user.unit, user.username)) is not None


@public.get("/ca", response_class=Response, responses={200: {"content": {"application/pem-certificate-chain": {}}}})
def ca_bundle(platform: PlatformDep) -> Response:
    """The root and the issuing CA (PEM, root first): what a client pins at its first sync."""
    return Response(_ca(platform).bundle_pem(), media_type="application/pem-certificate-chain",
                    headers={"Cache-Control": "public, max-age=3600"})


@public.get("/crl", response_class=Response, responses={200: {"content": {"application/pkix-crl": {}}}})
def crl(platform: PlatformDep) -> Response:
    """The issuing CA's current CRL (DER)."""
    with platform.db.session() as session:
        der = crl_der(session, _ca(platform), platform.config.crl_days)
    return Response(der, media_type="application/pkix-crl", headers={"Cache-Control": "no-cache"})


@public.post("/tsa", response_class=Response, responses={
    200: {"content": {"application/timestamp-reply": {}}, "description": "a TimeStampResp (granted or rejection)"},
    415: {"model": ErrorBody, "description": "not application/timestamp-query"}}, openapi_extra={
    "requestBody": {"required": True, "content": {
        "application/timestamp-query": {"schema": {"type": "string", "format": "binary"}}}}})
async def timestamp(request: Request, platform: PlatformDep) -> Response:
    """RFC 3161 over HTTP: a DER TimeStampReq in, a DER TimeStampResp out."""
    ca = _ca(platform)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/timestamp-query":
        raise problem(415, "bad_media_type", "时间戳请求的类型应为 application/timestamp-query")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > tsa.MAX_REQUEST:
            break
    return Response(tsa.respond(ca, bytes(body)), media_type="application/timestamp-reply")


@router.post("/certificates", status_code=202, responses={**BODY_ERRORS, **FORBIDDEN, 400: {"model": ErrorBody}})
def request_certificate(body: CertificateRequest, request: Request, platform: PlatformDep,
                        user: UserDep) -> JSONResponse:
    """Certify a seal key of the caller's unit; the certificate goes out through the unit's feed.

    The same key asked for again gets the same certificate (a resend after a lost reply)."""
    ca = _ca(platform)
    with platform.db.session() as session:  # who asks first: a hostile CSR is read only from a seal holder
        why = seal_policy.refusal(user.role, _is_holder(session, user))
    if why:
        raise problem(403, "forbidden", why)
    try:
        csr = check_csr(body.csr.encode("utf-8"))
    except CSRRefused as e:
        log.info("CSR from %s refused: %s", user.username, e)
        raise problem(400, "bad_csr", e.message) from None
    key = csr.public_key()
    assert not isinstance(key, bytes)
    spki = spki_sha256(key)  # type: ignore[arg-type]
    base = (platform.config.public_url or str(request.base_url)).rstrip("/")
    with platform.db.writing() as session:
        existing = session.scalar(select(SealCertificate).where(SealCertificate.spki_sha256 == spki))
        if existing is not None:
            if existing.unit != user.unit:
                raise problem(400, "bad_csr", "该密钥已为其他单位签发证书，请重新生成密钥")
            return JSONResponse({"request_id": existing.request_id, "serial": existing.serial}, status_code=202)
        old = session.get(SealCertificate, body.supersedes) if body.supersedes else None
        if body.supersedes and (old is None or old.unit != user.unit):
            raise problem(404, "no_certificate", "找不到要替换的本单位证书")
        unit = session.get(Unit, user.unit)
        assert unit is not None
        cert = ca.issue_seal(key, unit_code=unit.code, unit_name=unit.name,  # type: ignore[arg-type]
                             seal_name=body.seal_name, days=platform.config.seal_cert_days,
                             crl_url=f"{base}/pki/crl", ca_url=f"{base}/pki/ca", now=utcnow())
        serial, request_id = format(cert.serial_number, "x"), secrets.token_hex(16)
        pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
        session.add(SealCertificate(serial=serial, unit=unit.code, username=user.username, request_id=request_id,
                                    spki_sha256=spki, pem=pem, not_after=cert.not_valid_after_utc))
        session.flush()
        publish(session, "certificate", unit.code, None, {
            "request_id": request_id, "serial": serial, "certificate": pem, "chain": ca.chain_pem(),
            "requested_by": user.username})
        if old is not None:
            revoke(session, ca, platform.config.crl_days, old.serial, "superseded")
    log.info("seal certificate %s issued to %s for %s", serial, unit.code, user.username)
    return JSONResponse({"request_id": request_id, "serial": serial}, status_code=202)


@router.post("/certificates/{serial}/revoke", responses={**BODY_ERRORS, **FORBIDDEN, 404: {"model": ErrorBody}})
def revoke_certificate(serial: Annotated[str, Path(pattern=SERIAL)], body: RevokeRequest, platform: PlatformDep,
                       user: UserDep) -> dict[str, Any]:
    """Revoke one of the unit's certificates (the unit's administrator)."""
    _ca(platform)
    if user.role is not Role.ADMIN:
        raise problem(403, "forbidden", "只有单位管理员可以吊销本单位的印章证书")
    with platform.db.writing() as session:
        row = session.get(SealCertificate, serial)
        if row is None or row.unit != user.unit:
            raise problem(404, "no_certificate", "找不到该证书，或该证书不属于本单位")
        row = revoke(session, _ca(platform), platform.config.crl_days, serial, body.reason)
        return {"serial": row.serial, "revoked_at": _aware(row.revoked_at).isoformat(),  # type: ignore[arg-type]
                "reason": row.revocation_reason}


def _own_person(session: Session, user: Principal, username: str) -> User:
    """The account ``username`` of the administrator ``user``'s unit (403 for anyone but its administrator,
    404 for an account of another unit)."""
    if user.role is not Role.ADMIN:
        raise problem(403, "forbidden", "只有单位管理员可以指定印章保管人")
    target = session.get(User, username)
    if target is None or target.unit != user.unit:
        raise problem(404, "no_user", "找不到该账号，或该账号不属于本单位")
    return target


@router.put("/seal-holders/{username}", responses={**FORBIDDEN, 404: {"model": ErrorBody}})
def name_holder(username: Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL)], platform: PlatformDep,
                user: UserDep) -> dict[str, Any]:
    """Name a reviewer or administrator of the unit a seal holder (the unit's administrator)."""
    with platform.db.writing() as session:
        target = _own_person(session, user, username)
        if target.role not in {str(r) for r in seal_policy.NAMEABLE}:
            raise problem(400, "bad_role", "只能指定审核人员或单位管理员为印章保管人（审批人员按岗位即可申请）")
        if session.get(SealHolder, (user.unit, username)) is None:
            session.add(SealHolder(unit=user.unit, username=username, named_by=user.username))
    return {"user": username, "seal_holder": True}


@router.delete("/seal-holders/{username}", responses={**FORBIDDEN, 404: {"model": ErrorBody}})
def unname_holder(username: Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL)], platform: PlatformDep,
                  user: UserDep) -> dict[str, Any]:
    """Unname a seal holder (the unit's administrator); their certificates stay until revoked."""
    with platform.db.writing() as session:
        _own_person(session, user, username)
        row = session.get(SealHolder, (user.unit, username))
        if row is not None:
            session.delete(row)
    return {"user": username, "seal_holder": False}


def ensure_crl_published(platform: Platform) -> None:
    """At start: a platform with a CA whose feed has no CRL yet publishes one (units need it to verify)."""
    if platform.ca is None:
        return
    with platform.db.writing() as session:
        if session.scalar(select(FeedEntry.seq).where(FeedEntry.kind == "crl").limit(1)) is None:
            publish_crl(session, platform.ca, platform.config.crl_days)


def records(db: Database) -> list[dict[str, Any]]:
    """Every seal certificate issued, newest first (``ca list``)."""
    with db.session() as session:
        rows = session.scalars(select(SealCertificate).order_by(SealCertificate.issued_at.desc()))
        return [{"serial": r.serial, "unit": r.unit, "username": r.username,
                 "not_after": _aware(r.not_after).isoformat(),
                 "revoked_at": _aware(r.revoked_at).isoformat() if r.revoked_at else None,
                 "revocation_reason": r.revocation_reason} for r in rows]
