"""Monthly figures (月报): 办件量, 快递送达件数, 办结与超期, 好差评 — per unit and month.

One pure computation over the cases' actions, used by the platform (for a unit and its children,
from its own tables) and by the window (for its own unit, offline, from its store): the same
actions give the same numbers to the digit, since everything is counted in integers and the
averages are exact fractions shown to one decimal place, rounded half up.

Which month a case counts in (docs/figures.md):

- 办件量: the month of its receipt (窗口 or 网上, by the receive action's ``channel``) at the unit
  that received it; 上报: the month it was forwarded, at the unit it was forwarded to;
- 快递送达: the month of its 送达 by 邮寄, at the unit that received it (which delivers the result);
- 办结, 超期, working days used: the month of its decision (准予/不予), at the unit that received it,
  the days counted on the work calendar from acceptance to decision with the paused days left out,
  as the deadline counts them;
- 好差评: the month of the evaluation, at the unit that received the case.

Actions the lifecycle would refuse (a window's offline action the platform will turn down) do not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from app.core.deadlines import compute_deadline, working_days_used
from app.core.errors import UserError
from app.core.evaluation import LEVELS
from app.core.lifecycle import RECEIVE_CHANNELS, Action, ActionType, fold_lenient
from app.core.workcal import WorkCalendar

#: the channels of 办件量: received at the window, received online, forwarded from a lower unit
CHANNELS = (*RECEIVE_CHANNELS, "上报")
#: the channels' names on the wire (the platform's reply, ``--json``)
CHANNEL_KEYS = ("window", "online", "forwarded")
#: the method of 送达 counted as 快递送达
MAILED = "邮寄"
#: the figures of a unit, in the order the table, the CSV and the XLSX show them
COLUMNS = ("办件量", *CHANNELS, "快递送达", "办结", "超期", "平均用时（工作日）", "平均承诺时限（工作日）", *LEVELS)
#: months a request may reach back (and the furthest year): anything else is a typing error
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month, written ``YYYY-MM``."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: object) -> Month:
        """``2026-11`` → Month; UserError in plain Chinese for anything else."""
        raw = str(text).strip() if isinstance(text, str) else ""
        parts = raw.split("-")
        if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2 and raw.isascii() \
                and parts[0].isdigit() and parts[1].isdigit():
            year, month = int(parts[0]), int(parts[1])
            if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
                return cls(year, month)
        raise UserError("月份“{month}”格式不对，请写成“年-月”，如 2026-11", month=str(text)[:20],
                        log=f"bad month {str(text)[:40]!r}")

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    def contains(self, day: dt.date) -> bool:
        return day.year == self.year and day.month == self.month

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """What the figures need of one case: who received it, for which item, and its actions in order."""

    id: str
    owner: str
    item_code: str
    item_name: str
    actions: Sequence[Action]


@dataclass(frozen=True, slots=True)
class ItemCount:
    """办件量 of one item at one unit, by channel (:data:`CHANNELS`)."""

    item_code: str
    item_name: str
    by_channel: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.by_channel)


def tenths(value: Fraction | None) -> str:
    """An exact average to one decimal place, rounded half up («3.5»); «—» when nothing was counted."""
    if value is None:
        return "—"
    n = (value * 10 * 2 + 1) // 2  # floor(10·v + 1/2): half up, for the non-negative values here
    return f"{n // 10}.{n % 10}"


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """One unit's figures for one month. ``unit`` "" is the sum of several units (合计)."""

    unit: str
    items: tuple[ItemCount, ...] = ()
    mailed: int = 0
    closed: int = 0
    overdue: int = 0
    #: working days used by the cases closed, and promised to them, summed
    days_used: int = 0
    days_promised: int = 0
    #: evaluations by level, in the order of :data:`app.core.evaluation.LEVELS`
    evaluations: tuple[int, ...] = (0,) * len(LEVELS)
    #: the unit's name, as the caller knows it (not part of the figures)
    name: str = field(default="", compare=False)

    def by_channel(self) -> tuple[int, ...]:
        return tuple(sum(i.by_channel[c] for i in self.items) for c in range(len(CHANNELS)))

    @property
    def intake(self) -> int:
        """办件量: every channel."""
        return sum(i.total for i in self.items)

    @property
    def average_used(self) -> Fraction | None:
        return Fraction(self.days_used, self.closed) if self.closed else None

    @property
    def average_promised(self) -> Fraction | None:
        return Fraction(self.days_promised, self.closed) if self.closed else None

    def row(self) -> tuple[int | str, ...]:
        """The values of :data:`COLUMNS`, averages as text (exact to one decimal)."""
        return (self.intake, *self.by_channel(), self.mailed, self.closed, self.overdue,
                tenths(self.average_used), tenths(self.average_promised), *self.evaluations)

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "name": self.name, "mailed": self.mailed, "closed": self.closed,
                "overdue": self.overdue, "days_used": self.days_used, "days_promised": self.days_promised,
                "evaluations": dict(zip(LEVELS, self.evaluations, strict=True)),
                "items": [{"item_code": i.item_code, "item_name": i.item_name,
                           **dict(zip(CHANNEL_KEYS, i.by_channel, strict=True))} for i in self.items]}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> UnitFigures:
        """Checked: ValueError when ``raw`` is not what :meth:`to_dict` writes (the platform's reply)."""
        def count(v: Any) -> int:
            if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v < 10**9:
                raise ValueError(f"not a count: {v!r:.40}")
            return v

        def text(v: Any, limit: int) -> str:
            if not isinstance(v, str) or len(v) > limit:
                raise ValueError(f"not a text of at most {limit}: {v!r:.40}")
            return v

        evaluations = raw.get("evaluations")
        items = raw.get("items")
        if not isinstance(evaluations, Mapping) or set(evaluations) != set(LEVELS) or not isinstance(items, list) \
                or len(items) > 5000:
            raise ValueError("evaluations or items malformed")
        parsed = []
        for i in items:
            if not isinstance(i, Mapping):
                raise ValueError("item not an object")
            parsed.append(ItemCount(text(i.get("item_code"), 32), text(i.get("item_name"), 200),
                                    tuple(count(i.get(c)) for c in CHANNEL_KEYS)))
        return cls(unit=text(raw.get("unit"), 18), name=text(raw.get("name", ""), 100), items=tuple(parsed),
                   mailed=count(raw.get("mailed")), closed=count(raw.get("closed")),
                   overdue=count(raw.get("overdue")), days_used=count(raw.get("days_used")),
                   days_promised=count(raw.get("days_promised")),
                   evaluations=tuple(count(evaluations[level]) for level in LEVELS))


