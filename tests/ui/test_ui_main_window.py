"""The main window over demo cases: the list, search, status filter, counts, details."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.core.deadlines import Light
from app.core.lifecycle import Status
from app.services.context import AppContext
from app.services.queries import CaseRow
from app.ui.case_detail import CaseDetailDialog
from app.ui.case_model import Column
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QInputMethodEvent, Qt, QWidget

#: The offscreen platform plugin warns whenever a top-level window with a layout (so a minimum
#: size) is shown: a limit of that plugin (no propagateSizeHints), not of the code under test.
OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
DEMO_COUNT = 20  # tests/ui/conftest.py makes this many demo cases


def type_chinese(widget: QWidget, text: str) -> None:
    """What an input method (fcitx/ibus) sends when the clerk picks the characters."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def shown_case_nos(window: MainWindow) -> list[str]:
    model = window.model
    return [model.data(model.index(r, Column.CASE_NO)) for r in range(model.rowCount())]


def test_window_lists_the_demo_cases_newest_first(window: MainWindow, demo_rows: list[CaseRow]) -> None:
    assert window.model.rowCount() == DEMO_COUNT == len(demo_rows)
    newest = max(demo_rows, key=lambda r: r.received_at)
    assert window.model.data(window.model.index(0, Column.CASE_NO)) == newest.case_no
    assert shown_case_nos(window) == [r.case_no for r in demo_rows]
    assert window.windowTitle() == "窗口 — 政务服务受理 — 11450403MB0123456N"
    assert window.search_box.placeholderText() == "按受理编号、申请人姓名或事项名称搜索"


def test_status_bar_counts_lights(window: MainWindow, demo_rows: list[CaseRow]) -> None:
    yellow = sum(r.light is Light.YELLOW for r in demo_rows)
    red = sum(r.light is Light.RED for r in demo_rows)
    assert window.summary.text() == f"共 {DEMO_COUNT} 件办件｜临近 {yellow} 件｜超期 {red} 件"


def test_search_narrows_by_applicant_name_and_clearing_restores(
    qtbot: QtBot, window: MainWindow, demo_rows: list[CaseRow],
) -> None:
    name = demo_rows[len(demo_rows) // 2].applicant
    expected = [r.case_no for r in demo_rows if name in r.applicant or name in r.item_name]
    assert 0 < len(expected) < DEMO_COUNT

    type_chinese(window.search_box, name)
    qtbot.waitUntil(lambda: shown_case_nos(window) == expected, timeout=5000)
    model = window.model
    assert all(name in model.data(model.index(r, Column.APPLICANT)) for r in range(model.rowCount()))
    qtbot.waitUntil(lambda: window.summary.text().startswith(f"共 {len(expected)} 件办件｜临近"))

    window.search_box.clear()
    qtbot.waitUntil(lambda: model.rowCount() == DEMO_COUNT, timeout=5000)


def test_search_by_part_of_a_case_number(qtbot: QtBot, window: MainWindow, demo_rows: list[CaseRow]) -> None:
    part = demo_rows[3].case_no[-8:]
    expected = [r.case_no for r in demo_rows if part in r.case_no]
    assert demo_rows[3].case_no in expected and len(expected) < DEMO_COUNT
    window.search_box.setText(part)
    qtbot.waitUntil(lambda: shown_case_nos(window) == expected, timeout=5000)


def test_search_without_matches_shows_an_empty_list(qtbot: QtBot, window: MainWindow) -> None:
    window.search_box.setText("没有这个人")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=5000)
    qtbot.waitUntil(lambda: window.summary.text() == "共 0 件办件｜临近 0 件｜超期 0 件")


def test_status_filter(qtbot: QtBot, window: MainWindow, demo_rows: list[CaseRow]) -> None:
    combo = window.status_filter
    assert combo.itemText(0) == "全部状态"
    assert combo.count() == 1 + len(Status)
    for status in (Status.ACCEPTED, Status.REJECTED):
        expected = [r.case_no for r in demo_rows if r.status is status]
        assert expected
        combo.setCurrentIndex(combo.findData(str(status)))
        assert combo.currentText() == status.label
        qtbot.waitUntil(lambda expected=expected: shown_case_nos(window) == expected, timeout=5000)
    combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.model.rowCount() == DEMO_COUNT, timeout=5000)


def test_search_and_filter_combine(qtbot: QtBot, window: MainWindow, demo_rows: list[CaseRow]) -> None:
    row = next(r for r in demo_rows if r.status is Status.ACCEPTED)
    window.status_filter.setCurrentIndex(window.status_filter.findData(str(Status.ACCEPTED)))
    window.search_box.setText(row.applicant)
    expected = [r.case_no for r in demo_rows
                if r.status is Status.ACCEPTED and (row.applicant in r.applicant or row.applicant in r.item_name)]
    qtbot.waitUntil(lambda: shown_case_nos(window) == expected, timeout=5000)


def test_only_the_newest_search_is_shown(qtbot: QtBot, window: MainWindow, demo_rows: list[CaseRow]) -> None:
    name = demo_rows[0].applicant
    for text in ("王", "李", "没有这个人", name):
        window.search_box.setText(text)
        window.reload()  # no debounce: several searches in flight at once
    expected = [r.case_no for r in demo_rows if name in r.applicant or name in r.item_name]
    qtbot.waitUntil(lambda: shown_case_nos(window) == expected, timeout=5000)
    qtbot.wait(300)  # older results arriving late must not replace it
    assert shown_case_nos(window) == expected


def test_selection_survives_a_new_search_that_still_contains_the_case(
    qtbot: QtBot, window: MainWindow, demo_rows: list[CaseRow],
) -> None:
    row = demo_rows[5]
    window.table.selectRow(5)
    assert window.current_case_id() == row.id
    window.search_box.setText(row.applicant)
    qtbot.waitUntil(lambda: window.model.rowCount() < DEMO_COUNT, timeout=5000)
    assert window.current_case_id() == row.id


def test_double_click_opens_the_case_details(qtbot: QtBot, window: MainWindow, demo_rows: list[CaseRow]) -> None:
    view = window.table
    rect = view.visualRect(window.model.index(1, Column.APPLICANT))
    # A real double click is a click, then a second press that Qt reports as a double click.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    def dialog() -> CaseDetailDialog | None:
        found = [w for w in QApplication.topLevelWidgets() + window.findChildren(CaseDetailDialog)
                 if isinstance(w, CaseDetailDialog) and w.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: dialog() is not None, timeout=5000)
    shown = dialog()
    assert shown is not None
    assert demo_rows[1].case_no in shown.windowTitle()
    shown.close()


def test_window_renders_chinese(window: MainWindow, bundled_family: str) -> None:
    image = window.grab().toImage()
    assert image.width() == 1280 and image.height() == 720
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20, "the window grab looks blank"


def test_window_takes_the_context_not_a_global(demo_ctx: AppContext, qtbot: QtBot) -> None:
    win = MainWindow(demo_ctx)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.list_loaded, timeout=5000):
        pass
    assert win.model.rowCount() == DEMO_COUNT
    win.close()
