"""A joint review (网上联审) played through the real platform and real data folders.

The city centre's window (联合受理窗口) receives and accepts a case three days ago and asks three
city departments at once; the first two answer 同意 in time, the third's due date (two days ago)
passes without an answer: it is late today. Each unit is its own data folder, synced through
the platform process; the clocks are real, except the window's first steps, dated three days back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.lifecycle import ActionType
from app.services import case_desk, sync_run
from app.services.context import AppContext, init_data_dir
from app.services.intake import new_case
from app.sync.credentials import MemoryTokens
from tests.conftest import PERSON
from tests.support import cases, folders
from tests.support.platform import CITY, FGW, ZJJ, ZRJ, user_of

#: the departments asked, by the names the platform gives them; the last one does not answer in time
DEPARTMENTS = ((FGW, "梧州市发展和改革委员会"), (ZJJ, "梧州市住房和城乡建设局"), (ZRJ, "梧州市自然资源局"))
LATE, LATE_NAME = DEPARTMENTS[-1]
STARTED_DAYS_AGO = 3


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(frozen=True)
class JointCase:
    """The scenario's data folders and its case."""

    root: Path
    case_id: str
    case_no: str

    def folder(self, unit: str) -> Path:
        return self.root / unit

    def open(self, unit: str, role: str = "reviewer") -> AppContext:
        """``unit``'s folder signed in (online) as its demo user in ``role``."""
        return folders.online(self.folder(unit), user_of(unit, role), tokens=MemoryTokens())


def started_on() -> dt.date:
    return (_now() - dt.timedelta(days=STARTED_DAYS_AGO)).date()


def department_payload(started: dt.date, today: dt.date) -> list[dict[str, object]]:
    """Each department required; the late one due the day after the start, the others in five days."""
    return [{"unit": code, "name": name, "required": True,
             "due": (started + dt.timedelta(days=1) if code == LATE else today + dt.timedelta(days=5)).isoformat()}
            for code, name in DEPARTMENTS]


def answer(joint: JointCase, unit: str, result: str = "同意", text: str = "符合本部门审批要求，同意。") -> None:
    """``unit``'s reviewer pulls the case, gives its opinion and pushes it."""
    ctx = joint.open(unit)
    try:
        sync_run.sync_once(ctx)
        case_desk.take(ctx, joint.case_id, ActionType.JOINT_OPINION, {"result": result, "text": text})
        report = sync_run.sync_once(ctx)
        assert report.refused == [] and report.pending == 0, report
    finally:
        ctx.close()


def start(root: Path, url: str, pages: dict[str, Path],
          choose: Callable[[AppContext, str], None] | None = None) -> JointCase:
    """The window receives, accepts and starts the joint review (by ``choose`` if given, e.g. through the
    dialog), and pushes it; the first two departments answer 同意. Returns the case."""
    for unit, _ in ((CITY, ""), *DEPARTMENTS):
        init_data_dir(root / unit, unit, url)
    ctx = folders.online(root / CITY, user_of(CITY, "clerk"), tokens=MemoryTokens())
    try:
        earlier = dataclasses.replace(ctx, clock=lambda: _now() - dt.timedelta(days=STARTED_DAYS_AGO))
        made = new_case(earlier, cases.PLANNING, PERSON, cases.materials(pages["text"], item=cases.PLANNING))
        case_desk.take(earlier, made.id, ActionType.ACCEPT)
        assert sync_run.sync_once(ctx).refused == []  # the departments come with the units
        if choose is None:
            case_desk.take(earlier, made.id, ActionType.JOINT_REVIEW,
                           {"departments": department_payload(started_on(), _now().date())})
        else:
            choose(earlier, made.id)
        report = sync_run.sync_once(ctx)
        assert report.refused == [] and report.pending == 0, report
    finally:
        ctx.close()
    joint = JointCase(root, made.id, made.case_no)
    for unit, _ in DEPARTMENTS[:-1]:
        answer(joint, unit)
    return joint
