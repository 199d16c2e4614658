"""Which actions a sync run sends: the signed-in person's, case by case, however many of somebody
else's wait ahead of them (the platform takes an action only from the person who took it)."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from app.core.lifecycle import ActionType
from app.services import case_desk
from app.services.context import AppContext
from app.services.intake import MaterialInput, new_case
from app.store import sync_state
from tests.conftest import PERSON
from tests.support import cases, folders


def _answered(ctx: AppContext, case_id: str) -> None:
    """The platform has taken every action of the case sent so far."""
    def write(w: sqlite_utils.Database) -> None:
        for n, row in enumerate(sync_state.pending_actions(w, ctx.session.user)):
            if row["case_id"] == case_id:
                sync_state.set_result(w, row["id"], "accepted", n + 1, "2026-12-07T09:00:00+08:00")
    ctx.store.write(write)


def test_a_backlog_of_the_clerks_never_hides_the_reviewers_action(ctx: AppContext, pages: dict[str, Path]) -> None:
    materials = [MaterialInput(n, (pages["text"],)) for n in cases.REQUIRED[cases.ITEM]]
    made = [new_case(ctx, cases.ITEM, PERSON, materials).id for _ in range(3)]
    for case_id in made:
        case_desk.take(ctx, case_id, ActionType.ACCEPT)
    # The newest case went up; its review starts on this PC while the clerk's older two still wait.
    _answered(ctx, made[2])
    reviewer = folders.as_role(ctx, "reviewer")
    case_desk.take(reviewer, made[2], ActionType.START_REVIEW)

    db = ctx.store.reader()
    # However small the run's limit, the reviewer's action is what their run sends: the clerk's
    # older cases wait for the clerk, and are counted as such.
    sent = sync_state.pending_actions(db, reviewer.session.user, limit=1)
    assert [(r["case_id"], r["type"]) for r in sent] == [(made[2], "start_review")]
    assert sync_state.waiting_for_others(db, reviewer.session.user) == 2
    # The clerk's run sends the clerk's two cases, oldest first, and leaves the reviewer's alone.
    mine = sync_state.pending_actions(db, ctx.session.user)
    assert [(r["case_id"], r["type"]) for r in mine] == [(made[0], "receive"), (made[0], "accept"),
                                                         (made[1], "receive"), (made[1], "accept")]
    assert sync_state.waiting_for_others(db, ctx.session.user) == 1
