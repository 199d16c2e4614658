"""月报 computed from a case's actions: which month and which unit each figure counts in, the
working days used as the deadline counts them, exact averages, and the files read back."""

from __future__ import annotations

import csv
import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.core.deadlines import Pause, compute_deadline, working_days_used
from app.core.errors import UserError
from app.core.lifecycle import Action, ActionType, check_payload
from app.core.monthly_figures import CaseRecord, Month, MonthlyFigures, compute, tenths
from app.core.workcal import WorkCalendar
from app.services import figures_export
from app.store.bundled import HOLIDAY_FILE, load_json

CST = dt.timezone(dt.timedelta(hours=8))
TOWN, COUNTY = "12450403MB1904102K", "12450403MB1904031X"
CAL = WorkCalendar.from_table(load_json(HOLIDAY_FILE))


def _at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=CST)


def _case(n: int, steps: list[tuple[str, ActionType, dict[str, object]]], owner: str = TOWN) -> CaseRecord:
    actions = [Action(f"{n}-{i}", f"c{n}", kind, "clerk", _at(day, 9 + i), payload)
               for i, (day, kind, payload) in enumerate(steps)]
    return CaseRecord(f"c{n}", owner, "GG00231000", "城乡居民基本养老保险参保登记", actions)


A = ActionType


def test_each_figure_counts_in_its_own_month_and_unit() -> None:
    forwarded = _case(1, [("2026-10-30", A.RECEIVE, {}), ("2026-10-30", A.ACCEPT, {"promised_days": 3}),
                          ("2026-11-02", A.FORWARD, {"to": COUNTY}),
                          ("2026-11-03", A.OPINION, {"result": "同意", "text": "同意", "unit": COUNTY}),
                          ("2026-11-04", A.DECIDE, {"result": "准予"}), ("2026-11-05", A.ISSUE, {}),
                          ("2026-11-06", A.DELIVER, {"method": "邮寄", "tracking": "SF1"}),
                          ("2026-11-06", A.EVALUATE, {"level": "满意"})])
    online = _case(2, [("2026-11-03", A.RECEIVE, {"channel": "网上"}), ("2026-11-03", A.ACCEPT, {"promised_days": 1}),
                       ("2026-11-04", A.SUSPEND, {"reason": "现场踏勘"}), ("2026-11-09", A.RESUME, {}),
                       ("2026-11-10", A.DECIDE, {"result": "不予", "text": "不符合条件"}),
                       # refused by the lifecycle (a withdrawn case is not delivered): does not count
                       ("2026-11-11", A.DELIVER, {"method": "邮寄"})])
    got = compute([forwarded, online], Month(2026, 11), [TOWN, COUNTY], CAL)
    town, county = got.units
    assert town.by_channel() == (0, 1, 0) and county.by_channel() == (0, 0, 1)
    assert (town.mailed, town.closed, town.evaluations[1]) == (1, 2, 1)
    # forwarded: accepted Fri 10-30, decided Wed 11-04 = 3 working days of 3; online: accepted Tue 11-03,
    # paused 11-05…11-09, decided 11-10: 11-04 and 11-10 = 2 working days of 1 → overdue
    assert (town.days_used, town.days_promised, town.overdue) == (5, 4, 1)
    assert tenths(town.average_used) == "2.5" and tenths(town.average_promised) == "2.0"
    assert county.closed == 0 and county.intake == 1
    october = compute([forwarded, online], Month(2026, 10), [TOWN, COUNTY], CAL)
    assert october.units[0].by_channel() == (1, 0, 0) and october.units[0].closed == 0
    assert MonthlyFigures.from_dict(got.to_dict()) == got


def test_days_used_agree_with_the_deadline() -> None:
    accepted, pauses = dt.date(2026, 9, 28), (Pause(dt.date(2026, 9, 29), dt.date(2026, 10, 9)),)
    due = compute_deadline(CAL, accepted, 5, pauses).due
    assert working_days_used(CAL, accepted, due, pauses) == 5
    assert working_days_used(CAL, accepted, due + dt.timedelta(days=1), pauses) > 5 or not CAL.is_workday(
        due + dt.timedelta(days=1))
    assert working_days_used(CAL, accepted, accepted) == 0


def test_tenths_round_half_up_exactly() -> None:
    assert [tenths(Fraction(n, d)) for n, d in ((1, 20), (1, 3), (5, 2), (7, 40))] == ["0.1", "0.3", "2.5", "0.2"]
    assert tenths(None) == "—"


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "26-11", "二〇二六-11", "", "2026-11-01"])
def test_a_bad_month_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(UserError, match="月份"):
        Month.parse(text)


def test_receive_channel_is_checked() -> None:
    check_payload(A.RECEIVE, {"channel": "网上"})
    with pytest.raises(UserError, match="收件渠道"):
        check_payload(A.RECEIVE, {"channel": "电话"})


def test_files_read_back(tmp_path: Path) -> None:
    case = _case(1, [("2026-11-02", A.RECEIVE, {}), ("2026-11-02", A.EVALUATE, {"level": "非常不满意",
                                                                                "reasons": ["其他"]})])
    got = compute([case], Month(2026, 11), [TOWN, COUNTY], CAL, {TOWN: "城东镇"})
    xlsx, csv_path = tmp_path / "月报.xlsx", tmp_path / "月报.csv"
    figures_export.export(got, xlsx=xlsx, csv_path=csv_path)
    sheet = load_workbook(xlsx)["月报"]
    rows = [tuple(c.value for c in r) for r in sheet.iter_rows(min_row=3)]
    assert rows[0][:4] == (TOWN, "城东镇", 1, 1) and rows[-1][1] == "合计"
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    read = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert read[1] == list(figures_export.UNIT_HEADER) and read[2][1] == "城东镇" and read[2][-1] == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["月报.csv", "月报.xlsx"]  # no temporary files left
