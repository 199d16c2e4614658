"""The case desk: the lifecycle actions the signed-in person can take on one case now, and taking one.

:func:`offered_actions` lists the actions the case's state admits, in the order of the lifecycle,
each either enabled or with the reason it is not, in the words of the rules themselves
(:mod:`app.core.lifecycle`, :mod:`app.core.permissions`): the window shows them and holds no rule
of its own. :func:`take` performs one through the existing use cases (受理 keeps its completeness
rule, 上报 its parent unit) and returns what changed, so a view refreshes only those cases.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.core import permissions
from app.core.catalog import Fee
from app.core.errors import N_, NotFound
from app.core.lifecycle import TRANSITIONS, ActionType, CaseState, Status, authority_refusal, refusal
from app.services import case_actions, evaluation, fees, review_sheets
from app.services.case_actions import current_state, incomplete, with_unit_names
from app.services.context import AppContext
from app.services.counter import Defect
from app.store import cases, sync_state

log = logging.getLogger("services.desk")

_A = ActionType
#: the actions the desk offers, in the order a case meets them (receiving and amending materials
#: are the intake's; a notice is issued by the steps that need one)
DESK_ACTIONS: tuple[ActionType, ...] = (
    _A.ACCEPT, _A.NOTIFY_MISSING, _A.REJECT, _A.START_REVIEW, _A.SUSPEND, _A.RESUME, _A.FORWARD, _A.OPINION,
    _A.DECIDE, _A.ISSUE, _A.DELIVER, _A.PAPER_CHECK, _A.RECORD_FEE, _A.EVALUATE, _A.WITHDRAW, _A.ARCHIVE,
    _A.REVOKE_LICENCE, _A.JOINT_REVIEW, _A.JOINT_OPINION,
)


@dataclass(frozen=True, slots=True)
class Offer:
    """One action on the desk: enabled, or shown disabled with the reason why not."""

    kind: ActionType
    label: str
    why_not: str = ""

    @property
    def enabled(self) -> bool:
        return not self.why_not


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit the case can be reported to (上报), as the clerk chooses it: by name."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Changed:
    """What an action changed: the cases to show again, and where this one stands now."""

    case_ids: tuple[str, ...]
    case_no: str
    status: Status
    action_id: str

    @property
    def case_id(self) -> str:
        """The case the action was taken on."""
        return self.case_ids[0]


def _case(db: sqlite_utils.Database, ref: str) -> dict[str, Any]:
    row = cases.find_case(db, ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=ref, log=f"no case {ref!r}")
    return row


def forward_targets(ctx: AppContext) -> list[Unit]:
    """The units this unit may report a case to: its parent (none at the top, or before the units synced)."""
    db = ctx.store.reader()
    me = sync_state.unit(db, ctx.settings.get("unit.org"))
    parent = me and me["parent"] and sync_state.unit(db, me["parent"])
    return [Unit(parent["code"], parent["name"])] if parent else []


#: the platform's tier of a department (进驻部门): the units a joint review asks
DEPARTMENT_TIER = "department"


def joint_departments(ctx: AppContext) -> list[Unit]:
    """The departments this window may ask in a joint review, by name (none before the units synced)."""
    rows = ctx.store.reader().execute("SELECT code, name FROM units WHERE tier = ? AND code != ? ORDER BY code",
                                      [DEPARTMENT_TIER, ctx.settings.get("unit.org")]).fetchall()
    return [Unit(code, name) for code, name in rows]


def _forward_refusal(ctx: AppContext) -> str:
    db = ctx.store.reader()
    me = sync_state.unit(db, ctx.settings.get("unit.org"))
    if me is None:
        return N_("尚未从平台取得本单位及上级单位的信息，请先同步后再上报")
    if not forward_targets(ctx):
        return N_("本单位已是最高一级，不能再上报")
    return ""


def _why_not(ctx: AppContext, db: sqlite_utils.Database, row: Mapping[str, Any], state: CaseState,
             kind: ActionType) -> str:
    """The first reason the signed-in person may not take ``kind`` now: their role, then who holds
    the case, then the case's own state, then what the action itself needs."""
    role = permissions.parse_role(ctx.session.role)
    why = permissions.why_not(role, kind, state.status, immediate=permissions.on_the_spot(state))
    if why:
        return why
    why = with_unit_names(db, authority_refusal(state, row["org"], ctx.settings.get("unit.org"), kind)) or \
        refusal(state, kind)
    if why:
        return why
    if kind is _A.ACCEPT:
        missing = case_actions.missing_required(ctx, db, row)
        if missing:
            return incomplete(missing).message
    if kind is _A.FORWARD:
        return _forward_refusal(ctx)
    return ""


