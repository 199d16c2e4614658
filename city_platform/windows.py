"""Window numbers (窗口号): which unit may use which case numbers.

A case number is ``<6-digit division><YYYYMMDD><2-digit window><4-digit sequence>``
(:mod:`app.core.case_numbers`), made by the window offline and printed on the receipt at once:
the platform cannot hand numbers out one by one. It hands out window numbers instead, each one
to a single unit of a 6-digit division, so every number a window can make belongs to exactly
one unit, and a receive whose number does not belong to the sending unit is refused.

A county and its townships share the 6 digits (they come from the credit code), so the window
number is what tells them apart; the database holds it unique per division too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.case_numbers import division_of_org, parse_case_no
from app.core.errors import UserError
from app.core.settings import DECLARED
from city_platform.models import Unit

#: the window number a data folder numbers with before its first sign-in (the client's default
#: setting): never allocated, so such numbers collide with no unit's allocated ones
UNASSIGNED_WINDOW: int = next(int(s.default) for s in DECLARED if s.name == "unit.window_no")
#: the window numbers a case number can hold
WINDOW_RANGE = range(1, 100)


def windows_in_division(session: Session, code: str) -> dict[int, str]:
    """Window number → unit code, for every unit sharing ``code``'s 6-digit division."""
    rows = session.execute(select(Unit.window_no, Unit.code)
                           .where(func.substr(Unit.code, 3, 6) == division_of_org(code)))
    return {int(no): unit for no, unit in rows}


def allocate_window(session: Session, code: str, wanted: int | None = None) -> int:
    """A window number for a new unit ``code``: ``wanted`` if free in its division, else the
    lowest free one. ValueError if ``wanted`` is taken or out of range, or none is left."""
    taken = windows_in_division(session, code)
    if wanted is not None:
        if wanted not in WINDOW_RANGE or wanted == UNASSIGNED_WINDOW:
            raise ValueError(f"window number {wanted} cannot be allocated")
        if taken.get(wanted, code) != code:
            raise ValueError(f"window {wanted} of division {division_of_org(code)} belongs to {taken[wanted]}")
        return wanted
    free = [n for n in WINDOW_RANGE if n != UNASSIGNED_WINDOW and n not in taken]
    if not free:
        raise ValueError(f"division {division_of_org(code)} has no window number left")
    return free[0]


def check_case_no(unit: Unit, case_no: str, at: dt.datetime) -> None:
    """UserError unless ``case_no`` is one that a window of ``unit`` makes for a case received at ``at``.

    The division and the window must be the unit's; a number with the unassigned window is
    taken from any unit of the division (windows number with it until they first sign in),
    first come first served. The date must be the receive action's, on the device's clock.
    """
    number = parse_case_no(case_no)
    if number.division != division_of_org(unit.code):
        raise UserError(f"受理编号 {case_no} 的行政区划码 {number.division} 不属于本单位"
                        f"（应为 {division_of_org(unit.code)}），平台未接收",
                        log=f"case number {case_no}: division is not {unit.code}'s")
    if number.window_no not in (unit.window_no, UNASSIGNED_WINDOW):
        raise UserError(f"受理编号 {case_no} 的窗口号 {number.window_no:02d} 不是本单位的窗口号"
                        f"（{unit.window_no:02d}），平台未接收；请核对本窗口的窗口号设置",
                        log=f"case number {case_no}: window is not {unit.code}'s {unit.window_no}")
    if number.day != at.date():
        raise UserError(f"受理编号 {case_no} 中的日期与收件时间（{at:%Y-%m-%d}）不符，平台未接收",
                        log=f"case number {case_no}: date differs from the receive time {at.isoformat()}")
