"""The counter's decisions on an intake, taken on the same screen: 受理, 一次性告知, 不予受理.

Each receives the draft as a case and records the decision on it. What would refuse the
decision is checked first, so a refused 受理 leaves the draft as it was rather than a case
received and not accepted. The two steps are two transactions: a crash between them leaves
a received case (listed, and decided from the case desk), never a lost one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.core.errors import UserError
from app.core.lifecycle import ActionType, Status
from app.services import case_actions, drafts, fees, intake
from app.services.context import AppContext

log = logging.getLogger("services.counter")


@dataclass(frozen=True, slots=True)
class Decided:
    """The case made from the draft and where it stands after the decision."""

    case_id: str
    case_no: str
    status: Status
    #: pages left out or received with warnings (for the clerk to hear about)
    received: intake.NewCase


@dataclass(frozen=True, slots=True)
class Defect:
    """A material of the one-time notice and what is wrong with it (缺少, 需补正 …)."""

    material: str
    problem: str

    def line(self) -> str:
        return f"{self.material}：{self.problem}" if self.problem.strip() else self.material


def defects_of(ctx: AppContext, draft_id: str) -> list[Defect]:
    """The one-time notice pre-filled: every required material missing or marked 未提供."""
    draft = drafts.load(ctx, draft_id)
    return [Defect(name, "未提供") for name in drafts.missing_required(ctx, draft)]


def receive(ctx: AppContext, draft_id: str, options: intake.IntakeOptions | None = None) -> Decided:
    """收件 only (the decision is taken later from the case desk)."""
    made = drafts.submit(ctx, draft_id, options)
    return Decided(made.id, made.case_no, Status.RECEIVED, made)


def accept(ctx: AppContext, draft_id: str, options: intake.IntakeOptions | None = None) -> Decided:
    """收件 and 受理; refused, with the draft kept, while a required material is missing."""
    missing = drafts.missing_required(ctx, drafts.load(ctx, draft_id), options.held if options else ())
    if missing:
        raise case_actions.incomplete(missing)
    ctx.check_role(ActionType.ACCEPT, Status.RECEIVED)
    made = drafts.submit(ctx, draft_id, options)
    done = case_actions.perform(ctx, made.id, ActionType.ACCEPT)
    log.info("case %s received and accepted at the counter", made.case_no)
    return Decided(made.id, made.case_no, done.status, made)


#: what the decision on a 即办件 records as its reasoning
ON_THE_SPOT_TEXT = "即办件，材料齐全，当场办结"


def is_immediate(ctx: AppContext, item_code: str) -> bool:
    """Whether ``item_code`` is a 即办件 (promised in 0 working days) in this window's catalogue."""
    item = ctx.catalog.get(item_code)
    return item is not None and item.immediate


def settle(ctx: AppContext, draft_id: str, options: intake.IntakeOptions | None = None, *,
           fee: tuple[int, str, str] | None = None) -> Decided:
    """当场办结 of a 即办件: 收件, 受理, 准予, 出件 and 送达 (窗口自取) at the window, in that order.

    Refused, with the draft kept, for an item with a time limit or with a required material
    missing. Each step is its own action (the platform checks each); a crash part-way leaves
    the case where it got to, decided from the case desk. ``fee`` (amount in fen, basis, payment
    reference) is recorded before the result is handed over, while a payment still may be.
    """
    draft = drafts.load(ctx, draft_id)
    if not is_immediate(ctx, draft.item_code):
        raise UserError("该事项不是即办件（承诺时限不为 0 个工作日），不能当场办结；请先受理",
                        log=f"settle refused: item {draft.item_code} has a time limit")
    missing = drafts.missing_required(ctx, draft, options.held if options else ())
    if missing:
        raise case_actions.incomplete(missing)
    ctx.check_role(ActionType.ACCEPT, Status.RECEIVED)
    ctx.check_role(ActionType.DECIDE, Status.ACCEPTED, immediate=True)
    made = drafts.submit(ctx, draft_id, options)
    case_actions.perform(ctx, made.id, ActionType.ACCEPT, {"promised_days": 0})
    if fee is not None:
        fees.record_fee(ctx, made.id, *fee)
    case_actions.perform(ctx, made.id, ActionType.DECIDE, {"result": "准予", "text": ON_THE_SPOT_TEXT})
    case_actions.perform(ctx, made.id, ActionType.ISSUE)
    done = case_actions.perform(ctx, made.id, ActionType.DELIVER, {"method": "窗口自取"})
    log.info("case %s settled on the spot at the counter", made.case_no)
    return Decided(made.id, made.case_no, done.status, made)


def missing_payload(defects: Iterable[Defect]) -> dict[str, Any]:
    """一次性告知's payload: the names make the case's list of what is missing, the problems go on the notice."""
    listed = [d for d in defects if d.material.strip()]
    return {"missing": list(dict.fromkeys(d.material.strip() for d in listed)),
            "problems": {d.material.strip(): d.problem.strip() for d in listed if d.problem.strip()}}


def notify_missing(ctx: AppContext, draft_id: str, defects: list[Defect],
                   options: intake.IntakeOptions | None = None) -> Decided:
    """收件 and 一次性告知 of every material in ``defects`` (each with what is wrong)."""
    listed = [d for d in defects if d.material.strip()]
    if not listed:
        raise UserError("一次性告知须列出全部缺少或需补正的材料", log="notify_missing without materials")
    ctx.check_role(ActionType.NOTIFY_MISSING, Status.RECEIVED)
    made = drafts.submit(ctx, draft_id, options)
    done = case_actions.perform(ctx, made.id, ActionType.NOTIFY_MISSING, missing_payload(listed))
    return Decided(made.id, made.case_no, done.status, made)


def reject(ctx: AppContext, draft_id: str, reason: str, options: intake.IntakeOptions | None = None) -> Decided:
    """收件 and 不予受理 with ``reason``."""
    if not reason.strip():
        raise UserError("请填写不予受理的理由", log="reject without a reason")
    ctx.check_role(ActionType.REJECT, Status.RECEIVED)
    made = drafts.submit(ctx, draft_id, options)
    done = case_actions.perform(ctx, made.id, ActionType.REJECT, {"reason": reason.strip()})
    return Decided(made.id, made.case_no, done.status, made)
