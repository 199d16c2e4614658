"""Checking the seals and signatures on a PDF: a typed report per signature and per document
time-stamp, and its lines in Chinese for the command line and the window.

Per seal: the signing unit (the certificate subject's O) and signer (the signature's /Name), the
claimed signing time and the time-stamp's time, integrity, whether the file changed after it
and whether that change is one PAdES allows (later seals, time-stamps, validation data), the
chain to the given roots, the certificate's revocation state at signing and now, and the PAdES
level reached.

Revocation is read from the CRLs the caller holds plus those the file carries (B-LT/B-LTA), each
checked against its issuer's key. A seal is valid when it is intact, chains to a root, was
not changed afterwards except in allowed ways, and its certificate was not revoked at the time
the seal is proven to exist (its time-stamp, else now): a certificate revoked after a
time-stamped seal leaves the seal valid, which is what the time-stamp is for. The trust check
uses that time too, so an archived B-LTA file verifies after its certificate expired.

Nothing is fetched (pyHanko's fetchers are off); input is hostile: a file that is not a PDF, a
truncated one or one past :data:`MAX_BYTES` gives a :class:`UserError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel, SignatureStatus

from app.core.errors import N_, Message, UserError
from app.documents.pades import MAX_SEALS, PadesLevel
from app.documents.trust_material import TrustMaterial

log = logging.getLogger("documents")

#: a sealed notice or licence is well under 1 MB; an archive's case file a few dozen
MAX_BYTES = 200 * 1024 * 1024
#: CRLs read from a file's DSS
_MAX_DSS_CRLS = 200


class Integrity(enum.StrEnum):
    INTACT = "intact"
    MODIFIED = "modified"


class Changes(enum.StrEnum):
    """What happened to the file after this signature."""

    NONE = "none"
    #: later seals, time-stamps, validation data, form filling: allowed by PAdES
    ALLOWED = "allowed"
    DISALLOWED = "disallowed"


class RevocationStatus(enum.StrEnum):
    GOOD = "good"
    REVOKED = "revoked"
    #: no CRL of the issuer at hand
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RevocationState:
    status: RevocationStatus
    revoked_at: dt.datetime | None = None
    reason: str = ""
    #: the CRL it is read from (its thisUpdate)
    as_of: dt.datetime | None = None


@dataclass(frozen=True)
class SignatureReport:
    """One seal (``kind`` "signature") or document time-stamp (``kind`` "timestamp")."""

    kind: str
    field: str
    #: the signing unit (subject O) or, for a time-stamp, the time-stamping service
    unit: str
    #: who applied it (/Name); empty for a time-stamp
    signer: str
    credit_code: str
    #: the time the signer's PC claims
    signing_time: dt.datetime | None
    #: the time a time-stamp proves (the signature's own, else the first document time-stamp after it)
    timestamp_time: dt.datetime | None
    timestamp_source: str
    integrity: Integrity
    changes: Changes
    #: which change after it, in pyHanko's words (for the log and --json)
    change_detail: str
    trusted: bool
    trust_problem: str
    revocation_at_signing: RevocationState
    revocation_now: RevocationState
    level: PadesLevel | None
    problems: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        proven_at = self.revocation_at_signing if self.timestamp_time is not None else self.revocation_now
        return (self.integrity is Integrity.INTACT and self.trusted and self.changes is not Changes.DISALLOWED
                and proven_at.status is not RevocationStatus.REVOKED and not self.problems)

    def to_dict(self) -> dict[str, Any]:
        def rev(r: RevocationState) -> dict[str, Any]:
            return {"status": str(r.status), "revoked_at": _iso(r.revoked_at), "reason": r.reason,
                    "as_of": _iso(r.as_of)}
        return {"kind": self.kind, "field": self.field, "unit": self.unit, "signer": self.signer,
                "credit_code": self.credit_code, "signing_time": _iso(self.signing_time),
                "timestamp_time": _iso(self.timestamp_time), "timestamp_source": self.timestamp_source,
                "integrity": str(self.integrity), "changes": str(self.changes), "change_detail": self.change_detail,
                "trusted": self.trusted, "trust_problem": self.trust_problem,
                "revocation_at_signing": rev(self.revocation_at_signing), "revocation_now": rev(self.revocation_now),
                "level": str(self.level) if self.level else None, "problems": list(self.problems),
                "valid": self.valid}


@dataclass(frozen=True)
class VerificationReport:
    signatures: tuple[SignatureReport, ...] = field(default=())

    @property
    def seals(self) -> tuple[SignatureReport, ...]:
        return tuple(s for s in self.signatures if s.kind == "signature")

    @property
    def all_valid(self) -> bool:
        return bool(self.seals) and all(s.valid for s in self.signatures)

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.all_valid, "signatures": [s.to_dict() for s in self.signatures]}


def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t else None


def _crypto_cert(cert: Any) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


def _attr(name: x509.Name, *oids: x509.ObjectIdentifier) -> str:
    for oid in oids:
        values = name.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return ""


def _open(pdf: bytes) -> PdfFileReader:
    if len(pdf) > MAX_BYTES:
        raise UserError("文件过大（{size} MB），无法校验签章", size=len(pdf) // (1024 * 1024),
                        log=f"verify: {len(pdf)} bytes")
    if not pdf.lstrip()[:5].startswith(b"%PDF-"):
        raise UserError("该文件不是 PDF 文件，无法校验签章", log="verify: no %PDF- header")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        reader.root  # noqa: B018  # a truncated file fails here rather than later
        return reader
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as e:
        raise UserError("PDF 文件已损坏或不完整，无法校验签章（{reason}）", reason=type(e).__name__,
                        log=f"verify: unreadable PDF: {e!r}") from e


def _dss_crls(reader: PdfFileReader) -> list[x509.CertificateRevocationList]:
    out: list[x509.CertificateRevocationList] = []
    try:
        dss = reader.root.get("/DSS")
        streams = list(dss.get_object().get("/CRLs", [])) if dss is not None else []
    except (PdfError, ValueError, KeyError, TypeError, AttributeError) as e:
        log.warning("verify: unreadable DSS: %r", e)
        return out
    for ref in streams[:_MAX_DSS_CRLS]:
        try:
            out.append(x509.load_der_x509_crl(ref.get_object().data))
        except (PdfError, ValueError, TypeError, AttributeError) as e:
            log.warning("verify: unreadable CRL in the DSS: %r", e)
    return out


def _issuer_of(cert: x509.Certificate, candidates: Iterable[x509.Certificate]) -> x509.Certificate | None:
    for c in candidates:
        if c.subject == cert.issuer:
            try:
                cert.verify_directly_issued_by(c)
                return c
            except (ValueError, TypeError, InvalidSignature):
                continue
    return None


def revocation_state(cert: x509.Certificate, issuer: x509.Certificate | None,
                     crls: Iterable[x509.CertificateRevocationList], at: dt.datetime | None) -> RevocationState:
    """``cert``'s state from the newest of ``crls`` its issuer signed; ``at``: as of that time (None: now)."""
    if issuer is None:
        return RevocationState(RevocationStatus.UNKNOWN)
    mine = [c for c in crls if c.issuer == issuer.subject and c.is_signature_valid(issuer.public_key())]  # type: ignore[arg-type]
    if not mine:
        return RevocationState(RevocationStatus.UNKNOWN)
    newest = max(mine, key=lambda c: c.last_update_utc)
    entry = newest.get_revoked_certificate_by_serial_number(cert.serial_number)
    if entry is None or (at is not None and entry.revocation_date_utc > at):
        return RevocationState(RevocationStatus.GOOD, as_of=newest.last_update_utc)
    reason = ""
    with contextlib.suppress(x509.ExtensionNotFound):
        reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.value
    return RevocationState(RevocationStatus.REVOKED, entry.revocation_date_utc, reason, newest.last_update_utc)


