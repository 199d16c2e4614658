"""Cases generated across a county and two townships for the 效能监察 tests, pushed to a real platform
as each unit's windows would, and windows of those units synced on one fixed "today".

Deadlines fall across the 2026 National Day holiday and weekends; some cases are paused (and some
resumed), some withdrawn, some forwarded up, the rest open or under review.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import httpx

from app.services import sync_run
from app.services.context import AppContext, init_data_dir
from tests.support import folders
from tests.support.platform import COUNTY, OTHER_COUNTY, TOWNSHIP, TOWNSHIP_2, TOWNSHIP_3, PlatformProcess, user_of
from tests.support.platform_api import NewCase, case_number, push_one, token, upload

CST = dt.timezone(dt.timedelta(hours=8))
#: the Monday after the National Day holiday (2026-10-01…07 off; Saturday 10-10 a working day)
TODAY = dt.date(2026, 10, 12)
NOW = dt.datetime(2026, 10, 12, 16, 0, tzinfo=CST)
UNITS = (COUNTY, TOWNSHIP, TOWNSHIP_2)
PARENT = {TOWNSHIP: COUNTY, TOWNSHIP_2: COUNTY, COUNTY: "12450400MB1904001F", TOWNSHIP_3: OTHER_COUNTY}
FATES = ("open", "open", "review", "paused", "resumed", "closed", "forwarded")


def at(day: dt.date, hour: int) -> str:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=CST).isoformat()


@dataclasses.dataclass
class Built:
    """What the generator made: case ids by unit, and one township case known to be overdue."""

    by_unit: dict[str, list[str]]
    red_at_township: str = ""


def build(client: httpx.Client, units: tuple[str, ...], count: int, seed: int) -> Built:
    rng = random.Random(seed)
    toks = {u: {r: token(client, u, r) for r in ("clerk", "reviewer")} for u in units}
    blobs = {}
    for u in units:  # each unit uploads the bytes its cases name (knowing a hash grants nothing)
        shared = NewCase()
        for data in shared.blobs.values():
            upload(client, toks[u]["clerk"], data)
        blobs[u] = shared.blobs
    built = Built({u: [] for u in units})
    serial = dict.fromkeys(units, 0)
    for n in range(count):
        unit = units[n % len(units)]
        received = dt.date(2026, 9, 14) + dt.timedelta(days=rng.randrange(28))
        serial[unit] += 1
        case = NewCase(case_no=case_number(unit, at(received, 9), serial[unit]), blobs=blobs[unit])
        clerk, reviewer = toks[unit]["clerk"], toks[unit]["reviewer"]
        fate = FATES[rng.randrange(len(FATES))]
        days = rng.choice((0, 1, 2, 3, 5, 8))
        steps = [(clerk, case.receive(at(received, 9))),
                 (clerk, case.action("accept", {"promised_days": days}, at=at(received, 10)))]
        later = min(received + dt.timedelta(days=rng.randrange(1, 6)), TODAY)
        if fate in ("review", "paused", "resumed"):
            steps.append((reviewer, case.action("start_review", at=at(received, 11))))
        if fate in ("paused", "resumed"):
            steps.append((reviewer, case.action("suspend", {"reason": "专家评审"}, at=at(later, 11))))
        if fate == "resumed":
            back = min(later + dt.timedelta(days=rng.randrange(1, 8)), TODAY)
            steps.append((reviewer, case.action("resume", at=at(back, 12))))
        if fate == "closed":
            steps.append((clerk, case.action("withdraw", at=at(later, 11))))
        if fate == "forwarded":
            steps.append((clerk, case.action("forward", {"to": PARENT[unit], "text": "请审批"}, at=at(received, 11))))
        for tok, action in steps:
            answer = push_one(client, tok, action)
            assert answer["result"] == "accepted", (fate, action["type"], answer)
        built.by_unit[unit].append(case.case_id)
        if unit == TOWNSHIP and fate == "open" and days <= 2 and received <= dt.date(2026, 9, 25):
            built.red_at_township = built.red_at_township or case.case_id
    return built



def window(platform: PlatformProcess, root: Path, unit: str, role: str) -> AppContext:
    """A window of ``unit`` signed in as its ``role`` user, on :data:`NOW`, synced to the end."""
    folder = root / f"{unit}-{role}"
    if not folder.exists():
        init_data_dir(folder, unit, platform.url)
    ctx = folders.online(folder, user_of(unit, role), clock=lambda: NOW)
    for _ in range(20):
        if sync_run.sync_once(ctx).note is None:
            break
    return ctx
