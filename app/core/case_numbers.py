"""Case numbers (受理编号) that windows can make offline without colliding.

``<6-digit division><YYYYMMDD><2-digit window><4-digit sequence>``: the division comes from
the unit's code, the window number from the settings, the sequence restarts every day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.core.errors import UserError


def division_of_org(org: str) -> str:
    """The 6-digit administrative division code of a unit code (credit or division code)."""
    code = org.strip().upper()
    return code[2:8] if len(code) == 18 else code[:6]


def case_no_prefix(org: str, day: dt.date, window_no: int) -> str:
    if not 1 <= window_no <= 99:
        raise ValueError(f"window number out of range: {window_no}")
    return f"{division_of_org(org)}{day:%Y%m%d}{window_no:02d}"


def make_case_no(prefix: str, seq: int) -> str:
    if not 1 <= seq <= 9999:
        raise ValueError(f"daily sequence out of range: {seq}")
    return f"{prefix}{seq:04d}"


@dataclass(frozen=True, slots=True)
class CaseNumber:
    """The parts of a case number: who numbered it (division and window), on which day, which one."""

    division: str
    day: dt.date
    window_no: int
    seq: int


_CASE_NO = re.compile(r"([0-9]{6})([0-9]{8})([0-9]{2})([0-9]{4})")


def parse_case_no(text: str) -> CaseNumber:
    """The parts of ``text``; UserError if it is not a case number as :func:`make_case_no` makes them."""
    match = _CASE_NO.fullmatch(text)
    if match is None:
        raise UserError("受理编号应为20位数字（6位行政区划码、8位日期、2位窗口号、4位序号）",
                        log=f"case number {text[:40]!r} has the wrong shape")
    division, day_text, window, seq = match.groups()
    try:
        day = dt.datetime.strptime(day_text, "%Y%m%d").date()
    except ValueError:
        raise UserError("受理编号 {text} 中的日期无效", text=text, log=f"case number {text!r}: bad date") from None
    if int(window) < 1 or int(seq) < 1:
        raise UserError("受理编号 {text} 中的窗口号或序号无效",
                        text=text, log=f"case number {text!r}: window or sequence 0")
    return CaseNumber(division, day, int(window), int(seq))
