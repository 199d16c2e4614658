"""What a notice says: the typed input the services build from a case and the unit's settings.

The documents layer reads no database: everything printed on a notice arrives here, already
decided (dates computed, the clerk named, the progress URL made).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.core.notice_kinds import NoticeKind


@dataclass(frozen=True, slots=True)
class UnitHeader:
    """The issuing unit as its notices present it (a per-unit template)."""

    name: str
    address: str = ""
    phone: str = ""
    complaint_phone: str = ""
    #: a line under the contact details (office hours, where to collect results …)
    footer: str = ""


@dataclass(frozen=True, slots=True)
class NoticeMaterial:
    """One material as a notice lists it; ``problem`` says what is missing or wrong with it."""

    name: str
    pages: int = 0
    problem: str = ""


@dataclass(frozen=True, slots=True)
class NoticeDetails:
    """Everything one notice prints."""

    kind: NoticeKind
    unit: UnitHeader
    case_no: str
    item_name: str
    applicant_name: str
    received_on: dt.date
    #: when the notice is made: its date, and the PDF's creation time
    issued_at: dt.datetime
    #: the clerk who issues it (经办人)
    clerk: str
    materials: tuple[NoticeMaterial, ...] = ()
    accepted_on: dt.date | None = None
    promised_days: int | None = None
    deadline: dt.date | None = None
    #: the deadline falls in a year whose holidays are not published yet
    deadline_provisional: bool = False
    progress_url: str = ""
    query_code: str = ""
    #: why the application is not accepted, or what the correction is about
    reason: str = ""
    #: what is served, and how (送达回证)
    result_name: str = ""
    delivery_method: str = ""
    delivery_note: str = ""
    #: the unit's e-seal goes on it (no space drawn for an ink stamp)
    sealed: bool = False

    @property
    def issued_on(self) -> dt.date:
        return self.issued_at.date()


def chinese_date(day: dt.date) -> str:
    """「2026年12月7日」: how dates are written on official notices."""
    return f"{day.year}年{day.month}月{day.day}日"
