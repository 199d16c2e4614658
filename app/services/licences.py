"""出件 makes the case's result document: the e-licence of the item's catalogue entry, or a 批文.

The window that issues is the licence's issuing authority (颁发机构: its code in the identifier, its name
and seal on the document). Where another unit decided (上报件: the city decides, the receiving window
issues, seed 003 三(三)), the licence also names that unit as 审批机关 (docs/forwarded-results.md).

Made and sealed just before the transaction that records the issue action (:func:`prepare`): the
seal may wait for the platform's time-stamping service, which must not hold the store's writer.
Its serial is taken from this installation's counter (:mod:`app.store.licences`) in a transaction
of its own, so a number is used at most once (an issue refused afterwards leaves a gap). Offline it
is made all the same, sealed without a timestamp: the PDF is a blob of the case and goes up with the
action at the next sync, where the platform's licence library registers it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from app.core.applicants import Organisation, Person, parse_applicant
from app.core.catalog import CatalogItem, LicenceSpec
from app.core.errors import NotFound, UserError
from app.core.licence_ids import make, serial_of
from app.core.licences import (
    IssuedLicence,
    LicenceKind,
    approval_type_code,
    licence_of,
    valid_until,
    verification_url,
)
from app.core.lifecycle import ActionType
from app.documents.licence_pdf import SEAL_CENTRE, SEAL_DIAMETER, LicenceDocument, Seal, render
from app.documents.pades import SealPlacement
from app.services import seals
from app.services.context import AppContext
from app.store import actions, cases, ledger, sync_state
from app.store import licences as counters
from app.store.bundled import NOTICE_FONT_FILE

log = logging.getLogger("services.licences")


def verification_base(ctx: AppContext) -> str:
    """The platform's public address that the licence's QR code points to ("" when none is set)."""
    return str(ctx.settings.get("notice.progress_url") or ctx.settings.get("platform.url") or "")


def _rows(spec: LicenceSpec | None, applicant: Person | Organisation, row: Mapping[str, Any],
          decision: str) -> list[tuple[str, str]]:
    if isinstance(applicant, Person):
        number = ("公民身份号码" if applicant.id_type == "resident_id" else "证件号码", applicant.id_number)
    else:
        number = ("统一社会信用代码", applicant.credit_code)
    values = {
        "id_number": number,
        "address": ("住所", applicant.address if isinstance(applicant, Person) else ""),
        "legal_rep": ("法定代表人", applicant.legal_rep.name if isinstance(applicant, Organisation)
                      and applicant.legal_rep else ""),
        "item": ("办理事项", str(row["item_name"])),
        "content": ("许可内容" if spec else "批准内容", spec.content if spec else decision),
        "case_no": ("受理编号", str(row["case_no"])),
    }
    keys = spec.fields if spec else ("id_number", "item", "content", "case_no")
    return [values[k] for k in keys if values[k][1].strip() or k == "content"]


def _decision(db: sqlite_utils.Database, case_id: str) -> tuple[str, str]:
    """The (last) decision's text ("准予" when it gives none) and the unit that made it ("" if unnamed)."""
    found = [a for a in actions.load(db, case_id) if a.type is ActionType.DECIDE]
    payload = found[-1].payload if found else {}
    return str(payload.get("text") or "").strip() or "准予", str(payload.get("unit") or "")


def _approving_unit(db: sqlite_utils.Database, org: str, decided_by: str) -> list[tuple[str, str]]:
    """The 审批机关 row of a licence this window issues on a decision another unit made (上报件: the city
    decides, the receiving window issues): the deciding unit by name. None when this unit decided."""
    if not decided_by or decided_by == org:
        return []
    name = sync_state.unit_names(db, [decided_by]).get(decided_by) or decided_by
    return [("审批机关", name)]


