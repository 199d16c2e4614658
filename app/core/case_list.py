"""Which cases the case list shows and in which order, as plain values.

The window builds a :class:`CaseFilter` and a :class:`Sort` from its controls; the store turns
them into one SQL query (WHERE and ORDER BY on indexed columns) that returns ids, so a filter or
a sort over 100 000 cases never reads rows into Python.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.core.lifecycle import Status


class SortKey(enum.StrEnum):
    """The columns the list sorts by."""

    CASE_NO = "case_no"
    APPLICANT = "applicant"
    ITEM = "item"
    STATUS = "status"
    RECEIVED = "received"
    DUE = "due"
    #: urgency: overdue first (earliest deadline first), then close, then the rest; no light last
    LIGHT = "light"


@dataclass(frozen=True, slots=True)
class Sort:
    """A column and a direction; newest received first by default."""

    key: SortKey = SortKey.RECEIVED
    descending: bool = True


DEFAULT_SORT = Sort()

#: how the status column sorts: along the lifecycle, not by the stored word
STATUS_ORDER: tuple[Status, ...] = tuple(Status)


class LightFilter(enum.StrEnum):
    """The time-limit filter (时限)."""

    ANY = ""
    #: 临近: due within the yellow threshold, not overdue
    YELLOW = "yellow"
    #: 超期
    RED = "red"
    #: 临近或超期: everything that needs attention now
    YELLOW_OR_RED = "yellow_or_red"


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """What a case must match to be listed; every field left at its default matches all.

    ``mine``: a case in which the signed-in person took any action (received it, accepted it,
    forwarded it…), so a clerk finds the cases they received and a reviewer the ones they
    reviewed. ``returned``: the last opinion from a higher unit was 退回 and this unit holds the
    case again, still open. ``to_review``: 待我审查, the cases a lower unit forwarded (上报) to this
    unit and that it holds now, not yet answered with an opinion.
    """

    status: str | None = None
    search: str | None = None
    light: LightFilter = LightFilter.ANY
    #: received on the unit's calendar day today
    today: bool = False
    mine: bool = False
    item_code: str | None = None
    returned: bool = False
    #: 待核查: a 告知承诺 case approved on the applicant's promise whose paper is not checked yet
    paper_check: bool = False
    #: 待联审: this unit is a department asked in the case's open joint review and has not answered
    joint: bool = False
    to_review: bool = False