def _changes(status: Any) -> tuple[Changes, str]:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return Changes.NONE, ""
    diff = status.diff_result
    if isinstance(diff, SuspiciousModification):
        return Changes.DISALLOWED, str(diff)
    level = status.modification_level
    if (status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.docmdp_ok is not False
            and level is not None and level != ModificationLevel.OTHER):
        return Changes.ALLOWED, level.name
    return Changes.DISALLOWED, level.name if level is not None else str(status.coverage)


def _trust_problem(status: SignatureStatus) -> str:
    problem = status.trust_problem_indic
    return "" if problem is None else str(getattr(problem, "name", problem))


def _level(reader: PdfFileReader, sig: EmbeddedPdfSignature, stamped: bool,
           doc_ts_revisions: list[int]) -> PadesLevel:
    level = PadesLevel.B_T if stamped else PadesLevel.B_B
    dss_rev = None
    for rev in range(sig.signed_revision + 1, min(reader.xrefs.total_revisions, 10 * MAX_SEALS)):
        if "/DSS" in reader.get_historical_root(rev):
            dss_rev = rev
            break
    if dss_rev is None or not stamped:
        return level
    if any(r > dss_rev for r in doc_ts_revisions):
        return PadesLevel.B_LTA
    return PadesLevel.B_LT


