"""Notices kept with the case: issue one, list them, read one back to print, have it signed.

A notice is issued once and reprinted from the stored PDF (what the applicant holds is what the
case keeps). Issuing and signing are ``notice`` actions by the signed-in person: hash-chained,
synced with their blobs, refused before anything is written when the role or the case's state
does not allow them. Each print or file written out is recorded as a look at personal data.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import sqlite_utils

from app.core import signature
from app.core.chain import canonical_json
from app.core.errors import InvalidTransition, NotFound, UserError
from app.core.lifecycle import Action, ActionType, CaseState, apply, authority_refusal
from app.core.notice_kinds import NoticeKind
from app.core.signature import SignatureRecord, Strokes
from app.documents.notice_signing import signed_copy
from app.documents.notices import render
from app.documents.pades import attach_strokes
from app.services import audit, seals
from app.services.case_actions import current_state, write_action
from app.services.context import AppContext
from app.services.notice_details import NoticeRequest, details_of
from app.services.notice_records import NoticeRecord, SealedCopy, SignedCopy, fold_notices
from app.store import cases
from app.store.bundled import NOTICE_FONT_FILE
from app.store.notices import notice_actions

log = logging.getLogger("services.notices")
SIGNER_LABELS = {"applicant": "申请人", "recipient": "受送达人"}

__all__ = ["NoticeRecord", "NoticeRequest", "SignedCopy", "case_number", "issue", "latest", "notices_of", "pdf_of",
           "printed", "sign", "signature_holds", "signature_record"]


def _case(db: sqlite_utils.Database, ref: str) -> dict[str, Any]:
    row = cases.find_case(db, ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=ref, log=f"no case {ref!r}")
    return row


def notices_of(ctx: AppContext, case_ref: str) -> list[NoticeRecord]:
    """The case's notices, oldest first."""
    db = ctx.store.reader()
    return fold_notices(notice_actions(db, _case(db, case_ref)["id"]))


def latest(ctx: AppContext, case_ref: str, kind: NoticeKind) -> NoticeRecord | None:
    """The case's last notice of ``kind``, or None."""
    found = [n for n in notices_of(ctx, case_ref) if n.kind is kind]
    return found[-1] if found else None


def _check_may(ctx: AppContext, row: Mapping[str, Any], state: CaseState) -> None:
    org = ctx.settings.get("unit.org")
    why = authority_refusal(state, row["org"], org, ActionType.NOTICE)
    if why:
        raise InvalidTransition(why, log=f"notice by {org}, case held by {state.holder_or(row['org'])}")
    ctx.check_role(ActionType.NOTICE, state.status)


def _record(ctx: AppContext, ref: str, payload: dict[str, Any], blobs: list[tuple[str, int, str]]) -> Action:
    """Write the notice action (its blobs already stored) after checking again inside the transaction."""

    def write(db: sqlite_utils.Database) -> Action:
        row = _case(db, ref)
        state = current_state(db, row["id"])
        _check_may(ctx, row, state)
        now = ctx.clock().isoformat()
        for sha, size, media in blobs:
            cases.record_blob(db, sha, size, media, now)
        action = ctx.action(row["id"], ActionType.NOTICE, payload, item_code=row["item_code"])
        write_action(ctx, db, action, apply(state, action), row["head_seq"], row["head_hash"])
        return action

    return ctx.store.write(write)


def issue(ctx: AppContext, case_ref: str, kind: NoticeKind, request: NoticeRequest | None = None) -> NoticeRecord:
    """Make a notice of ``kind`` for the case, store it and record it; UserError with nothing written
    if the case, its state or the person's role does not allow it."""
    if kind is NoticeKind.REVIEW_SHEET:
        raise UserError("上报审查表在上报时自动生成，不能单独出具", log="review sheet asked for as a notice")
    if kind is NoticeKind.LICENCE:
        raise UserError("电子证照在出件时生成，不能作为通知书出具", log="licence asked for as a notice")
    db = ctx.store.reader()
    row = _case(db, case_ref)
    state = current_state(db, row["id"])
    _check_may(ctx, row, state)
    creds = seals.credentials(ctx) if kind.sealed else None
    details = replace(details_of(ctx, db, row, state, kind, request or NoticeRequest()), sealed=creds is not None)
    pdf = render(details, NOTICE_FONT_FILE)
    sha = ctx.store.blobs.put(pdf)
    payload: dict[str, Any] = {"kind": str(kind), "pdf_sha256": sha}
    blobs = [(sha, len(pdf), "application/pdf")]
    sealed = None
    if creds is not None:
        sealed = seals.seal(ctx, pdf, creds, reason=f"出具{kind.value}")
        blobs.append((ctx.store.blobs.put(sealed.pdf), len(sealed.pdf), "application/pdf"))
        payload["sealed"] = sealed.payload()
    action = _record(ctx, row["id"], payload, blobs)
    log.info("case %s: %s issued (%d bytes, %s)", row["case_no"], kind.name, len(pdf),
             sealed.level if sealed else "unsealed")
    copy = SealedCopy(sealed.sha256, str(sealed.level), action.at.isoformat()) if sealed else None
    return NoticeRecord(action.id, row["id"], kind, sha, action.at.isoformat(), sealed=copy)


