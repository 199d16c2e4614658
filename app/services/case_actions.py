"""Lifecycle actions on an existing case (受理, 不予受理, 一次性告知, 中止, 决定 …)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.core.deadlines import Deadline, compute_deadline
from app.core.errors import InvalidTransition, Message, NotFound
from app.core.joint_review import DEFAULT_RULE
from app.core.lifecycle import (
    OPEN_STATES,
    RETURN_RESULT,
    Action,
    ActionType,
    CaseState,
    Status,
    apply,
    authority_refusal,
    check_new_payload,
    fold_lenient,
    refusal,
)
from app.core.paper_checks import paper_check_due
from app.core.permissions import on_the_spot
from app.services import licences
from app.services.context import AppContext
from app.store import actions, cases, sync_state

log = logging.getLogger("services.actions")


@dataclass(frozen=True, slots=True)
class Attached:
    """A ``notice`` action written just before the action it goes with, in the same transaction: the
    review sheet sealed for a 上报 or an opinion. Its blobs are stored already."""

    payload: Mapping[str, Any]
    #: (sha256, size, media type) of each blob the payload names
    blobs: tuple[tuple[str, int, str], ...]


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What an action did: its id, and the case's state after it."""

    action_id: str
    case_id: str
    case_no: str
    status: Status


def deadline_of(ctx: AppContext, state: CaseState) -> Deadline | None:
    """The promised deadline, counting paused days out up to today; None before acceptance."""
    if state.accepted_on is None:
        return None
    return compute_deadline(ctx.calendar, state.accepted_on, state.promised_days, state.pauses,
                            today=ctx.today())


def paper_check_due_for(ctx: AppContext, item_code: str, decided_on: dt.date) -> dt.date | None:
    """告知承诺: the day an approval of ``item_code`` on ``decided_on`` must have its paper materials checked
    by (``commitment.check_days`` working days on this unit's calendar); None unless the catalogue marks
    the item 告知承诺."""
    item = ctx.catalog.get(item_code)
    if item is None or not item.commitment:
        return None
    return paper_check_due(ctx.calendar, decided_on, int(ctx.settings.get("commitment.check_days")))


def current_state(db: sqlite_utils.Database, case_id: str) -> CaseState:
    """A case's state: the platform's order of its actions, then this window's unanswered ones."""
    counted = sync_state.effective_actions(db, case_id)
    if not counted or counted[0].type is not ActionType.RECEIVE:
        # The platform refused the case's receive (its reason is kept and shown): the case
        # stays as this window made it, set aside, and must not stop anything else.
        counted = actions.load(db, case_id)
    state, skipped = fold_lenient(counted)
    for action in skipped:
        log.info("case %s: waiting action %s (%s) no longer applies", case_id, action.id, action.type)
    return state


def write_action(
    ctx: AppContext, db: sqlite_utils.Database, action: Action, state: CaseState, prev_seq: int, prev_hash: str
) -> tuple[int, str]:
    """Append this window's ``action`` (already folded into ``state``) for sync; returns the new head."""
    seq, digest = actions.append(db, action, prev_seq, prev_hash)
    sync_state.mark_pending(db, action.id)
    cases.update_projection(db, action.case_id, state, deadline_of(ctx, state), seq, digest)
    return seq, digest


def reproject(ctx: AppContext, db: sqlite_utils.Database, case_id: str) -> CaseState:
    """Recompute a case row after the platform answered or sent actions, or the calendar changed."""
    row = cases.find_case(db, case_id)
    assert row is not None
    state = current_state(db, case_id)
    cases.update_projection(db, case_id, state, deadline_of(ctx, state), row["head_seq"], row["head_hash"])
    return state


def with_unit_names(db: sqlite_utils.Database, why: str) -> str:
    """A refusal from the rules with the unit holding the case named as the clerk knows it (the
    feed's name), not by its 18-character code; as it was when the name is not known here."""
    if not isinstance(why, Message) or not isinstance(why.fields.get("holder"), str):
        return why
    code = why.fields["holder"]
    name = sync_state.unit_names(db, [code]).get(code)
    return Message(why.template, **{**why.fields, "holder": name}) if name else why


