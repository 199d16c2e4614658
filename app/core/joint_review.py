"""Joint review (网上联审): one case sent to several departments at once, and the item's rule for deciding it.

The receiving window (联合受理窗口) starts a joint review (「发起联审」) naming each department, its
due date and whether its opinion is required; each department gives its opinion (「联审意见」: 同意 or
不同意, with text) while the window keeps holding the case. The window decides only once the rule of
the item is met (see ``docs/joint-review.md``):

* the departments that *count* are the required ones under ``all_required_agree`` (the default),
  every department under ``all_agree``;
* 准予 once every department that counts has answered 同意;
* 不予 once every department that counts has answered, or as soon as one of them said 不同意.

Pure: the lifecycle folds it (``app.core.lifecycle``), the same on the window and on the platform.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from app.core.errors import N_, InvalidTransition, Message, UserError
from app.core.ids import credit_code_problem

#: what a department may answer
JOINT_RESULTS = ("同意", "不同意")
AGREE, DISAGREE = JOINT_RESULTS
#: the rules an item may carry (catalogue field ``joint_rule``) → what the clerk reads
JOINT_RULES: Mapping[str, str] = {
    "all_required_agree": N_("必须参加的部门均同意"),
    "all_agree": N_("全部联审部门均同意"),
}
DEFAULT_RULE = "all_required_agree"
#: bounds of one joint review: at least two departments (else it is an ordinary review), at most this many
MIN_DEPARTMENTS, MAX_DEPARTMENTS = 2, 20
_MAX_TEXT = 2000


@dataclass(frozen=True, slots=True)
class Department:
    """One department asked for its opinion: its unit, name, due date, and whether its opinion is required."""

    unit: str
    name: str
    due: dt.date
    required: bool


@dataclass(frozen=True, slots=True)
class JointAnswer:
    """A department's opinion (联审意见), with who gave it and when."""

    unit: str
    result: str
    text: str
    at: dt.datetime
    actor: str


@dataclass(frozen=True, slots=True)
class JointReview:
    """The joint review of one case: who was asked, by when, under which rule, and what they said."""

    departments: tuple[Department, ...]
    rule: str
    started_at: dt.datetime
    answers: tuple[JointAnswer, ...] = ()

    def department(self, unit: str) -> Department | None:
        return next((d for d in self.departments if d.unit == unit), None)

    def answer_of(self, unit: str) -> JointAnswer | None:
        return next((a for a in self.answers if a.unit == unit), None)

    @property
    def counted(self) -> tuple[Department, ...]:
        """The departments whose answers the rule counts."""
        if self.rule == "all_agree":
            return self.departments
        return tuple(d for d in self.departments if d.required)

    def pending(self, *, counted_only: bool = False) -> tuple[Department, ...]:
        """The departments (only those the rule counts, if asked) that have not answered yet."""
        among = self.counted if counted_only else self.departments
        return tuple(d for d in among if self.answer_of(d.unit) is None)

    def late(self, today: dt.date) -> tuple[Department, ...]:
        """The departments whose due date has passed without an answer (逾期未反馈)."""
        return tuple(d for d in self.pending() if d.due < today)

    def is_late(self, unit: str, today: dt.date) -> bool:
        return any(d.unit == unit for d in self.late(today))

    def against(self) -> tuple[Department, ...]:
        """The departments the rule counts that said 不同意."""
        return tuple(d for d in self.counted if (a := self.answer_of(d.unit)) is not None and a.result == DISAGREE)

    def decision_refusal(self, result: str) -> str:
        """Why the window may not decide ``result`` (准予 / 不予) under the rule yet, or ""."""
        against, pending = self.against(), self.pending(counted_only=True)
        if result == "准予":
            if against:
                return Message("联审部门{against}不同意，不能准予", against=_names(against))
            if pending:
                return Message("联审意见未齐，不能作出决定：{pending}尚未反馈意见", pending=_names(pending))
            return ""
        if pending and not against:
            return Message("联审意见未齐，不能作出决定：{pending}尚未反馈意见", pending=_names(pending))
        return ""

    def any_decision_refusal(self) -> str:
        """Why no decision at all is possible yet (neither 准予 nor 不予), or ""."""
        if not self.decision_refusal("准予") or not self.decision_refusal("不予"):
            return ""
        return self.decision_refusal("不予")


def _names(departments: tuple[Department, ...]) -> str:
    return "、".join(d.name for d in departments)


def _bad(what: str, log: str) -> UserError:
    return UserError("联审部门清单有误：{what}", what=what, log=log)


