"""The 「月报」 page: pick a month, count this unit's cases offline, see the table and the chart, export."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from app.core.monthly_figures import CHANNELS
from app.services import figures, intake, unit_settings
from app.services.context import AppContext
from app.ui.figures_page import FiguresPage
from tests.conftest import PERSON
from tests.support import cases
from tests.support import figure_cases as gen
from tests.ui.conftest import drain_background

pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]
SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext, pages: dict[str, Path]) -> Iterator[FiguresPage]:
    real = intake.new_case(ctx, cases.ITEM, PERSON, cases.materials(pages["text"]))
    gen.generate(ctx, gen.template_of(ctx, real.case_no), 60, dt.date(2026, 10, 12), 25, seed=3, forward_to=None,
                 users={"clerk": "clerk01", "approver": "approver01"})
    p = FiguresPage(unit_settings.set_setting(ctx, "unit.name", "万秀区城东镇便民服务中心"))
    qtbot.addWidget(p)
    p.resize(1100, 560)
    p.show()
    yield p
    drain_background()


def test_counts_a_month_and_exports_what_it_shows(qtbot: QtBot, page: FiguresPage, ctx: AppContext,
                                                   tmp_path: Path) -> None:
    page.month.setCurrentIndex(page.month.findData("2026-11"))
    assert not page.xlsx_button.isEnabled()  # nothing counted yet
    page.count_button.click()
    qtbot.waitUntil(lambda: page.figures is not None, timeout=20_000)
    expected = figures.local(ctx, "2026-11").units[0]
    assert expected.intake > 0
    assert page.table.rowCount() == 1
    shown = [page.table.item(0, c).text() for c in range(page.table.columnCount())]
    assert shown[1:] == [str(v) for v in expected.row()]
    assert page.chart.series[:3] == CHANNELS and page.chart.groups[0][1][:3] == expected.by_channel()
    assert page.xlsx_button.isEnabled() and page.csv_button.isEnabled()
    assert page.table.item(0, 0).text() == "万秀区城东镇便民服务中心"  # the unit by name, not its code
    if os.environ.get("CHUANGKOU_SCREENSHOTS"):
        SCREENS.mkdir(exist_ok=True)
        page.grab().save(str(SCREENS / "figures.zh_CN.png"))

    target = tmp_path / "月报.xlsx"
    page.export_to(target, "xlsx")
    qtbot.waitUntil(lambda: "已导出" in page.status.text(), timeout=20_000)
    sheet = load_workbook(target)["月报"]
    assert [c.value for c in sheet[3]][2] == expected.intake


def test_the_platform_view_offers_the_units_below(page: FiguresPage, ctx: AppContext) -> None:
    assert page.unit.isHidden()
    page.source.setCurrentIndex(1)
    assert not page.unit.isHidden() and page.unit.count() >= 1
    assert page.unit.itemData(0) == ctx.settings.get("unit.org")
