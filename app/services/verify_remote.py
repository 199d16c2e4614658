"""``verify --against-platform``: this installation's history checked against what the platform kept.

Every action the platform accepted came with its links in this installation's chains (its
seq and hash in its case, its place in the ledger); the platform keeps them. A history
rewritten on this PC, tail, case head and ledger together, verifies on its own but no longer
matches those links. Only the links of this installation are asked for: another window of
the unit chains the same actions differently.
"""

from __future__ import annotations

import logging

from app.services import sync_run
from app.services.context import AppContext
from app.store import ledger
from app.store.actions import ChainBreak
from app.sync.budget import RunBudget
from app.sync.platform_api import PlatformApi

log = logging.getLogger("services.verify")
#: far more pages than any installation fills (500 links each); a platform that pages for ever stops here
MAX_PAGES = 20_000


def against_platform(ctx: AppContext) -> list[ChainBreak]:
    """What the platform recorded that this database no longer holds as it was."""
    db = ctx.store.reader()
    installation = ledger.installation(db)
    recorded: list[ledger.Recorded] = []  # what the platform kept, as checked at the edge
    budget = RunBudget(requests=MAX_PAGES + 10, seconds=3600.0, waiting=120.0)
    with sync_run.make_client(ctx, budget=budget) as client:
        api, after = PlatformApi(client), 0
        for _ in range(MAX_PAGES):
            page = api.chain(installation, after)
            recorded += page.links
            after = page.cursor
            if not page.more:
                break
    log.info("verify against the platform: %d actions recorded for installation %s", len(recorded), installation)
    return [ChainBreak(m.case_id, m.case_no, m.action_id, m.seq, m.reason) for m in ledger.against(db, recorded)]
