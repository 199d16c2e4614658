"""Lifecycle actions on an existing case (受理, 不予受理, 一次性告知, 中止, 决定 …)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.core.deadlines import Deadline, compute_deadline
from app.core.errors import NotFound
from app.core.lifecycle import Action, ActionType, CaseState, Status, apply, check_payload, fold
from app.services.context import AppContext
from app.store import actions, cases

log = logging.getLogger("services.actions")


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


def write_action(
    ctx: AppContext, db: sqlite_utils.Database, action: Action, state: CaseState, prev_seq: int, prev_hash: str
) -> tuple[int, str]:
    """Append ``action`` (already folded into ``state``), refresh the case row; returns the new head."""
    seq, digest = actions.append(db, action, prev_seq, prev_hash)
    cases.update_projection(db, action.case_id, state, deadline_of(ctx, state), seq, digest)
    return seq, digest


def perform(ctx: AppContext, ref: str, kind: ActionType, payload: Mapping[str, Any] | None = None) -> ActionResult:
    """Apply one action to the case with id or number ``ref``; refused actions write nothing."""
    body = dict(payload or {})
    if kind is ActionType.ACCEPT and "promised_days" not in body:
        row = cases.find_case(ctx.store.reader(), ref)
        item = ctx.catalog.get(row["item_code"]) if row else None
        body["promised_days"] = item.promised_days if item else 0
    check_payload(kind, body)

    def write(db: sqlite_utils.Database) -> ActionResult:
        row = cases.find_case(db, ref)
        if row is None:
            raise NotFound(f"找不到办件“{ref}”，请核对受理编号", log=f"no case {ref!r}")
        action = Action(id=ctx.new_id(), case_id=row["id"], type=kind, actor=ctx.actor,
                        at=ctx.clock(), payload=body)
        state = apply(fold(actions.load(db, row["id"])), action)
        write_action(ctx, db, action, state, row["head_seq"], row["head_hash"])
        return ActionResult(action.id, row["id"], row["case_no"], state.status)

    result = ctx.store.write(write)
    log.info("case %s: %s -> %s", result.case_no, kind, result.status)
    return result
