"""The applicant's evaluation of the service (好差评): recorded as an action, synced like the rest.

The rules live in :mod:`app.core.evaluation`; this adds the unit's choice of four or five levels,
and the follow-up a 差评 opens (due in 15 working days, counted on the unit's calendar).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core import evaluation as rules
from app.core.deadlines import Deadline
from app.core.errors import UserError
from app.core.lifecycle import ActionType, CaseState
from app.core.supervision import follow_up_deadline
from app.services.case_actions import ActionResult, perform
from app.services.context import AppContext


def levels(ctx: AppContext) -> tuple[str, ...]:
    """The levels this unit offers the applicant, best first."""
    return rules.levels(bool(ctx.settings.get("evaluation.four_levels")))


def reasons() -> tuple[str, ...]:
    """The reasons an applicant may give for a 差评."""
    return rules.REASONS


def evaluate(ctx: AppContext, case_ref: str, level: str, reasons: Sequence[str] = (), text: str = "",
             channel: str = rules.CHANNELS[0]) -> ActionResult:
    """Record the applicant's evaluation of case ``case_ref`` (one per case); refused ones write nothing."""
    if level == rules.FIFTH_LEVEL and level not in levels(ctx):
        raise UserError("本单位按四级评价（非常满意、满意、基本满意、不满意），没有“非常不满意”",
                        log="five-level evaluation where the unit uses four levels")
    payload = rules.evaluation_payload(level, tuple(reasons), text, channel)
    return perform(ctx, case_ref, ActionType.EVALUATE, payload)


def follow_up_due(ctx: AppContext, state: CaseState) -> Deadline | None:
    """When the follow-up of the case's 差评 is due; None without one."""
    return follow_up_deadline(ctx.calendar, state.evaluation)


def evaluation_view(ctx: AppContext, state: CaseState) -> dict[str, Any] | None:
    """The evaluation as ``case show`` gives it."""
    e = state.evaluation
    if e is None:
        return None
    due = follow_up_due(ctx, state)
    return {"level": e.level, "reasons": list(e.reasons), "text": e.text, "channel": e.channel,
            "at": e.at.isoformat(), "follow_up_due": due.due.isoformat() if due else None,
            "follow_up_provisional": bool(due and due.provisional)}
