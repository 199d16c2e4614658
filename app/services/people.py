"""The unit's people as the platform keeps them: marking an A post (主岗) away so the B post (备岗) acts."""

from __future__ import annotations

from typing import Any

from app.services import sync_run
from app.services.context import AppContext
from app.sync import wire
from app.sync.client import PlatformError


def mark_away(ctx: AppContext, user: str | None, away: bool) -> dict[str, Any]:
    """Mark ``user`` (default: the signed-in person) away or back; the platform decides who may."""
    target = user or ctx.session.user
    with sync_run.make_client(ctx) as client:
        body = client.post_json(f"/api/v1/users/{target}/away", {"away": away})
    try:
        reply = wire.obj(body, "away")
        return {"user": wire.text(reply, "user", "away", max_len=64), "away": wire.flag(reply, "away", "away")}
    except wire.WireError as e:
        raise PlatformError(f"away reply: {e}") from None
