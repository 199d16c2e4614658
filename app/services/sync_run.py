"""Sync with the city platform: push blobs then actions, pull the feed, fetch forwarded materials.

The window runs :func:`sync_once` in the background and the command line runs it directly;
neither holds any of these rules. Every step is resumable: an interrupted run leaves each
action either answered or pending, each upload at a saved offset, the feed at a committed
cursor, and the next run picks up from there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby, takewhile
from typing import Any

import sqlite_utils

from app.core.catalog import Catalog
from app.core.errors import N_, UserError
from app.core.lifecycle import ActionType
from app.core.workcal import WorkCalendar
from app.services import seal_keys, seal_upgrades
from app.services.case_actions import reproject
from app.services.context import AppContext
from app.services.sync_feed import PageEffects, apply_page, retry_set_aside
from app.store import cases, folder_lock, kill_points, ledger, meta, sync_state, views
from app.sync import probe
from app.sync.budget import BudgetSpent, RunBudget
from app.sync.client import LinkDown, LoginRequired, PlatformBusy, PlatformClient, PlatformRefused
from app.sync.credentials import KeyringTokens, KeyringUnavailable, MemoryTokens, TokenStore
from app.sync.downloads import download
from app.sync.platform_api import MAX_BATCH, ActionReply, PlatformApi
from app.sync.retry import RetryPolicy
from app.sync.uploads import TusUploader, UploadFailed, UploadStats

log = logging.getLogger("services.sync")
PASSWORD_ENV = "CHUANGKOU_PASSWORD"
#: how the window and the command line retry; tests shorten it
DEFAULT_POLICY = RetryPolicy()
#: feed pages read in one run; a feed with more waits for the next run
MAX_PAGES = 50
SYNC_LOCK = "sync.lock"
BUSY = N_("另一个同步正在进行（本机窗口或命令行），请等它结束后再试")


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """What a run is doing now, for the status bar."""

    phase: str  # "upload" | "push" | "pull" | "download"
    label: str
    done: int = 0
    total: int = 0


@dataclass
class SyncReport:
    """What one run did."""

    pushed: int = 0
    pulled: int = 0
    pending: int = 0
    refused: list[dict[str, str]] = field(default_factory=list)
    uploaded: UploadStats = field(default_factory=UploadStats)
    downloaded: int = 0
    #: feed entries set aside (waiting for a fixed platform or a newer client)
    set_aside: int = 0
    #: why the run stopped before it was done (its budget), for the clerk; None when it finished
    note: str | None = None
    #: cases whose next action is another person's: it goes up when that person signs in here
    others: int = 0
    #: view events (who looked at personal data) sent
    views: int = 0
    #: a catalogue or a calendar the platform published: the window puts it in its context
    catalog: Catalog | None = None
    calendar: WorkCalendar | None = None


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status bar shows."""

    configured: bool
    online: bool | None
    pending_cases: int
    pending_bytes: int
    last_success: str | None
    last_error: str | None
    #: feed entries this window could not apply, kept to try again
    set_aside: int = 0
    #: actions the platform refused (their reasons are on the cases)
    refused: int = 0


OnProgress = Callable[[SyncProgress], None]


class SyncCancelled(Exception):
    """Raised by a progress callback to stop a run at the next step (the window is closing).

    Nothing is lost: every step commits as it completes, and an upload cut off mid-way
    resumes at the platform's offset next time.
    """


def token_store(ctx: AppContext) -> TokenStore:
    if ctx.tokens is not None:
        return ctx.tokens
    return KeyringTokens(ctx.settings.get("platform.url"), ctx.settings.get("unit.org"), ctx.session.user)


