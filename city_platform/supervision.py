"""效能监察 on the platform: a unit's tree, the calendar its windows count on, the lists, and the
rules of 挂号督办 that only the platform can check (the unit tree, who holds the case, overdue).

The lists are :func:`app.core.supervision.watch` over the cases any unit of the tree can see (each
of those units' case lists shows exactly these), folded from their actions, on the calendar the
platform publishes to the windows (the bundled table with the published years on top).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.deadlines import Light
from app.core.errors import UserError
from app.core.lifecycle import Action, ActionType, CaseState, Status, fold_lenient
from app.core.paper_checks import PaperCheckRow, as_section, open_paper_checks
from app.core.supervision import MAX_LISTED, CaseFacts, Section, SupervisionLists, case_light, watch
from app.core.supervision_notices import check_new_supervise
from app.core.workcal import DayOverride, WorkCalendar
from app.store.bundled import HOLIDAY_FILE, load_json
from city_platform.casework import case_actions, state_actions
from city_platform.models import Case, CaseAccess, CaseAction, FeedEntry, Unit

#: a unit tree is three tiers deep; a deeper chain (or a cycle) in the table is cut off here
MAX_DEPTH = 6
MAX_UNITS = 2000
#: the actions that put a closed case on the lists (its 差评 follow-up, its 督办 notices)
_LISTED_ACTIONS = (str(ActionType.EVALUATE), str(ActionType.SUPERVISE))
_CLOCK_STATES = tuple(str(s) for s in Status if s.clock_running)

#: makers of further sections (e.g. the 告知承诺 paper checks): each is called with the session, the
#: tree's unit codes and the day, and returns one :class:`~app.core.supervision.Section`. Register one
#: with :func:`add_section`; the endpoint and the window show every section as a list of its own.
SectionSource = Callable[[Session, Sequence[str], dt.date], Section]
SECTION_SOURCES: list[SectionSource] = []


def add_section(source: SectionSource) -> SectionSource:
    """Register a section maker (usable as a decorator)."""
    SECTION_SOURCES.append(source)
    return source


def subtree(session: Session, root: str) -> list[str]:
    """``root`` and every unit under it, nearest first (bounded in depth and count)."""
    out, level = [root], [root]
    for _ in range(MAX_DEPTH):
        level = [c for c in session.scalars(select(Unit.code).where(Unit.parent.in_(level)).order_by(Unit.code))
                 if c not in out]
        if not level:
            break
        out += level[:MAX_UNITS - len(out)]
        if len(out) >= MAX_UNITS:
            break
    return out


def calendar(session: Session) -> WorkCalendar:
    """The calendar the windows count on: the bundled table and every year published since (the latest of each)."""
    base = WorkCalendar.from_table(load_json(HOLIDAY_FILE))
    years: dict[int, list[DayOverride]] = {}
    for body in session.scalars(select(FeedEntry.body).where(FeedEntry.kind == "holidays", FeedEntry.audience.is_(None))
                                .order_by(FeedEntry.seq)):
        raw = json.loads(body)
        years[int(raw["year"])] = [DayOverride(dt.date.fromisoformat(d["day"]), d["kind"], d.get("name", ""))
                                   for d in raw["days"]]
    return base.with_overrides(years, [d for days in years.values() for d in days]) if years else base


def _state(session: Session, case_id: str) -> CaseState:
    state, _ = fold_lenient(state_actions(case_actions(session, case_id)))
    return state


def _facts(session: Session, units: Sequence[str], names: dict[str, str]) -> Iterator[CaseFacts]:
    seen = select(CaseAccess.case_id).where(CaseAccess.unit.in_(units))
    flagged = select(CaseAction.case_id).where(CaseAction.type.in_(_LISTED_ACTIONS))
    rows = session.scalars(select(Case).where(Case.id.in_(seen), or_(Case.status.in_(_CLOCK_STATES),
                                                                     Case.id.in_(flagged)))
                           .order_by(Case.case_no).limit(MAX_LISTED + 1))
    for case in rows:
        env = json.loads(case.envelope)
        yield CaseFacts(case.id, case.case_no, case.item_code, str(env.get("item_name") or case.item_code),
                        case.holder, names.get(case.holder, case.holder), _state(session, case.id))


def lists(session: Session, root: str, today: dt.date, yellow_days: int) -> SupervisionLists:
    """The supervisor's lists for ``root`` and its child units on ``today``."""
    units = subtree(session, root)
    names = {u.code: u.name for u in session.scalars(select(Unit))}
    sections = [source(session, units, today) for source in SECTION_SOURCES]
    return watch(_facts(session, units, names), calendar(session), today, yellow_days, unit_names=names,
                 sections=sections, units=[names.get(u, u) for u in units])


def check_supervise(session: Session, unit: Unit, case: Case, action: Action) -> None:
    """A 挂号督办 only from a unit above or at the case's holder, to that holder, on an overdue case."""
    state = _state(session, case.id)
    holder = state.holder_or(case.owner)
    if holder not in subtree(session, unit.code):
        raise UserError("该办件不在本单位及下级单位办理，不能挂号督办",
                        log=f"supervise by {unit.code} of a case held by {holder}")
    payload = action.payload
    if payload.get("unit") != unit.code or payload.get("to") != holder:
        raise UserError("督办通知须由本单位发出，发给正在办理该件的单位",
                        log=f"supervise unit/to {payload.get('unit')!r}/{payload.get('to')!r}, holder {holder}")
    lit = case_light(calendar(session), state, action.at.date(), 0)
    if lit is None or lit[1] is not Light.RED:
        raise UserError("该办件未超期（未亮红灯），不需挂号督办", log=f"supervise of {case.case_no}, not overdue")
    check_new_supervise(payload, action.at.date())


def check_reply(session: Session, unit: Unit, case: Case, action: Action) -> None:
    """A 督办回复 only from the unit the notice was sent to."""
    sid = action.payload.get("supervise_id")
    notice = next((s for s in _state(session, case.id).supervisions if s.id == sid), None)
    if notice is not None and notice.to != unit.code:
        to = session.get(Unit, notice.to)
        raise UserError("该督办通知发给{to}，须由其回复", to=to.name if to else notice.to,
                        log=f"reply by {unit.code} to a notice for {notice.to}")


@add_section
def paper_checks(session: Session, units: Sequence[str], today: dt.date) -> Section:
    """告知承诺: the tree's paper checks still open (red once overdue), and those found 不属实 whose
    licence still stands, as the window's own list has them (``app.services.paper_checks``)."""
    seen = select(CaseAccess.case_id).where(CaseAccess.unit.in_(units))
    promised = select(CaseAction.case_id).where(CaseAction.type == str(ActionType.DECIDE),
                                                CaseAction.payload.contains('"paper_check_due"'))
    rows = []
    for case in session.scalars(select(Case).where(Case.id.in_(seen), Case.id.in_(promised))
                                .order_by(Case.case_no).limit(MAX_LISTED)):
        state = _state(session, case.id)
        if state.paper_check is None:
            continue
        env = json.loads(case.envelope)
        rows.append(PaperCheckRow(case.id, case.case_no, str(env.get("item_name") or case.item_code), "",
                                  case.owner, state.paper_check.unit or case.owner, state.paper_check.due,
                                  state.paper_check.result, bool(state.licence_revoked)))
    names = {u.code: u.name for u in session.scalars(select(Unit).where(Unit.code.in_(units)))}
    return as_section(open_paper_checks(rows, calendar(session), today), names)
