"""Housekeeping: removing leftovers of interrupted writes, and checking the audit chain."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.services.context import AppContext
from app.store import actions, cases

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
