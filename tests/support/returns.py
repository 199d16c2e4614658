"""A higher unit hands a forwarded case back (退回), as its reviewer would on the platform.

The opinion is taken through the real use case by a reviewer of the county the case was
forwarded to (a context of that unit on the same store), so the case row is projected as the
change feed would leave it: in review again, held by the unit that forwarded it.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from app.core.lifecycle import RETURN_RESULT, ActionType, Status
from app.core.session import Session
from app.services import queries
from app.services.case_actions import material_names, perform
from app.services.context import AppContext
from app.store import cases
from tests.support import folders

COUNTY = "450403"  # where the demo data forwards its cases


def county_reviewer(ctx: AppContext, county: str = COUNTY) -> AppContext:
    """``ctx`` as a reviewer of ``county`` (the unit above this one)."""
    session = Session(user="county-reviewer", name="县级审核员", role="reviewer", unit=county,
                      device=ctx.session.device)
    return dataclasses.replace(ctx, settings=ctx.settings.with_value("unit.org", county), session=session)


def return_case(ctx: AppContext, ref: str, text: str, county: str = COUNTY) -> None:
    """The county returns the forwarded case ``ref`` with the opinion ``text``."""
    db = ctx.store.reader()
    row = cases.find_case(db, ref)
    assert row is not None
    first = material_names(db, row["id"])[0]
    perform(county_reviewer(ctx, county), ref, ActionType.OPINION,
            {"result": RETURN_RESULT, "text": text, "returns": [{"material": first, "what": text}]})


RETURN_TEXT = "请补充申请人户籍证明后再报"


def copy_with_a_return(demo_dir: Path, root: Path) -> Path:
    """A copy of the demo folder ``demo_dir`` (which tests only read) under ``root``, in which the
    county has returned one forwarded case with :data:`RETURN_TEXT`."""
    folder = root / "data"
    shutil.copytree(demo_dir, folder)
    ctx = folders.open_signed_in(folder)
    try:
        return_case(ctx, queries.case_ids(ctx, status=str(Status.FORWARDED))[0], RETURN_TEXT)
    finally:
        ctx.close()
    return folder
