"""The supervisor's lists on their own (app.core.supervision): what is listed, across the National Day holiday."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.core.deadlines import Light
from app.core.lifecycle import Action, ActionType, CaseState, fold
from app.core.supervision import CaseFacts, watch
from app.core.workcal import WorkCalendar
from app.store.bundled import HOLIDAY_FILE, load_json

CST = dt.timezone(dt.timedelta(hours=8))
CAL = WorkCalendar.from_table(load_json(HOLIDAY_FILE))
COUNTY, TOWNSHIP = "12450403MB1904031X", "12450403MB1904102K"


def _state(*steps: tuple[str, dt.date, dict[str, Any]]) -> CaseState:
    actions = [Action("r", "c", ActionType.RECEIVE, "clerk", dt.datetime(2026, 9, 28, 9, tzinfo=CST))]
    for n, (kind, day, payload) in enumerate(steps):
        actions.append(Action(f"a{n}", "c", ActionType(kind), "clerk",
                              dt.datetime(day.year, day.month, day.day, 10, tzinfo=CST), payload))
    return fold(actions)


def _case(no: str, state: CaseState, unit: str = TOWNSHIP) -> CaseFacts:
    return CaseFacts(no, no, "GG00231000", "城乡居民基本养老保险参保登记", unit, "城东镇", state)


MONDAY = dt.date(2026, 9, 28)
ACCEPT3 = ("accept", MONDAY, {"promised_days": 3})


def test_red_and_yellow_count_working_days_across_the_holiday() -> None:
    late = _case("late", _state(ACCEPT3))  # 9-29, 9-30, (10-1…7 off), 10-8: due 10-08
    soon = _case("soon", _state(("accept", dt.date(2026, 10, 9), {"promised_days": 2})), COUNTY)  # 10-10 (调休), 10-12
    paused = _case("paused", _state(ACCEPT3, ("suspend", MONDAY, {"reason": "专家评审"})))
    closed = _case("closed", _state(ACCEPT3, ("withdraw", MONDAY, {})))
    lists = watch([late, soon, paused, closed], CAL, dt.date(2026, 10, 12), 2)
    assert [(w.id, w.due, w.days_over) for w in lists.red] == [("late", dt.date(2026, 10, 8), 3)]  # 10-9, 10-10, 10-12
    assert [(w.id, w.light, w.workdays_left) for w in lists.yellow] == [("soon", Light.YELLOW, 0)]
    assert {(c.code, c.yellow, c.red) for c in lists.per_unit} == {(TOWNSHIP, 0, 1), (COUNTY, 1, 0)}
    assert [(c.code, c.yellow, c.red) for c in lists.per_item] == [("GG00231000", 1, 1)]
    # the threshold is the window's: with none, a case due today is still yellow, one due tomorrow is not
    assert [w.id for w in watch([soon], CAL, dt.date(2026, 10, 10), 0).yellow] == []
    assert [w.id for w in watch([soon], CAL, dt.date(2026, 10, 12), 0).yellow] == ["soon"]


def test_bad_evaluation_follow_ups_coming_due_and_overdue() -> None:
    bad = _case("bad", _state(ACCEPT3, ("evaluate", MONDAY, {"level": "不满意", "reasons": ["办事效率低"]})))
    good = _case("good", _state(ACCEPT3, ("evaluate", MONDAY, {"level": "满意"})))
    # due the 15th working day after 9-28: 10-23 (the holiday and the 调休 Saturday counted right)
    assert watch([bad, good], CAL, dt.date(2026, 10, 12), 2).follow_ups == ()
    coming = watch([bad, good], CAL, dt.date(2026, 10, 21), 2).follow_ups
    assert [(f.id, f.due, f.light, f.workdays_left) for f in coming] == [
        ("bad", dt.date(2026, 10, 23), Light.YELLOW, 2)]
    over = watch([bad], CAL, dt.date(2026, 10, 26), 2).follow_ups
    assert [(f.light, f.workdays_left) for f in over] == [(Light.RED, -1)]


def test_a_notice_is_late_only_unanswered_past_its_day() -> None:
    notice = {"text": "请说明超期原因", "answer_due": "2026-10-14", "unit": COUNTY, "to": TOWNSHIP}
    sent = _state(ACCEPT3, ("supervise", dt.date(2026, 10, 12), notice))
    answered = _state(ACCEPT3, ("supervise", dt.date(2026, 10, 12), notice),
                      ("supervision_reply", dt.date(2026, 10, 13), {"text": "已办结", "supervise_id": "a1"}))
    on_day = watch([_case("s", sent)], CAL, dt.date(2026, 10, 14), 2)
    assert [(n.late, n.answered) for n in on_day.notices] == [(False, False)] and on_day.red[0].supervised
    after = watch([_case("s", sent), _case("a", answered)], CAL, dt.date(2026, 10, 15), 2)
    assert [(n.case_no, n.late, n.answered, n.reply_text) for n in after.notices] == [
        ("s", True, False, ""), ("a", False, True, "已办结")]
    assert {w.id: w.supervised for w in after.red} == {"s": True, "a": False}
