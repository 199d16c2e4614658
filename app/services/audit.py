"""Looking at personal data leaves a trace: opening a case, viewing a page, exporting, printing, reading a card.

Each look is a view event by the signed-in person (:mod:`app.store.views`), written in its own
transaction before the data is handed over, and sent to the platform with the next sync. A
supervisor (效能监察) lists who looked at a case: here, and at every unit through the platform.
"""

from __future__ import annotations

import logging
from typing import Any

from app.core import permissions
from app.core.errors import NotFound, UserError
from app.services.context import AppContext
from app.services.queries import show_case
from app.store import cases, views

log = logging.getLogger("services.audit")


def record(ctx: AppContext, what: str, case_id: str | None, **detail: Any) -> None:
    """Write one view event by the signed-in person (what: a key of ``views.WHAT``)."""
    s = ctx.session
    event = views.View(id=ctx.new_id(), case_id=case_id, actor=s.user, at=ctx.clock().isoformat(), what=what,
                       detail={"name": s.name, "role": s.role, "device": s.device, **detail})
    ctx.store.write(lambda db: views.append(db, event))


def open_case(ctx: AppContext, ref: str) -> dict[str, Any]:
    """A case's detail for the person looking at it (the look is recorded first)."""
    case = show_case(ctx, ref)
    record(ctx, "open_case", case["id"], case_no=case["case_no"])
    return case


def view_page(ctx: AppContext, case_id: str, material: str, page: int, sha256: str) -> bytes:
    """The plaintext of one stored page of a case, for the viewer (the look is recorded first)."""
    record(ctx, "view_page", case_id, material=material, page=page)
    return ctx.store.blobs.read(sha256)


def _may_list(ctx: AppContext) -> None:
    why = permissions.why_not_granted(permissions.parse_role(ctx.session.role), permissions.Permission.LIST_VIEWERS)
    if why:
        raise UserError(why, log=f"{ctx.session.user} ({ctx.session.role}) may not list viewers")


def viewers(ctx: AppContext, ref: str) -> list[dict[str, Any]]:
    """Who looked at case ``ref`` on this PC, oldest first (for the supervisor)."""
    _may_list(ctx)
    db = ctx.store.reader()
    row = cases.find_case(db, ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=ref, log=f"no case {ref!r}")
    return [{"id": v.id, "actor": v.actor, "actor_name": str(v.detail.get("name") or v.actor),
             "role": str(v.detail.get("role") or ""), "at": v.at, "what": v.what,
             "what_label": views.WHAT[v.what], "unit": ctx.settings.get("unit.org")}
            for v in views.of_case(db, row["id"])]


def viewers_everywhere(ctx: AppContext, ref: str) -> list[dict[str, Any]]:
    """Who looked at case ``ref`` at every unit, as the platform has it (this PC's looks once synced)."""
    from app.services import sync_run  # a sync client only for this question
    from app.sync.platform_api import PlatformApi

    _may_list(ctx)
    row = cases.find_case(ctx.store.reader(), ref)
    if row is None:
        raise NotFound("找不到办件“{ref}”，请核对受理编号", ref=ref, log=f"no case {ref!r}")
    with sync_run.make_client(ctx) as client:
        seen = PlatformApi(client).case_views(row["id"])
    return [{**v, "what_label": views.WHAT.get(v["what"], v["what"])} for v in seen]
