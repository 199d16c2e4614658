"""The cases of this window's store as the monthly figures (月报) read them: every case with the
actions that count, in the order that counts (see :func:`app.store.sync_state.effective_actions`)."""

from __future__ import annotations

from itertools import groupby

import sqlite_utils

from app.core.lifecycle import ActionType
from app.core.monthly_figures import CaseRecord, units_in
from app.store.actions import row_to_action


def case_records(db: sqlite_utils.Database, month: str) -> list[CaseRecord]:
    """The cases with an action in ``month`` (``YYYY-MM``; an action's time is kept in ISO form, its own
    date first), each with all its actions the platform accepted (in its order) and this window's still
    waiting. A case whose receipt the platform refused is not on the platform and is left out, as there.
    """
    in_month = "SELECT case_id FROM actions WHERE at LIKE ? || '-%'"
    heads = {r["id"]: r for r in db.query(
        f"SELECT id, org, item_code, item_name FROM cases WHERE id IN ({in_month})", [month])}
    rows = db.query(
        "SELECT a.* FROM actions a JOIN action_sync s ON s.action_id = a.id WHERE s.state != 'refused'"
        f" AND a.case_id IN ({in_month}) ORDER BY a.case_id, s.state = 'pending', s.platform_seq, a.seq", [month])
    out = []
    for case_id, group in groupby(rows, key=lambda r: r["case_id"]):
        actions = [row_to_action(r) for r in group]
        head = heads.get(case_id)
        if head is None or actions[0].type is not ActionType.RECEIVE:
            continue
        out.append(CaseRecord(case_id, head["org"], head["item_code"], head["item_name"], actions))
    return out


def units_below(db: sqlite_utils.Database, top: str) -> list[tuple[str, str]]:
    """(code, name) of ``top`` and the units below it, as the platform last listed the units."""
    rows = list(db.query("SELECT code, name, parent FROM units"))
    codes = units_in([r["code"] for r in rows], {r["code"]: r["parent"] for r in rows}, top)
    names = {r["code"]: r["name"] for r in rows}
    return [(c, names.get(c, "")) for c in codes]
