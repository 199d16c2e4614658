"""The reviewer's rules on their own: a 退回 lists per material what to correct, the window that
received the case may then amend it (补正), and the promised time limit pauses from the 退回 until
the case is forwarded again (docs/review.md)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from app.core import permissions
from app.core.deadlines import Deadline, Pause, compute_deadline
from app.core.errors import InvalidTransition, UserError
from app.core.lifecycle import (
    Action,
    ActionType,
    CaseState,
    ReturnItem,
    Status,
    apply,
    authority_refusal,
    check_new_payload,
    fold,
    refusal,
)
from app.core.workcal import WorkCalendar

CAL = WorkCalendar.from_table(json.loads(
    (Path(__file__).parents[1] / "resources/calendar/cn_holidays.json").read_text(encoding="utf-8")))
TZ = dt.timezone(dt.timedelta(hours=8))
TOWNSHIP, COUNTY = "450403101", "450403"
MATERIALS = ["申请表", "户口簿", "身份证"]
RETURNS = [{"material": "户口簿", "what": "缺首页"}, {"material": "身份证", "what": "反面不清晰"}]
AMENDED: dict[str, object] = {
    "materials": [{"name": "申请表", "pdf_sha256": "a" * 64, "pages": [{"sha256": "b" * 64}]}]}


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ)


_SEQ = itertools.count(1)


def _act(kind: ActionType, day: dt.date, payload: Mapping[str, object] | None = None) -> Action:
    return Action(f"a{next(_SEQ)}", "c", kind, "someone", _at(day), payload or {})


def _forwarded(accepted: dt.date, days: int = 10) -> CaseState:
    return fold([_act(ActionType.RECEIVE, accepted), _act(ActionType.ACCEPT, accepted, {"promised_days": days}),
                 _act(ActionType.FORWARD, accepted, {"to": COUNTY, "unit": TOWNSHIP})])


def _return(day: dt.date) -> Action:
    return _act(ActionType.OPINION, day, {"result": "退回", "text": "请补正后再报", "unit": COUNTY, "returns": RETURNS})


def test_a_return_must_list_per_material_what_to_correct() -> None:
    with pytest.raises(UserError, match="逐项列出需补正的材料"):
        check_new_payload(ActionType.OPINION, {"result": "退回", "text": "请补正"}, MATERIALS)
    with pytest.raises(UserError, match="逐项列出"):
        check_new_payload(ActionType.OPINION, {"result": "退回", "text": "请补正", "returns": []}, MATERIALS)
    with pytest.raises(UserError, match="写明材料名称和需补正的内容"):
        check_new_payload(ActionType.OPINION, {"result": "退回", "text": "请补正",
                                               "returns": [{"material": "户口簿", "what": " "}]}, MATERIALS)
    with pytest.raises(UserError) as lacks:
        check_new_payload(ActionType.OPINION, {"result": "退回", "text": "请补正",
                                               "returns": [{"material": "结婚证", "what": "缺"}]}, MATERIALS)
    assert lacks.value.message == "退回意见中的“结婚证”不是该办件的材料，请从办件的材料中选择"
    with pytest.raises(UserError, match="列了多次"):
        check_new_payload(ActionType.OPINION, {"result": "退回", "text": "请补正",
                                               "returns": [RETURNS[0], RETURNS[0]]}, MATERIALS)
    check_new_payload(ActionType.OPINION, {"result": "退回", "text": "请补正", "returns": RETURNS}, MATERIALS)
    check_new_payload(ActionType.OPINION, {"result": "同意", "text": "同意"}, MATERIALS)  # only a 退回 lists


def test_a_return_recorded_before_the_list_was_required_still_replays() -> None:
    old = _act(ActionType.OPINION, dt.date(2026, 3, 3), {"result": "退回", "text": "请补充户籍证明", "unit": COUNTY})
    state = apply(_forwarded(dt.date(2026, 3, 2)), old)
    assert state.status is Status.IN_REVIEW and state.holder == "" and state.returns == ()


def test_the_return_is_kept_on_the_case_until_it_is_forwarded_again() -> None:
    state = apply(_forwarded(dt.date(2026, 3, 2)), _return(dt.date(2026, 3, 3)))
    assert state.returns == (ReturnItem("户口簿", "缺首页"), ReturnItem("身份证", "反面不清晰"))
    assert state.opinions[-1].returns == state.returns
    again = apply(state, _act(ActionType.FORWARD, dt.date(2026, 3, 6), {"to": COUNTY, "unit": TOWNSHIP}))
    assert again.status is Status.FORWARDED and again.returns == () and again.holder == COUNTY


def test_amending_after_acceptance_only_once_returned_and_only_by_the_receiving_window() -> None:
    forwarded = _forwarded(dt.date(2026, 3, 2))
    agreed = apply(forwarded, _act(ActionType.OPINION, dt.date(2026, 3, 3),
                                   {"result": "同意", "text": "同意", "unit": COUNTY}))
    assert agreed.status is Status.IN_REVIEW
    assert refusal(agreed, ActionType.AMEND_MATERIALS) == \
        "该办件已受理，材料不能再更改；只有上级退回后，受理窗口才能补正"
    with pytest.raises(InvalidTransition, match="只有上级退回后"):
        apply(agreed, _act(ActionType.AMEND_MATERIALS, dt.date(2026, 3, 4), AMENDED))
    assert refusal(forwarded, ActionType.AMEND_MATERIALS)  # with the county: nobody amends it

    returned = apply(forwarded, _return(dt.date(2026, 3, 3)))
    assert refusal(returned, ActionType.AMEND_MATERIALS) == ""
    # The county no longer holds it; the township's clerk may take the step.
    assert authority_refusal(returned, TOWNSHIP, COUNTY, ActionType.AMEND_MATERIALS)
    assert authority_refusal(returned, TOWNSHIP, TOWNSHIP, ActionType.AMEND_MATERIALS) == ""
    assert permissions.why_not(permissions.Role.CLERK, ActionType.AMEND_MATERIALS, returned.status) is None
    amended = apply(returned, _act(ActionType.AMEND_MATERIALS, dt.date(2026, 3, 4), AMENDED))
    assert amended.status is Status.IN_REVIEW and amended.returns  # still to forward again
    again = apply(amended, _act(ActionType.FORWARD, dt.date(2026, 3, 5), {"to": COUNTY, "unit": TOWNSHIP}))
    assert refusal(again, ActionType.AMEND_MATERIALS)
    agreed_after = apply(again, _act(ActionType.OPINION, dt.date(2026, 3, 6),
                                     {"result": "同意", "text": "同意", "unit": COUNTY}))
    assert refusal(agreed_after, ActionType.AMEND_MATERIALS)  # the return was answered


def test_the_clock_pauses_from_the_return_until_the_case_is_forwarded_again() -> None:
    """A real calendar week: accepted Mon 2 March 2026 with 10 working days (due Mon 16 March);
    returned Tue 3 March, forwarded again Mon 9 March: Wed, Thu, Fri and Mon do not count."""
    mon = dt.date(2026, 3, 2)
    state = apply(_forwarded(mon), _return(dt.date(2026, 3, 3)))
    assert state.pauses == (Pause(dt.date(2026, 3, 3), None),)
    # While returned the due day moves with today: on Friday three working days are lost so far.
    assert compute_deadline(CAL, mon, 10, state.pauses, today=dt.date(2026, 3, 6)) == Deadline(dt.date(2026, 3, 19),
                                                                                                False)
    again = apply(state, _act(ActionType.FORWARD, dt.date(2026, 3, 9), {"to": COUNTY, "unit": TOWNSHIP}))
    assert again.pauses == (Pause(dt.date(2026, 3, 3), dt.date(2026, 3, 9)),)
    due = compute_deadline(CAL, mon, 10, again.pauses)
    assert due == Deadline(dt.date(2026, 3, 20), False)
    assert CAL.workdays_between(dt.date(2026, 3, 16), due.due) == 4


def test_a_returned_case_decided_at_the_window_stops_the_pause_there() -> None:
    state = apply(_forwarded(dt.date(2026, 3, 2)), _return(dt.date(2026, 3, 3)))
    decided = apply(state, _act(ActionType.DECIDE, dt.date(2026, 3, 5), {"result": "准予"}))
    assert decided.returned_on is None and decided.pauses == (Pause(dt.date(2026, 3, 3), dt.date(2026, 3, 5)),)


def test_a_return_keeps_the_pause_of_a_suspension_apart() -> None:
    state = apply(_forwarded(dt.date(2026, 3, 2)), _return(dt.date(2026, 3, 3)))
    state = apply(state, _act(ActionType.SUSPEND, dt.date(2026, 3, 4), {"reason": "现场踏勘"}))
    state = apply(state, _act(ActionType.RESUME, dt.date(2026, 3, 5)))
    state = apply(state, _act(ActionType.FORWARD, dt.date(2026, 3, 9), {"to": COUNTY, "unit": TOWNSHIP}))
    assert state.pauses == (Pause(dt.date(2026, 3, 3), dt.date(2026, 3, 9)),
                            Pause(dt.date(2026, 3, 4), dt.date(2026, 3, 5)))