def make_client(ctx: AppContext, tokens: TokenStore | None = None, **kwargs: Any) -> PlatformClient:
    """A client for the unit's platform; falls back to signing in from CHUANGKOU_PASSWORD."""
    store = tokens or token_store(ctx)
    kwargs.setdefault("policy", DEFAULT_POLICY)
    kwargs.setdefault("ca_bundle", ctx.settings.get("platform.ca_bundle"))
    client = PlatformClient(ctx.settings.get("platform.url"), store, **kwargs)
    try:
        signed_in = store.load() is not None
    except KeyringUnavailable:
        if not os.environ.get(PASSWORD_ENV):
            client.close()
            raise
        store = client.tokens = MemoryTokens()
        signed_in = False
    if not signed_in and os.environ.get(PASSWORD_ENV):
        client.login(ctx.session.user, os.environ[PASSWORD_ENV])
    return client


def record_sign_in(ctx: AppContext, unit: Mapping[str, Any]) -> AppContext:
    """Keep what the platform said at an online sign-in: who signed in, the unit's name and window number.

    Returns the context with those settings (the caller's to use: a context is never changed in place)."""
    values = (("platform.user", ctx.session.user), ("unit.name", str(unit["name"])),
              ("unit.window_no", int(unit["window_no"])))

    def write(db: sqlite_utils.Database) -> None:
        for name, value in values:
            meta.save_setting(db, name, value)

    ctx.store.write(write)
    settings = ctx.settings
    for name, value in values:
        settings = settings.with_value(name, value)
    return dataclasses.replace(ctx, settings=settings)


def logout(ctx: AppContext, tokens: TokenStore | None = None, **kwargs: Any) -> bool:
    """Sign out: the platform ends this sign-in's tokens, and they leave this PC. False if none were kept.

    The tokens are forgotten here even when the platform cannot be reached (they expire there).
    """
    store = tokens or token_store(ctx)
    try:
        if store.load() is None:
            return False
    except KeyringUnavailable:
        return False
    kwargs.setdefault("policy", DEFAULT_POLICY)
    kwargs.setdefault("ca_bundle", ctx.settings.get("platform.ca_bundle"))
    try:
        with PlatformClient(ctx.settings.get("platform.url"), store, **kwargs) as client:
            client.request("POST", "/api/v1/auth/logout", retry=False)
    except (LinkDown, LoginRequired, PlatformRefused) as e:  # already ended there, or unreachable
        log.info("logout: platform not told (%s)", e.log)
    finally:
        store.clear()
    return True


def _envelope(db: sqlite_utils.Database, case_id: str) -> dict[str, Any]:
    row = cases.find_case(db, case_id)
    assert row is not None
    return {
        "case_no": row["case_no"], "item_code": row["item_code"], "item_name": row["item_name"],
        "applicant": cases.applicant_of(db, row["applicant_id"]),
        "materials": cases.materials_of(db, case_id),
    }


def _wire(row: dict[str, Any], db: sqlite_utils.Database, link: ledger.Link | None) -> dict[str, Any]:
    item: dict[str, Any] = {"id": row["id"], "case_id": row["case_id"], "type": row["type"], "actor": row["actor"],
                            "at": row["at"], "payload": json.loads(row["payload"])}
    by = item["payload"].get("by")
    if isinstance(by, dict):  # who did it, as the platform checks it against the signed-in account
        item.update(actor_name=by.get("name") or row["actor"], role=by.get("role") or None,
                    post=by.get("post") or None, device=by.get("device") or None)
        item = {k: v for k, v in item.items() if v is not None}  # unknown: the platform determines it
    if row["type"] == "receive":
        item["case"] = _envelope(db, row["case_id"])
    if link is not None:
        # Where the action stands in this installation's chains: the platform keeps them, so a
        # history rewritten here later (head and ledger included) no longer matches (verify --against-platform).
        item["chain"] = {"installation": ledger.installation(db), "seq": row["seq"], "hash": row["hash"],
                         "gseq": link.gseq, "ghash": link.hash}
    return item


#: actions the platform takes only once it holds the case's blobs (materials new or amended, notices,
#: the licence handed out at 出件)
_BRINGS_BLOBS = (ActionType.RECEIVE, ActionType.AMEND_MATERIALS, ActionType.NOTICE, ActionType.ISSUE)


