"""Statutory deadlines with suspensions, and the supervisor's traffic light."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.deadlines import (
    Deadline,
    Light,
    Pause,
    compute_deadline,
    remaining_workdays,
    traffic_light,
)
from app.core.workcal import DayOverride, WorkCalendar

TABLE_PATH = Path(__file__).parents[1] / "resources/calendar/cn_holidays.json"
CAL = WorkCalendar.from_table(json.loads(TABLE_PATH.read_text(encoding="utf-8")))

MON = date(2026, 3, 2)  # an ordinary week with no holidays near it


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


# --- deadlines --------------------------------------------------------------------------


def test_national_day_deadline() -> None:
    assert compute_deadline(CAL, d(9, 28), 5) == Deadline(d(10, 10), False)


def test_immediate_case_is_due_the_day_it_is_accepted() -> None:
    assert compute_deadline(CAL, d(10, 3), 0) == Deadline(d(10, 3), False)
    assert compute_deadline(CAL, date(2031, 6, 1), 0) == Deadline(date(2031, 6, 1), False)


def test_negative_days_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        compute_deadline(CAL, MON, -1)


def test_deadline_in_an_unknown_year_is_provisional() -> None:
    assert compute_deadline(CAL, d(12, 20), 20) == Deadline(date(2027, 1, 15), True)
    # Thu Jan 2 2031: Fri 3, then three plain weeks.
    assert compute_deadline(CAL, date(2031, 1, 2), 16) == Deadline(date(2031, 1, 24), True)


def test_distributed_year_makes_the_deadline_final() -> None:
    cal = CAL.with_overrides([2027], [DayOverride(date(2027, 1, 1), "holiday", "元旦")])
    assert compute_deadline(cal, d(12, 20), 20) == Deadline(date(2027, 1, 18), False)


# --- suspensions ------------------------------------------------------------------------


def test_pause_of_three_working_days_moves_the_deadline_three_working_days() -> None:
    base = compute_deadline(CAL, MON, 10)
    assert base == Deadline(d(3, 16), False)
    # Suspended Wed Mar 4, resumed Mon Mar 9: Thu, Fri and Mon do not count.
    paused = compute_deadline(CAL, MON, 10, [Pause(d(3, 4), d(3, 9))])
    assert paused == Deadline(d(3, 19), False)
    assert CAL.workdays_between(base.due, paused.due) == 3


def test_same_day_suspend_and_resume_moves_nothing() -> None:
    assert compute_deadline(CAL, MON, 10, [Pause(d(3, 4), d(3, 4))]) == compute_deadline(CAL, MON, 10)


def test_open_pause_moves_the_deadline_as_today_advances() -> None:
    pauses = [Pause(d(3, 4), None)]
    expected = {d(3, 4): d(3, 16), d(3, 5): d(3, 17), d(3, 6): d(3, 18), d(3, 7): d(3, 18), d(3, 9): d(3, 19)}
    for today, due in expected.items():
        assert compute_deadline(CAL, MON, 10, pauses, today=today) == Deadline(due, False), today


def test_open_pause_needs_today() -> None:
    with pytest.raises(ValueError):
        compute_deadline(CAL, MON, 10, [Pause(d(3, 4), None)])
    with pytest.raises(ValueError):
        compute_deadline(CAL, MON, 0, [Pause(d(3, 4), None)])


def test_pause_over_a_holiday_counts_only_paused_working_days() -> None:
    # Paused Oct 1–8: the seven holidays were not counted anyway, only Thu Oct 8 is lost.
    # Sep 29, 30, (paused), Oct 9, Sat 10 (调休), Mon 12.
    paused = compute_deadline(CAL, d(9, 28), 5, [Pause(d(9, 30), d(10, 8))])
    assert paused == Deadline(d(10, 12), False)
    assert CAL.workdays_between(d(10, 10), paused.due) == 1


def test_overlapping_pauses_count_once() -> None:
    one = compute_deadline(CAL, MON, 10, [Pause(d(3, 4), d(3, 9))])
    assert compute_deadline(CAL, MON, 10, [Pause(d(3, 5), d(3, 6)), Pause(d(3, 4), d(3, 9))]) == one


def test_pauses_that_do_not_touch_the_running_clock() -> None:
    base = compute_deadline(CAL, MON, 10)
    # After the due day (the case was already overdue), before acceptance, or back-to-front.
    for pause in (Pause(base.due, d(3, 30)), Pause(d(2, 2), MON), Pause(d(3, 9), d(3, 4))):
        assert compute_deadline(CAL, MON, 10, [pause]) == base, pause


def test_pause_pushing_into_an_unknown_year_is_provisional() -> None:
    # Tue Dec 1: Wed Dec 2 counts, Dec 3–31 paused, then Jan 1 and Jan 4–8, 11–13 of 2027.
    assert compute_deadline(CAL, d(12, 1), 10, [Pause(d(12, 2), d(12, 31))]) == Deadline(
        date(2027, 1, 13), True
    )


_pauses = st.lists(
    st.tuples(
        st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 3, 1)),
        st.integers(min_value=0, max_value=40),
        st.booleans(),
    ),
    max_size=4,
)


@given(
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 1, 31)),
    st.integers(min_value=0, max_value=60),
    _pauses,
    st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 1)),
)
def test_deadline_matches_walking_day_by_day(
    accepted: date, days: int, raw: list[tuple[date, int, bool]], today: date
) -> None:
    pauses = [Pause(s, None if is_open else s + timedelta(days=n)) for s, n, is_open in raw]

    def paused(day: date) -> bool:
        return any(p.start < day <= (p.end or today) for p in pauses)

    expected = CAL.add_workdays(accepted, days, skip=paused)
    assert compute_deadline(CAL, accepted, days, pauses, today) == Deadline(*expected)


# --- traffic light ----------------------------------------------------------------------

DUE = d(10, 12)  # Monday after National Day


@pytest.mark.parametrize(
    ("today", "left", "light"),
    [
        (d(9, 30), 4, Light.GREEN),  # Oct 8, 9, 10 (调休), 12: the holidays do not count
        (d(10, 8), 3, Light.GREEN),
        (d(10, 9), 2, Light.YELLOW),  # exactly 2 left
        (d(10, 11), 1, Light.YELLOW),
        (DUE, 0, Light.YELLOW),  # due today
        (d(10, 13), -1, Light.RED),  # the day after
        (d(10, 19), -5, Light.RED),  # Oct 13–16, 19
    ],
)
def test_traffic_light(today: date, left: int, light: Light) -> None:
    assert remaining_workdays(CAL, DUE, today) == left
    assert traffic_light(CAL, DUE, today) is light


def test_red_on_a_day_off_after_the_due_day() -> None:
    fri = d(3, 6)
    assert remaining_workdays(CAL, fri, d(3, 7)) == 0
    assert traffic_light(CAL, fri, d(3, 7)) is Light.RED


def test_yellow_threshold_is_configurable() -> None:
    assert traffic_light(CAL, DUE, d(9, 30), yellow_days=4) is Light.YELLOW
    assert traffic_light(CAL, DUE, d(10, 9), yellow_days=1) is Light.GREEN
    assert traffic_light(CAL, DUE, d(10, 11), yellow_days=0) is Light.GREEN
    assert traffic_light(CAL, DUE, DUE, yellow_days=0) is Light.YELLOW
    with pytest.raises(ValueError):
        traffic_light(CAL, DUE, DUE, yellow_days=-1)


def test_light_values_and_labels() -> None:
    assert [(str(x), x.label) for x in Light] == [("green", "正常"), ("yellow", "临近"), ("red", "超期")]
    assert Light("red") is Light.RED
