"""Joint review (网上联审) in the window, against the real platform: the joint window picks three
departments by name, each with its due date; two answer in time, one is late. The window's 联审 panel
shows the late one in red and the decision disabled with the reason; once the late department
answers from its own window, the decision is offered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.case_list import CaseFilter
from app.core.lifecycle import ActionType
from app.services import queries, sync_run
from app.services.context import AppContext
from app.sync.retry import RetryPolicy
from app.ui.case_actions_menu import CaseActionsBar
from app.ui.case_detail import CaseDetailDialog
from app.ui.case_model import Column
from app.ui.joint_dialogs import JointOpinionDialog, JointReviewDialog
from app.ui.joint_panel import LATE_COLOUR
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QWidget, isValid
from tests.platform_fixture import platform  # noqa: F401
from tests.support import joint
from tests.support.platform import CITY, PlatformProcess
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
WAIT = 20_000


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=3, base=0.05, cap=0.2))


def _shown(kind: type) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def _detail(qtbot: QtBot, ctx: AppContext, case_id: str) -> tuple[CaseDetailDialog, CaseActionsBar]:
    detail = CaseDetailDialog(queries.show_case(ctx, case_id), None, ctx=ctx)
    detail.show()
    bar = detail.findChild(CaseActionsBar)
    assert bar is not None
    qtbot.waitUntil(lambda: bool(bar.offers) and all(b.isVisible() for b in bar.buttons.values()), timeout=WAIT)
    return detail, bar


def _take_through(qtbot: QtBot, bar: CaseActionsBar, kind: ActionType, dialog_type: type) -> QWidget:
    """Click ``kind``'s button and wait for its dialog."""
    bar.buttons[kind].click()
    qtbot.waitUntil(lambda: len(_shown(dialog_type)) == 1, timeout=WAIT)
    return _shown(dialog_type)[0]


def _wait_closed(qtbot: QtBot, dialog: QWidget) -> None:
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=WAIT)
    drain_background()


def _close_details() -> None:
    """Close the case details (an action shows the detail again, as the case then stands)."""
    drain_background()
    for detail in _shown(CaseDetailDialog):
        detail.close()


def test_the_window_sees_the_late_department_and_decides_only_once_the_rule_is_met(
        qtbot: QtBot, platform: PlatformProcess, tmp_path: Path, pages: dict[str, Path]) -> None:  # noqa: F811
    def through_the_dialog(ctx: AppContext, case_id: str) -> None:
        _, bar = _detail(qtbot, ctx, case_id)
        dialog = _take_through(qtbot, bar, ActionType.JOINT_REVIEW, JointReviewDialog)
        assert isinstance(dialog, JointReviewDialog)
        today = ctx.today()
        assert [a.text() for a in dialog.asked] == [
            "梧州市发展和改革委员会", "梧州市住房和城乡建设局", "梧州市自然资源局", "梧州市生态环境局"]
        for code, name in joint.DEPARTMENTS:
            due = today + dt.timedelta(days=1) if code == joint.LATE else dt.date.today() + dt.timedelta(days=5)
            dialog.choose(name, due)
        dialog.ok_button.click()
        _wait_closed(qtbot, dialog)
        _close_details()

    case = joint.start(tmp_path, platform.url, pages, choose=through_the_dialog)

    # The late department's window lists the case as 待联审 (and its filter finds it), and offers 联审意见.
    department = case.open(joint.LATE)
    try:
        sync_run.sync_once(department)
        window = MainWindow(department)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.summary_updated, timeout=WAIT):
            window.resize(1100, 600)
            window.show()
        row = window.model.row_of(case.case_id)
        assert row is not None
        assert window.model.data(window.model.index(row, Column.STATUS)) == "待联审"
        with qtbot.waitSignal(window.summary_updated, timeout=WAIT):
            window.filters.joint.setChecked(True)
        assert window.model.rowCount() == 1 and window.model.row_of(case.case_id) == 0
        window.close()
        _, bar = _detail(qtbot, department, case.case_id)
        assert bar.buttons[ActionType.JOINT_OPINION].isEnabled()
        _close_details()
    finally:
        drain_background()
        department.close()

    window = case.open(CITY, "approver")
    try:
        sync_run.sync_once(window)
        detail, bar = _detail(qtbot, window, case.case_id)
        panel = detail.joint
        assert panel is not None and detail.tabs.currentWidget() is panel
        assert panel.late_names == [joint.LATE_NAME]
        late_row = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())].index(joint.LATE_NAME)
        assert panel.table.item(late_row, 3).text() == "逾期未反馈"
        assert panel.table.item(late_row, 0).foreground().color().name() == LATE_COLOUR
        assert panel.table.item(0, 3).text() == "已反馈" and panel.table.item(0, 4).text() == "同意"
        assert panel.table.item(0, 0).foreground().color().name() != LATE_COLOUR
        decide = bar.buttons[ActionType.DECIDE]
        reason = f"联审意见未齐，不能作出决定：{joint.LATE_NAME}尚未反馈意见"
        assert not decide.isEnabled() and decide.toolTip() == reason
        assert panel.waiting.text() == reason
        detail.grab().save(str(tmp_path / "joint-review.png"))
        assert (tmp_path / "joint-review.png").stat().st_size > 10_000
        _close_details()
    finally:
        drain_background()
        window.close()

    # The late department answers from its own window; the decision is then the window's to take.
    department = case.open(joint.LATE)
    try:
        detail, bar = _detail(qtbot, department, case.case_id)
        dialog = _take_through(qtbot, bar, ActionType.JOINT_OPINION, JointOpinionDialog)
        assert isinstance(dialog, JointOpinionDialog)
        dialog.text.setPlainText("用地符合规划，同意。")
        dialog.ok_button.click()
        _wait_closed(qtbot, dialog)
        assert sync_run.sync_once(department).refused == []
        assert queries.case_ids(department, CaseFilter(joint=True)) == []  # answered: no longer 待联审
        assert not queries.case_rows(department, [case.case_id])[case.case_id].joint_waiting
    finally:
        drain_background()
        department.close()

    window = case.open(CITY, "approver")
    try:
        sync_run.sync_once(window)
        detail, bar = _detail(qtbot, window, case.case_id)
        assert detail.joint is not None and detail.joint.late_names == []
        assert not detail.joint.waiting.isVisible()
        assert bar.buttons[ActionType.DECIDE].isEnabled()
        _close_details()
    finally:
        drain_background()
        window.close()