def add(units: Iterable[UnitFigures], name: str = "合计") -> UnitFigures:
    """The sum of several units' figures (a case forwarded among them counts at each, as 上报 above)."""
    items: dict[str, tuple[str, list[int]]] = {}
    total = UnitFigures(unit="", name=name)
    mailed = closed = overdue = used = promised = 0
    evaluations = [0] * len(LEVELS)
    for u in units:
        for i in u.items:
            counts = items.setdefault(i.item_code, (i.item_name, [0] * len(CHANNELS)))[1]
            for c, n in enumerate(i.by_channel):
                counts[c] += n
        mailed, closed, overdue = mailed + u.mailed, closed + u.closed, overdue + u.overdue
        used, promised = used + u.days_used, promised + u.days_promised
        evaluations = [a + b for a, b in zip(evaluations, u.evaluations, strict=True)]
    return UnitFigures(unit=total.unit, name=name, mailed=mailed, closed=closed, overdue=overdue, days_used=used,
                       days_promised=promised, evaluations=tuple(evaluations),
                       items=tuple(ItemCount(code, n, tuple(c)) for code, (n, c) in sorted(items.items())))


@dataclass(frozen=True, slots=True)
class MonthlyFigures:
    """A month's figures for some units, in the order asked."""

    month: Month
    units: tuple[UnitFigures, ...]

    def total(self) -> UnitFigures:
        return add(self.units)

    def to_dict(self) -> dict[str, Any]:
        return {"month": str(self.month), "units": [u.to_dict() for u in self.units]}

    @classmethod
    def from_dict(cls, raw: Any, max_units: int = 500) -> MonthlyFigures:
        """Checked (ValueError otherwise): the platform's reply is parsed at the edge."""
        if not isinstance(raw, Mapping) or not isinstance(raw.get("units"), list) or len(raw["units"]) > max_units:
            raise ValueError("figures malformed")
        try:
            month = Month.parse(raw.get("month"))
        except UserError:
            raise ValueError(f"bad month {raw.get('month')!r:.20}") from None
        return cls(month, tuple(UnitFigures.from_dict(u) if isinstance(u, Mapping) else _bad() for u in raw["units"]))


