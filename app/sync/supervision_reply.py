"""The platform's 效能监察 lists, checked field by field into :mod:`app.core.supervision` values.

A reply that does not fit (a field missing, of the wrong kind, too long, a date that is not one,
too many rows) raises :class:`~app.sync.wire.WireError`; the caller turns it into the clerk's
«市级平台返回了无法识别的数据…». Nothing of a bad reply is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from app.core.deadlines import Light
from app.core.supervision import (
    MAX_LISTED,
    Count,
    FollowUp,
    NoticeRow,
    Section,
    SectionRow,
    SupervisionLists,
    Watched,
)
from app.sync import wire

T = TypeVar("T")
#: the most notices, follow-ups, counted units or items, or further sections one answer may hold
MAX_ROWS = MAX_LISTED
MAX_SECTIONS = 20
_SHOWN = {"yellow": Light.YELLOW, "red": Light.RED}


def _day(m: Mapping[str, Any], key: str, where: str) -> dt.date:
    raw = wire.text(m, key, where, max_len=10)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise wire.WireError(f"{where}.{key}: {raw!r} is not a date") from None


def _light(m: Mapping[str, Any], where: str) -> Light:
    raw = wire.text(m, "light", where, max_len=10)
    if raw not in _SHOWN:
        raise wire.WireError(f"{where}.light: {raw!r} is neither yellow nor red")
    return _SHOWN[raw]


def _days(m: Mapping[str, Any], key: str, where: str) -> int:
    return wire.number_field(m, key, where, lo=-100_000, hi=100_000)


def _rows(body: Mapping[str, Any], key: str, parse: Callable[[Mapping[str, Any], str], T],
          max_items: int = MAX_ROWS) -> tuple[T, ...]:
    raw = wire.items(body.get(key), key, max_items=max_items)
    return tuple(parse(wire.obj(r, f"{key}[{i}]"), f"{key}[{i}]") for i, r in enumerate(raw))


def _watched(m: Mapping[str, Any], where: str) -> Watched:
    return Watched(id=wire.text(m, "id", where, max_len=64), case_no=wire.text(m, "case_no", where, max_len=32),
                   item_code=wire.text(m, "item_code", where, max_len=32),
                   item_name=wire.text(m, "item_name", where, max_len=200),
                   unit=wire.text(m, "unit", where, max_len=18),
                   unit_name=wire.text(m, "unit_name", where, max_len=100), due=_day(m, "due", where),
                   provisional=wire.flag(m, "provisional", where), light=_light(m, where),
                   workdays_left=_days(m, "workdays_left", where), supervised=wire.flag(m, "supervised", where))


def _count(m: Mapping[str, Any], where: str) -> Count:
    return Count(code=wire.text(m, "code", where, max_len=32), name=wire.text(m, "name", where, max_len=200),
                 yellow=wire.number_field(m, "yellow", where, hi=MAX_LISTED),
                 red=wire.number_field(m, "red", where, hi=MAX_LISTED))


def _follow_up(m: Mapping[str, Any], where: str) -> FollowUp:
    return FollowUp(id=wire.text(m, "id", where, max_len=64), case_no=wire.text(m, "case_no", where, max_len=32),
                    item_name=wire.text(m, "item_name", where, max_len=200),
                    unit_name=wire.text(m, "unit_name", where, max_len=100),
                    level=wire.text(m, "level", where, max_len=10), due=_day(m, "due", where), light=_light(m, where),
                    workdays_left=_days(m, "workdays_left", where))


def _notice(m: Mapping[str, Any], where: str) -> NoticeRow:
    return NoticeRow(case_id=wire.text(m, "case_id", where, max_len=64),
                     case_no=wire.text(m, "case_no", where, max_len=32),
                     supervise_id=wire.text(m, "supervise_id", where, max_len=64),
                     to=wire.text(m, "to", where, max_len=18), to_name=wire.text(m, "to_name", where, max_len=100),
                     text=wire.text(m, "text", where, max_len=500), answer_due=_day(m, "answer_due", where),
                     answered=wire.flag(m, "answered", where), late=wire.flag(m, "late", where),
                     reply_text=wire.text(m, "reply_text", where, max_len=500, default=""))


def _section_row(m: Mapping[str, Any], where: str) -> SectionRow:
    return SectionRow(case_no=wire.text(m, "case_no", where, max_len=32),
                      item_name=wire.text(m, "item_name", where, max_len=200),
                      unit_name=wire.text(m, "unit_name", where, max_len=100), due=_day(m, "due", where),
                      days_over=wire.number_field(m, "days_over", where, hi=100_000),
                      note=wire.text(m, "note", where, max_len=500, default=""))


def _section(m: Mapping[str, Any], where: str) -> Section:
    return Section(key=wire.text(m, "key", where, max_len=32), title=wire.text(m, "title", where, max_len=100),
                   rows=_rows(m, "rows", _section_row))


def parse_lists(body: Any) -> SupervisionLists:
    """The lists in a reply of ``GET /api/v1/supervision/lists``; WireError if it does not fit."""
    m = wire.obj(body, "lists")
    yellow, red = _rows(m, "yellow", _watched), _rows(m, "red", _watched)
    if any(w.light is not Light.YELLOW for w in yellow) or any(w.light is not Light.RED for w in red):
        raise wire.WireError("lists: a case in the yellow or red list with another light")
    units = wire.items(m.get("units"), "units", max_items=MAX_ROWS)
    return SupervisionLists(
        today=_day(m, "today", "lists"), yellow=yellow, red=red, per_unit=_rows(m, "per_unit", _count),
        per_item=_rows(m, "per_item", _count), follow_ups=_rows(m, "follow_ups", _follow_up),
        notices=_rows(m, "notices", _notice), sections=_rows(m, "sections", _section, MAX_SECTIONS),
        units=tuple(wire.text({"u": u}, "u", f"units[{i}]", max_len=100) for i, u in enumerate(units)),
        complete=wire.flag(m, "complete", "lists"))