def refresh_paused_deadlines(ctx: AppContext) -> list[str]:
    """Recompute the stored deadline of the cases returned (退回) to a unit and not forwarded again.

    Their clock is paused up to "today" (docs/review.md), so their due day moves on each working
    day while nothing happens to them; the list's light and sort read the stored day. Few cases
    are returned at a time: they are read along the partial index of 退回, and only rows whose
    day changed are written. Returns their ids.
    """
    db = ctx.store.reader()
    open_states = [str(s) for s in OPEN_STATES]
    rows = db.execute(
        f"SELECT id, due_on FROM cases WHERE last_opinion = '{RETURN_RESULT}'"
        f" AND status IN ({','.join('?' * len(open_states))})", open_states).fetchall()
    stale = []
    for case_id, due_on in rows[:MAX_PAUSED_REFRESH]:
        deadline = deadline_of(ctx, current_state(db, case_id))
        if (deadline.due.isoformat() if deadline else None) != due_on:
            stale.append(str(case_id))
    if stale:
        ctx.store.write(lambda w: [reproject(ctx, w, case_id) for case_id in stale])
    return stale


#: the most returned cases one refresh recomputes (more wait for the next)
MAX_PAUSED_REFRESH = 2000


def _check_forward(db: sqlite_utils.Database, org: str, payload: Mapping[str, Any]) -> None:
    me = sync_state.unit(db, org)
    if me is None:
        return  # units not synced yet: the platform checks it
    parent = me["parent"] and sync_state.unit(db, me["parent"])
    if not parent:
        raise InvalidTransition("本单位已是最高一级，不能再上报", log=f"forward from top unit {org}")
    if payload.get("to") != parent["code"]:
        raise InvalidTransition("只能上报至上一级单位：{name}（{code}）", name=parent["name"], code=parent["code"],
                                log=f"forward to {payload.get('to')!r}, parent is {parent['code']}")


def material_names(db: sqlite_utils.Database, case_id: str) -> list[str]:
    """The names of the case's materials, in order."""
    return [r[0] for r in db.execute("SELECT name FROM materials WHERE case_id = ? ORDER BY seq", [case_id])]


def missing_required(ctx: AppContext, db: sqlite_utils.Database, row: Mapping[str, Any]) -> list[str]:
    """The required materials of the case's checklist it does not hold, in checklist order."""
    item = ctx.catalog.get(row["item_code"])
    if item is None:
        return []  # an item this window's catalogue does not know (yet): the platform's catalogue decides
    return list(item.missing_required(material_names(db, row["id"])))


def _check_complete(ctx: AppContext, db: sqlite_utils.Database, row: Mapping[str, Any]) -> None:
    """受理 only with every required material of the checklist handed in."""
    missing = missing_required(ctx, db, row)
    if missing:
        raise incomplete(missing)


def incomplete(missing: Sequence[str]) -> InvalidTransition:
    """The refusal of 受理 while required materials are missing, naming each."""
    return InvalidTransition(
        "缺少必要材料：{missing}，不能受理。请申请人补齐，或出具一次性告知书",
        missing="、".join(f"“{n}”" for n in missing),
        log=f"accept refused: {len(missing)} required materials missing")


def _may_act(ctx: AppContext, db: sqlite_utils.Database, ref: str, kind: ActionType
             ) -> tuple[dict[str, Any], CaseState]:
    """The case and its state, after checking that this unit holds it and the signed-in person's role
    may take ``kind``."""
    row = cases.find_case(db, ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=ref, log=f"no case {ref!r}")
    state = current_state(db, row["id"])
    org = ctx.settings.get("unit.org")
    why = with_unit_names(db, authority_refusal(state, row["org"], org, kind))
    if why:
        raise InvalidTransition(why, log=f"{kind} by {org}, case held by {state.holder_or(row['org'])}")
    ctx.check_role(kind, state.status, immediate=on_the_spot(state))
    return row, state


