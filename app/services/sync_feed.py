"""Applying the platform's change feed to the local store, one page per transaction.

Each page is written together with its cursor, so a crash between pages re-reads at most
one page, and re-applying an entry changes nothing (actions are matched by their UUID).

Every entry is hostile input and is applied inside its own savepoint: one that does not fit
(a malformed envelope, an invalid applicant, an action for a case this window has not got)
is rolled back and set aside with its reason, visible to the clerk and the log, and the rest
of the page goes on. Set-aside entries are tried again on later runs, oldest first, so a
platform or client fixed later still delivers them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from app.core.applicants import identifier, parse_applicant
from app.core.catalog import Catalog, parse_catalog
from app.core.chain import GENESIS
from app.core.errors import UserError
from app.core.licence_ids import parse as parse_licence_id
from app.core.lifecycle import Action, ActionType, Status
from app.core.notice_kinds import NoticeKind, check_notice_payload
from app.core.workcal import DayOverride, WorkCalendar
from app.services import seal_keys
from app.services.case_actions import reproject
from app.services.context import AppContext, calendar_from
from app.store import actions, cases, kill_points, meta, sqlite, sync_state
from app.sync import wire
from app.sync.platform_api import FeedEntry

log = logging.getLogger("services.feed")
#: set-aside entries tried again per run
RETRY_PER_RUN = 50
#: what a hostile or unexpected entry can raise while it is read and applied; anything else is a bug
ENTRY_FAULTS = (UserError, LookupError, TypeError, ValueError, AttributeError, ArithmeticError,
                sqlite.IntegrityError)


class EntryUnusable(UserError):
    """A feed entry this window cannot apply (yet)."""


@dataclass
class PageEffects:
    """What a page changed beyond rows: the window refreshes these."""

    entries: int = 0
    catalog: Catalog | None = None
    calendar_changed: bool = False
    #: the calendar with the newly published years (when ``calendar_changed``)
    calendar: WorkCalendar | None = None
    cases: set[str] = field(default_factory=set)


def _action_of(body: dict[str, Any]) -> Action:
    where = f"action {str(body.get('id'))[:40]}"
    try:
        wire.number_field(body, "seq", where, lo=1)
        if body.get("received_at") is not None:
            wire.timestamp(body, "received_at", where)
        return Action(id=wire.text(body, "id", where, max_len=64),
                      case_id=wire.text(body, "case_id", where, max_len=64),
                      type=ActionType(wire.text(body, "type", where, max_len=32)),
                      actor=wire.text(body, "actor", where, max_len=200),
                      at=dt.datetime.fromisoformat(wire.timestamp(body, "at", where)),
                      payload=dict(wire.obj(body.get("payload"), f"{where}.payload")))
    except ValueError as e:  # WireError, or a type this client does not know
        raise EntryUnusable("平台发来的办件操作格式不符", log=str(e)) from None


def _records(raw: Any) -> list[cases.MaterialRecord]:
    """Material records from the feed, every hash checked (a hash names a file under blobs/)."""
    try:
        records = [cases.MaterialRecord.from_dict(dict(wire.obj(m, "material")))
                   for m in wire.items(raw, "materials", max_items=200)]
        for r in records:
            wire.sha256(r.pdf_sha256, f"material {r.name[:20]}")
            for p in r.pages:
                wire.sha256(p.sha256, f"page of {r.name[:20]}")
            if r.licence_id is not None:
                # 免证: a licence stands for pages; its identifier is checked as any from outside
                parse_licence_id(r.licence_id)
                if r.pages:
                    raise ValueError(f"material {r.name[:20]} has a licence and pages")
    except (ValueError, UserError) as e:
        raise EntryUnusable("平台发来的材料清单格式不符", log=str(e)) from None
    if not records:
        raise EntryUnusable("平台发来的办件没有材料", log="feed materials list empty")
    return records


def _mark_absent(ctx: AppContext, db: sqlite_utils.Database, records: list[cases.MaterialRecord]) -> None:
    """Blobs the case names that are not here yet: the downloader fetches them from the platform."""
    hashes = {r.pdf_sha256 for r in records} | {p.sha256 for r in records for p in r.pages}
    for h in sorted(hashes):
        if not ctx.store.blobs.has(h):
            db.execute("UPDATE blobs SET present = 0, on_platform = 1 WHERE sha256 = ?", [h])


def _want_sheet(ctx: AppContext, db: sqlite_utils.Database, action: Action) -> None:
    """A review sheet sealed by another level: fetch its copy, so this level can read it and add to it.

    Other notices stay with the unit that issued them; the sheet travels with the case.
    """
    p = action.payload
    if action.type is not ActionType.NOTICE or p.get("kind") != NoticeKind.REVIEW_SHEET:
        return
    check_notice_payload(p)  # hostile: a bad hash or size sets the entry aside
    sealed = p.get("sealed")
    if isinstance(sealed, dict):
        sha, size = str(sealed["pdf_sha256"]), int(sealed["size"])
    elif isinstance(p.get("size"), int) and not isinstance(p["size"], bool) and 0 < p["size"] < 2**40:
        sha, size = str(p["pdf_sha256"]), int(p["size"])  # made by a unit without a seal certificate
    else:
        return
    if ctx.store.blobs.has(sha):
        return
    cases.record_blob(db, sha, size, "application/pdf", ctx.clock().isoformat())
    db.execute("UPDATE blobs SET present = 0, on_platform = 1 WHERE sha256 = ?", [sha])


def _ingest_action(ctx: AppContext, db: sqlite_utils.Database, body: dict[str, Any], *,
                   amend: bool = True) -> None:
    """Append an action from the feed; ``amend=False`` when the case's materials are already current."""
    action = _action_of(body)
    known = sync_state.action_state(db, action.id)
    if known is None:
        row = cases.find_case(db, body["case_id"])
        if row is None:
            raise EntryUnusable("该操作所属的办件尚未接收到本机", log=f"feed action for unknown case {body['case_id']}")
        prev_hash = row["head_hash"] if row["head_seq"] else GENESIS
        seq, digest = actions.append(db, action, row["head_seq"], prev_hash)
        db.execute("UPDATE cases SET head_seq = ?, head_hash = ? WHERE id = ?", [seq, digest, row["id"]])
        _want_sheet(ctx, db, action)
        if amend and body["type"] == ActionType.AMEND_MATERIALS:
            # Another window of the unit amended the materials: take its list as it stands.
            records = _records(body["payload"]["materials"])
            cases.replace_materials(db, row["id"], records, body.get("received_at") or body["at"])
            _mark_absent(ctx, db, records)
    sync_state.set_result(db, body["id"], "accepted", body["seq"], body.get("received_at"))


