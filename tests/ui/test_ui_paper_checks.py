"""告知承诺 in the window: the case detail shows the paper-check task with its due day, the reviewer records
the 核查结果 from the detail (不属实 asks what was found, and then for the licence to be revoked), and the
case list's 待核查 filter (Alt+V) lists the open checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.lifecycle import ActionType
from app.services import case_desk, queries
from app.services.context import AppContext
from app.services.intake import MaterialInput, new_case
from app.ui.action_dialogs import PaperCheckDialog
from app.ui.main_window import MainWindow
from app.ui.qt import Qt
from tests.conftest import PERSON, make_data_folder
from tests.support import cases, folders
from tests.ui.conftest import drain_background
from tests.ui.test_ui_case_actions import WAIT, bar_of, field_dialog, open_detail, press, the_detail
from tests.ui.test_ui_main_window import shown_case_nos

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
A = ActionType
COMMITMENT = "XK00924000"  # 户外广告设置许可: 告知承诺


@pytest.fixture
def approved(tmp_path: Path, pages: dict[str, Path]) -> Iterator[tuple[AppContext, str, str]]:
    """A clerk's context, a 告知承诺 case approved on the promise, and an ordinary accepted case."""
    ctx = folders.open_signed_in(make_data_folder(tmp_path / "unit"))
    item = ctx.catalog.get(COMMITMENT)
    assert item is not None
    made = new_case(ctx, COMMITMENT, PERSON, [MaterialInput(n, (pages["text"],)) for n in item.required_materials])
    case_desk.take(ctx, made.id, A.ACCEPT)
    case_desk.take(folders.as_role(ctx, "approver"), made.id, A.DECIDE, {"result": "准予"})
    plain = new_case(ctx, cases.ITEM, PERSON, cases.materials(pages["text"]))
    case_desk.take(ctx, plain.id, A.ACCEPT)
    yield ctx, made.id, plain.id
    drain_background()
    ctx.close()


def test_the_detail_shows_the_task_and_the_reviewer_records_the_check(
        qtbot: QtBot, approved: tuple[AppContext, str, str], tmp_path: Path) -> None:
    clerk, case_id, _ = approved
    due = queries.show_case(clerk, case_id)["paper_check"]["due"]
    reviewer = folders.as_role(clerk, "reviewer")
    detail = open_detail(qtbot, reviewer, case_id)
    assert f"待核查纸质材料，须于 {due} 前完成" in detail.paper_check_label.text()
    detail.grab().save(str(tmp_path / "detail.png"))
    assert bar_of(detail).buttons[A.PAPER_CHECK].isEnabled()

    press(qtbot, detail, Qt.Key.Key_R)  # 核查结果
    check = field_dialog(qtbot, PaperCheckDialog)
    assert isinstance(check, PaperCheckDialog)
    check.verdict.setCurrentIndex(check.verdict.findData("不属实"))
    check.ok_button.click()  # 不属实 without what was found: refused, still open
    qtbot.waitUntil(lambda: "请填写核查发现的问题" in check.message.text(), timeout=WAIT)
    assert check.isVisible()
    check.text.setPlainText("场地使用权证明与原件不符")
    check.ok_button.click()
    qtbot.waitUntil(lambda: queries.show_case(clerk, case_id)["actions"][-1]["type"] == "paper_check", timeout=WAIT)
    detail = the_detail(qtbot, instead_of=detail)
    shown = detail.paper_check_label.text()
    assert "不属实" in shown and "场地使用权证明与原件不符" in shown and "请注销" in shown
    detail.close()


def test_the_list_filter_shows_the_open_checks_only(qtbot: QtBot, approved: tuple[AppContext, str, str]) -> None:
    ctx, case_id, plain_id = approved
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.summary_updated, timeout=WAIT):
        window.resize(1280, 720)
        window.show()
    numbers = {queries.show_case(ctx, c)["case_no"]: c for c in (case_id, plain_id)}
    qtbot.waitUntil(lambda: sorted(shown_case_nos(window)) == sorted(numbers), timeout=WAIT)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.filters.paper_check.isChecked, timeout=WAIT)
    qtbot.waitUntil(lambda: [numbers[n] for n in shown_case_nos(window)] == [case_id], timeout=WAIT)
    case_desk.take(folders.as_role(ctx, "reviewer"), case_id, A.PAPER_CHECK, {"result": "属实"})
    window.filters.paper_check.setChecked(False)
    window.filters.paper_check.setChecked(True)
    qtbot.waitUntil(lambda: shown_case_nos(window) == [], timeout=WAIT)
    window.close()