def record_grown(ctx: AppContext, case_ref: str, payload: dict[str, Any], pdf: bytes) -> None:
    """Record a sealed copy grown by a timestamp or B-LTA (``payload`` names the copy it grew)."""
    sha = ctx.store.blobs.put(pdf)
    _record(ctx, case_ref, payload, [(sha, len(pdf), "application/pdf")])


def case_number(ctx: AppContext, notice: NoticeRecord) -> str:
    """The case number of the notice's case (for file names)."""
    return str(_case(ctx.store.reader(), notice.case_id)["case_no"])


def pdf_of(ctx: AppContext, notice: NoticeRecord, *, signed: bool = True) -> bytes:
    """The stored PDF of a notice: the signed copy if there is one (unless ``signed=False``)."""
    sha = notice.print_sha256 if signed else notice.pdf_sha256
    if not ctx.store.blobs.has(sha):
        # A notice another unit issued arrives as its action only; its PDF stays with that unit.
        raise UserError("该{kind}由其他单位出具，本机没有其文件，请向出具单位索取", kind=notice.kind,
                        log=f"notice blob {sha} not here")
    return ctx.store.blobs.read(sha)


def printed(ctx: AppContext, notice: NoticeRecord, where: str) -> None:
    """Record that a notice (personal data) was printed or written to ``where`` (a file, a printer)."""
    audit.record(ctx, "print", notice.case_id, notice=str(notice.kind), sha256=notice.print_sha256, to=where)


def sign(ctx: AppContext, case_ref: str, notice: NoticeRecord, strokes: Strokes) -> NoticeRecord:
    """The applicant's (or recipient's) signature on ``notice``: bound to the notice's SHA-256, drawn into
    a signed copy, both kept with the case. UserError if the notice takes no signature, is signed
    already, or the strokes are no signature."""
    role = notice.kind.signer
    if not role:
        raise UserError("{kind}无需签名", kind=notice.kind, log=f"signature on {notice.kind.name}")
    if notice.signed is not None:
        raise UserError("该{kind}已签名", kind=notice.kind, log=f"notice {notice.action_id} signed twice")
    record = signature.sign(strokes, notice.pdf_sha256, role, ctx.clock())
    record_bytes = canonical_json(record.to_dict()).encode("utf-8")
    copy = signed_copy(pdf_of(ctx, notice, signed=False), strokes)
    level = ""
    creds = seals.credentials(ctx) if notice.kind.sealed else None
    if creds is not None:
        # The stroke data, then the unit's seal over all of it: the applicant's signature lies inside
        # the range the seal signs, so neither can be swapped without breaking the seal.
        copy = attach_strokes(copy, record_bytes)
        sealed = seals.seal(ctx, copy, creds, reason=f"{notice.kind.value}（{SIGNER_LABELS.get(role, role)}已签名）")
        copy, level = sealed.pdf, str(sealed.level)
    record_sha, copy_sha = ctx.store.blobs.put(record_bytes), ctx.store.blobs.put(copy)
    signed: dict[str, Any] = {"pdf_sha256": copy_sha, "record_sha256": record_sha, "role": role,
                              "digest": record.digest}
    if level:
        signed["level"] = level
    payload = {"kind": str(notice.kind), "pdf_sha256": notice.pdf_sha256, "signed": signed}
    action = _record(ctx, case_ref, payload, [(copy_sha, len(copy), "application/pdf"),
                                              (record_sha, len(record_bytes), "application/json")])
    log.info("notice %s of case %s signed%s", notice.kind.name, notice.case_id, " and sealed" if level else "")
    return replace(notice, signed=SignedCopy(copy_sha, record_sha, role, action.at.isoformat(), level))


def signature_record(ctx: AppContext, notice: NoticeRecord) -> SignatureRecord:
    """The stored signature record of a signed notice."""
    if notice.signed is None:
        raise UserError("该{kind}尚未签名", kind=notice.kind, log=f"notice {notice.action_id} not signed")
    return SignatureRecord.from_dict(json.loads(ctx.store.blobs.read(notice.signed.record_sha256)))


def signature_holds(ctx: AppContext, notice: NoticeRecord) -> bool:
    """Whether the notice's signature record is bound to this notice and unchanged."""
    return signature.verify(signature_record(ctx, notice), notice.pdf_sha256)
