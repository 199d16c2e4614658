"""Many cases, generated through the real lifecycle rules and written straight into a window's store
(as the window writes its own actions), for the monthly figures' tests: thousands of cases in seconds
rather than thousands of intakes. One real intake per window supplies the material blobs they share."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from app.core.case_numbers import case_no_prefix, make_case_no
from app.core.chain import GENESIS
from app.core.evaluation import LEVELS
from app.core.lifecycle import Action, ActionType, CaseState, apply, start
from app.services.case_actions import current_state, write_action
from app.services.context import AppContext
from app.store import cases

CST = dt.timezone(dt.timedelta(hours=8))
A = ActionType
#: one step of a case: (days after its receipt, hour, who acts by role, action, payload)
Step = tuple[int, int, str, ActionType, dict[str, Any]]


@dataclass(frozen=True)
class Template:
    """What a generated case copies from the window's one real case: item, applicant, materials."""

    item_code: str
    item_name: str
    applicant_id: str
    applicant: dict[str, Any]
    identifier: str
    materials: tuple[cases.MaterialRecord, ...]


def template_of(ctx: AppContext, case_no: str) -> Template:
    db = ctx.store.reader()
    row = cases.find_case(db, case_no)
    assert row is not None
    applicant = cases.applicant_of(db, row["applicant_id"])
    return Template(row["item_code"], row["item_name"], row["applicant_id"], applicant,
                    row["applicant_id"].split(":", 1)[1], tuple(cases.material_records(db, row["id"])))


def plan(rng: random.Random, forward_to: str | None) -> list[Step]:
    """A case's own steps at its receiving unit (forwarded ones stop at 上报: the unit above goes on)."""
    channel = {"channel": "网上"} if rng.random() < 0.25 else {}
    steps: list[Step] = [(0, 9, "clerk", A.RECEIVE, channel)]
    if rng.random() < 0.1:
        return [*steps, (0, 10, "clerk", A.REJECT, {"reason": "不属于本单位受理范围"})]
    steps.append((0, 10, "clerk", A.ACCEPT, {"promised_days": rng.choice((3, 5))}))
    if forward_to is not None and rng.random() < 0.3:
        return [*steps, (1, 9, "clerk", A.FORWARD, {"to": forward_to})]
    day = 0
    if rng.random() < 0.15:
        steps += [(1, 9, "approver", A.SUSPEND, {"reason": "现场踏勘"}), (4, 9, "approver", A.RESUME, {})]
        day = 4
    day += rng.choice((1, 2, 3, 5, 8, 12))  # some decided past their promise: overdue
    return [*steps, *decided_and_after(rng, day)]


def decided_and_after(rng: random.Random, day: int, *, decide: bool = True) -> list[Step]:
    """Decision (unless the unit above decided), 出件, 送达 (a third by post) and often an evaluation."""
    approved = rng.random() < 0.85
    steps: list[Step] = []
    if decide:
        steps.append((day, 15, "approver", A.DECIDE, {"result": "准予"} if approved else
                      {"result": "不予", "text": "不符合受理条件"}))
    if approved:
        method = rng.choice(("邮寄", "窗口自取", "邮寄", "自助终端"))
        detail = {"邮寄": {"tracking": f"SF{rng.randrange(10**9):09d}"},
                  "自助终端": {"pickup_code": f"{rng.randrange(10**6):06d}"}}.get(method, {})
        steps += [(day + 1, 9, "approver", A.ISSUE, {}),
                  (day + 2, 10, "clerk", A.DELIVER, {"method": method, **detail})]
    if rng.random() < 0.6:
        level = rng.choice(LEVELS)
        steps.append((day + 2, 11, "clerk", A.EVALUATE,
                      {"level": level, "reasons": ["办事效率低"] if level in ("不满意", "非常不满意") else []}))
    return steps


def _workday(cal: Any, first: dt.date, n: int) -> dt.date:
    return first if n == 0 else cal.add_workdays(first, n)[0]


def write_steps(ctx: AppContext, db: sqlite_utils.Database, case_id: str, received: dt.date, steps: Sequence[Step],
                users: dict[str, str], state: CaseState | None, head: tuple[int, str]) -> None:
    """Write ``steps`` (each checked by the lifecycle) as this window's own pending actions."""
    for days, hour, role, kind, payload in steps:
        day = _workday(ctx.calendar, received, days)
        at = dt.datetime.combine(day, dt.time(hour), CST)
        body = {**payload, "unit": ctx.settings.get("unit.org")} if kind in (A.FORWARD, A.OPINION) else payload
        action = Action(str(uuid.uuid4()), case_id, kind, users[role], at, body)
        state = start(action) if state is None else apply(state, action)
        head = write_action(ctx, db, action, state, *head)


def generate(ctx: AppContext, template: Template, count: int, first_day: dt.date, span_days: int, seed: int,
             forward_to: str | None, users: dict[str, str]) -> list[str]:
    """``count`` new cases received on working days from ``first_day`` over ``span_days`` working days."""
    rng = random.Random(seed)
    org, window = ctx.settings.get("unit.org"), ctx.settings.get("unit.window_no")
    made = []

    def write(db: sqlite_utils.Database) -> None:
        for _ in range(count):
            received = _workday(ctx.calendar, first_day, rng.randrange(span_days))
            prefix = case_no_prefix(org, received, window)
            case_id = str(uuid.uuid4())
            materials = [dataclasses.replace(m, id=str(uuid.uuid4())) for m in template.materials]
            cases.insert_case(db, case_id=case_id, case_no=make_case_no(prefix, cases.last_sequence(db, prefix) + 1),
                              item_code=template.item_code, item_name=template.item_name, org=org,
                              applicant_id=template.applicant_id, applicant=template.applicant,
                              identifier=template.identifier,
                              received_at=dt.datetime.combine(received, dt.time(9), CST), materials=materials)
            steps = plan(rng, forward_to)
            steps[0][4].update({"item_code": template.item_code, "applicant": template.applicant})
            write_steps(ctx, db, case_id, received, steps, users, None, (0, GENESIS))
            made.append(case_id)

    ctx.store.write(write)
    return made


def go_on(ctx: AppContext, case_ids: Sequence[str], steps_of: Callable[[str, CaseState], list[Step] | None],
          users: dict[str, str]) -> int:
    """Write the next steps of cases this window holds again (or holds now): ``steps_of`` gives them,
    counted from the day of the case's last action; returns how many cases went on."""
    went = 0

    def write(db: sqlite_utils.Database) -> None:
        nonlocal went
        for case_id in case_ids:
            row = cases.find_case(db, case_id)
            assert row is not None
            state = current_state(db, case_id)
            steps = steps_of(case_id, state)
            if not steps:
                continue
            last = db.execute("SELECT MAX(at) FROM actions WHERE case_id = ?", [case_id]).fetchone()[0]
            write_steps(ctx, db, case_id, dt.datetime.fromisoformat(last).date(), steps, users, state,
                        (row["head_seq"], row["head_hash"]))
            went += 1

    ctx.store.write(write)
    return went
