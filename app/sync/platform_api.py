"""The platform's endpoints as typed calls: paths and wire format live here and nowhere else.

Each method checks the reply into the dataclasses below; a reply that does not fit raises
:class:`~app.sync.client.PlatformError` («市级平台返回了无法识别的数据…») before any of it
reaches the store. Feed entry *bodies* stay dictionaries: each is checked when it is applied,
so one bad entry is set aside without stopping the page (see ``services/sync_feed.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from app.core.errors import UserError
from app.core.licence_ids import parse
from app.core.monthly_figures import MonthlyFigures
from app.core.supervision import SupervisionLists
from app.store.ledger import Recorded
from app.sync import wire
from app.sync.client import PlatformClient, PlatformError
from app.sync.supervision_reply import parse_lists

#: a page of the feed holds at most this many entries; its body at most FEED_CAP bytes
FEED_LIMIT = 200
FEED_CAP = 16 << 20
PUSH_CAP = 2 << 20
#: a case's batch is at most this many actions (a case has a few dozen at most)
MAX_BATCH = 500

ResultKind = Literal["accepted", "duplicate", "refused", "retry"]


@dataclass(frozen=True, slots=True)
class ActionReply:
    """The platform's answer to one pushed action."""

    id: str
    result: ResultKind
    seq: int | None
    received_at: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of the change feed; ``body`` is checked when applied (one that does not fit is set aside)."""

    seq: int
    kind: str
    body: Any


@dataclass(frozen=True, slots=True)
class FeedPage:
    entries: Sequence[FeedEntry]
    cursor: int
    more: bool


@dataclass(frozen=True, slots=True)
class ChainPage:
    links: Sequence[Recorded]
    cursor: int
    more: bool


CHAIN_LIMIT = 500
#: the most licences one holder's answer may list (the platform cuts off at the same number)
HELD_LIMIT = 200
#: the largest licence PDF fetched for reuse (a sealed one-page licence is far smaller)
LICENCE_PDF_CAP = 8 << 20


@dataclass(frozen=True, slots=True)
class HeldLicence:
    """One valid licence the library says a holder holds (checked at the edge)."""

    id: str
    type_code: str
    name: str
    kind: str
    issuer_name: str
    valid_from: str
    valid_until: str | None
    sha256: str


@contextmanager
def _checked(where: str) -> Iterator[None]:
    """Turns a WireError raised while reading ``where`` into a PlatformError."""
    try:
        yield
    except wire.WireError as e:
        raise PlatformError(f"{where}: {e}") from None


class PlatformApi:
    """The sync endpoints of one platform, through one client (and its budget)."""

    def __init__(self, client: PlatformClient) -> None:
        self.client = client

    def missing(self, hashes: Iterable[str]) -> set[str]:
        """Which of ``hashes`` the platform wants uploaded (anything else it names is ignored)."""
        asked = list(hashes)
        body = self.client.post_json("/api/v1/blobs/missing", {"hashes": asked})
        with _checked("blobs/missing"):
            named = wire.items(wire.obj(body, "reply").get("missing"), "missing", max_items=len(asked))
            return {wire.sha256(h, f"missing[{i}]") for i, h in enumerate(named)} & set(asked)

    def push(self, actions: Sequence[Mapping[str, Any]]) -> list[ActionReply]:
        """Send one case's actions; returns the answers to the actions sent, in the order sent.

        An answer for an action we did not send is ignored (and logged by the caller); an
        action without an answer stays pending.
        """
        body = self.client.post_json("/api/v1/actions", {"actions": list(actions)}, cap=PUSH_CAP)
        sent = [str(a["id"]) for a in actions]
        with _checked("actions"):
            results = wire.items(wire.obj(body, "reply").get("results"), "results", max_items=MAX_BATCH)
            answers: dict[str, ActionReply] = {}
            for i, raw in enumerate(results):
                answer = _action_reply(wire.obj(raw, f"results[{i}]"), f"results[{i}]")
                if answer.id in sent and answer.id not in answers:
                    answers[answer.id] = answer
        return [answers[i] for i in sent if i in answers]

    def feed(self, after: int) -> FeedPage:
        body = self.client.get_json("/api/v1/feed", after=after, limit=FEED_LIMIT, cap=FEED_CAP)
        with _checked("feed"):
            page = wire.obj(body, "feed")
            raw = wire.items(page.get("entries"), "entries", max_items=FEED_LIMIT)
            entries = []
            for i, e in enumerate(raw):
                entry = wire.obj(e, f"entries[{i}]")
                entries.append(FeedEntry(seq=wire.number_field(entry, "seq", f"entries[{i}]"),
                                         kind=wire.text(entry, "kind", f"entries[{i}]", max_len=32),
                                         body=entry.get("body")))
            cursor = wire.number_field(page, "cursor", "feed")
            more = wire.flag(page, "more", "feed")
        if any(e.seq <= after or e.seq > cursor for e in entries) or [e.seq for e in entries] != sorted(
                {e.seq for e in entries}):
            raise PlatformError(f"feed after {after}: entries out of order or beyond cursor {cursor}")
        if more and cursor <= after:
            # "more" that does not move the cursor would be read again forever
            raise PlatformError(f"feed after {after}: more=true but cursor {cursor} did not advance")
        return FeedPage(entries, cursor, more)


    def send_views(self, events: Sequence[Mapping[str, Any]]) -> list[ViewReply]:
        """Send view events; one answer per event, in order, for exactly the events sent."""
        body = self.client.post_json("/api/v1/views", {"views": list(events)})
        with _checked("views"):
            results = wire.items(wire.obj(body, "views").get("results"), "results", max_items=len(events))
            replies = [_view_reply(raw, f"results[{i}]") for i, raw in enumerate(results)]
        if [r.id for r in replies] != [str(e["id"]) for e in events]:
            raise PlatformError("view answers do not match the events sent")
        return replies

    def case_views(self, case_id: str) -> list[dict[str, str]]:
        """Who looked at a case, at every unit, as the platform recorded it."""
        body = self.client.get_json(f"/api/v1/cases/{case_id}/views", cap=FEED_CAP)
        out = []
        with _checked("case views"):
            for i, raw in enumerate(wire.items(wire.obj(body, "views").get("views"), "views", max_items=5000)):
                r, where = wire.obj(raw, f"views[{i}]"), f"views[{i}]"
                out.append({k: wire.text(r, k, where, max_len=200)
                            for k in ("id", "unit", "actor", "actor_name", "role", "at", "what")})
        return out

    def held_licences(self, holder: str) -> list[HeldLicence]:
        """The valid licences the library holds for ``holder`` (ID number or credit code)."""
        body = self.client.get_json("/api/v1/licences", holder=holder)
        out = []
        with _checked("licences"):
            reply = wire.obj(body, "licences")
            for i, raw in enumerate(wire.items(reply.get("licences"), "licences", max_items=HELD_LIMIT)):
                r, where = wire.obj(raw, f"licences[{i}]"), f"licences[{i}]"
                try:
                    lid = str(parse(r.get("id")))
                except UserError:
                    raise wire.WireError(f"{where}.id is not a licence identifier") from None
                out.append(HeldLicence(
                    id=lid, type_code=wire.text(r, "type_code", where, max_len=21),
                    name=wire.text(r, "name", where, max_len=100), kind=wire.text(r, "kind", where, max_len=16),
                    issuer_name=wire.text(r, "issuer_name", where, max_len=100),
                    valid_from=wire.text(r, "valid_from", where, max_len=10),
                    valid_until=wire.optional_text(r, "valid_until", where, max_len=10),
                    sha256=wire.sha256(r.get("sha256"), f"{where}.sha256")))
        return out

    def licence_pdf(self, licence_id: str, holder: str) -> bytes | None:
        """The PDF of a licence ``holder`` holds; None if the library no longer offers it."""
        reply = self.client.request("GET", f"/api/v1/licences/{licence_id}/pdf", params={"holder": holder},
                                    ok=(404,), cap=LICENCE_PDF_CAP)
        return None if reply.status == 404 else reply.body

    def supervision_lists(self, on: dt.date, yellow_days: int) -> SupervisionLists:
        """The supervisor's lists of this unit and its child units on ``on`` (效能监察)."""
        body = self.client.get_json("/api/v1/supervision/lists", on=on.isoformat(), yellow_days=yellow_days,
                                    cap=FEED_CAP)
        with _checked("supervision lists"):
            return parse_lists(body)

    def figures(self, month: str, unit: str = "") -> MonthlyFigures:
        """The month's figures of the unit signed in (or ``unit`` below it) and the units below (月报)."""
        params = {"month": month, **({"unit": unit} if unit else {})}
        body = self.client.get_json("/api/v1/figures", cap=FEED_CAP, **params)
        try:
            return MonthlyFigures.from_dict(body)
        except ValueError as e:
            raise PlatformError(f"figures: {e}") from None

    def chain(self, installation: str, after: int) -> ChainPage:
        """One page of the links this installation sent with its accepted actions, by ledger number."""
        body = self.client.get_json("/api/v1/chain", installation=installation, after=after, limit=CHAIN_LIMIT,
                                    cap=FEED_CAP)
        with _checked("chain"):
            page = wire.obj(body, "chain")
            links = []
            for i, raw in enumerate(wire.items(page.get("links"), "links", max_items=CHAIN_LIMIT)):
                r, where = wire.obj(raw, f"links[{i}]"), f"links[{i}]"
                links.append(Recorded(
                    action_id=wire.text(r, "action_id", where, max_len=64), case_id=wire.text(r, "case_id", where,
                                                                                              max_len=64),
                    seq=wire.number_field(r, "seq", where, lo=1), hash=wire.sha256(r.get("hash"), f"{where}.hash"),
                    gseq=wire.number_field(r, "gseq", where, lo=1),
                    ghash=wire.sha256(r.get("ghash"), f"{where}.ghash")))
            cursor, more = wire.number_field(page, "cursor", "chain"), wire.flag(page, "more", "chain")
        if any(x.gseq <= after or x.gseq > cursor for x in links) or (more and cursor <= after):
            raise PlatformError(f"chain after {after}: links out of order or a cursor that does not move")
        return ChainPage(links, cursor, more)


