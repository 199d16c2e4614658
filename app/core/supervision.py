"""The supervisor's lists (效能监察): yellow and red cases, overdue counts, 差评 follow-ups, 挂号督办.

Seed 004 §24: 黄灯预警 when a case nears its promised limit, 红灯警告 once past it. A case is
listed exactly when the case list shows its light (:func:`case_light`, the same rule as
``app.store.case_list``): the clock runs and is not paused (已受理/审查中/已上报), and its due day,
counted in working days with the pauses left out, is past (red) or at most ``yellow_days``
working days away (yellow). Computed here once, from folded case states, for the platform (a unit
and its child units) and for a window offline (its own cases): the same numbers both ways.

Pure: no I/O. Other lists the supervisor should watch (e.g. the 告知承诺 paper checks) join as
:class:`Section` s, made by whoever holds their facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from app.core.deadlines import Deadline, Light, compute_deadline, remaining_workdays, traffic_light
from app.core.evaluation import FOLLOW_UP_DAYS, Evaluation
from app.core.lifecycle import CaseState
from app.core.workcal import WorkCalendar

#: the most cases one list answer holds (a county's open cases are far fewer)
MAX_LISTED = 5000


def case_light(cal: WorkCalendar, state: CaseState, today: dt.date, yellow_days: int
               ) -> tuple[Deadline, Light] | None:
    """The deadline and light of a case whose light shows (see the module), else None."""
    if state.accepted_on is None or not state.status.shows_light:
        return None
    deadline = compute_deadline(cal, state.accepted_on, state.promised_days, state.pauses, today=today)
    return deadline, traffic_light(cal, deadline.due, today, yellow_days)


def follow_up_deadline(cal: WorkCalendar, evaluation: Evaluation | None) -> Deadline | None:
    """When the follow-up of a 差评 is due (15 working days from the evaluation); None for no 差评."""
    if evaluation is None or not evaluation.bad:
        return None
    return compute_deadline(cal, evaluation.at.date(), FOLLOW_UP_DAYS)


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """One case as the lists need it: its folded state, and who holds it now (code and name)."""

    id: str
    case_no: str
    item_code: str
    item_name: str
    unit: str
    unit_name: str
    state: CaseState


@dataclass(frozen=True, slots=True)
class Watched:
    """A listed case (黄灯 or 红灯)."""

    id: str
    case_no: str
    item_code: str
    item_name: str
    unit: str
    unit_name: str
    due: dt.date
    provisional: bool
    light: Light
    #: working days left (yellow, >= 0) or, negative, working days overdue (red)
    workdays_left: int
    #: an 挂号督办 sent on it is still unanswered
    supervised: bool = False

    @property
    def days_over(self) -> int:
        """Working days past the due day (0 while not overdue)."""
        return max(0, -self.workdays_left)


@dataclass(frozen=True, slots=True)
class Count:
    """Yellow and red cases of one unit or one item."""

    code: str
    name: str
    yellow: int = 0
    red: int = 0


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A 差评 whose follow-up is coming due (yellow) or overdue (red)."""

    id: str
    case_no: str
    item_name: str
    unit_name: str
    level: str
    due: dt.date
    light: Light
    workdays_left: int


@dataclass(frozen=True, slots=True)
class NoticeRow:
    """A 挂号督办 notice: to whom, answer day, and whether it was answered, or is late."""

    case_id: str
    case_no: str
    supervise_id: str
    to: str
    to_name: str
    text: str
    answer_due: dt.date
    answered: bool
    late: bool
    reply_text: str = ""


@dataclass(frozen=True, slots=True)
class SectionRow:
    """One row of a further list: a case and what is due on it."""

    case_no: str
    item_name: str
    unit_name: str
    due: dt.date
    days_over: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """A further list the supervisor watches (a hook: e.g. 告知承诺 paper checks due)."""

    key: str
    title: str
    rows: tuple[SectionRow, ...] = ()


