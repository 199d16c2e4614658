"""The review sheet (上报审查表) a forwarded case travels with, and each level's opinion sealed onto it.

Seed 003 三(三): a township case goes up with the township's opinion, the county (and the city)
add theirs, and 「需盖章的采用电子印章」. The forwarding unit renders the sheet with its own
opinion and seals it in the first box, as a ``notice`` action written in the same transaction
as the 上报. Each higher level that gives its opinion adds its words and its seal in
the next box as a later signature on the same file (a ``notice`` action naming the copy it grew),
so every earlier seal stays valid and the sheet keeps the whole path of the case.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from app.core.catalog import Tier
from app.core.lifecycle import ActionType
from app.core.notice_kinds import NoticeKind
from app.documents.notice_layout import Box
from app.documents.notice_model import NoticeMaterial, chinese_date
from app.documents.opinion_sheet import (
    MAX_LEVELS,
    OpinionSheet,
    SheetOpinion,
    opinion_box,
    opinion_seal_box,
    opinion_text_box,
    render_sheet,
)
from app.documents.pades import SealNote, SealPlacement
from app.documents.seal_stamp import DIAMETER_MM
from app.services import case_actions, seals
from app.services.case_actions import ActionResult, Attached, current_state, deadline_of
from app.services.context import AppContext
from app.services.notice_details import unit_header
from app.services.notice_records import NoticeRecord, fold_notices
from app.store import cases, sync_state
from app.store.bundled import NOTICE_FONT_FILE
from app.store.notices import notice_actions

log = logging.getLogger("services.review_sheets")

_LEVEL_LABELS = {Tier.TOWNSHIP: "乡镇（街道）意见", Tier.COUNTY: "县（区）意见", Tier.CITY: "市级意见"}


def level_labels(db: sqlite_utils.Database, org: str, to: str) -> tuple[str, ...]:
    """The sheet's boxes: the forwarding unit's, then each unit above it (as far as the units are known)."""
    labels: list[str] = []
    code: str | None = org
    seen: set[str] = set()
    while code and code not in seen and len(labels) < MAX_LEVELS:
        seen.add(code)
        unit = sync_state.unit(db, code)
        if unit is None:
            break
        try:
            labels.append(_LEVEL_LABELS[Tier(unit["tier"])])
        except ValueError:
            labels.append("审查意见")
        code = unit["parent"]
    if len(labels) < 2:
        # Units not synced yet (the platform checks the forward): this level and the one it goes to.
        labels = ["本级意见", "上级意见"]
    return tuple(labels)


def sheet_for_forward(ctx: AppContext, db: sqlite_utils.Database, row: Mapping[str, Any],
                      payload: Mapping[str, Any]) -> OpinionSheet:
    """The sheet the case goes up with: its facts, its materials and this unit's own opinion."""
    state = current_state(db, row["id"])
    org = ctx.settings.get("unit.org")
    to = str(payload.get("to", ""))
    names = sync_state.unit_names(db, [to])
    applicant = cases.applicant_of(db, row["applicant_id"])
    deadline = deadline_of(ctx, state)
    now = ctx.clock()
    header = unit_header(ctx)
    text = str(payload.get("text", "")).strip() or "经初审，申请材料齐全，符合法定形式，同意上报。"
    return OpinionSheet(
        unit=header, case_no=row["case_no"], item_name=row["item_name"],
        applicant_name=str(applicant.get("name", "")),
        received_on=dt.datetime.fromisoformat(row["received_at"]).date(), accepted_on=state.accepted_on,
        promised_days=state.promised_days if state.accepted_on else None,
        deadline=deadline.due if deadline else None, forwarded_to=names.get(to, to),
        clerk=ctx.session.name or ctx.session.user, issued_at=now,
        materials=tuple(NoticeMaterial(m.name, len(m.pages)) for m in cases.material_records(db, row["id"])),
        levels=level_labels(db, org, to),
        first=SheetOpinion(header.name, "同意上报", text, now.date()),
    )


def current_sheet(db: sqlite_utils.Database, case_id: str) -> NoticeRecord | None:
    """The latest review sheet of the case (a case sent back and forwarded again has a new one)."""
    sheets = [n for n in fold_notices(notice_actions(db, case_id)) if n.kind is NoticeKind.REVIEW_SHEET]
    return sheets[-1] if sheets else None