@dataclass(frozen=True, slots=True)
class ViewReply:
    """The platform's answer to one view event sent."""

    id: str
    result: str
    reason: str


def _view_reply(raw: Any, where: str) -> ViewReply:
    r = wire.obj(raw, where)
    result = wire.text(r, "result", where, max_len=16)
    if result not in ("accepted", "duplicate", "refused"):
        raise wire.WireError(f"{where}.result: unknown {result[:20]!r}")
    reason = r.get("reason") or ""
    return ViewReply(wire.text(r, "id", where, max_len=64), result, str(reason)[:500])


def _action_reply(raw: Mapping[str, Any], where: str) -> ActionReply:
    result = wire.text(raw, "result", where, max_len=16)
    if result not in ("accepted", "duplicate", "refused", "retry"):
        raise wire.WireError(f"{where}.result: unknown {result[:20]!r}")
    seq = received = None
    if result in ("accepted", "duplicate"):
        seq = wire.number_field(raw, "seq", where, lo=1)
        received = wire.timestamp(raw, "received_at", where)
    elif raw.get("received_at") is not None:
        received = wire.timestamp(raw, "received_at", where)
    reason = ""
    if result == "refused":
        reason = wire.text(raw, "reason", where, max_len=500, default="") or "平台未说明理由"
    return ActionReply(id=wire.text(raw, "id", where, max_len=64), result=result,  # type: ignore[arg-type]
                       seq=seq, received_at=received, reason=reason)
