"""The monthly figures (月报) of a unit and the units below it, from the platform's own tables.

The numbers come from :func:`app.core.monthly_figures.compute` over the actions the platform
accepted, as a window computes them from its store: the same cases give the same figures. A unit
sees its own figures and those of the units below it, never a neighbour's or a higher unit's.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import UserError
from app.core.lifecycle import Action, ActionType
from app.core.monthly_figures import CaseRecord, Month, MonthlyFigures, compute, units_in
from app.core.permissions import Permission
from app.core.workcal import DayOverride, WorkCalendar
from app.store.bundled import HOLIDAY_FILE, load_json
from city_platform.deps import PlatformDep, UserDep, problem, require
from city_platform.models import Case, CaseAccess, CaseAction, FeedEntry, Unit
from city_platform.schemas import ErrorBody


class ItemOut(BaseModel):
    """办件量 of one item at one unit, by channel (窗口, 网上, 上报)."""

    item_code: str
    item_name: str
    window: int
    online: int
    forwarded: int


class UnitFiguresOut(BaseModel):
    """One unit's figures for the month (see docs/figures.md)."""

    unit: str
    name: str
    mailed: int
    closed: int
    overdue: int
    days_used: int
    days_promised: int
    #: evaluation level (非常满意 … 非常不满意) → how many
    evaluations: dict[str, int]
    items: list[ItemOut]


class FiguresOut(BaseModel):
    """月报: a month's figures of a unit and each unit below it."""

    month: str
    units: list[UnitFiguresOut]


#: a month as the figures take it: 2000-01 … 2099-12
MONTH_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"
router = APIRouter(prefix="/api/v1", tags=["figures"], responses={401: {"model": ErrorBody}})
#: units per answer: a city with its counties and townships is far fewer
MAX_UNITS = 500


@cache
def _bundled() -> WorkCalendar:
    return WorkCalendar.from_table(load_json(HOLIDAY_FILE))


def calendar(session: Session) -> WorkCalendar:
    """The bundled holiday table with the years the platform published on top, as the windows hold it."""
    cal = _bundled()
    for body in session.scalars(select(FeedEntry.body).where(FeedEntry.kind == "holidays").order_by(FeedEntry.seq)):
        entry = json.loads(body)
        days = [DayOverride(dt.date.fromisoformat(d["day"]), d["kind"], d["name"]) for d in entry["days"]]
        cal = cal.with_overrides([int(entry["year"])], days)
    return cal


def _cases(session: Session, units: list[str], month: Month) -> list[CaseRecord]:
    """The cases any of ``units`` may see with an action in ``month`` (an action's time is stored in
    ISO form, its own date first), each with all its accepted actions in the platform's order."""
    in_month = select(CaseAction.case_id).where(CaseAction.at.like(f"{month}-%"))
    ids = select(CaseAccess.case_id).where(CaseAccess.unit.in_(units), CaseAccess.case_id.in_(in_month)).distinct()
    heads = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
    rows = session.execute(select(CaseAction.case_id, CaseAction.id, CaseAction.type, CaseAction.actor,
                                  CaseAction.at, CaseAction.payload)
                           .where(CaseAction.case_id.in_(ids)).order_by(CaseAction.case_id, CaseAction.seq))
    out = []
    for case_id, group in groupby(rows, key=lambda r: r[0]):
        case = heads[case_id]
        item_name = str(json.loads(case.envelope).get("item_name") or case.item_code)
        actions = [Action(id=r[1], case_id=case_id, type=ActionType(r[2]), actor=r[3],
                          at=dt.datetime.fromisoformat(r[4]), payload=json.loads(r[5])) for r in group]
        out.append(CaseRecord(case_id, case.owner, case.item_code, item_name, actions))
    return out


def figures_of(session: Session, month: Month, top: str) -> MonthlyFigures:
    """The figures of ``top`` and each unit below it."""
    units = {u.code: u for u in session.scalars(select(Unit))}
    codes = units_in(units.keys(), {c: u.parent for c, u in units.items()}, top)[:MAX_UNITS]
    return compute(_cases(session, codes, month), month, codes, calendar(session), {c: units[c].name for c in codes})


@router.get("/figures", response_model=FiguresOut,
            responses={400: {"model": ErrorBody}, 403: {"model": ErrorBody}, 404: {"model": ErrorBody}})
def figures(platform: PlatformDep, user: UserDep,
            month: Annotated[str, Query(min_length=7, max_length=7, pattern=MONTH_PATTERN)],
            unit: Annotated[str | None, Query(min_length=1, max_length=18, pattern=r"^[0-9A-Z]+$")] = None,
            ) -> FiguresOut:
    """月报: the month's figures of the caller's unit (or ``unit`` below it) and of each unit below that."""
    require(user, Permission.READ_CASE)
    try:
        wanted = Month.parse(month)
    except UserError as e:
        raise problem(400, "bad_month", e.message) from None
    with platform.db.session() as session:
        units = {u.code: u.parent for u in session.scalars(select(Unit))}
        top = unit or user.unit
        if top not in units or top not in units_in(units.keys(), units, user.unit):
            raise problem(404, "no_unit", "找不到该单位，或它不在本单位之下，不能查看其月报")
        return FiguresOut.model_validate(figures_of(session, wanted, top).to_dict())