def _upload_case_blobs(ctx: AppContext, api: PlatformApi, uploader: TusUploader, case_id: str,
                       label: str, on_progress: OnProgress | None) -> None:
    db = ctx.store.reader()
    blobs = [b for b in sync_state.case_blobs(db, case_id) if not b["on_platform"]]
    if not blobs:
        return
    missing = api.missing(b["sha256"] for b in blobs)
    ctx.store.write(lambda w: sync_state.mark_on_platform(w, [b["sha256"] for b in blobs
                                                              if b["sha256"] not in missing]))
    for b in blobs:
        sha = b["sha256"]
        if sha not in missing:
            continue

        def save(url: str, offset: int, sha: str = sha, size: int = b["size"]) -> None:
            if url:
                ctx.store.write(lambda w: sync_state.save_upload(w, sha, url, size, offset, ctx.clock().isoformat()))
            else:
                ctx.store.write(lambda w: sync_state.forget_upload(w, sha))

        def progress(done: int, total: int) -> None:
            if on_progress:
                on_progress(SyncProgress("upload", label, done, total))

        uploader.upload(sha, ctx.store.blobs.read(sha), sync_state.upload_of(db, sha), save, progress)
        kill_points.reached("sync.blob_uploaded")
        ctx.store.write(partial(sync_state.mark_on_platform, hashes=[sha]))


def push(ctx: AppContext, api: PlatformApi, report: SyncReport, on_progress: OnProgress | None) -> None:
    """Upload what the platform lacks and send pending actions, case by case.

    A case the platform will not take this time (a batch it cannot read, an upload it keeps
    refusing) is skipped with its reason; the cases behind it go on.
    """
    uploader = TusUploader(api.client)
    report.uploaded = uploader.stats
    db = ctx.store.reader()
    report.others = sync_state.waiting_for_others(db, ctx.session.user)
    for case_id, group in groupby(sync_state.pending_actions(db, ctx.session.user), key=lambda r: r["case_id"]):
        # The platform takes an action only from the person who did it: the signed-in person's own
        # actions go up, up to the first one of somebody else's (which waits for them to sign in here).
        rows = list(takewhile(lambda r: r["actor"] == ctx.session.user, list(group)[:MAX_BATCH]))
        case_no = rows[0]["case_no"]
        label = f"办件 {case_no}"
        try:
            if any(r["type"] in _BRINGS_BLOBS for r in rows):
                _upload_case_blobs(ctx, api, uploader, case_id, label, on_progress)
            if on_progress:
                on_progress(SyncProgress("push", label))
            db = ctx.store.reader()
            links = ledger.links(db, [r["id"] for r in rows])
            answers = api.push([_wire(r, db, links.get(r["id"])) for r in rows])
            kill_points.reached("sync.batch_answered")
        except (PlatformRefused, UploadFailed) as e:
            # The platform could not take this case now (a 4xx on its batch, an upload it keeps
            # refusing). Its actions stay pending for next time; the other cases must not wait.
            log.error("platform did not take the actions of %s: %s", case_no, e.log)
            reason = f"平台未接收该办件的操作（{e.message}），将在下次同步时重试，请联系系统管理员"
            report.refused.append({"case_no": case_no, "action": "", "reason": reason})
            continue

        def record(w: sqlite_utils.Database, answers: list[ActionReply] = answers, case_id: str = case_id,
                   case_no: str = case_no) -> None:
            for r in answers:
                if r.result in ("accepted", "duplicate"):
                    sync_state.set_result(w, r.id, "accepted", r.seq, r.received_at)
                    report.pushed += 1
                elif r.result == "refused":
                    sync_state.set_result(w, r.id, "refused", None, r.received_at, r.reason)
                    report.refused.append({"case_no": case_no, "action": r.id, "reason": r.reason})
                    log.warning("platform refused action %s of %s: %s", r.id, case_no, r.reason)
                else:  # retry: its blobs or its case are not there yet; keep the rest of the case back
                    break
            reproject(ctx, w, case_id)

        ctx.store.write(record)


#: view-event batches sent per run; more wait for the next run
MAX_VIEW_BATCHES = 20


