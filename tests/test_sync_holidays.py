"""A holiday table the platform publishes turns a provisional deadline into a final one.

The deadline of a case accepted late in the year runs into a year whose holidays the State
Council has not announced yet: it is shown as provisional. Once the city publishes that
year (``python -m city_platform holidays FILE``), the next sync counts it for real.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.lifecycle import ActionType
from app.services import sync_run
from app.services.case_actions import perform
from app.services.context import AppContext, init_data_dir
from app.services.intake import new_case
from app.services.queries import show_case
from tests.conftest import PERSON
from tests.support import cases, folders
from tests.support.platform import TOWNSHIP, USERS, PlatformProcess

pytestmark = pytest.mark.slow

#: a Friday in November: 60 working days from here end in February of the next year
ACCEPTED = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
NEXT_YEAR = {
    "source": "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
    "years": [2027],
    "holidays": {"2027-01-01": "元旦", **{f"2027-02-{d:02d}": "春节" for d in range(5, 12)}},
    "workdays": {"2027-02-13": "春节调休"},
}


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[PlatformProcess]:
    with PlatformProcess(tmp_path / "platform") as p:
        yield p


@pytest.fixture
def township(tmp_path: Path, platform: PlatformProcess) -> Iterator[AppContext]:
    init_data_dir(tmp_path / "township", TOWNSHIP, platform.url, clock=lambda: ACCEPTED)
    ctx = folders.online(tmp_path / "township", USERS[TOWNSHIP], clock=lambda: ACCEPTED)
    yield ctx
    ctx.close()


def test_a_published_holiday_year_makes_a_provisional_deadline_final(
    tmp_path: Path, platform: PlatformProcess, township: AppContext, pages: dict[str, Path],
) -> None:
    case = new_case(township, cases.ITEM, PERSON, cases.materials(pages["text"]))
    perform(township, case.id, ActionType.ACCEPT, {"promised_days": 60})
    sync_run.sync_once(township)
    before = show_case(township, case.id)["deadline"]
    assert before["provisional"] is True
    assert before["date"].startswith("2027-")

    table = tmp_path / "holidays-2027.json"
    table.write_text(json.dumps(NEXT_YEAR, ensure_ascii=False), encoding="utf-8")
    published = subprocess.run(
        [sys.executable, "-m", "city_platform", "holidays", "--db", platform.db_url, str(table)],
        capture_output=True, text=True, timeout=60)
    assert published.returncode == 0, published.stderr

    report = sync_run.sync_once(township)
    assert report.pulled >= 1 and report.calendar is not None
    # The run hands the new calendar back; the window puts it in its context (a sync never changes it).
    after = show_case(dataclasses.replace(township, calendar=report.calendar), case.id)["deadline"]
    assert after["provisional"] is False
    # New Year's Day and five Spring Festival weekdays are off, one Saturday is worked: the
    # due day moves five working days later than the provisional count said.
    assert (before["date"], after["date"]) == ("2027-02-12", "2027-02-19")
