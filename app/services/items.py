"""Finding an item of the catalogue, each person's recent and favourite items, and an item's guide.

:func:`search` is in memory (the index of :mod:`app.core.item_search`, built once per catalogue
and kept); the recent and favourite items are the signed-in person's own, kept in the encrypted
database (:mod:`app.store.item_prefs`). The guide (办事指南) is what a clerk tells an applicant
at the counter: conditions, the promised time and the day it gives if accepted today, the fee,
the tier, the phones and the checklist.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

from app.core.catalog import Catalog, CatalogItem
from app.core.deadlines import compute_deadline
from app.core.errors import UserError
from app.core.item_search import ItemIndex, Transliterator
from app.services.context import AppContext
from app.store import item_prefs

#: how many recent items a person sees
RECENT = 8
#: how many results a search gives unless asked for another number
LIMIT = 20


@dataclass(frozen=True, slots=True)
class ItemSummary:
    """One item as a result list shows it."""

    code: str
    name: str
    tier: str
    tier_label: str
    promised_days: int
    #: how it matched the search (:class:`~app.core.item_search.MatchKind` name); "" outside a search
    match: str = ""

    @classmethod
    def of(cls, item: CatalogItem, match: str = "") -> ItemSummary:
        return cls(item.code, item.name, item.tier.value, item.tier.label, item.promised_days, match)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Indexes:
    """The indexes of the catalogues in use, built on first need, by catalogue object.

    The last two are kept: while a synced catalogue replaces the old one, a window still showing
    the old one does not force a rebuild. One reader of pinyin is kept across builds: after a
    sync most names are unchanged and are not read again. Building holds the lock, so two
    threads asking at once build once; :meth:`peek` never waits for it.
    """

    KEEP = 2

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reader: Transliterator | None = None
        self._built: tuple[tuple[Catalog, ItemIndex], ...] = ()

    def get(self, catalog: Catalog) -> ItemIndex:
        with self._lock:
            index = self.peek(catalog)
            if index is None:
                self._reader = self._reader or Transliterator()
                index = ItemIndex.build(catalog, self._reader)
                self._built = ((catalog, index), *self._built)[:self.KEEP]
            return index

    def peek(self, catalog: Catalog) -> ItemIndex | None:
        """The index if it is built (one read of a tuple: no lock needed)."""
        return next((index for built, index in self._built if built is catalog), None)


_indexes = _Indexes()


def prepare(ctx: AppContext) -> None:
    """Build the search index of the context's catalogue now (the window calls it off the GUI thread)."""
    _indexes.get(ctx.catalog)


def index_ready(ctx: AppContext) -> bool:
    """True when :func:`search` will not have to build the index first."""
    return _indexes.peek(ctx.catalog) is not None


def search(ctx: AppContext, text: str, limit: int = LIMIT) -> list[ItemSummary]:
    """The items matching ``text`` (name, code, full pinyin, initials), best first; [] for blank text."""
    return _summaries(_indexes.get(ctx.catalog), text, limit)


def search_if_ready(ctx: AppContext, text: str, limit: int = LIMIT) -> list[ItemSummary] | None:
    """Like :func:`search`, but None rather than waiting for the index to be built (for the GUI thread)."""
    index = _indexes.peek(ctx.catalog)
    return None if index is None else _summaries(index, text, limit)


def _summaries(index: ItemIndex, text: str, limit: int) -> list[ItemSummary]:
    return [ItemSummary.of(h.item, h.kind.name.lower()) for h in index.search(text, limit)]


def recent(ctx: AppContext, limit: int = RECENT) -> list[ItemSummary]:
    """The signed-in person's last used items still in the catalogue, most recent first."""
    codes = item_prefs.recent(ctx.store.reader(), ctx.session.user, limit * 2)
    return _known(ctx, codes)[:limit]


def favourites(ctx: AppContext) -> list[ItemSummary]:
    """The signed-in person's favourite items still in the catalogue, in the order marked."""
    return _known(ctx, item_prefs.favourites(ctx.store.reader(), ctx.session.user))


