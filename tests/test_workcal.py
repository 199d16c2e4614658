"""Working-day calendar over the bundled statutory holiday table."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.workcal import DayOverride, WorkCalendar

TABLE_PATH = Path(__file__).parents[1] / "resources/calendar/cn_holidays.json"


def _load_table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return data


TABLE = _load_table()
CAL = WorkCalendar.from_table(TABLE)

# Spans known years (2004–2026) and unknown ones on both sides.
dates = st.dates(min_value=date(2002, 1, 1), max_value=date(2032, 12, 31))


def _walk(start: date, n: int) -> date:
    """Reference: step day by day."""
    day = start
    while n:
        day += timedelta(days=1)
        if CAL.is_workday(day):
            n -= 1
    return day


# --- the bundled table ---------------------------------------------------------------


def test_table_covers_2004_to_2026_in_chinese() -> None:
    assert TABLE["source"].startswith("chinesecalendar ")
    assert TABLE["years"] == list(range(2004, 2027))
    assert TABLE["holidays"]["2026-10-01"] == "国庆节"
    assert TABLE["holidays"]["2015-09-03"] == "抗战胜利纪念日"
    assert set(TABLE["holidays"].values()) <= {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
        "抗战胜利纪念日",
    }
    assert list(TABLE["holidays"]) == sorted(TABLE["holidays"])


def test_knows_table_years_only() -> None:
    assert CAL.knows(2004) and CAL.knows(2026)
    assert not CAL.knows(2003) and not CAL.knows(2027)
    assert CAL.known_years == frozenset(range(2004, 2027))


# --- statutory holidays and adjusted workdays -------------------------------------------


def test_national_day_2026() -> None:
    # Sep 29, 30, (Oct 1–7 off), Oct 8, 9, and Saturday Oct 10 worked in lieu.
    assert CAL.add_workdays(date(2026, 9, 28), 5) == (date(2026, 10, 10), False)
    assert CAL.holiday_name(date(2026, 10, 1)) == "国庆节"
    assert not CAL.is_workday(date(2026, 10, 5))  # a Monday off
    assert CAL.is_workday(date(2026, 10, 10))  # a Saturday on
    assert CAL.holiday_name(date(2026, 10, 10)) is None


def test_spring_festival_2026() -> None:
    assert all(CAL.holiday_name(date(2026, 2, d)) == "春节" for d in range(15, 24))
    assert not any(CAL.is_workday(date(2026, 2, d)) for d in range(15, 24))
    # 调休: the Saturdays before and after the break are working days.
    assert date(2026, 2, 14).weekday() == 5 and CAL.is_workday(date(2026, 2, 14))
    assert date(2026, 2, 28).weekday() == 5 and CAL.is_workday(date(2026, 2, 28))
    assert CAL.add_workdays(date(2026, 2, 13), 1) == (date(2026, 2, 14), False)
    assert CAL.add_workdays(date(2026, 2, 14), 1) == (date(2026, 2, 24), False)
    # Feb 14, 24, 25, 26, 27, 28.
    assert CAL.workdays_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_new_year_crossing_in_known_years_is_final() -> None:
    # Dec 31, (Jan 1–3 off), Sunday Jan 4 worked in lieu, Monday Jan 5.
    assert CAL.add_workdays(date(2025, 12, 30), 3) == (date(2026, 1, 5), False)


# --- unknown years ----------------------------------------------------------------------


def test_reaching_into_unknown_year_counts_mon_fri_and_is_provisional() -> None:
    # 9 working days left in Dec 2026; 2027 unknown, so Fri Jan 1 counts as 10th.
    assert CAL.add_workdays(date(2026, 12, 20), 20) == (date(2027, 1, 15), True)


def test_inside_unknown_year() -> None:
    start = date(2031, 3, 5)
    due, provisional = CAL.add_workdays(start, 15)
    assert provisional
    assert due == date(2031, 3, 26)  # three plain weeks
    assert CAL.workdays_between(start, due) == 15
    assert CAL.holiday_name(date(2031, 1, 1)) is None
    assert CAL.is_workday(date(2031, 1, 1))  # a Wednesday: nobody knows it is 元旦 yet


def test_provisional_only_if_a_counted_day_is_unknown() -> None:
    assert CAL.add_workdays(date(2026, 12, 30), 1) == (date(2026, 12, 31), False)
    assert CAL.add_workdays(date(2026, 12, 31), 1) == (date(2027, 1, 1), True)
    assert CAL.add_workdays(date(2031, 3, 5), 0) == (date(2031, 3, 5), False)


def test_entries_outside_known_years_are_ignored() -> None:
    cal = WorkCalendar([2026], {date(2027, 1, 1): "元旦"}, {date(2027, 1, 2): "元旦"})
    assert cal.is_workday(date(2027, 1, 1))
    assert not cal.is_workday(date(2027, 1, 2))
    assert cal.holiday_name(date(2027, 1, 1)) is None


# --- overrides from the platform --------------------------------------------------------


def test_with_overrides_adds_a_year() -> None:
    cal = CAL.with_overrides(
        [2027],
        [
            DayOverride(date(2027, 1, 1), "holiday", "元旦"),  # made up
            DayOverride(date(2027, 2, 7), "workday", "春节"),  # made up, a Sunday
        ],
    )
    assert cal.knows(2027) and not CAL.knows(2027)
    # Previously Jan 15 and provisional; now Jan 1 is off, so one working day later.
    assert cal.add_workdays(date(2026, 12, 20), 20) == (date(2027, 1, 18), False)
    assert cal.holiday_name(date(2027, 1, 1)) == "元旦"
    assert cal.is_workday(date(2027, 2, 7))
    assert CAL.add_workdays(date(2026, 12, 20), 20) == (date(2027, 1, 15), True)  # original untouched


def test_overrides_win_over_the_table() -> None:
    cal = CAL.with_overrides(
        [],
        [
            DayOverride(date(2026, 10, 5), "workday"),
            DayOverride(date(2026, 10, 10), "holiday", "国庆节"),
            DayOverride(date(2026, 10, 12), "holiday"),
        ],
    )
    assert cal.is_workday(date(2026, 10, 5)) and cal.holiday_name(date(2026, 10, 5)) is None
    assert not cal.is_workday(date(2026, 10, 10))
    assert cal.holiday_name(date(2026, 10, 12)) == ""
    # Sep 29, 30, Oct 5, 8, 9: the corrected days are counted fast as well as walked.
    assert cal.add_workdays(date(2026, 9, 28), 5) == (date(2026, 10, 9), False)
    assert cal.workdays_between(date(2026, 9, 28), date(2026, 10, 13)) == 6


def test_override_in_unknown_year_not_listed_has_no_effect() -> None:
    cal = CAL.with_overrides([], [DayOverride(date(2027, 1, 1), "holiday", "元旦")])
    assert cal.is_workday(date(2027, 1, 1)) and not cal.knows(2027)


def test_from_table_rejects_bad_shape() -> None:
    with pytest.raises(ValueError):
        WorkCalendar.from_table({"years": [2026], "holidays": {"2026-13-01": "x"}, "workdays": {}})
    with pytest.raises(ValueError):
        WorkCalendar.from_table({"years": [2026], "holidays": {}})


# --- counting ---------------------------------------------------------------------------


def test_add_workdays_edges() -> None:
    sat = date(2026, 3, 7)
    assert CAL.add_workdays(sat, 0) == (sat, False)
    assert CAL.add_workdays(sat, 1) == (date(2026, 3, 9), False)
    with pytest.raises(ValueError):
        CAL.add_workdays(sat, -1)


def test_add_workdays_with_skip() -> None:
    def no_wednesdays(d: date) -> bool:
        return d.weekday() == 2

    # Mon Mar 2: Tue 3, Thu 5, Fri 6, Mon 9, Tue 10.
    assert CAL.add_workdays(date(2026, 3, 2), 5, skip=no_wednesdays) == (date(2026, 3, 10), False)
    # Tue Dec 29: Thu 31, then Fri Jan 1 in the unknown 2027.
    assert CAL.add_workdays(date(2026, 12, 29), 2, skip=no_wednesdays) == (date(2027, 1, 1), True)


def test_workdays_between_examples() -> None:
    fri, mon = date(2026, 3, 6), date(2026, 3, 9)
    assert CAL.workdays_between(fri, fri) == 0
    assert CAL.workdays_between(fri, mon) == 1
    assert CAL.workdays_between(mon, fri) == -1
    assert CAL.workdays_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    # 2026 has 365 days, 104 weekend days, 19 holidays on weekdays and 6 working Saturdays/Sundays.
    assert CAL.workdays_between(date(2025, 12, 31), date(2026, 12, 31)) == 365 - 104 - 19 + 6


# --- properties -------------------------------------------------------------------------


@given(dates, st.integers(min_value=1, max_value=120))
def test_add_workdays_lands_on_a_workday_n_workdays_later(start: date, n: int) -> None:
    due, provisional = CAL.add_workdays(start, n)
    assert due > start
    assert CAL.is_workday(due)
    assert CAL.workdays_between(start, due) == n
    assert CAL.workdays_between(start, due - timedelta(days=1)) == n - 1
    assert provisional == any(not CAL.knows(y) for y in range((start + timedelta(days=1)).year, due.year + 1))


@given(dates, st.integers(min_value=0, max_value=120))
def test_fast_path_matches_walking(start: date, n: int) -> None:
    assert CAL.add_workdays(start, n) == CAL.add_workdays(start, n, skip=lambda d: False)
    assert CAL.add_workdays(start, n)[0] == _walk(start, n)


@given(dates, st.integers(min_value=0, max_value=120))
def test_add_workdays_is_monotone(start: date, n: int) -> None:
    assert CAL.add_workdays(start, n)[0] < CAL.add_workdays(start, n + 1)[0]


@given(dates, dates)
def test_workdays_between_is_antisymmetric(a: date, b: date) -> None:
    assert CAL.workdays_between(a, b) == -CAL.workdays_between(b, a)


@given(dates, st.integers(min_value=0, max_value=100))
def test_workdays_between_matches_counting(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    expected = sum(CAL.is_workday(a + timedelta(days=i)) for i in range(1, span + 1))
    assert CAL.workdays_between(a, b) == expected