def perform(ctx: AppContext, ref: str, kind: ActionType, payload: Mapping[str, Any] | None = None, *,
            attach: Sequence[Attached] = ()) -> ActionResult:
    """Apply one action to the case with id or number ``ref``; refused actions write nothing.

    ``attach``: notice actions written first in the same transaction (both or neither are kept).
    """
    body = dict(payload or {})
    org = ctx.settings.get("unit.org")
    if kind is ActionType.ACCEPT and "promised_days" not in body:
        row = cases.find_case(ctx.store.reader(), ref)
        item = ctx.catalog.get(row["item_code"]) if row else None
        body["promised_days"] = item.promised_days if item else 0
    if kind in (ActionType.OPINION, ActionType.FORWARD, ActionType.DECIDE, ActionType.JOINT_OPINION):
        body["unit"] = org  # a decision names its unit: the licence and a 告知承诺 check name it
    if kind is ActionType.JOINT_REVIEW and "rule" not in body:
        row = cases.find_case(ctx.store.reader(), ref)
        item = ctx.catalog.get(row["item_code"]) if row else None
        body["rule"] = item.joint_rule if item and item.joint_rule else DEFAULT_RULE  # the item's rule
    if kind is ActionType.REVOKE_LICENCE and "licence_id" not in body:
        row = cases.find_case(ctx.store.reader(), ref)
        body["licence_id"] = current_state(ctx.store.reader(), row["id"]).licence_id if row else ""
    at = ctx.clock()
    if kind is ActionType.DECIDE and body.get("result") == "准予" and "paper_check_due" not in body:
        row = cases.find_case(ctx.store.reader(), ref)
        due = paper_check_due_for(ctx, row["item_code"], at.date()) if row else None
        if due is not None:  # 告知承诺: approved on the promise, the paper is checked by this day
            body["paper_check_due"] = due.isoformat()
    made: tuple[str, int, str] | None = None
    if kind is ActionType.ISSUE and "licence" not in body:
        # 出件 hands out the result document, made and sealed before the action's transaction (sealing
        # may wait for the platform's timestamp); checked first, so a refusal makes no licence.
        row, state = _may_act(ctx, ctx.store.reader(), ref, kind)
        why = refusal(state, kind)
        if why:  # e.g. issued already: no number taken, no licence made
            raise InvalidTransition(why, log=f"{kind} refused in state {state.status}")
        body["licence"], made = licences.prepare(ctx, row, at)
    check_new_payload(kind, body)

    def write(db: sqlite_utils.Database) -> ActionResult:
        row, state = _may_act(ctx, db, ref, kind)
        if kind is ActionType.FORWARD:
            _check_forward(db, org, body)
        if kind is ActionType.ACCEPT:
            _check_complete(ctx, db, row)
        if kind is ActionType.OPINION:  # a 退回 names materials the case has
            check_new_payload(kind, body, materials=material_names(db, row["id"]))
        head = (row["head_seq"], row["head_hash"])
        for extra in attach:
            for sha, size, media in extra.blobs:
                cases.record_blob(db, sha, size, media, at.isoformat())
            notice = ctx.action(row["id"], ActionType.NOTICE, extra.payload, item_code=row["item_code"], at=at)
            state = apply(state, notice)
            head = write_action(ctx, db, notice, state, *head)
        if made is not None:
            cases.record_blob(db, *made, at.isoformat())
        action = ctx.action(row["id"], kind, body, item_code=row["item_code"], at=at)
        new_state = apply(state, action)
        write_action(ctx, db, action, new_state, *head)
        return ActionResult(action.id, row["id"], row["case_no"], new_state.status)

    result = ctx.store.write(write)
    log.info("case %s: %s -> %s", result.case_no, kind, result.status)
    return result