def verify(pdf: bytes, trust: TrustMaterial, *, now: dt.datetime | None = None) -> VerificationReport:
    """Check every seal and document time-stamp in ``pdf`` against ``trust`` (nothing is fetched)."""
    reader = _open(pdf)
    try:
        sigs = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as e:
        raise UserError("PDF 文件已损坏或不完整，无法校验签章（{reason}）", reason=type(e).__name__,
                        log=f"verify: signatures unreadable: {e!r}") from e
    if len(sigs) > MAX_SEALS:
        raise UserError("该文件的签章超过 {count} 个，无法校验", count=MAX_SEALS, log=f"verify: {len(sigs)} sigs")
    material = trust.with_crls(_dss_crls(reader))
    reports: list[SignatureReport] = []
    doc_ts: list[tuple[int, dt.datetime]] = []
    for sig in sigs:
        try:
            if sig.sig_object_type == "/DocTimeStamp":
                report = _doc_timestamp(sig, material, now)
                if report.valid and report.timestamp_time is not None:
                    doc_ts.append((sig.signed_revision, report.timestamp_time))
            else:
                report = _seal(reader, sig, material, doc_ts_after=sigs, now=now)
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as e:
            log.warning("verify: signature %s unreadable: %r", sig.field_name, e)
            report = _broken(sig, str(e))
        reports.append(report)
    return VerificationReport(tuple(reports))


def _broken(sig: EmbeddedPdfSignature, why: str) -> SignatureReport:
    unknown = RevocationState(RevocationStatus.UNKNOWN)
    return SignatureReport("signature", str(sig.field_name or ""), "", "", "", None, None, "",
                           Integrity.MODIFIED, Changes.DISALLOWED, "", False, why, unknown, unknown, None, (why,))


def _doc_timestamp(sig: EmbeddedPdfSignature, trust: TrustMaterial, now: dt.datetime | None) -> SignatureReport:
    status = validate_pdf_timestamp(sig, validation_context=trust.validation_context(moment=now))
    cert = _crypto_cert(status.signing_cert)
    changes, detail = _changes(status)
    unknown = RevocationState(RevocationStatus.UNKNOWN)
    return SignatureReport(
        "timestamp", str(sig.field_name or ""), _attr(cert.subject, NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME),
        "", "", None, status.timestamp, "document",
        Integrity.INTACT if status.intact and status.valid else Integrity.MODIFIED, changes, detail,
        status.trusted, _trust_problem(status), unknown, unknown, None)