def push_views(ctx: AppContext, api: PlatformApi, report: SyncReport) -> None:
    """Send who looked at personal data (the signed-in person's own looks: the platform takes no other)."""
    for _ in range(MAX_VIEW_BATCHES):
        rows = views.unsent(ctx.store.reader(), ctx.session.user)
        if not rows:
            return
        replies = api.send_views([views.as_wire(r) for r in rows])
        for r in replies:
            if r.result == "refused":  # kept here; the platform will not take it, so it is not sent again
                log.warning("platform refused view event %s: %s", r.id, r.reason)
        ctx.store.write(partial(views.mark_sent, ids=[r.id for r in replies]))
        report.views += len(replies)


def pull(ctx: AppContext, api: PlatformApi, report: SyncReport, on_progress: OnProgress | None) -> None:
    """Read the feed page by page, each page committed with its cursor; entries set aside are retried first.

    A new catalogue or calendar is used for the rest of this run and handed back in the report:
    the shared context is the window's to replace, on its own thread.
    """
    def take(effects: PageEffects) -> None:
        nonlocal ctx
        report.pulled += effects.entries
        if effects.catalog is not None:
            ctx = dataclasses.replace(ctx, catalog=effects.catalog)
            report.catalog = effects.catalog
        if effects.calendar is not None:
            ctx = dataclasses.replace(ctx, calendar=effects.calendar)
            report.calendar = effects.calendar

    take(ctx.store.write(lambda w: retry_set_aside(ctx, w)))
    for _ in range(MAX_PAGES):  # a feed that always has more is read on in the next run
        cursor = int(sync_state.get_meta(ctx.store.reader(), "cursor", 0))
        page = api.feed(cursor)
        if page.entries or page.cursor > cursor:
            take(ctx.store.write(lambda w: apply_page(ctx, w, page.entries, page.cursor)))  # noqa: B023
            if on_progress:
                on_progress(SyncProgress("pull", "接收平台变更", report.pulled))
        if not page.more:
            return
    log.info("feed: %d pages read this run, more waiting", MAX_PAGES)


def fetch_materials(ctx: AppContext, client: PlatformClient, report: SyncReport,
                    on_progress: OnProgress | None) -> None:
    """Download the blobs of cases forwarded to this unit, PDFs first, each hash-checked."""
    for b in sync_state.absent_blobs(ctx.store.reader()):
        sha = b["sha256"]
        if ctx.store.blobs.verify(sha):  # downloaded whole by a run that ended before it could say so
            ctx.store.write(partial(sync_state.mark_present, sha256=sha))
            continue

        def progress(done: int, total: int) -> None:
            if on_progress:
                on_progress(SyncProgress("download", "下载上报材料", done, total))

        download(client, sha, b["size"], ctx.store.blobs.partial(sha), progress)
        ctx.store.write(partial(sync_state.mark_present, sha256=sha))
        report.downloaded += 1


def sync_once(ctx: AppContext, client: PlatformClient | None = None,
              on_progress: OnProgress | None = None, *, lock_wait: float = 5.0) -> SyncReport:
    """One full run: push, pull, download, within the run's budget. Records the outcome for the status bar.

    One run at a time per data folder: a second one waits ``lock_wait`` seconds for the first,
    then ends with «另一个同步正在进行». A run that spends its budget ends early without
    an error: what is left is in ``report.note`` and goes on in the next run.
    """
    with folder_lock.exclusive(ctx.data_dir / SYNC_LOCK, wait=lock_wait, message=BUSY):
        return _run(ctx, client, on_progress)


