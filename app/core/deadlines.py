"""Statutory deadlines of a case (办件时限) and the supervisor's traffic light.

A time limit of N working days runs from acceptance: the acceptance day itself does
not count, the next working day is day 1 and the N-th working day is the due day
(N = 0, 即办件: due the day of acceptance). Suspensions (中止/暂停计时) stop the clock.
The light is 正常 (green), 临近 (yellow: 黄灯预警, a configurable number of working days
or fewer left) or 超期 (red: 红灯警告, past the due day).

Pure code over :class:`~app.core.workcal.WorkCalendar`; no I/O, no Qt.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.core.workcal import WorkCalendar

DEFAULT_YELLOW_DAYS = 2


@dataclass(frozen=True)
class Pause:
    """A suspension of the clock (现场踏勘/专家评审/补正).

    Like acceptance, the day of an event does not count for the new state: the day the
    case is suspended (``start``) still counts, the days after it up to and including
    the resume day (``end``) do not. So a pause of the days ``start < d <= end``;
    suspending and resuming on the same day pauses nothing. ``end=None`` means the case
    is still suspended; the pause then runs up to and including "today". An ``end``
    before ``start`` pauses nothing.
    """

    start: date
    end: date | None


@dataclass(frozen=True)
class Deadline:
    """The due day; ``provisional`` when it was counted through a year whose holidays are unknown."""

    due: date
    provisional: bool


def compute_deadline(
    cal: WorkCalendar,
    accepted: date,
    days: int,
    pauses: Sequence[Pause] = (),
    today: date | None = None,
) -> Deadline:
    """The ``days``-th working day after ``accepted``, not counting paused days.

    ``today`` is needed only to close an open pause (``end=None``): passing one without
    it, or a negative ``days``, is a programming error (``ValueError``). Pauses may
    overlap; a day paused twice is skipped once.
    """
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    intervals: list[tuple[date, date]] = []
    for p in pauses:
        if p.end is not None:
            intervals.append((p.start, p.end))
        elif today is not None:
            intervals.append((p.start, today))
        else:
            raise ValueError("an open pause needs today")
    if days == 0:
        return Deadline(accepted, False)
    intervals.sort()

    # Count whole stretches between pauses arithmetically rather than walking day by day:
    # a clerk's list computes this for every open case.
    cursor, left = accepted, days
    for start, end in intervals:
        start = max(start, cursor)
        if end <= start:
            continue
        running = cal.workdays_between(cursor, start)
        if left <= running:
            break
        left -= running
        cursor = end
    due, _ = cal.add_workdays(cursor, left)
    return Deadline(due, cal.touches_unknown(accepted + timedelta(days=1), due))


class Light(enum.StrEnum):
    """The supervision light of an open case."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        """The word shown beside the light."""
        return _LABELS[self]


_LABELS = {Light.GREEN: "正常", Light.YELLOW: "临近", Light.RED: "超期"}


def remaining_workdays(cal: WorkCalendar, due: date, today: date) -> int:
    """Working days after today up to the due day; negative once overdue (working days late)."""
    return cal.workdays_between(today, due)


def traffic_light(cal: WorkCalendar, due: date, today: date, yellow_days: int = DEFAULT_YELLOW_DAYS) -> Light:
    """Red past the due day; yellow with ``yellow_days`` working days or fewer left (so on the due day).

    A negative ``yellow_days`` is a configuration error (``ValueError``).
    """
    if yellow_days < 0:
        raise ValueError(f"yellow_days must be >= 0, got {yellow_days}")
    if today > due:
        return Light.RED
    if remaining_workdays(cal, due, today) <= yellow_days:
        return Light.YELLOW
    return Light.GREEN


def working_days_used(cal: WorkCalendar, accepted: date, closed: date, pauses: Sequence[Pause] = ()) -> int:
    """Working days the clock ran from acceptance to ``closed``, as :func:`compute_deadline` counts them.

    The days d with ``accepted < d <= closed`` that are working days and not paused (a pause
    covers ``start < d <= end``; an open one runs up to ``closed``). So a case decided on its
    due day has used exactly its promised days, and one decided the day it was accepted none.
    """
    if closed <= accepted:
        return 0
    spans = sorted((max(p.start, accepted), min(p.end or closed, closed)) for p in pauses)
    used, cursor = cal.workdays_between(accepted, closed), accepted
    for start, end in spans:
        start = max(start, cursor)
        if end > start:
            used -= cal.workdays_between(start, end)
            cursor = end
    return used
