"""告知承诺 (approval on the applicant's written promise): when its paper check falls due, and which
checks are open or overdue, as plain values.

The decision fixes the due day (the decision's ``paper_check_due``, so every unit agrees on it); these
functions count from there on the unit's working calendar. Pure: the rows come from the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.core.deadlines import Light, traffic_light
from app.core.errors import N_
from app.core.supervision import Section, SectionRow
from app.core.workcal import WorkCalendar


def paper_check_due(cal: WorkCalendar, decided_on: dt.date, working_days: int) -> dt.date:
    """The day the paper materials must be checked by: ``working_days`` working days after the decision."""
    due, _ = cal.add_workdays(decided_on, working_days)
    return due


@dataclass(frozen=True, slots=True)
class PaperCheckRow:
    """A 告知承诺 case with a paper check, as the store lists it."""

    case_id: str
    case_no: str
    item_name: str
    applicant_name: str
    #: the unit that received the case, and the one that approved it on the promise
    org: str
    decided_by: str
    due: dt.date
    #: "" while open; 属实 / 不属实 once checked
    result: str = ""
    #: the licence issued on the case was revoked (注销) since
    licence_revoked: bool = False


@dataclass(frozen=True, slots=True)
class OpenPaperCheck:
    """One line of the list of paper checks that need someone: open, or found untrue and not yet revoked."""

    row: PaperCheckRow
    light: Light
    #: working days after today up to the due day; negative once overdue
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.light is Light.RED

    @property
    def needs_revocation(self) -> bool:
        """Checked 不属实 and the licence still stands: the window must revoke it (注销)."""
        return self.row.result == "不属实" and not self.row.licence_revoked


def open_paper_checks(rows: Iterable[PaperCheckRow], cal: WorkCalendar, today: dt.date, *,
                      yellow_days: int = 2) -> list[OpenPaperCheck]:
    """The checks still open (with their light: red = overdue) and those found 不属实 whose licence is
    not yet revoked, the most urgent first (revocations owed, then by due day)."""
    out = []
    for row in rows:
        if row.result and (row.result != "不属实" or row.licence_revoked):
            continue
        left = cal.workdays_between(today, row.due)
        light = traffic_light(cal, row.due, today, yellow_days) if not row.result else Light.RED
        out.append(OpenPaperCheck(row, light, left))
    return sorted(out, key=lambda c: (not c.needs_revocation, c.row.due, c.row.case_no))


#: the key and title of the supervisor's list of paper checks (a section of the 效能监察 page)
SECTION_KEY = "paper_checks"
SECTION_TITLE = N_("告知承诺核查")


def as_section(checks: Iterable[OpenPaperCheck], unit_names: Mapping[str, str]) -> Section:
    """The open and untrue checks as the supervisor's page lists them: by the unit that must act, the
    days over the due day (0 while not due), and what is owed."""
    rows = tuple(SectionRow(
        case_no=c.row.case_no, item_name=c.row.item_name,
        unit_name=unit_names.get(c.row.org, c.row.org), due=c.row.due,
        days_over=max(0, -c.days_left) if c.overdue else 0,
        note=N_("核查不属实，待注销证照") if c.needs_revocation else (N_("核查已逾期") if c.overdue else N_("待核查")))
        for c in checks)
    return Section(SECTION_KEY, SECTION_TITLE, rows)
