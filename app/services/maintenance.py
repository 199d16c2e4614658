"""Housekeeping: removing leftovers of interrupted writes, checking the audit chain, repairing a damaged database."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import UserError
from app.services.context import AppContext, local_now, org_problem
from app.store import actions, cases, recovery
from app.store.crypto import DataKey
from app.store.recovery_report import RecoveryReport

log = logging.getLogger("services.maintenance")


@dataclass(frozen=True, slots=True)
class GarbageReport:
    """What a clean-up did; ``skipped`` when another program had the data folder open."""

    removed: int
    skipped: bool


def collect_garbage(ctx: AppContext) -> GarbageReport:
    """Delete blobs no record refers to (left by a crash between blob write and commit)."""
    with ctx.store.exclusive() as alone:
        if not alone:
            log.info("garbage collection skipped: data folder in use by another process")
            return GarbageReport(0, True)
        removed = ctx.store.blobs.collect_garbage(cases.referenced_blobs(ctx.store.reader()))
        return GarbageReport(len(removed), False)


def verify_chain(ctx: AppContext) -> list[actions.ChainBreak]:
    """Every case whose action chain does not verify, with its first broken link."""
    return actions.verify(ctx.store.reader())


def recover(data_dir: Path, key: DataKey, *, org: str | None = None, platform_url: str | None = None,
            clock: Callable[[], dt.datetime] = local_now) -> RecoveryReport:
    """Repair the database of ``data_dir`` if it is damaged (:mod:`app.store.recovery`).

    ``org`` and ``platform_url`` stand in for settings the damaged file no longer gives up.
    Runs only while no window or other command uses the folder.
    """
    if org:
        problem = org_problem(org)
        if problem:
            raise UserError(problem, log=f"invalid unit code {org!r}")
    return recovery.recover(data_dir, clock(), key, org=org, platform_url=platform_url)