@dataclass(frozen=True, slots=True)
class SupervisionLists:
    """Everything the supervisor's page shows, for one day."""

    today: dt.date
    yellow: tuple[Watched, ...]
    red: tuple[Watched, ...]
    per_unit: tuple[Count, ...]
    per_item: tuple[Count, ...]
    follow_ups: tuple[FollowUp, ...]
    notices: tuple[NoticeRow, ...]
    sections: tuple[Section, ...] = ()
    #: the units covered (names), the caller's first
    units: tuple[str, ...] = ()
    #: False when more cases matched than :data:`MAX_LISTED`
    complete: bool = True


def _watched(cal: WorkCalendar, c: CaseFacts, today: dt.date, yellow_days: int) -> Watched | None:
    lit = case_light(cal, c.state, today, yellow_days)
    if lit is None or lit[1] is Light.GREEN:
        return None
    deadline, light = lit
    open_notice = any(not s.answered for s in c.state.supervisions)
    return Watched(c.id, c.case_no, c.item_code, c.item_name, c.unit, c.unit_name, deadline.due,
                   deadline.provisional, light, remaining_workdays(cal, deadline.due, today), open_notice)


def _follow_up(cal: WorkCalendar, c: CaseFacts, today: dt.date, yellow_days: int) -> FollowUp | None:
    e = c.state.evaluation
    deadline = follow_up_deadline(cal, e)
    if e is None or deadline is None:
        return None
    light = traffic_light(cal, deadline.due, today, yellow_days)
    if light is Light.GREEN:
        return None
    return FollowUp(c.id, c.case_no, c.item_name, c.unit_name, e.level, deadline.due, light,
                    remaining_workdays(cal, deadline.due, today))


def watch(cases: Iterable[CaseFacts], cal: WorkCalendar, today: dt.date, yellow_days: int, *,
          unit_names: dict[str, str] | None = None, sections: Sequence[Section] = (),
          units: Sequence[str] = ()) -> SupervisionLists:
    """The lists over ``cases`` on ``today`` (at most :data:`MAX_LISTED` cases are looked at)."""
    names = unit_names or {}
    yellow: list[Watched] = []
    red: list[Watched] = []
    follow_ups: list[FollowUp] = []
    notices: list[NoticeRow] = []
    complete = True
    for n, c in enumerate(cases):
        if n >= MAX_LISTED:
            complete = False
            break
        w = _watched(cal, c, today, yellow_days)
        if w is not None:
            (red if w.light is Light.RED else yellow).append(w)
        f = _follow_up(cal, c, today, yellow_days)
        if f is not None:
            follow_ups.append(f)
        notices += [NoticeRow(c.id, c.case_no, s.id, s.to, names.get(s.to, s.to), s.text, s.answer_due,
                              s.answered, s.late(today), s.reply_text) for s in c.state.supervisions]
    yellow.sort(key=lambda w: (w.due, w.case_no))
    red.sort(key=lambda w: (w.workdays_left, w.due, w.case_no))
    follow_ups.sort(key=lambda f: (f.due, f.case_no))
    notices.sort(key=lambda x: (x.answered, not x.late, x.answer_due, x.case_no))
    return SupervisionLists(today=today, yellow=tuple(yellow), red=tuple(red),
                            per_unit=_counts(yellow + red, lambda w: (w.unit, w.unit_name)),
                            per_item=_counts(yellow + red, lambda w: (w.item_code, w.item_name)),
                            follow_ups=tuple(follow_ups), notices=tuple(notices), sections=tuple(sections),
                            units=tuple(units), complete=complete)


def _counts(listed: Sequence[Watched], key: Callable[[Watched], tuple[str, str]]) -> tuple[Count, ...]:
    by: dict[str, Count] = {}
    for w in listed:
        code, name = key(w)
        was = by.get(code, Count(code, name))
        by[code] = Count(code, was.name, was.yellow + (w.light is Light.YELLOW), was.red + (w.light is Light.RED))
    return tuple(sorted(by.values(), key=lambda c: (-c.red, -c.yellow, c.code)))