def _run(ctx: AppContext, client: PlatformClient | None, on_progress: OnProgress | None) -> SyncReport:
    report = SyncReport()
    own = client is None
    budget = RunBudget(requests=ctx.settings.get("sync.run_requests"), seconds=ctx.settings.get("sync.run_seconds"))
    try:
        client = client or make_client(ctx, budget=budget)
        api = PlatformApi(client)
        try:
            push(ctx, api, report, on_progress)
            push_views(ctx, api, report)
            seal_keys.before_pull(ctx, client)  # the root before the feed's certificates; a renewal's request
            pull(ctx, api, report, on_progress)
            seal_keys.after_pull(ctx, client)
            fetch_materials(ctx, client, report, on_progress)
            # The link is up: seals made offline get their timestamps, archived files B-LTA; the
            # actions recording them go up now rather than at the next run.
            grown = seal_upgrades.grow_seals(ctx)
            if grown.timestamped or grown.archived:
                push(ctx, api, report, on_progress)
        except BudgetSpent as e:
            log.info("sync: %s", e.log)
            report.note = e.message
    except UserError as e:
        # Unknown, not online, when nothing was asked yet (not signed in, no platform set).
        online = False if isinstance(e, LinkDown) else (True if client is not None and client.answered else None)
        message = e.message
        retry_at = e.retry_at.isoformat() if isinstance(e, PlatformBusy) else None
        ctx.store.write(lambda w: _record(w, ok=False, online=online, error=message, now=ctx.clock().isoformat(),
                                          retry_at=retry_at))
        raise
    finally:
        if own and client is not None:
            client.close()
    ctx.store.write(lambda w: _record(w, ok=True, online=True, error=report.note, now=ctx.clock().isoformat()))
    db = ctx.store.reader()
    report.pending = sync_state.counts(db)[0]
    report.set_aside = len(sync_state.set_aside_summary(db))
    log.info("sync: pushed %d, pulled %d, downloaded %d, refused %d, set aside %d, pending %d", report.pushed,
             report.pulled, report.downloaded, len(report.refused), report.set_aside, report.pending)
    return report


def retry_at(ctx: AppContext) -> dt.datetime | None:
    """When the platform asked us to come back, if that is still ahead (the window waits till then)."""
    value = sync_state.get_meta(ctx.store.reader(), "retry_at")
    if not value:
        return None
    when = dt.datetime.fromisoformat(value)
    return when if when > dt.datetime.now(when.tzinfo) else None


def _record(db: sqlite_utils.Database, *, ok: bool, online: bool | None, error: str | None, now: str,
            retry_at: str | None = None) -> None:
    sync_state.set_meta(db, "online", online)
    sync_state.set_meta(db, "retry_at", retry_at)
    sync_state.set_meta(db, "last_attempt", now)
    if ok:
        sync_state.set_meta(db, "last_success", now)
    sync_state.set_meta(db, "last_error", error)


@dataclass(frozen=True, slots=True)
class QueuedCase:
    """A case in the window's sync queue: what waits to go up, or why the platform refused it."""

    case_id: str
    case_no: str
    item_name: str
    waiting: int
    bytes_waiting: int
    refused: int
    reason: str


def queue(ctx: AppContext) -> list[QueuedCase]:
    """The cases with steps waiting for the platform or refused by it, oldest first."""
    return [QueuedCase(r["id"], r["case_no"], r["item_name"], int(r["waiting"] or 0), int(r["bytes"] or 0),
                       int(r["refused"] or 0), r["reason"] or "") for r in sync_state.queue(ctx.store.reader())]


def check_link(ctx: AppContext) -> SyncStatus:
    """Look whether the platform answers now (a few seconds at most) and record it, then the
    status: between sync runs the window learns of an outage, or its end, within seconds."""
    url = ctx.settings.get("platform.url")
    if url:
        online = probe.platform_answers(url, ctx.settings.get("platform.ca_bundle"))
        if sync_state.get_meta(ctx.store.reader(), "online") != online:
            ctx.store.write(lambda db: sync_state.set_meta(db, "online", online))
            log.info("platform %s", "answers again" if online else "no longer answers")
    return status(ctx)


def status(ctx: AppContext) -> SyncStatus:
    db = ctx.store.reader()
    pending_cases, pending_bytes = sync_state.counts(db)
    return SyncStatus(
        configured=bool(ctx.settings.get("platform.url")), online=sync_state.get_meta(db, "online"),
        pending_cases=pending_cases, pending_bytes=pending_bytes,
        last_success=sync_state.get_meta(db, "last_success"), last_error=sync_state.get_meta(db, "last_error"),
        set_aside=len(sync_state.set_aside_summary(db)), refused=sync_state.refused_count(db))
