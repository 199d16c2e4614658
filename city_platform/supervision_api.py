"""``/api/v1/supervision/…``: the supervisor's lists for their unit and its child units (效能监察)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.core.permissions import Role
from app.core.supervision import SupervisionLists, Watched
from city_platform import supervision
from city_platform.deps import PlatformDep, UserDep, problem
from city_platform.models import utcnow
from city_platform.schemas import ErrorBody

router = APIRouter(prefix="/api/v1/supervision", tags=["supervision"],
                   responses={400: {"model": ErrorBody}, 401: {"model": ErrorBody}, 403: {"model": ErrorBody}})
#: how far from the platform's day a list may be asked for (a report of last month, not of a century)
MAX_DAYS_AWAY = 400
#: the case list's 黄灯 threshold is a window setting; a list asked with more than this is a mistake
MAX_YELLOW_DAYS = 20


class WatchedOut(BaseModel):
    """A yellow or red case: ``workdays_left`` negative once overdue; ``unit`` holds it now."""

    id: str
    case_no: str
    item_code: str
    item_name: str
    unit: str
    unit_name: str
    due: str
    provisional: bool
    light: Literal["yellow", "red"]
    workdays_left: int
    supervised: bool


class CountOut(BaseModel):
    """Yellow and red cases of one unit or one item."""

    code: str
    name: str
    yellow: int
    red: int


class FollowUpOut(BaseModel):
    """A 差评 whose follow-up (15 working days) is coming due or overdue."""

    id: str
    case_no: str
    item_name: str
    unit_name: str
    level: str
    due: str
    light: Literal["yellow", "red"]
    workdays_left: int


class NoticeOut(BaseModel):
    """A 挂号督办 notice, its answer day, and whether it was answered or is late."""

    case_id: str
    case_no: str
    supervise_id: str
    to: str
    to_name: str
    text: str
    answer_due: str
    answered: bool
    late: bool
    reply_text: str


class SectionRowOut(BaseModel):
    """One row of a further list (see ``city_platform.supervision.add_section``)."""

    case_no: str
    item_name: str
    unit_name: str
    due: str
    days_over: int
    note: str


class SectionOut(BaseModel):
    """A further list the supervisor watches."""

    key: str
    title: str
    rows: list[SectionRowOut]


class ListsOut(BaseModel):
    """The lists of one day; ``complete`` false when more cases matched than one answer holds."""

    today: str
    yellow_days: int
    units: list[str]
    yellow: list[WatchedOut]
    red: list[WatchedOut]
    per_unit: list[CountOut]
    per_item: list[CountOut]
    follow_ups: list[FollowUpOut]
    notices: list[NoticeOut]
    sections: list[SectionOut]
    complete: bool


def _out(lists: SupervisionLists, yellow_days: int) -> ListsOut:
    def watched(w: Watched) -> WatchedOut:
        return WatchedOut(id=w.id, case_no=w.case_no, item_code=w.item_code, item_name=w.item_name, unit=w.unit,
                          unit_name=w.unit_name, due=w.due.isoformat(), provisional=w.provisional,
                          light=str(w.light), workdays_left=w.workdays_left,  # type: ignore[arg-type]
                          supervised=w.supervised)

    return ListsOut(
        today=lists.today.isoformat(), yellow_days=yellow_days, units=list(lists.units),
        yellow=[watched(w) for w in lists.yellow], red=[watched(w) for w in lists.red],
        per_unit=[CountOut(code=c.code, name=c.name, yellow=c.yellow, red=c.red) for c in lists.per_unit],
        per_item=[CountOut(code=c.code, name=c.name, yellow=c.yellow, red=c.red) for c in lists.per_item],
        follow_ups=[FollowUpOut(id=f.id, case_no=f.case_no, item_name=f.item_name, unit_name=f.unit_name,
                                level=f.level, due=f.due.isoformat(), light=str(f.light),  # type: ignore[arg-type]
                                workdays_left=f.workdays_left) for f in lists.follow_ups],
        notices=[NoticeOut(case_id=n.case_id, case_no=n.case_no, supervise_id=n.supervise_id, to=n.to,
                           to_name=n.to_name, text=n.text, answer_due=n.answer_due.isoformat(), answered=n.answered,
                           late=n.late, reply_text=n.reply_text) for n in lists.notices],
        sections=[SectionOut(key=s.key, title=s.title, rows=[
            SectionRowOut(case_no=r.case_no, item_name=r.item_name, unit_name=r.unit_name, due=r.due.isoformat(),
                          days_over=r.days_over, note=r.note) for r in s.rows]) for s in lists.sections],
        complete=lists.complete)


@router.get("/lists", response_model=ListsOut)
def supervision_lists(platform: PlatformDep, user: UserDep,
                      on: Annotated[dt.date | None, Query(description="the day (default: today)")] = None,
                      yellow_days: Annotated[int, Query(ge=0, le=MAX_YELLOW_DAYS)] = 2) -> ListsOut:
    """Yellow and red cases, counts per unit and item, 差评 follow-ups due, 挂号督办 notices: of the
    caller's unit and every unit under it. For the supervisor (效能监察) only."""
    if user.role is not Role.SUPERVISOR:
        raise problem(403, "forbidden", "效能监察名单仅供效能监察人员查看")
    today = utcnow().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    day = on or today
    if abs((day - today).days) > MAX_DAYS_AWAY:
        raise problem(400, "bad_day", f"查询日期应在今天前后{MAX_DAYS_AWAY}天之内")
    with platform.db.session() as session:
        lists = supervision.lists(session, user.unit, day, yellow_days)
    return _out(lists, yellow_days)