def prepare(ctx: AppContext, row: Mapping[str, Any], at: dt.datetime) -> tuple[dict[str, Any], tuple[str, int, str]]:
    """Make and seal the case's licence (or 批文) for an issue at ``at`` and store its PDF: the issue
    action's ``licence``, and the blob to record with the action.

    Called before the issue's write transaction: sealing may wait for the platform's time-stamping
    service, and no network call may hold the store's writer. The number is taken in a transaction of
    its own, so an issue refused afterwards leaves a gap in this installation's numbers, never a
    duplicate.
    """
    db = ctx.store.reader()
    installation = ledger.installation(db)
    station = installation.replace("-", "").upper()
    counter = ctx.store.write(lambda w: counters.next_counter(w, station))
    payload, size = licence_payload(ctx, db, row, at, counter)
    creds = seals.credentials(ctx)
    if creds is not None:
        placement = SealPlacement.centred(*SEAL_CENTRE, diameter_mm=SEAL_DIAMETER)
        sealed = seals.seal(ctx, ctx.store.blobs.read(str(payload["pdf_sha256"])), creds, placement,
                            reason="出具电子证照")
        payload = {**payload, "pdf_sha256": ctx.store.blobs.put(sealed.pdf), "seal_level": str(sealed.level)}
        size = len(sealed.pdf)
    return payload, (str(payload["pdf_sha256"]), size, "application/pdf")


def licence_payload(ctx: AppContext, db: sqlite_utils.Database, row: Mapping[str, Any], at: dt.datetime,
                    counter: int, seal: Seal | None = None) -> tuple[dict[str, Any], int]:
    """Make the case's licence (or 批文) numbered ``counter``, store its PDF and return the issue
    action's ``licence`` and the PDF's size."""
    org = str(ctx.settings.get("unit.org"))
    # As on the notices: the unit's name, or its code until the name is set.
    unit_name = str(ctx.settings.get("unit.name") or "").strip() or org
    item: CatalogItem | None = ctx.catalog.get(row["item_code"])
    spec = item.licence if item else None
    applicant = parse_applicant(cases.applicant_of(db, row["applicant_id"]))
    serial = serial_of(ledger.installation(db), counter)
    if spec is not None:
        kind, lid, name = LicenceKind.LICENCE, make(spec.type_code, org, serial), spec.name
        until = valid_until(at.date(), spec.validity_years)
    else:
        kind, lid = LicenceKind.APPROVAL, make(approval_type_code(org), org, serial)
        name = item.result_name.strip("《》") if item else f"{row['item_name']}批准文件"
        until = None
    text, decided_by = _decision(db, row["id"])
    person = isinstance(applicant, Person)
    holder_id = applicant.id_number if isinstance(applicant, Person) else applicant.credit_code
    base = verification_base(ctx)
    doc = LicenceDocument(
        title=name, licence_id=str(lid), holder_label="持证人" if person else "持证单位",
        holder_name=applicant.name, rows=_rows(spec, applicant, row, text) + _approving_unit(db, org, decided_by),
        valid_from=at.date(), valid_until=until, issuer_name=unit_name, issued_on=at.date(),
        verification_url=verification_url(base, str(lid)) if base else str(lid),
        kind_label=kind.label if kind is LicenceKind.LICENCE else "批准文件")
    pdf = render(doc, NOTICE_FONT_FILE, seal)
    sha = ctx.store.blobs.put(pdf)
    log.info("case %s: %s %s made (%d bytes)", row["case_no"], kind, lid, len(pdf))
    return IssuedLicence(lid, kind, name, applicant.name, holder_id, person, at.date(), until, sha).to_dict(), len(pdf)


def issued_licence(ctx: AppContext, case_ref: str) -> IssuedLicence | None:
    """The licence the case's (last) issue action names, or None."""
    db = ctx.store.reader()
    row = cases.find_case(db, case_ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=case_ref, log=f"no case {case_ref!r}")
    found = [a for a in actions.load(db, row["id"]) if a.type is ActionType.ISSUE]
    return licence_of(found[-1].payload) if found else None


def licence_pdf(ctx: AppContext, licence: IssuedLicence) -> bytes:
    """The stored PDF of a licence; UserError when this window does not hold it."""
    if not ctx.store.blobs.has(licence.pdf_sha256):
        raise UserError("本机没有该证照的文件，请同步后再试", log=f"licence blob {licence.pdf_sha256} not here")
    return ctx.store.blobs.read(licence.pdf_sha256)
