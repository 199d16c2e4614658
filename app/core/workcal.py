"""The working-day calendar that statutory time limits (法定时限/承诺时限) are counted in.

A year is *known* when its holiday announcement is loaded (the bundled table, later
years and corrections distributed by the city platform). In a known year a day is a
working day if it is an adjusted working day (调休上班), not if it is a statutory
holiday, and otherwise if it falls Mon–Fri. For a year nobody knows yet every Mon–Fri
counts: results reaching into such a year are flagged *provisional*, never refused.

Pure standard-library code: no file I/O (the caller loads the JSON), no Qt.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Any, Literal

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DayOverride:
    """One day's status as distributed by the platform: a holiday or an (adjusted) working day."""

    day: date
    kind: Literal["holiday", "workday"]
    name: str = ""


def _weekdays_through(ordinal: int) -> int:
    """How many Mon–Fri days have a proleptic ordinal in 1..ordinal (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


class WorkCalendar:
    """Working days of known years from the holiday table; Mon–Fri for any other year.

    Immutable: :meth:`with_overrides` returns a new calendar. Counting is O(log n) in the
    number of table entries whatever the span: the calendar keeps only the sorted days
    on which it differs from plain Mon–Fri, with a running sum of those differences.
    """

    def __init__(
        self,
        known_years: Iterable[int],
        holidays: Mapping[date, str],
        workdays: Mapping[date, str],
    ) -> None:
        """Entries outside ``known_years`` are dropped: such years count Mon–Fri only."""
        self._years = frozenset(known_years)
        self._holidays = {d: n for d, n in holidays.items() if d.year in self._years}
        self._workdays = {d: n for d, n in workdays.items() if d.year in self._years}
        # Days where the calendar departs from Mon–Fri: +1 a working weekend, -1 a weekday off.
        deltas: dict[int, int] = {}
        for day in self._holidays.keys() | self._workdays.keys():
            working, weekday = self.is_workday(day), day.weekday() < 5
            if working != weekday:
                deltas[day.toordinal()] = 1 if working else -1
        self._exception_ordinals = sorted(deltas)
        self._exception_sums = [0, *accumulate(deltas[o] for o in self._exception_ordinals)]

    @classmethod
    def from_table(cls, data: Mapping[str, Any]) -> WorkCalendar:
        """A calendar from the bundled/distributed JSON shape (ISO date strings as keys).

        Raises ``ValueError`` when the shape is wrong, so a loader can fall back.
        """
        try:
            years = [int(y) for y in data["years"]]
            holidays = {date.fromisoformat(k): str(v) for k, v in dict(data["holidays"]).items()}
            workdays = {date.fromisoformat(k): str(v) for k, v in dict(data["workdays"]).items()}
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"malformed holiday table: {exc!r}") from exc
        return cls(years, holidays, workdays)

    def with_overrides(self, years: Iterable[int], overrides: Iterable[DayOverride]) -> WorkCalendar:
        """A new calendar where ``years`` are known and each override decides its day.

        Entries are merged: days not overridden keep their current status. An override
        for a year that is neither known nor in ``years`` has no effect.
        """
        holidays = dict(self._holidays)
        workdays = dict(self._workdays)
        for o in overrides:
            if o.kind == "holiday":
                workdays.pop(o.day, None)
                holidays[o.day] = o.name
            else:
                holidays.pop(o.day, None)
                workdays[o.day] = o.name
        return WorkCalendar(self._years | set(years), holidays, workdays)

    @property
    def known_years(self) -> frozenset[int]:
        """Years whose holiday announcement the calendar holds."""
        return self._years

    def knows(self, year: int) -> bool:
        """Whether the holidays of ``year`` are known (otherwise it counts Mon–Fri)."""
        return year in self._years

    def is_workday(self, day: date) -> bool:
        """Whether the window is open on ``day`` by the statutory calendar."""
        if day.year in self._years:
            if day in self._workdays:
                return True
            if day in self._holidays:
                return False
        return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        """The statutory holiday ``day`` belongs to (as given, maybe ""), or None if it is none."""
        return self._holidays.get(day)

    def _count_through(self, day: date) -> int:
        """Working days from 0001-01-01 through ``day``: differences are working-day counts."""
        o = day.toordinal()
        return _weekdays_through(o) + self._exception_sums[bisect_right(self._exception_ordinals, o)]

    def workdays_between(self, a: date, b: date) -> int:
        """Working days d with a < d ≤ b; if b < a, minus the working days d with b < d ≤ a."""
        return self._count_through(b) - self._count_through(a)

    def touches_unknown(self, first: date, last: date) -> bool:
        """Whether any day in first..last (inclusive) lies in a year the calendar does not know."""
        span = range(first.year, last.year + 1)
        return len(span) > len(self._years) or any(y not in self._years for y in span)

    def add_workdays(
        self, start: date, n: int, skip: Callable[[date], bool] | None = None
    ) -> tuple[date, bool]:
        """The n-th working day after ``start``, and whether it is provisional.

        ``start`` itself never counts (the day of acceptance is day 0); ``n == 0`` gives
        ``start``. Days for which ``skip(day)`` is true do not count either. The result is
        provisional when any day after ``start`` up to it lies in an unknown year.
        ``n < 0`` is a programming error (``ValueError``).
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if n == 0:
            return start, False
        if skip is None:
            due = self._nth_workday_after(start, n)
        else:
            due, left = start, n
            while left:
                due += _ONE_DAY
                if self.is_workday(due) and not skip(due):
                    left -= 1
        return due, self.touches_unknown(start + _ONE_DAY, due)

    def _nth_workday_after(self, start: date, n: int) -> date:
        """Smallest day whose running count reaches start's + n: it is the n-th working day."""
        target = self._count_through(start) + n
        lo = start.toordinal()  # count(lo) < target throughout
        # Unknown years guarantee progress, so doubling finds an upper bound quickly.
        step = 2 * n + 14
        hi = lo + step
        while self._count_through(date.fromordinal(hi)) < target:
            lo, step = hi, step * 2
            hi = lo + step
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self._count_through(date.fromordinal(mid)) < target:
                lo = mid
            else:
                hi = mid
        return date.fromordinal(hi)
