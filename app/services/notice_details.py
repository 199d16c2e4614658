"""What goes on a notice, gathered from the case, the catalogue and the unit's settings.

Which notice fits which case is decided here too: a 受理通知书 needs an accepted case, a
不予受理通知书 a rejected one, and so on; the clerk hears why not before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from app.core.errors import N_, Message, UserError
from app.core.lifecycle import ActionType, CaseState, Status
from app.core.notice_kinds import NoticeKind
from app.core.progress import progress_url, query_code
from app.documents.notice_model import NoticeDetails, NoticeMaterial, UnitHeader
from app.services.case_actions import deadline_of
from app.services.context import AppContext
from app.store import actions, cases


@dataclass(frozen=True, slots=True)
class NoticeRequest:
    """What the clerk adds to a notice beyond what the case holds."""

    #: material name → what is missing or wrong with it (一次性告知书, 补正通知书)
    problems: Mapping[str, str] = field(default_factory=dict)
    #: what a correction is about (补正通知书)
    reason: str = ""
    #: a note on the service (送达回证): tracking number, who collected it …
    note: str = ""


#: the states a served result can be in (送达回证)
_SERVABLE = frozenset({Status.ISSUED, Status.DELIVERED, Status.DENIED, Status.ARCHIVED})


def _refusal(kind: NoticeKind, state: CaseState, request: NoticeRequest) -> str:
    if kind is NoticeKind.ACCEPTANCE and state.accepted_on is None:
        return N_("该办件尚未受理，不能出具受理通知书")
    if kind is NoticeKind.REJECTION and state.status is not Status.REJECTED:
        return N_("该办件未作不予受理，不能出具不予受理通知书")
    if kind is NoticeKind.ONE_TIME and not state.missing:
        return N_("该办件未作一次性告知（没有需补齐的材料），不能出具一次性告知书")
    if kind is NoticeKind.CORRECTION and not request.problems:
        return N_("补正通知书须列出需要补正的材料及补正内容")
    if kind is NoticeKind.SERVICE and state.status not in _SERVABLE:
        return Message("该办件当前状态为“{status}”，尚无可送达的结果，不能出具送达回证", status=state.status)
    return ""


def check_fits(kind: NoticeKind, state: CaseState, request: NoticeRequest) -> None:
    """UserError if a notice of ``kind`` does not fit a case in ``state``."""
    why = _refusal(kind, state, request)
    if why:
        raise UserError(why, log=f"notice {kind.name} refused in state {state.status}")


def _last_payload(db: sqlite_utils.Database, case_id: str, kind: ActionType) -> Mapping[str, Any]:
    found = [a for a in actions.load(db, case_id) if a.type is kind]
    return found[-1].payload if found else {}


def _problems(request: NoticeRequest, given: object) -> dict[str, str]:
    """What is wrong with each material: as the one-time notice action recorded it, then the clerk's words."""
    out = {str(k): str(v) for k, v in given.items()} if isinstance(given, Mapping) else {}
    return {**out, **{k: v.strip() for k, v in request.problems.items() if v.strip()}}


def unit_header(ctx: AppContext, consult_phone: str = "", complaint_phone: str = "") -> UnitHeader:
    s = ctx.settings
    return UnitHeader(name=s.get("unit.name") or s.get("unit.org"), address=s.get("unit.address"),
                      phone=s.get("unit.phone") or consult_phone,
                      complaint_phone=s.get("unit.complaint_phone") or complaint_phone, footer=s.get("notice.footer"))


def details_of(ctx: AppContext, db: sqlite_utils.Database, row: Mapping[str, Any], state: CaseState,
               kind: NoticeKind, request: NoticeRequest) -> NoticeDetails:
    """The notice of ``kind`` for the case ``row`` in ``state``, as of now."""
    check_fits(kind, state, request)
    item = ctx.catalog.get(row["item_code"])
    applicant = cases.applicant_of(db, row["applicant_id"])
    materials = tuple(NoticeMaterial(m.name, len(m.pages)) for m in cases.material_records(db, row["id"]))
    if kind in (NoticeKind.ONE_TIME, NoticeKind.CORRECTION):
        given = _last_payload(db, row["id"], ActionType.NOTIFY_MISSING).get("problems") \
            if kind is NoticeKind.ONE_TIME else None
        problems = _problems(request, given)
        names = list(state.missing) if kind is NoticeKind.ONE_TIME else list(problems)
        names += [n for n in problems if n not in names]
        materials = tuple(NoticeMaterial(n, 0, problems.get(n, "")) for n in names)
    deadline = deadline_of(ctx, state)
    base = ctx.settings.get("notice.progress_url") or ctx.settings.get("platform.url")
    delivered = _last_payload(db, row["id"], ActionType.DELIVER)
    note = request.note or (f"邮件号：{delivered['tracking']}" if delivered.get("tracking") else
                            f"取件码：{delivered['pickup_code']}" if delivered.get("pickup_code") else "")
    return NoticeDetails(
        kind=kind, unit=unit_header(ctx, item.consult_phone if item else "", item.complaint_phone if item else ""),
        case_no=row["case_no"], item_name=row["item_name"], applicant_name=str(applicant.get("name", "")),
        received_on=dt.datetime.fromisoformat(row["received_at"]).date(), issued_at=ctx.clock(),
        clerk=ctx.session.name or ctx.session.user, materials=materials, accepted_on=state.accepted_on,
        promised_days=state.promised_days if state.accepted_on else None,
        deadline=deadline.due if deadline else None, deadline_provisional=bool(deadline and deadline.provisional),
        progress_url=progress_url(base, row["case_no"], row["id"]) if base else "",
        query_code=query_code(row["id"]) if base else "",
        reason=state.reason if kind is NoticeKind.REJECTION else request.reason,
        result_name=item.result_name if item else "", delivery_method=str(delivered.get("method", "")),
        delivery_note=note,
    )
