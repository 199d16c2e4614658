"""The main window over demo cases: the list, search, status filter, counts, details."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.case_list import LightFilter, Sort, SortKey
from app.core.deadlines import Light
from app.core.lifecycle import ActionType, Status
from app.services import drafts, intake, queries
from app.services.case_actions import perform
from app.services.context import AppContext
from app.services.demo import render_page
from app.services.queries import CaseRow
from app.ui.case_detail import CaseDetailDialog
from app.ui.case_model import Column
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QIcon, QInputMethodEvent, QPoint, Qt, QWidget
from tests.conftest import PERSON
from tests.support import cases, folders
from tests.support.returns import RETURN_TEXT, copy_with_a_return
from tests.ui.conftest import drain_background

#: The offscreen platform plugin warns whenever a top-level window with a layout (so a minimum
#: size) is shown: a limit of that plugin (no propagateSizeHints), not of the code under test.
OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
DEMO_COUNT = 20  # tests/ui/conftest.py makes this many demo cases
ROLE = Qt.ItemDataRole


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
    assert window.search_box.placeholderText() == "受理编号、姓名、事项或证件号码"


def test_status_bar_counts_lights(window: MainWindow, demo_rows: list[CaseRow]) -> None:
    yellow = sum(r.light is Light.YELLOW for r in demo_rows)
    red = sum(r.light is Light.RED for r in demo_rows)
    assert window.summary.text() == f"共 {DEMO_COUNT} 件办件｜临近 {yellow} 件｜超期 {red} 件｜退回 0 件"


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
    qtbot.waitUntil(lambda: window.summary.text() == "共 0 件办件｜临近 0 件｜超期 0 件｜退回 0 件")


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


# -- sorting, filters, returned cases, refreshing only what changed ----------------------------------


@pytest.fixture(scope="module")
def returned_dir(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo cases with one returned by the county, and a case of an applicant whose ID ends in X."""
    folder = copy_with_a_return(demo_dir, tmp_path_factory.mktemp("returned"))
    ctx = folders.open_signed_in(folder)
    try:
        page = folder.parent / "page.png"
        page.write_bytes(render_page("申请表", ["样例"]))
        intake.new_case(ctx, cases.ITEM, PERSON, cases.materials(page))
    finally:
        ctx.close()
    return folder


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.summary_updated, timeout=10_000):
        win.resize(1280, 720)
        win.show()
    return win


@pytest.fixture
def returned_window(qtbot: QtBot, returned_dir: Path) -> Iterator[MainWindow]:
    ctx = folders.open_signed_in(returned_dir)
    win = _window(qtbot, ctx)
    yield win
    win.close()
    drain_background()
    ctx.close()