def _ingest_case(ctx: AppContext, db: sqlite_utils.Database, body: dict[str, Any]) -> None:
    if cases.find_case(db, body["id"]) is None:
        env, receive = body["envelope"], body["actions"][0]
        applicant = parse_applicant(env["applicant"], ctx.today())
        records = _records(env["materials"])
        cases.insert_case(
            db, case_id=body["id"], case_no=env["case_no"], item_code=env["item_code"], item_name=env["item_name"],
            org=body["owner"], applicant_id=f"{applicant.kind}:{identifier(applicant)}",
            applicant=applicant.to_dict(), identifier=identifier(applicant),
            received_at=dt.datetime.fromisoformat(receive["at"]), materials=records,
        )
        _mark_absent(ctx, db, records)
        log.info("case %s arrived from %s", env["case_no"], body["owner"])
    for action in body["actions"]:
        # The envelope carries the materials as the last amendment left them.
        _ingest_action(ctx, db, action, amend=False)


def _save_holidays(db: sqlite_utils.Database, body: dict[str, Any]) -> None:
    days = [DayOverride(dt.date.fromisoformat(d["day"]), d["kind"], d["name"]) for d in body["days"]]
    meta.save_calendar_year(db, int(body["year"]), days, str(body.get("source", "platform")))


def apply_page(ctx: AppContext, db: sqlite_utils.Database, entries: Sequence[FeedEntry],
               cursor: int) -> PageEffects:
    """Write one feed page and its cursor (inside the writer's transaction)."""
    effects = PageEffects(entries=len(entries))
    for entry in entries:
        _apply_guarded(ctx, db, entry.seq, entry.kind, entry.body, effects)
    _finish(ctx, db, effects)
    kill_points.reached("feed.page_applied")
    sync_state.set_meta(db, "cursor", cursor)
    return effects


