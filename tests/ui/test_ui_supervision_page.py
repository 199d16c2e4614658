"""The 「效能监察」 page against the real platform: the county supervisor's lists, 挂号督办 from the red
list, and offline the unit's own lists with the line that says the child units need the link."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from app.services import queries, supervision, sync_run
from app.services.context import AppContext
from app.ui.case_detail import CaseDetailDialog
from app.ui.case_model import CaseTableModel, Column
from app.ui.main_window import MainWindow
from app.ui.qt import Qt
from app.ui.supervision_page import SupervisionPage
from tests.platform_fixture import platform  # noqa: F401
from tests.support.platform import COUNTY, TOWNSHIP, PlatformProcess, free_port
from tests.support.supervision_cases import UNITS, build, window
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]


@pytest.fixture(scope="module")
def supervisor(platform: PlatformProcess, tmp_path_factory: pytest.TempPathFactory  # noqa: F811
               ) -> Iterator[AppContext]:
    with httpx.Client(base_url=platform.url, timeout=30) as client:
        build(client, UNITS, 30, seed=7)
    ctx = window(platform, tmp_path_factory.mktemp("sup"), COUNTY, "supervisor")
    yield ctx
    drain_background()
    ctx.close()


def _cells(page: SupervisionPage, name: str) -> list[list[str]]:
    table = {"red": page.red, "yellow": page.yellow, "notices": page.notices, "unit": page.per_unit}[name]
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_supervisor_sees_the_lists_and_sends_a_notice(qtbot: QtBot, supervisor: AppContext,
                                                          tmp_path: Path) -> None:
    page = SupervisionPage(supervisor)
    qtbot.addWidget(page)
    page.resize(1100, 560)
    page.show()
    with qtbot.waitSignal(page.refreshed, timeout=30_000):
        page.refresh()
    lists = supervision.lists(supervisor).lists
    assert [row[0] for row in _cells(page, "red")] == [w.case_no for w in lists.red] != []
    assert [row[0] for row in _cells(page, "yellow")] == [w.case_no for w in lists.yellow]
    assert _cells(page, "red")[0][2] == lists.red[0].unit_name  # the holder by name, days over beside it
    assert _cells(page, "red")[0][4] == str(lists.red[0].days_over)
    assert _cells(page, "unit")[-1] == ["合计", str(len(lists.yellow)), str(len(lists.red))]
    assert "万秀区" in page.scope.text() and page.message.text() == ""
    assert not page.supervise_button.isEnabled()  # nothing chosen yet

    row = next(n for n, w in enumerate(lists.red) if w.unit == TOWNSHIP)
    page.red.selectRow(row)
    assert page.supervise_button.isEnabled()
    page.supervise_button.click()
    assert page.dialog is not None
    page.dialog.text.setPlainText("该件已超期，请说明原因并于三日内办结")
    with qtbot.waitSignal(page.supervised, timeout=30_000) as sent:
        page.dialog.accept()
    assert sent.args and sent.args[0]
    qtbot.waitUntil(lambda: any(r[0] == lists.red[row].case_no for r in _cells(page, "notices")), timeout=30_000)
    notice = next(r for r in _cells(page, "notices") if r[0] == lists.red[row].case_no)
    assert notice[1:4] == [lists.red[row].unit_name, supervision.default_answer_due(supervisor).isoformat(), "待回复"]
    assert _cells(page, "red")[row][5] == "已督办"

    page.tabs.setCurrentIndex(0)
    page.red.selectRow(row)
    shot = tmp_path / "supervision.zh_CN.png"
    assert page.grab().save(str(shot))
    assert shot.stat().st_size > 10_000
    drain_background()


def test_offline_the_page_shows_the_units_own_lists_and_says_so(qtbot: QtBot, supervisor: AppContext) -> None:
    dead = dataclasses.replace(supervisor, settings=supervisor.settings.with_value(
        "platform.url", f"http://127.0.0.1:{free_port()}"))
    page = SupervisionPage(dead)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=60_000):
        page.refresh()
    own = supervision.local_lists(dead)
    assert [row[0] for row in _cells(page, "red")] == [w.case_no for w in own.red]
    assert "下级单位的名单须连接市级平台" in page.message.text()
    if own.red:
        page.red.selectRow(0)
    assert not page.supervise_button.isEnabled()  # 挂号督办 needs the link
    drain_background()


def test_the_page_is_the_supervisors_alone(qtbot: QtBot, supervisor: AppContext, demo_ctx: AppContext) -> None:
    clerk = MainWindow(demo_ctx)
    qtbot.addWidget(clerk)
    assert not clerk.tabs.isTabVisible(clerk.tabs.indexOf(clerk.supervision_page))
    drain_background()


def test_the_township_sees_the_notice_stand_out_and_answers_it(
        qtbot: QtBot, platform: PlatformProcess, supervisor: AppContext,  # noqa: F811
        tmp_path_factory: pytest.TempPathFactory) -> None:
    target = next(w for w in supervision.lists(supervisor).lists.red if w.unit == TOWNSHIP and not w.supervised)
    sid = supervision.supervise(supervisor, target, "请说明超期原因")
    township = window(platform, tmp_path_factory.mktemp("township"), TOWNSHIP, "clerk")
    try:
        # its case list marks the case; the case's details show the notice above all, with 督办回复
        row = queries.case_rows(township, [target.id])[target.id]
        assert row.supervised
        model = CaseTableModel(lambda ids: queries.case_rows(township, ids))
        model.set_ids([target.id])
        index = model.index(0, Column.CASE_NO)
        assert model.data(index, Qt.ItemDataRole.FontRole).bold()
        assert "挂号督办" in model.data(index, Qt.ItemDataRole.ToolTipRole)
        detail = CaseDetailDialog(queries.show_case(township, target.id), ctx=township)
        qtbot.addWidget(detail)
        assert detail.supervision is not None and detail.supervision.waiting == 1
        button = detail.supervision.buttons[sid]
        assert button.isEnabled()
        detail.show()
        assert detail.grab().save(str(tmp_path_factory.mktemp("shots") / "case-supervised.zh_CN.png"))
        button.click()
        assert detail.supervision.dialog is not None
        detail.supervision.dialog.text.setPlainText("专家评审延误，本周内办结")
        with qtbot.waitSignal(detail.supervision.replied, timeout=30_000):
            detail.supervision.dialog.accept()
        drain_background()
        assert not queries.case_rows(township, [target.id])[target.id].supervised
        sync_run.sync_once(township)
    finally:
        drain_background()
        township.close()
    answered = next(n for n in supervision.lists(supervisor).lists.notices if n.supervise_id == sid)
    assert answered.answered and answered.reply_text == "专家评审延误，本周内办结"
