"""月报: the monthly figures of this unit, computed here from the store (offline), or of a unit and
the units below it as the platform computes them. The window and ``python -m app figures`` use these."""

from __future__ import annotations

import logging

from app.core.monthly_figures import Month, MonthlyFigures, compute
from app.services.context import AppContext
from app.store import figures as stored
from app.store import sync_state

log = logging.getLogger("services.figures")


def unit_name(ctx: AppContext, code: str) -> str:
    db = ctx.store.reader()
    known = sync_state.unit(db, code)
    if known is not None:
        return str(known["name"])
    return str(ctx.settings.get("unit.name") or "") if code == ctx.settings.get("unit.org") else ""


def local(ctx: AppContext, month: str) -> MonthlyFigures:
    """This unit's figures for ``month`` (``YYYY-MM``) from the cases on this PC (UserError for a bad month).

    What this window did offline counts already; what the platform refused does not.
    """
    wanted = Month.parse(month)
    org = ctx.settings.get("unit.org")
    figures = compute(stored.case_records(ctx.store.reader(), str(wanted)), wanted, [org], ctx.calendar,
                      {org: unit_name(ctx, org)})
    log.info("figures of %s for %s computed here", org, wanted)
    return figures


def from_platform(ctx: AppContext, month: str, unit: str = "") -> MonthlyFigures:
    """The figures of this unit (or ``unit`` below it) and of each unit below, as the platform has them."""
    from app.services import sync_run  # a platform client only for this question
    from app.sync.platform_api import PlatformApi

    wanted = Month.parse(month)
    with sync_run.make_client(ctx) as client:
        return PlatformApi(client).figures(str(wanted), unit.strip().upper())


def units_below(ctx: AppContext) -> list[tuple[str, str]]:
    """(code, name) of this unit and the units below it that the platform told this PC about."""
    return stored.units_below(ctx.store.reader(), ctx.settings.get("unit.org"))