def _bad() -> UnitFigures:
    raise ValueError("unit figures not an object")


class _Tally:
    """One unit's counts while the cases are walked."""

    def __init__(self) -> None:
        self.items: dict[str, tuple[str, list[int]]] = {}
        self.mailed = self.closed = self.overdue = self.used = self.promised = 0
        self.evaluations = [0] * len(LEVELS)

    def received(self, case: CaseRecord, channel: int) -> None:
        self.items.setdefault(case.item_code, (case.item_name, [0] * len(CHANNELS)))[1][channel] += 1

    def figures(self, unit: str, name: str) -> UnitFigures:
        return UnitFigures(unit=unit, name=name, mailed=self.mailed, closed=self.closed, overdue=self.overdue,
                           days_used=self.used, days_promised=self.promised, evaluations=tuple(self.evaluations),
                           items=tuple(ItemCount(code, n, tuple(c)) for code, (n, c) in sorted(self.items.items())))


def compute(cases: Iterable[CaseRecord], month: Month, units: Sequence[str], cal: WorkCalendar,
            names: Mapping[str, str] | None = None) -> MonthlyFigures:
    """The figures of ``month`` for each of ``units`` (in that order) from the cases' actions."""
    tallies = {u: _Tally() for u in units}
    for case in cases:
        if case.actions:
            _walk(case, month, tallies, cal)
    return MonthlyFigures(month, tuple(tallies[u].figures(u, (names or {}).get(u, "")) for u in units))


def _walk(case: CaseRecord, month: Month, tallies: Mapping[str, _Tally], cal: WorkCalendar) -> None:
    state, skipped = fold_lenient(case.actions)
    refused = {a.id for a in skipped}
    own = tallies.get(case.owner)
    for a in case.actions:
        if a.id in refused or not month.contains(a.at.date()):
            continue
        if a.type is ActionType.RECEIVE and own is not None:
            channel = a.payload.get("channel", RECEIVE_CHANNELS[0])
            own.received(case, CHANNELS.index(channel) if channel in RECEIVE_CHANNELS else 0)
        elif a.type is ActionType.FORWARD and str(a.payload.get("to")) in tallies:
            tallies[str(a.payload["to"])].received(case, CHANNELS.index("上报"))
        elif own is None:
            continue
        elif a.type is ActionType.DELIVER and a.payload.get("method") == MAILED:
            own.mailed += 1
        elif a.type is ActionType.EVALUATE and a.payload.get("level") in LEVELS:
            own.evaluations[LEVELS.index(str(a.payload["level"]))] += 1
        elif a.type is ActionType.DECIDE and state.accepted_on is not None:
            decided = a.at.date()
            own.closed += 1
            own.used += working_days_used(cal, state.accepted_on, decided, state.pauses)
            own.promised += state.promised_days
            due = compute_deadline(cal, state.accepted_on, state.promised_days, state.pauses, today=decided)
            own.overdue += decided > due.due


def units_in(codes: Collection[str], parent_of: Mapping[str, str | None], top: str, depth: int = 4) -> list[str]:
    """``top`` and the units below it (children, their children … up to ``depth`` tiers), in order."""
    out, level = [top], [top]
    for _ in range(depth):
        level = sorted(c for c in codes if parent_of.get(c) in level and c not in out)
        if not level:
            break
        out.extend(level)
    return out