def _department(raw: object) -> Department:
    if not isinstance(raw, Mapping):
        raise _bad(N_("每个部门应写明单位、名称、反馈期限和是否必须参加"),
                   log=f"joint department not an object: {raw!r:.80}")
    unit, name, due, required = raw.get("unit"), raw.get("name"), raw.get("due"), raw.get("required")
    if not isinstance(unit, str) or credit_code_problem(unit) or unit != unit.strip().upper():
        raise _bad(N_("部门的统一社会信用代码不正确"), log=f"joint department unit {unit!r:.40}")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise _bad(N_("请写明每个部门的名称"), log="joint department without a name")
    try:
        day = dt.date.fromisoformat(due) if isinstance(due, str) else None
    except ValueError:
        day = None
    if day is None:
        raise UserError("请为{name}填写反馈期限（日期）", name=name.strip(), log=f"joint department due {due!r:.40}")
    if not isinstance(required, bool):
        raise _bad(N_("每个部门须注明是否必须参加"), log=f"joint department required {required!r:.20}")
    return Department(unit, name.strip(), day, required)


def check_start_payload(payload: Mapping[str, Any]) -> None:
    """Refuse a 「发起联审」 whose departments are not at least two distinct, well-formed ones (UserError)."""
    departments_of(payload)


def departments_of(payload: Mapping[str, Any]) -> tuple[Department, ...]:
    """The departments a 「发起联审」 names, checked; UserError with the clerk's reason otherwise."""
    raw = payload.get("departments")
    if not isinstance(raw, list) or not MIN_DEPARTMENTS <= len(raw) <= MAX_DEPARTMENTS:
        raise UserError("联审须选择{low}至{high}个部门", low=MIN_DEPARTMENTS, high=MAX_DEPARTMENTS,
                        log=f"joint review with {len(raw) if isinstance(raw, list) else raw!r:.20} departments")
    departments = tuple(_department(d) for d in raw)
    if len({d.unit for d in departments}) != len(departments):
        raise _bad(N_("同一部门出现了多次"), log="joint review names a department twice")
    rule = payload.get("rule", DEFAULT_RULE)
    if rule not in JOINT_RULES:
        raise UserError("联审规则应为：{rules}", rules="、".join(JOINT_RULES), log=f"bad joint rule {rule!r:.40}")
    if rule == DEFAULT_RULE and not any(d.required for d in departments):
        raise _bad(N_("至少应有一个必须参加的部门"), log="joint review without a required department")
    return departments


def check_opinion_payload(payload: Mapping[str, Any]) -> None:
    """Refuse a 「联审意见」 without a result of 同意/不同意 and its text (UserError)."""
    if payload.get("result") not in JOINT_RESULTS:
        raise UserError("联审意见结论应为：{results}", results="、".join(JOINT_RESULTS),
                        log=f"bad joint opinion result {payload.get('result')!r:.20}")
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        raise UserError("请填写联审意见内容", log="joint opinion without text")
    if len(text) > _MAX_TEXT:
        raise UserError("联审意见内容过长（最多{most}字）", most=_MAX_TEXT, log=f"joint opinion text {len(text)} chars")


def started(payload: Mapping[str, Any], at: dt.datetime) -> JointReview:
    """The joint review a 「发起联审」 action opens; a due date before the day it starts is refused."""
    departments = departments_of(payload)
    early = [d for d in departments if d.due < at.date()]
    if early:
        raise InvalidTransition("{name}的反馈期限{due}早于发起联审的日期", name=early[0].name,
                                due=early[0].due.isoformat(), log="joint review due date before its start")
    return JointReview(departments, str(payload.get("rule", DEFAULT_RULE)), at)


def authority(review: JointReview | None, unit: str) -> str:
    """Why ``unit`` may not give a 「联审意见」 on the case, or "" if it is an asked department yet to answer."""
    if review is None:
        return N_("该办件没有发起联审，不能反馈联审意见")
    department = review.department(unit)
    if department is None:
        return N_("本单位不在该办件的联审部门之列，不能反馈联审意见")
    if review.answer_of(unit) is not None:
        return Message("{name}已反馈联审意见，不能重复反馈", name=department.name)
    return ""


def answered(review: JointReview | None, payload: Mapping[str, Any], actor: str, at: dt.datetime) -> JointReview:
    """``review`` with the department's answer added (the department is the payload's ``unit``)."""
    unit = str(payload.get("unit", ""))
    why = authority(review, unit)
    if why:
        raise InvalidTransition(why, log=f"joint opinion from {unit[:20]!r} refused")
    assert review is not None
    answer = JointAnswer(unit, str(payload["result"]), str(payload["text"]).strip(), at, actor)
    return replace(review, answers=(*review.answers, answer))
