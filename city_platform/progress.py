"""The public progress page (办件进度查询) that the QR code on a notice opens.

No sign-in: the applicant scans the code. So the page shows no personal data (no name, no ID
number, no materials): the case number, the item, where the case stands and its deadline. And a
case number alone opens nothing, since numbers run in sequence: the query code printed with it
(:func:`app.core.progress.query_code`, derived from the case's random id) must match. A wrong
code and an unknown case get the same answer, so the page tells nobody which numbers exist.
"""

from __future__ import annotations

import datetime as dt
import hmac
import html
import json
from functools import cache
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from app.core.deadlines import compute_deadline
from app.core.lifecycle import fold_lenient
from app.core.progress import PROGRESS_PATH, QUERY_CODE_LENGTH, query_code
from app.core.workcal import WorkCalendar
from app.store.bundled import HOLIDAY_FILE, load_json
from city_platform.casework import case_actions, state_actions
from city_platform.deps import PlatformDep
from city_platform.models import Case
from city_platform.pages import public_page

router = APIRouter(tags=["progress"])

NOT_FOUND = "未找到该办件，请核对受理编号和查询码。"


@cache
def _calendar() -> WorkCalendar:
    return WorkCalendar.from_table(load_json(HOLIDAY_FILE))


def _page(body: str, status: int = 200) -> HTMLResponse:
    return public_page("办件进度查询", body, status=status)


# A web page for people, not part of the API the windows use: left out of /openapi.json.
@router.get(PROGRESS_PATH + "/{case_no}", response_class=HTMLResponse, include_in_schema=False)
def progress(case_no: Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z]+$")],
             platform: PlatformDep,
             code: Annotated[str, Query(min_length=QUERY_CODE_LENGTH, max_length=QUERY_CODE_LENGTH,
                                        pattern=r"^[A-Z2-7]+$")]) -> HTMLResponse:
    """Where one case stands, for whoever holds its notice."""
    with platform.db.session() as session:
        case = session.scalar(select(Case).where(Case.case_no == case_no))
        if case is None or not hmac.compare_digest(query_code(case.id), code):
            return _page(f"<p>{NOT_FOUND}</p>", 404)
        state, _ = fold_lenient(state_actions(case_actions(session, case.id)))
        item = str(json.loads(case.envelope).get("item_name") or case.item_code)
    rows = [("受理编号", case_no), ("办理事项", item), ("办理状态", state.status.label)]
    if state.accepted_on is not None:
        deadline = compute_deadline(_calendar(), state.accepted_on, state.promised_days, state.pauses,
                                    today=dt.date.today())
        rows += [("受理日期", state.accepted_on.isoformat()), ("承诺办结日期", deadline.due.isoformat())]
    if state.closed_on is not None:
        rows.append(("办结日期", state.closed_on.isoformat()))
    body = "<dl>" + "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in rows) + "</dl>"
    return _page(body)