def _click_title(qtbot: QtBot, window: MainWindow, column: Column) -> None:
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    with qtbot.waitSignal(window.list_loaded, timeout=5000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_clicking_a_title_sorts_and_the_order_stays(
    qtbot: QtBot, window: MainWindow, demo_rows: list[CaseRow],
) -> None:
    header = window.table.horizontalHeader()
    def indicator() -> tuple[int, Qt.SortOrder]:
        return header.sortIndicatorSection(), header.sortIndicatorOrder()

    assert indicator() == (Column.RECEIVED, Qt.SortOrder.DescendingOrder)
    _click_title(qtbot, window, Column.APPLICANT)
    by_name = sorted(demo_rows, key=lambda r: (r.applicant, r.received_at))
    assert shown_case_nos(window) == [r.case_no for r in by_name]
    assert indicator() == (Column.APPLICANT, Qt.SortOrder.AscendingOrder)
    _click_title(qtbot, window, Column.APPLICANT)
    assert shown_case_nos(window) == [r.case_no for r in reversed(by_name)]
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    # A filter (and a search) keeps the order the clerk chose.
    window.status_filter.setCurrentIndex(window.status_filter.findData(str(Status.ACCEPTED)))
    expected = [r.case_no for r in reversed(by_name) if r.status is Status.ACCEPTED]
    qtbot.waitUntil(lambda: shown_case_nos(window) == expected, timeout=5000)
    assert window.sort == Sort(SortKey.APPLICANT, descending=True)


def test_the_light_title_sorts_overdue_first(qtbot: QtBot, window: MainWindow, demo_rows: list[CaseRow]) -> None:
    _click_title(qtbot, window, Column.LIGHT)
    model = window.model
    lights = [model.data(model.index(r, Column.LIGHT)) for r in range(model.rowCount())]
    red, yellow = sum(r.light is Light.RED for r in demo_rows), sum(r.light is Light.YELLOW for r in demo_rows)
    assert lights[:red + yellow] == ["超期"] * red + ["临近"] * yellow
    _click_title(qtbot, window, Column.DUE)
    dues = [model.data(model.index(r, Column.DUE)) for r in range(model.rowCount())]
    dated = [d for d in dues if d]
    assert dues[:len(dated)] == sorted(dated)  # the earliest deadline first, none last


def test_the_filter_row(qtbot: QtBot, window: MainWindow, demo_rows: list[CaseRow]) -> None:
    filters = window.filters
    light = filters.light
    assert [light.itemText(i) for i in range(light.count())] == ["全部时限", "临近", "超期", "临近或超期"]
    light.setCurrentIndex(light.findData(str(LightFilter.RED)))
    red = [r.case_no for r in demo_rows if r.light is Light.RED]
    qtbot.waitUntil(lambda: shown_case_nos(window) == red, timeout=5000)
    qtbot.waitUntil(lambda: window.summary.text() == f"共 {len(red)} 件办件｜临近 0 件｜超期 {len(red)} 件｜退回 0 件",
                    timeout=5000)
    light.setCurrentIndex(0)

    qtbot.waitUntil(lambda: filters.item.count() > 1, timeout=5000)  # the items of the cases, most cases first
    filters.item.setCurrentIndex(1)
    name = filters.item.itemData(1, Qt.ItemDataRole.ToolTipRole)
    expected = [r.case_no for r in demo_rows if r.item_name == name]
    assert filters.item.currentText() == f"{name}（{len(expected)}）" and filters.item.toolTip() == name
    qtbot.waitUntil(lambda: shown_case_nos(window) == expected, timeout=5000)
    filters.item.setCurrentIndex(0)

    filters.mine.setChecked(True)  # the clerk received every demo case
    qtbot.waitUntil(lambda: shown_case_nos(window) == [r.case_no for r in demo_rows], timeout=5000)
    filters.mine.setChecked(False)
    filters.today.setChecked(True)
    today = [r.case_no for r in demo_rows if r.received_at.astimezone().date() == window.context.today()]
    qtbot.waitUntil(lambda: shown_case_nos(window) == today, timeout=5000)


def test_the_filters_are_reached_with_alt_keys(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    filters = window.filters
    for key, box in ((Qt.Key.Key_S, filters.status), (Qt.Key.Key_L, filters.light), (Qt.Key.Key_I, filters.item),
                     (Qt.Key.Key_F, window.search_box)):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(box.hasFocus, timeout=2000)
    for key, check in ((Qt.Key.Key_T, filters.today), (Qt.Key.Key_M, filters.mine), (Qt.Key.Key_R, filters.returned)):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(check.isChecked, timeout=2000)


def test_the_filter_row_fits_a_1024_screen(qtbot: QtBot, window: MainWindow) -> None:
    # An unfinished intake is offered beside the search box: the row must still fit.
    draft = drafts.DraftSummary(id="d1", item_code="GG00231000", item_name="城乡居民基本养老保险参保登记",
                                applicant_name="韦秀英", pages=3, updated_at="2026-12-07T09:30:00+08:00")
    window._show_drafts([draft])
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=2000)
    assert window.drafts_button.isVisible()
    for widget in (window.filters.returned, window.search_box):
        corner = widget.mapTo(window, QPoint(widget.width(), widget.height()))
        assert corner.x() <= window.width()
    assert window.search_box.width() >= 400
    assert window.filters.returned.width() >= window.filters.returned.sizeHint().width()  # not cut


def test_an_id_number_typed_with_a_small_x_finds_the_applicants_cases(
    qtbot: QtBot, returned_window: MainWindow,
) -> None:
    returned_window.search_box.setText(PERSON["id_number"].lower())
    qtbot.waitUntil(lambda: returned_window.model.rowCount() == 1, timeout=5000)
    assert returned_window.model.data(returned_window.model.index(0, Column.APPLICANT)) == PERSON["name"]


def test_a_returned_case_stands_out(qtbot: QtBot, returned_window: MainWindow) -> None:
    model = returned_window.model
    qtbot.waitUntil(lambda: returned_window.summary.text().endswith("｜退回 1 件"), timeout=5000)
    rows = [r for r in range(model.rowCount()) if model.data(model.index(r, Column.CASE_NO), ROLE.FontRole)]
    assert len(rows) == 1
    row = rows[0]
    assert model.data(model.index(row, Column.APPLICANT), ROLE.FontRole).bold()
    assert isinstance(model.data(model.index(row, Column.CASE_NO), ROLE.DecorationRole), QIcon)
    assert model.data(model.index(row, Column.ITEM), ROLE.ToolTipRole) == f"450403退回：{RETURN_TEXT}"
    assert model.data(model.index(row, Column.STATUS)) == "审查中"
    others = [r for r in range(model.rowCount()) if r != row]
    assert all(model.data(model.index(r, Column.CASE_NO), ROLE.DecorationRole) is None for r in others)
    case_no = model.data(model.index(row, Column.CASE_NO))

    returned_window.filters.returned.setChecked(True)
    qtbot.waitUntil(lambda: shown_case_nos(returned_window) == [case_no], timeout=5000)


def test_refresh_cases_changes_only_those_rows(qtbot: QtBot, returned_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(returned_dir, folder)
    ctx = folders.open_signed_in(folder)
    win = _window(qtbot, ctx)
    try:
        model = win.model
        received = next(r for r in range(model.rowCount()) if model.data(model.index(r, Column.STATUS)) == "已收件")
        case_id = model.case_id(received)
        win.table.selectRow(received)
        resets: list[bool] = []
        model.modelReset.connect(lambda: resets.append(True))
        changed: list[tuple[int, int]] = []
        model.dataChanged.connect(lambda first, last, _roles=(): changed.append((first.row(), last.row())))
        perform(ctx, case_id, ActionType.ACCEPT)

        with qtbot.waitSignal(win.summary_updated, timeout=5000):
            win.refresh_cases([case_id])
        assert changed == [(received, received)]
        assert model.data(model.index(received, Column.STATUS)) == "已受理"
        light = queries.case_rows(ctx, [case_id])[case_id].light
        assert light is not None and model.data(model.index(received, Column.LIGHT)) == light.label
        assert win.current_case_id() == case_id

        # A case received now is added at the top of the newest-first list, without a reset.
        page = tmp_path / "page.png"
        page.write_bytes(render_page("申请表", ["样例"]))
        new = intake.new_case(ctx, cases.ITEM, PERSON, cases.materials(page))
        rows = model.rowCount()
        with qtbot.waitSignal(model.rowsInserted, timeout=5000):
            win.refresh_cases([new.id])
        assert model.rowCount() == rows + 1 and model.case_id(0) == new.id
        assert model.data(model.index(0, Column.CASE_NO)) == new.case_no
        qtbot.waitUntil(lambda: win.summary.text().startswith(f"共 {rows + 1} 件办件｜"), timeout=5000)
        assert not resets
    finally:
        win.close()
        drain_background()
        ctx.close()