def _label_width_box(level: int) -> Box:
    """The part of a level's box its seal's appearance covers: everything right of the label."""
    box, text = opinion_box(level), opinion_text_box(level)
    return Box(text.x, box.y + 1, box.x + box.w - text.x - 1, box.h - 2)


def _forward_sheet(ctx: AppContext, ref: str, payload: Mapping[str, Any]) -> list[Attached]:
    """The sheet this unit forwards the case with, its own opinion in the first box under its seal."""
    db = ctx.store.reader()
    row = cases.find_case(db, ref)
    if row is None:
        return []  # perform says the case is not found
    sheet = sheet_for_forward(ctx, db, row, payload)
    pdf = render_sheet(sheet, NOTICE_FONT_FILE)
    sha = ctx.store.blobs.put(pdf)
    # The size lets the next level's window fetch the sheet before it has the bytes (sealed or not).
    body: dict[str, Any] = {"kind": str(NoticeKind.REVIEW_SHEET), "pdf_sha256": sha, "size": len(pdf)}
    blobs = [(sha, len(pdf), "application/pdf")]
    creds = seals.credentials(ctx)
    if creds is not None:
        seal_box = opinion_seal_box(0)
        placement = SealPlacement.centred(seal_box.x + seal_box.w / 2, seal_box.y + seal_box.h - DIAMETER_MM / 2)
        sealed = seals.seal(ctx, pdf, creds, placement, reason="上报审查意见")
        blobs.append((ctx.store.blobs.put(sealed.pdf), len(sealed.pdf), "application/pdf"))
        body["sealed"] = sealed.payload()
    return [Attached(body, tuple(blobs))]


def _opinion_on_sheet(ctx: AppContext, ref: str, payload: Mapping[str, Any]) -> list[Attached]:
    """This level's opinion and seal added in its box of the sheet the case came up with.

    The box is the unit's place on the case's way up (the forwarding unit's is the first), whatever
    the boxes before it hold: a township without a seal certificate leaves its box unsealed. A unit's
    decision after its opinion adds nothing: its box holds its opinion already.
    """
    db = ctx.store.reader()
    row = cases.find_case(db, ref)
    org = ctx.settings.get("unit.org")
    if row is None or row["org"] == org:
        return []  # the receiving window gives no opinion on its own sheet
    sheet = current_sheet(db, row["id"])
    creds = seals.credentials(ctx)
    # The copy to add to: the latest sealed one, or the sheet as made (its unit had no seal certificate).
    base = sheet and (sheet.sealed.pdf_sha256 if sheet.sealed else sheet.pdf_sha256)
    if sheet is None or not base or creds is None or not ctx.store.blobs.has(base):
        log.info("case %s: no review sheet here (or no seal) to add this level's opinion to", row["case_no"])
        return []
    level = len(current_state(db, row["id"]).forwarded_from)
    if not 1 <= level < MAX_LEVELS:
        return []
    result = str(payload.get("result", ""))
    words = result + "。" + str(payload.get("text", "")).strip() if payload.get("text") else result + "。"
    note = SealNote(words, (ctx.settings.get("unit.name") or org, chinese_date(ctx.clock().date())))
    sealed = seals.seal(ctx, ctx.store.blobs.read(base), creds, SealPlacement(_label_width_box(level)),
                        reason="审查意见", note=note)
    sha = ctx.store.blobs.put(sealed.pdf)
    seals_on = (sheet.sealed.seals if sheet.sealed else 0) + 1
    body = {"kind": str(NoticeKind.REVIEW_SHEET), "pdf_sha256": sheet.pdf_sha256,
            "sealed": sealed.payload(seals=seals_on, over=base)}
    return [Attached(body, ((sha, len(sealed.pdf), "application/pdf"),))]


def perform(ctx: AppContext, ref: str, kind: ActionType, payload: Mapping[str, Any] | None = None) -> ActionResult:
    """:func:`case_actions.perform`, with the review sheet sealed for a 上报 and each higher level's opinion
    on it: what the window's action row and the command line call."""
    body = dict(payload or {})
    attach: list[Attached] = []
    if kind is ActionType.FORWARD:
        attach = _forward_sheet(ctx, ref, body)
    elif kind is ActionType.OPINION:
        attach = _opinion_on_sheet(ctx, ref, body)
    return case_actions.perform(ctx, ref, kind, body, attach=attach)
