"""效能监察: the supervisor's lists, 挂号督办 and 督办回复, for the window and the command line.

The lists come from the platform, for the unit and every unit under it; without the link, from
this window's own cases (what its case list shows), computed with the same rules
(:mod:`app.core.supervision`), and the page says the child units need the link.

A 挂号督办 goes straight to the platform: the case is usually a township's, which this window does
not hold until the platform shares it with the supervising unit on accepting the notice (the next
sync then brings the case and its timeline here). The answer (督办回复) is an ordinary action of
the unit that holds the case, queued and synced like the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from app.core import supervision as rules
from app.core.errors import N_, UserError
from app.core.lifecycle import ActionType, Status
from app.core.paper_checks import as_section
from app.core.permissions import Role, parse_role
from app.core.supervision_notices import check_new_supervise
from app.services import paper_checks, sync_run
from app.services.case_actions import ActionResult, current_state, perform
from app.services.context import AppContext
from app.store import cases, sync_state
from app.sync.client import LinkDown, PlatformBusy
from app.sync.platform_api import PlatformApi

log = logging.getLogger("services.supervision")

OFFLINE_NOTE = N_("未连接市级平台：仅显示本单位的名单，下级单位的名单须连接市级平台后查看")
_CLOCK_STATES = tuple(str(s) for s in Status if s.clock_running)
_LISTED_ACTIONS = (str(ActionType.EVALUATE), str(ActionType.SUPERVISE))


@dataclass(frozen=True, slots=True)
class SupervisionView:
    """The lists, and whether they cover the child units (from the platform) or this unit only."""

    lists: rules.SupervisionLists
    online: bool
    note: str = ""


def _require_supervisor(ctx: AppContext) -> None:
    if parse_role(ctx.session.role) is not Role.SUPERVISOR:
        raise UserError("效能监察名单和挂号督办仅供效能监察人员使用", log=f"{ctx.session.role} asked for supervision")


def _yellow_days(ctx: AppContext) -> int:
    return int(ctx.settings.get("deadline.yellow_days"))


def lists(ctx: AppContext) -> SupervisionView:
    """The supervisor's lists for today: the unit's tree from the platform, or offline this unit's own."""
    _require_supervisor(ctx)
    if ctx.settings.get("platform.url"):
        try:
            with sync_run.make_client(ctx) as client:
                return SupervisionView(PlatformApi(client).supervision_lists(ctx.today(), _yellow_days(ctx)), True)
        except (LinkDown, PlatformBusy) as e:
            log.info("supervision lists offline: %s", e.log)
    return SupervisionView(local_lists(ctx), False, OFFLINE_NOTE)


def local_lists(ctx: AppContext) -> rules.SupervisionLists:
    """The lists over this window's own cases (those its case list shows), on its calendar."""
    db = ctx.store.reader()
    marks = ",".join("?" * len(_CLOCK_STATES))
    ids = [r[0] for r in db.execute(
        f"SELECT id FROM cases WHERE status IN ({marks}) OR id IN (SELECT case_id FROM actions WHERE type IN (?, ?))"
        " ORDER BY case_no LIMIT ?", [*_CLOCK_STATES, *_LISTED_ACTIONS, rules.MAX_LISTED + 1]).fetchall()]
    names: dict[str, str] = {}

    def name(code: str) -> str:
        if code not in names:
            unit = sync_state.unit(db, code)
            names[code] = str(unit["name"]) if unit else code
        return names[code]

    def facts() -> list[rules.CaseFacts]:
        out = []
        for case_id in ids:
            row = cases.find_case(db, case_id)
            assert row is not None
            state = current_state(db, case_id)
            holder = state.holder_or(row["org"])
            for s in state.supervisions:
                name(s.to)
            out.append(rules.CaseFacts(case_id, row["case_no"], row["item_code"], row["item_name"], holder,
                                       name(holder), state))
        return out

    own = ctx.settings.get("unit.org")
    listed = facts()
    checks = paper_checks.open_checks(ctx)
    for check in checks:
        name(check.row.org)
    return rules.watch(listed, ctx.calendar, ctx.today(), _yellow_days(ctx), unit_names=names, units=[name(own)],
                       sections=[as_section(checks, names)])


def default_answer_due(ctx: AppContext, sent_on: dt.date | None = None) -> dt.date:
    """The answer day a notice sent on ``sent_on`` (today) sets by default: N working days later."""
    day, _ = ctx.calendar.add_workdays(sent_on or ctx.today(), int(ctx.settings.get("supervision.answer_days")))
    return day


def supervise(ctx: AppContext, watched: rules.Watched, text: str, answer_due: dt.date | None = None) -> str:
    """Send a 挂号督办 on the red case ``watched`` to the unit holding it; returns the notice's id.

    Needs the link (the case is usually not on this PC); the platform checks the unit tree, the
    holder and that the case is overdue, and refuses with the reason otherwise.
    """
    _require_supervisor(ctx)
    at = ctx.clock()
    payload = {"text": text.strip(), "answer_due": (answer_due or default_answer_due(ctx, at.date())).isoformat(),
               "unit": ctx.settings.get("unit.org"), "to": watched.unit}
    check_new_supervise(payload, at.date())
    action = ctx.action(watched.id, ActionType.SUPERVISE, payload, at=at)
    by = action.payload["by"]
    item = {"id": action.id, "case_id": action.case_id, "type": str(action.type), "actor": action.actor,
            "at": at.isoformat(), "payload": dict(action.payload), "actor_name": by.get("name") or action.actor,
            "role": by.get("role") or None, "device": by.get("device") or None}
    with sync_run.make_client(ctx) as client:
        replies = PlatformApi(client).push([{k: v for k, v in item.items() if v is not None}])
    reply = replies[0] if replies else None
    if reply is None or reply.result not in ("accepted", "duplicate"):
        reason = reply.reason if reply is not None and reply.reason else N_("平台未接收该督办通知，请稍后重试")
        raise UserError(reason, log=f"supervise of {watched.case_no}: {reply.result if reply else 'no answer'}")
    log.info("supervise %s sent on %s to %s", action.id, watched.case_no, watched.unit)
    return action.id


def reply(ctx: AppContext, case_ref: str, supervise_id: str, text: str) -> ActionResult:
    """The holding unit's answer to the 挂号督办 ``supervise_id`` on case ``case_ref`` (queued for sync)."""
    row = cases.find_case(ctx.store.reader(), case_ref)
    if row is not None:
        notice = next((s for s in current_state(ctx.store.reader(), row["id"]).supervisions
                       if s.id == supervise_id), None)
        if notice is not None and notice.to != ctx.settings.get("unit.org"):
            raise UserError("该督办通知不是发给本单位的，须由被督办单位回复", log=f"reply to {supervise_id} elsewhere")
    return perform(ctx, case_ref, ActionType.SUPERVISION_REPLY, {"text": text.strip(), "supervise_id": supervise_id})