def retry_set_aside(ctx: AppContext, db: sqlite_utils.Database) -> PageEffects:
    """Try the entries set aside earlier once more (inside the writer's transaction)."""
    effects = PageEffects()
    for row in sync_state.set_aside_entries(db, RETRY_PER_RUN):
        if _apply_guarded(ctx, db, row["seq"], row["kind"], row["body"], effects):
            sync_state.forget_set_aside(db, row["seq"])
            effects.entries += 1
            log.info("feed entry %d (%s) set aside earlier now applied", row["seq"], row["kind"])
    _finish(ctx, db, effects)
    return effects


def _apply_guarded(ctx: AppContext, db: sqlite_utils.Database, seq: int, kind: str, body: Any,
                   effects: PageEffects) -> bool:
    """Apply one entry in a savepoint; on a fault roll it back and set it aside. True if applied."""
    db.execute("SAVEPOINT feed_entry")
    try:
        touched = _apply_entry(ctx, db, kind, body, effects)
    except ENTRY_FAULTS as e:
        db.execute("ROLLBACK TO feed_entry")
        db.execute("RELEASE feed_entry")
        reason = e.message if isinstance(e, UserError) else "平台发来的内容格式不符"
        detail = e.log if isinstance(e, UserError) else f"{type(e).__name__}: {e}"
        log.warning("feed entry %d (%s) set aside: %s", seq, kind, detail)
        case_id = body.get("case_id") or body.get("id") if isinstance(body, dict) else None
        sync_state.set_aside(db, seq, str(kind)[:32], str(case_id)[:64] if case_id else None, body, reason,
                             ctx.clock().isoformat())
        return False
    db.execute("RELEASE feed_entry")
    effects.cases.update(touched)
    return True


def _apply_entry(ctx: AppContext, db: sqlite_utils.Database, kind: str, body: Any,
                 effects: PageEffects) -> set[str]:
    """Apply one entry; returns the cases it touched."""
    if not isinstance(body, dict):
        raise EntryUnusable("平台发来的内容格式不符", log=f"feed body is {type(body).__name__}")
    if kind == "units":
        sync_state.save_units(db, body["units"])
    elif kind == "catalog":
        effects.catalog = parse_catalog(body)
        meta.save_catalog(db, body, ctx.clock())
    elif kind == "holidays":
        _save_holidays(db, body)
        effects.calendar_changed = True
    elif kind == "case":
        _ingest_case(ctx, db, body)
        return {str(body["id"])}
    elif kind == "action":
        _ingest_action(ctx, db, body)
        return {str(body["case_id"])}
    elif kind == "certificate":
        seal_keys.apply_certificate(ctx, db, body)
    elif kind == "crl":
        seal_keys.apply_crl(ctx, db, body)
    else:
        raise EntryUnusable("本机程序版本较旧，无法处理平台发来的新类型变更，请升级后再同步",
                            log=f"unknown feed entry kind {kind!r}")
    return set()


def _finish(ctx: AppContext, db: sqlite_utils.Database, effects: PageEffects) -> None:
    if effects.calendar_changed:
        # Newly published years can turn provisional deadlines into final ones. The context is
        # not changed here (a worker thread): the new calendar goes back to the caller.
        effects.calendar = calendar_from(db)
        ctx = dataclasses.replace(ctx, calendar=effects.calendar)
        running = [str(s) for s in Status if s.clock_running]
        marks = ",".join("?" * len(running))
        effects.cases.update(r[0] for r in db.execute(
            f"SELECT id FROM cases WHERE accepted_on IS NOT NULL AND status IN ({marks})", running).fetchall())
    for case_id in sorted(effects.cases):
        reproject(ctx, db, case_id)