def _seal(reader: PdfFileReader, sig: EmbeddedPdfSignature, trust: TrustMaterial, *,
          doc_ts_after: list[EmbeddedPdfSignature], now: dt.datetime | None) -> SignatureReport:
    certs = [_crypto_cert(c) for c in sig.other_embedded_certs]
    vc = trust.validation_context(moment=now, extra_certs=certs)
    status = validate_pdf_signature(sig, signer_validation_context=vc, ts_validation_context=vc)
    stamped_at, source = None, ""
    ts = status.timestamp_validity
    if ts is not None and ts.intact and ts.valid and ts.trusted:
        stamped_at, source = ts.timestamp, "signature"
    doc_ts_revisions = []
    for other in doc_ts_after:
        if other.sig_object_type == "/DocTimeStamp" and other.signed_revision > sig.signed_revision:
            tstatus = validate_pdf_timestamp(other, validation_context=trust.validation_context(moment=now))
            if tstatus.intact and tstatus.valid and tstatus.trusted:
                doc_ts_revisions.append(other.signed_revision)
                if stamped_at is None:
                    stamped_at, source = tstatus.timestamp, "document"
    if stamped_at is not None:
        # Trust as of the proven time: an expired or later-revoked certificate does not undo the seal.
        at_signing = trust.validation_context(moment=stamped_at, retroactive=True, extra_certs=certs)
        status = validate_pdf_signature(sig, signer_validation_context=at_signing, ts_validation_context=vc)
    cert = _crypto_cert(sig.signer_cert)
    issuer = _issuer_of(cert, (*certs, *trust.intermediates, *trust.roots))
    claimed = sig.self_reported_timestamp
    changes, detail = _changes(status)
    problem = _trust_problem(status)
    # Revocation is judged below with its dates; a chain that fails only on it still reaches a root.
    trusted = status.trusted or (problem.startswith("REVOKED") and status.valid and status.intact)
    name = sig.sig_object.get("/Name")
    return SignatureReport(
        "signature", str(sig.field_name or ""), _attr(cert.subject, NameOID.ORGANIZATION_NAME),
        str(name) if name is not None else "",
        _attr(cert.subject, NameOID.ORGANIZATION_IDENTIFIER, NameOID.SERIAL_NUMBER),
        claimed, stamped_at, source,
        Integrity.INTACT if status.intact and status.valid else Integrity.MODIFIED, changes, detail,
        trusted, "" if trusted else problem,
        revocation_state(cert, issuer, trust.crls, stamped_at or claimed),
        revocation_state(cert, issuer, trust.crls, None),
        _level(reader, sig, stamped_at is not None, doc_ts_revisions))


# -- in Chinese ---------------------------------------------------------------------------------
_BEIJING = dt.timezone(dt.timedelta(hours=8))
_CHANGES = {Changes.NONE: N_("无（签章覆盖整个文件）"),
            Changes.ALLOWED: N_("有，属于允许的变更（其他单位加盖印章、时间戳或长期验证数据）"),
            Changes.DISALLOWED: N_("有，属于不允许的变更，签章后文件内容被改动")}
_REASONS = {"keyCompromise": N_("密钥泄露"), "cACompromise": N_("CA 密钥泄露"),
            "affiliationChanged": N_("单位信息变更"), "superseded": N_("证书已更换"),
            "cessationOfOperation": N_("停止使用"), "certificateHold": N_("暂停使用")}


def _when(t: dt.datetime) -> str:
    """A moment in Beijing time, as digits (the same in every language of the window)."""
    return f"{t.astimezone(_BEIJING):%Y-%m-%d %H:%M:%S}"


