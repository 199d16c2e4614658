"""The change feed: one ordered log per platform; each unit reads the entries meant for it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from city_platform.models import FeedEntry


def publish(session: Session, kind: str, audience: str | None, case_id: str | None, body: dict[str, Any]) -> None:
    """Append an entry for one unit (or every unit when ``audience`` is None)."""
    session.add(FeedEntry(audience=audience, kind=kind, case_id=case_id,
                          body=json.dumps(body, ensure_ascii=False, sort_keys=True)))
    session.flush()


def read(session: Session, unit: str, after: int, limit: int) -> tuple[list[FeedEntry], bool]:
    """Entries after ``after`` for ``unit``, oldest first, and whether more are waiting."""
    rows = list(session.scalars(
        select(FeedEntry)
        .where(FeedEntry.seq > after, or_(FeedEntry.audience.is_(None), FeedEntry.audience == unit))
        .order_by(FeedEntry.seq)
        .limit(limit + 1)
    ))
    return rows[:limit], len(rows) > limit
