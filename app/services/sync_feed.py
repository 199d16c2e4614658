"""Applying the platform's change feed to the local store, one page per transaction.

Each page is written together with its cursor, so a crash between pages re-reads at most
one page, and re-applying an entry changes nothing (actions are matched by their UUID).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from app.core.applicants import identifier, parse_applicant
from app.core.catalog import Catalog, parse_catalog
from app.core.chain import GENESIS
from app.core.lifecycle import Action, ActionType, Status
from app.core.workcal import DayOverride
from app.services.case_actions import reproject
from app.services.context import AppContext, calendar_from
from app.store import actions, cases, meta, sync_state

log = logging.getLogger("services.feed")


@dataclass
class PageEffects:
    """What a page changed beyond rows: the window refreshes these."""

    entries: int = 0
    catalog: Catalog | None = None
    calendar_changed: bool = False
    cases: set[str] = field(default_factory=set)


def _action_of(body: dict[str, Any]) -> Action:
    return Action(id=body["id"], case_id=body["case_id"], type=ActionType(body["type"]), actor=body["actor"],
                  at=dt.datetime.fromisoformat(body["at"]), payload=body["payload"])


def _mark_absent(ctx: AppContext, db: sqlite_utils.Database, records: list[cases.MaterialRecord]) -> None:
    """Blobs the case names that are not here yet: the downloader fetches them from the platform."""
    hashes = {r.pdf_sha256 for r in records} | {p.sha256 for r in records for p in r.pages}
    for h in sorted(hashes):
        if not ctx.store.blobs.has(h):
            db.execute("UPDATE blobs SET present = 0, on_platform = 1 WHERE sha256 = ?", [h])


def _ingest_action(ctx: AppContext, db: sqlite_utils.Database, body: dict[str, Any], *,
                   amend: bool = True) -> None:
    """Append an action from the feed; ``amend=False`` when the case's materials are already current."""
    known = sync_state.action_state(db, body["id"])
    if known is None:
        row = cases.find_case(db, body["case_id"])
        if row is None:
            log.warning("feed action %s for unknown case %s skipped", body["id"], body["case_id"])
            return
        prev_hash = row["head_hash"] if row["head_seq"] else GENESIS
        seq, digest = actions.append(db, _action_of(body), row["head_seq"], prev_hash)
        db.execute("UPDATE cases SET head_seq = ?, head_hash = ? WHERE id = ?", [seq, digest, row["id"]])
        if amend and body["type"] == ActionType.AMEND_MATERIALS:
            # Another window of the unit amended the materials: take its list as it stands.
            records = [cases.MaterialRecord.from_dict(m) for m in body["payload"]["materials"]]
            cases.replace_materials(db, row["id"], records, body.get("received_at") or body["at"])
            _mark_absent(ctx, db, records)
    sync_state.set_result(db, body["id"], "accepted", body["seq"], body.get("received_at"))


def _ingest_case(ctx: AppContext, db: sqlite_utils.Database, body: dict[str, Any]) -> None:
    if cases.find_case(db, body["id"]) is None:
        env, receive = body["envelope"], body["actions"][0]
        applicant = parse_applicant(env["applicant"], ctx.today())
        records = [cases.MaterialRecord.from_dict(m) for m in env["materials"]]
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


def apply_page(ctx: AppContext, db: sqlite_utils.Database, entries: list[dict[str, Any]],
               cursor: int) -> PageEffects:
    """Write one feed page and its cursor (inside the writer's transaction)."""
    effects = PageEffects(entries=len(entries))
    for entry in entries:
        kind, body = entry["kind"], entry["body"]
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
            effects.cases.add(body["id"])
        elif kind == "action":
            _ingest_action(ctx, db, body)
            effects.cases.add(body["case_id"])
        else:
            log.warning("unknown feed entry kind %r skipped", kind)
    if effects.calendar_changed:
        # Newly published years can turn provisional deadlines into final ones.
        ctx.calendar = calendar_from(db)
        running = [str(s) for s in Status if s.clock_running]
        marks = ",".join("?" * len(running))
        effects.cases.update(r[0] for r in db.execute(
            f"SELECT id FROM cases WHERE accepted_on IS NOT NULL AND status IN ({marks})", running).fetchall())
    for case_id in sorted(effects.cases):
        reproject(ctx, db, case_id)
    sync_state.set_meta(db, "cursor", cursor)
    return effects