def offered_actions(ctx: AppContext, case_ref: str) -> list[Offer]:
    """The actions the case's state admits, each enabled for the signed-in person or with the reason why not.

    A fee is offered only for an item whose catalogue entry charges one, 注销 only once a licence was issued.
    """
    db = ctx.store.reader()
    row = _case(db, case_ref)
    state = current_state(db, row["id"])
    item = ctx.catalog.get(row["item_code"])
    org = ctx.settings.get("unit.org")
    offers = []
    for kind in DESK_ACTIONS:
        if state.status not in TRANSITIONS[kind][0]:
            continue
        if kind is _A.RECORD_FEE and (item is None or not item.fee.charged):
            continue
        if kind is _A.REVOKE_LICENCE and not state.licence_id:
            continue  # an issue from before e-licences: nothing to revoke
        if kind is _A.PAPER_CHECK and state.paper_check is None:
            continue  # not a 告知承诺 case: no paper check owed
        if kind is _A.JOINT_OPINION and (state.joint is None or state.joint.department(org) is None):
            continue  # only a department asked in the case's joint review answers
        if kind is _A.JOINT_REVIEW and (item is None or item.joint_rule is None or state.holder_or(row["org"]) != org):
            continue  # only an item handled by joint review, started by the window that holds the case
        offers.append(Offer(kind, kind.label, _why_not(ctx, db, row, state, kind)))
    return offers


def defects_of(ctx: AppContext, case_ref: str) -> tuple[list[Defect], list[str]]:
    """The one-time notice of a received case pre-filled (each required material it lacks, 未提供), and
    the names of the item's checklist to choose from."""
    db = ctx.store.reader()
    row = _case(db, case_ref)
    item = ctx.catalog.get(row["item_code"])
    names = [m.name for m in item.materials] if item else []
    return [Defect(n, "未提供") for n in case_actions.missing_required(ctx, db, row)], names


def fee_of(ctx: AppContext, case_ref: str) -> Fee | None:
    """The catalogue's fee of the case's item (what the fee form pre-fills); None if it charges none."""
    item = ctx.catalog.get(_case(ctx.store.reader(), case_ref)["item_code"])
    return item.fee if item is not None and item.fee.charged else None


def take(ctx: AppContext, case_ref: str, kind: ActionType, payload: Mapping[str, Any] | None = None) -> Changed:
    """Take action ``kind`` with ``payload`` (the fields the action asks for) on the case; refused ones
    (UserError) write nothing."""
    body = dict(payload or {})
    if kind not in DESK_ACTIONS:
        raise ValueError(f"{kind} is not taken from the case desk")
    if kind is _A.RECORD_FEE:
        done = fees.record_fee(ctx, case_ref, int(body.get("amount_fen", 0)), str(body.get("basis", "")),
                               str(body.get("reference", "")))
    elif kind is _A.EVALUATE:
        done = evaluation.evaluate(ctx, case_ref, str(body.get("level", "")), tuple(body.get("reasons", ())),
                                   str(body.get("text", "")))
    else:
        done = review_sheets.perform(ctx, case_ref, kind, body)
    return Changed((done.case_id,), done.case_no, done.status, done.action_id)
