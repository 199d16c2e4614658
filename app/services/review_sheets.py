"""The review sheet (上报审查表) a forwarded case travels with, and each level's opinion sealed onto it.

Seed 003 三(三): a township case goes up with the township's opinion, the county (and the city)
add theirs, and 「需盖章的采用电子印章」. The forwarding unit renders the sheet with its own
opinion and seals it in the first box, as a ``notice`` action written in the same transaction
as the 上报. Each higher level that gives an opinion or decides adds its words and its seal in
the next box as a later signature on the same file (a ``notice`` action naming the copy it grew),
so every earlier seal stays valid and the sheet keeps the whole path of the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from app.core.catalog import Tier
from app.core.notice_kinds import NoticeKind
from app.documents.notice_model import NoticeMaterial
from app.documents.opinion_sheet import MAX_LEVELS, OpinionSheet, SheetOpinion
from app.services.case_actions import current_state, deadline_of
from app.services.context import AppContext
from app.services.notice_details import unit_header
from app.services.notice_records import NoticeRecord, fold_notices
from app.store import cases, sync_state
from app.store.notices import notice_actions

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