def _revocation(r: RevocationState) -> Message:
    if r.status is RevocationStatus.UNKNOWN:
        return Message(N_("未知（没有该证书签发机构的吊销列表）"))
    if r.status is RevocationStatus.GOOD:
        if r.as_of:
            return Message("未吊销（依据 {as_of} 的吊销列表）", as_of=_when(r.as_of))
        return Message(N_("未吊销"))
    assert r.revoked_at is not None
    reason = Message(_REASONS.get(r.reason, r.reason)) if r.reason else Message(N_("未说明"))
    return Message("已吊销（吊销时间 {at}，原因：{reason}）", at=_when(r.revoked_at), reason=reason)


def describe(report: VerificationReport) -> list[Message]:
    """The report as lines (Chinese messages the window translates; the command line prints them)."""
    if not report.signatures:
        return [Message(N_("该文件没有电子印章或数字签名"))]
    lines = [Message(N_("（时间均为北京时间）"))]
    seal_no = ts_no = 0
    for s in report.signatures:
        verdict = Message(N_("有效")) if s.valid else Message(N_("无效"))
        if s.kind == "timestamp":
            ts_no += 1
            lines.append(Message("文档时间戳 {n}（{field}）：{verdict}，时间 {when}，时间戳服务：{unit}", n=ts_no,
                                 field=s.field, verdict=verdict,
                                 when=_when(s.timestamp_time) if s.timestamp_time else Message(N_("未知")),
                                 unit=s.unit or Message(N_("未知"))))
            if s.changes is Changes.DISALLOWED or s.integrity is Integrity.MODIFIED:
                lines.append(Message(N_("  时间戳之后文件内容被改动")))
            continue
        seal_no += 1
        lines.append(Message("电子印章 {n}（{field}）：{verdict}", n=seal_no, field=s.field, verdict=verdict))
        if s.problems:
            lines.append(Message("  无法读取该签章：{problem}", problem=s.problems[0]))
            continue
        unit = s.unit or Message(N_("（证书中没有单位名称）"))
        if s.credit_code:
            lines.append(Message("  签章单位：{unit}（代码 {code}）", unit=unit, code=s.credit_code))
        else:
            lines.append(Message("  签章单位：{unit}", unit=unit))
        lines.append(Message("  签章人：{signer}", signer=s.signer or Message(N_("（未记录）"))))
        if s.signing_time:
            lines.append(Message("  签章时间：{when}（签章电脑的时钟，未经证明）", when=_when(s.signing_time)))
        else:
            lines.append(Message(N_("  签章时间：未记录")))
        stamped = _when(s.timestamp_time) if s.timestamp_time is not None else ""
        if stamped and s.timestamp_source == "signature":
            lines.append(Message("  时间戳：{when}（签章自带的时间戳证明签章不晚于此时）", when=stamped))
        elif stamped:
            lines.append(Message("  时间戳：{when}（其后的文档时间戳证明签章不晚于此时）", when=stamped))
        else:
            lines.append(Message(N_("  时间戳：无（签章时间仅为签章电脑的时间）")))
        lines.append(Message(N_("  完整性：签章范围内的内容未被改动")) if s.integrity is Integrity.INTACT
                     else Message(N_("  完整性：签章范围内的内容已被改动，签章失效")))
        lines.append(Message("  签章后变更：{changes}", changes=Message(_CHANGES[s.changes])))
        if s.trusted:
            lines.append(Message(N_("  证书：可信，链接到受信任的根证书")))
        else:
            lines.append(Message("  证书：不可信（{problem}）",
                                 problem=s.trust_problem or Message(N_("无法链接到受信任的根证书"))))
        lines.append(Message("  签章时证书状态：{state}", state=_revocation(s.revocation_at_signing)))
        lines.append(Message("  当前证书状态：{state}", state=_revocation(s.revocation_now)))
        if s.level is not None:
            lines.append(Message("  PAdES 级别：{level}", level=str(s.level)))
    lines.append(Message(N_("结论：全部签章有效")) if report.all_valid
                 else Message(N_("结论：有签章无效，请勿采信该文件")))
    return lines