def toggle_favourite(ctx: AppContext, code: str) -> bool:
    """Mark or unmark ``code`` as the signed-in person's favourite; returns whether it is one now."""
    item = item_of(ctx, code)
    user, now = ctx.session.user, ctx.clock()

    def write(db: sqlite_utils.Database) -> bool:
        on = not item_prefs.is_favourite(db, user, item.code)
        item_prefs.set_favourite(db, user, item.code, on, now)
        return on

    return ctx.store.write(write)


def note_used(ctx: AppContext, code: str) -> None:
    """The signed-in person has received a case of ``code``: it heads their recent items."""
    item = item_of(ctx, code)
    user, now = ctx.session.user, ctx.clock()
    ctx.store.write(lambda db: item_prefs.note_used(db, user, item.code, now))


def item_of(ctx: AppContext, code: str) -> CatalogItem:
    item = ctx.catalog.get(code.strip().upper())
    if item is None:
        raise UserError("事项目录中没有编码为“{code}”的事项，请先同步事项目录或检查编码", code=code.strip()[:40],
                        log=f"unknown item code {code!r}")
    return item


def _known(ctx: AppContext, codes: list[str]) -> list[ItemSummary]:
    items = (ctx.catalog.get(c) for c in codes)
    return [ItemSummary.of(i) for i in items if i is not None]


@dataclass(frozen=True, slots=True)
class GuideMaterial:
    """One line of the checklist."""

    name: str
    required: bool
    form: str
    copies: int
    electronic: bool
    note: str


@dataclass(frozen=True, slots=True)
class ItemGuide:
    """An item's guide (办事指南) as of a day: what the counter tells the applicant."""

    code: str
    impl_code: str
    name: str
    item_type: str
    tier: str
    tier_label: str
    department: str
    conditions: str
    legal_basis: str
    legal_days: int
    promised_days: int
    #: a 即办件: settled on the spot
    immediate: bool
    #: the day the guide was made for ("if accepted today")
    accepted_on: dt.date
    #: the promised deadline if accepted on ``accepted_on``
    deadline: dt.date
    #: True when the deadline was counted through a year whose holidays are not known yet
    provisional: bool
    charged: bool
    fee_amount: str
    fee_basis: str
    consult_phone: str
    complaint_phone: str
    result_name: str
    process: tuple[str, ...]
    materials: tuple[GuideMaterial, ...]
    #: 告知承诺: approved on the applicant's written promise, the paper checked within ``check_days`` working days
    commitment: bool = False
    check_days: int = 0

    @property
    def required_count(self) -> int:
        return sum(1 for m in self.materials if m.required)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["accepted_on"] = self.accepted_on.isoformat()
        data["deadline"] = {"date": self.deadline.isoformat(), "provisional": self.provisional}
        del data["provisional"]
        data["fee"] = {"charged": self.charged, "amount": self.fee_amount, "basis": self.fee_basis}
        for key in ("charged", "fee_amount", "fee_basis"):
            del data[key]
        data["process"] = list(self.process)
        return data


def guide(ctx: AppContext, code: str) -> ItemGuide:
    """The guide of ``code`` for a case accepted today (the deadline by the unit's calendar)."""
    item = item_of(ctx, code)
    today = ctx.today()
    due = compute_deadline(ctx.calendar, today, item.promised_days)
    return ItemGuide(
        code=item.code, impl_code=item.impl_code, name=item.name, item_type=item.item_type,
        tier=item.tier.value, tier_label=item.tier.label, department=item.department,
        conditions=item.conditions, legal_basis=item.legal_basis, legal_days=item.legal_days,
        promised_days=item.promised_days, immediate=item.immediate, accepted_on=today,
        deadline=due.due, provisional=due.provisional, charged=item.fee.charged,
        fee_amount=item.fee.amount if item.fee.charged else "不收费", fee_basis=item.fee.basis,
        consult_phone=item.consult_phone, complaint_phone=item.complaint_phone, result_name=item.result_name,
        process=item.process,
        materials=tuple(GuideMaterial(m.name, m.required, m.form, m.copies, m.electronic, m.note)
                        for m in item.materials),
        commitment=item.commitment,
        check_days=int(ctx.settings.get("commitment.check_days")) if item.commitment else 0,
    )
