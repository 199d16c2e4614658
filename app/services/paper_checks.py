"""告知承诺: the paper check an approval on the applicant's promise opens, and the list of open ones.

An item the catalogue marks 告知承诺 is approved first, on the applicant's written promise; the decision
names the day its paper materials must be checked by (``commitment.check_days`` working days on this
unit's calendar: ``case_actions.paper_check_due_for``), and the check is recorded by a 核查结果 action
(``ActionType.PAPER_CHECK``). A check found 不属实 asks the window to revoke the licence (注销,
``ActionType.REVOKE_LICENCE``).

:func:`open_checks` is what a supervisor's page lists: plug it in as
``open_checks(ctx)`` (a list of :class:`app.core.paper_checks.OpenPaperCheck`, most urgent first).
"""

from __future__ import annotations

import datetime as dt

from app.core.paper_checks import OpenPaperCheck, PaperCheckRow, open_paper_checks
from app.services.case_actions import current_state
from app.services.context import AppContext

#: the most checks one list reads (a unit with more open checks than this has a bigger problem)
MAX_LISTED = 5000


def open_checks(ctx: AppContext, today: dt.date | None = None) -> list[OpenPaperCheck]:
    """The paper checks of the cases held here that are open (red once overdue), and those found
    不属实 whose licence is not revoked yet, most urgent first."""
    db = ctx.store.reader()
    found = db.execute(
        "SELECT id, case_no, item_name, applicant_name, org, paper_check_due, paper_check_result FROM cases"
        " WHERE paper_check_due IS NOT NULL AND paper_check_result IN ('', '不属实')"
        " ORDER BY paper_check_due, id LIMIT ?", [MAX_LISTED]).fetchall()
    rows = []
    for case_id, case_no, item_name, applicant, org, due, result in found:
        state = current_state(db, case_id)
        decided_by = state.paper_check.unit if state.paper_check else ""
        rows.append(PaperCheckRow(case_id, case_no, item_name, applicant, org, decided_by or org,
                                  dt.date.fromisoformat(due), result, bool(state.licence_revoked)))
    return open_paper_checks(rows, ctx.calendar, today or ctx.today(),
                             yellow_days=int(ctx.settings.get("deadline.yellow_days")))
