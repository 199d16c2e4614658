"""The joint review (网上联审) as the window and the departments see it.

:func:`panel` is the 联审 panel of one case:
each department asked, its due date, whether it answered, what it said, and whether it is late
(due passed without an answer, counted from ``today``). The rules themselves are
:mod:`app.core.joint_review`'s; the departments a window may ask are ``case_desk.joint_departments``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.core.errors import NotFound, UserError
from app.core.joint_review import JOINT_RULES
from app.core.lifecycle import CaseState
from app.services.case_actions import current_state
from app.services.context import AppContext
from app.store import cases, sync_state


@dataclass(frozen=True, slots=True)
class PanelRow:
    """One department of a joint review as the panel shows it."""

    unit: str
    name: str
    due: dt.date
    required: bool
    late: bool
    #: 同意 / 不同意, or "" while it has not answered
    result: str = ""
    text: str = ""
    answered_at: dt.datetime | None = None
    actor: str = ""


@dataclass(frozen=True, slots=True)
class Panel:
    """A case's joint review: the rule it is decided by, each department, and what holds the decision."""

    rule: str
    rows: tuple[PanelRow, ...]
    #: why the window may not decide yet ("" once it may)
    waiting: str

    @property
    def late(self) -> tuple[PanelRow, ...]:
        return tuple(r for r in self.rows if r.late)

    @property
    def rule_label(self) -> str:
        return JOINT_RULES.get(self.rule, self.rule)


def departments_payload(ctx: AppContext, asked: Sequence[tuple[str, dt.date, bool]]) -> list[dict[str, Any]]:
    """The ``departments`` of a 「发起联审」 from (unit code, due date, required), each named as the platform's
    unit list names it; UserError for a unit this window does not know (yet)."""
    names = sync_state.unit_names(ctx.store.reader(), [code for code, _, _ in asked])
    out = []
    for code, due, required in asked:
        if code not in names:
            raise UserError("本机的单位名单中没有{code}，请核对单位代码，或先同步", code=code,
                            log=f"joint review names unit {code[:20]!r} unknown here")
        out.append({"unit": code, "name": names[code], "due": due.isoformat(), "required": required})
    return out


def panel(ctx: AppContext, case_ref: str, today: dt.date | None = None) -> Panel | None:
    """The case's joint review (None if none was started), late ones counted from ``today`` (default: the clock's)."""
    db = ctx.store.reader()
    row = cases.find_case(db, case_ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=case_ref, log=f"no case {case_ref!r}")
    return panel_of(current_state(db, row["id"]), today or ctx.today())


def panel_of(state: CaseState, today: dt.date) -> Panel | None:
    """The 联审 panel of a case in ``state``, late ones counted from ``today``; None without a joint review."""
    review = state.joint
    if review is None:
        return None
    rows = []
    for d in review.departments:
        answer = review.answer_of(d.unit)
        rows.append(PanelRow(d.unit, d.name, d.due, d.required, review.is_late(d.unit, today),
                             *((answer.result, answer.text, answer.at, answer.actor) if answer else ())))
    waiting = review.any_decision_refusal() if state.closed_on is None else ""
    return Panel(review.rule, tuple(rows), waiting)


def panel_view(shown: Panel | None) -> dict[str, Any] | None:
    """The panel as ``case show --json`` and the case detail read it."""
    if shown is None:
        return None
    return {
        "rule": shown.rule, "rule_label": shown.rule_label, "waiting": shown.waiting,
        "departments": [
            {"unit": r.unit, "name": r.name, "due": r.due.isoformat(), "required": r.required, "late": r.late,
             "result": r.result, "text": r.text, "at": r.answered_at.isoformat() if r.answered_at else None,
             "actor": r.actor} for r in shown.rows],
    }


def awaiting_me(ctx: AppContext, case_ref: str) -> bool:
    """Whether this unit is a department asked in the case's open joint review that has not answered (待联审)."""
    db = ctx.store.reader()
    row = cases.find_case(db, case_ref)
    if row is None:
        return False
    state = current_state(db, row["id"])
    org = ctx.settings.get("unit.org")
    return state.joint is not None and state.closed_on is None and state.joint.department(org) is not None \
        and state.joint.answer_of(org) is None
