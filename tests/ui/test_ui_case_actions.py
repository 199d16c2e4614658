"""Lifecycle actions from the case's detail and from the case list's context menu, as the clerk,
the approver and the supervisor meet them: offered by state and role, each asking for its fields,
the list showing the new state without a reload, and 送达 ending with the signed 送达回证."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.lifecycle import ActionType
from app.services import case_desk, notices, queries, unit_settings
from app.services.context import AppContext
from app.services.intake import MaterialInput, new_case
from app.store import sync_state
from app.ui.action_dialogs import ActionDialog, DeliverDialog, FeeDialog, ForwardDialog, NotifyMissingDialog
from app.ui.case_actions_menu import CaseActionsBar
from app.ui.case_detail import CaseDetailDialog
from app.ui.case_model import Column
from app.ui.evaluation_window import EvaluationWindow
from app.ui.main_window import MainWindow
from app.ui.notice_sign_dialog import NoticeSignDialog
from app.ui.qt import QApplication, QContextMenuEvent, QDialogButtonBox, QMenu, QPlainTextEdit, Qt, QWidget, isValid
from app.ui.qt_print import QPrinter
from tests.conftest import ORG, PERSON, make_data_folder, snapshot
from tests.support import cases, folders
from tests.support.counter_people import applicant_signs, when_shown
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
#: what the offscreen platform says when a menu pops up
OFFSCREEN_POPUP = "This plugin does not support (raise|grabbing)"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, OFFSCREEN_POPUP)]
A = ActionType
COUNTY = "11450400MB0011223X"
WAIT = 20_000


@pytest.fixture
def desk(tmp_path: Path, pages: dict[str, Path]) -> Iterator[tuple[AppContext, str]]:
    """A clerk's context (notices printed straight to the printer) and an accepted case."""
    data = make_data_folder(tmp_path / "unit")
    opened = folders.open_signed_in(data)
    ctx = unit_settings.set_setting(opened, "print.mode", "silent")
    made = new_case(ctx, cases.ITEM, PERSON, cases.materials(pages["text"]))
    case_desk.take(ctx, made.id, A.ACCEPT)
    yield ctx, made.id
    drain_background()
    opened.close()


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def shown(kind: type) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def the_detail(qtbot: QtBot, instead_of: QWidget | None = None) -> CaseDetailDialog:
    """The case detail on the screen (the one shown ``instead_of`` another after an action), once its
    action buttons show what may be done."""
    def ready() -> bool:
        found = shown(CaseDetailDialog)
        bar = found[0].findChild(CaseActionsBar) if len(found) == 1 and found[0] is not instead_of else None
        return bar is not None and bool(bar.offers) and all(b.isVisible() for b in bar.buttons.values())

    qtbot.waitUntil(ready, timeout=WAIT)
    (detail,) = shown(CaseDetailDialog)
    assert isinstance(detail, CaseDetailDialog)
    return detail


def open_detail(qtbot: QtBot, ctx: AppContext, case_id: str) -> CaseDetailDialog:
    detail = CaseDetailDialog(queries.show_case(ctx, case_id), None, ctx=ctx)  # closed by the test: an
    detail.show()  # action replaces it with the detail as the case then stands
    return the_detail(qtbot)


def bar_of(detail: QWidget) -> CaseActionsBar:
    bar = detail.findChild(CaseActionsBar)
    assert bar is not None
    return bar


def offered(detail: QWidget) -> list[tuple[str, bool, str]]:
    return [(b.text(), b.isEnabled(), b.toolTip()) for b in bar_of(detail).buttons.values()]


def field_dialog(qtbot: QtBot, kind: type) -> ActionDialog:
    qtbot.waitUntil(lambda: len(shown(kind)) == 1, timeout=WAIT)
    (dialog,) = shown(kind)
    assert isinstance(dialog, ActionDialog)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog, timeout=WAIT)
    return dialog


def press(qtbot: QtBot, detail: QWidget, letter: Qt.Key) -> None:
    """Alt+letter on the detail, as the clerk takes an action from its row of buttons."""
    detail.activateWindow()
    qtbot.waitUntil(detail.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(detail, letter, Qt.KeyboardModifier.AltModifier)


def status_shown(window: MainWindow, case_id: str) -> str:
    row = window.model.row_of(case_id)
    assert row is not None
    return str(window.model.data(window.model.index(row, Column.STATUS)))


def test_review_decide_issue_and_deliver_from_the_detail_with_the_service_receipt_signed(
        qtbot: QtBot, desk: tuple[AppContext, str], tmp_path: Path) -> None:
    clerk, case_id = desk
    window = MainWindow(folders.as_role(clerk, "approver"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.summary_updated, timeout=WAIT):
        window.show()
    reloads: list[None] = []
    window.list_loaded.connect(lambda: reloads.append(None))
    assert status_shown(window, case_id) == "已受理"

    window.show_case(case_id)
    detail = the_detail(qtbot)
    press(qtbot, detail, Qt.Key.Key_S)  # 开始审查: nothing to ask
    qtbot.waitUntil(lambda: status_shown(window, case_id) == "审查中", timeout=WAIT)
    detail = the_detail(qtbot, instead_of=detail)  # shown again, as the case now stands, the next step focused
    assert bar_of(detail).buttons[A.DECIDE].isEnabled()

    press(qtbot, detail, Qt.Key.Key_D)  # 作出决定: 准予 is chosen, Enter takes it
    decide = field_dialog(qtbot, ActionDialog)
    qtbot.keyClick(decide, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status_shown(window, case_id) == "准予", timeout=WAIT)

    detail = the_detail(qtbot, instead_of=detail)
    press(qtbot, detail, Qt.Key.Key_I)  # 出件, with a note left empty
    issue = field_dialog(qtbot, ActionDialog)
    qtbot.keyClick(issue, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status_shown(window, case_id) == "已出件", timeout=WAIT)

    assert reloads == []  # each step showed in the list by its row alone, the list not loaded again

    # The clerk at the window hands the result over; the recipient signs the 送达回证 on the pad.
    with qtbot.waitSignal(window.list_loaded, timeout=WAIT):
        window.set_context(clerk)  # another person: the list is loaded for them
    reloads.clear()
    qtbot.waitUntil(lambda: not shown(CaseDetailDialog), timeout=WAIT)  # the approver's detail closed
    window.show_case(case_id)
    detail = the_detail(qtbot)
    bar_of(detail).desk.printer = pdf_printer(tmp_path / "printed.pdf")
    press(qtbot, detail, Qt.Key.Key_T)  # 送达
    deliver = field_dialog(qtbot, DeliverDialog)
    assert isinstance(deliver, DeliverDialog) and deliver.method.currentData() == "窗口自取"
    when_shown(NoticeSignDialog, applicant_signs)
    qtbot.keyClick(deliver, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status_shown(window, case_id) == "已送达", timeout=60_000)
    qtbot.waitUntil(lambda: any(n["signed"] for n in queries.show_case(clerk, case_id)["notices"]), timeout=60_000)

    case = queries.show_case(clerk, case_id)
    assert case["status"] == "delivered"
    assert [a["type"] for a in case["actions"]][-6:] == [
        "start_review", "decide", "issue", "deliver", "notice", "notice"]
    (receipt,) = [n for n in case["notices"] if n["kind"] == "送达回证"]
    assert receipt["signed"]
    record = notices.latest(clerk, case_id, notices.NoticeKind.SERVICE)
    assert record is not None and notices.signature_holds(clerk, record)
    stored = tmp_path / "receipt.pdf"
    stored.write_bytes(notices.pdf_of(clerk, record))
    text = subprocess.run(["pdftotext", str(stored), "-"], capture_output=True, text=True, timeout=30).stdout
    assert case["case_no"] in text and "窗口自取" in text.replace(" ", "")
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    assert reloads == []
    the_detail(qtbot, instead_of=detail).close()
    window.close()


def test_report_upward_chooses_the_parent_unit_by_its_name(qtbot: QtBot, desk: tuple[AppContext, str]) -> None:
    clerk, case_id = desk
    clerk.store.write(lambda db: sync_state.save_units(db, [
        {"code": COUNTY, "name": "梧州市长洲区行政审批局", "tier": "county", "parent": None},
        {"code": ORG, "name": "大塘街道便民服务中心", "tier": "township", "parent": COUNTY},
    ]))
    detail = open_detail(qtbot, clerk, case_id)
    press(qtbot, detail, Qt.Key.Key_U)
    forward = field_dialog(qtbot, ForwardDialog)
    assert isinstance(forward, ForwardDialog)
    assert [forward.unit.itemText(i) for i in range(forward.unit.count())] == ["梧州市长洲区行政审批局"]
    forward.text.insertPlainText("本级无权审批，报县级审批")  # typed through the input method
    forward.ok_button.click()
    qtbot.waitUntil(lambda: queries.show_case(clerk, case_id)["status"] == "forwarded", timeout=WAIT)
    last = queries.show_case(clerk, case_id)["actions"][-1]
    assert last["type"] == "forward" and last["payload"]["to"] == COUNTY
    assert queries.show_case(clerk, case_id)["holder"] == COUNTY
    the_detail(qtbot, instead_of=detail).close()


def test_mail_without_a_tracking_number_is_refused_in_chinese_and_nothing_is_written(
        qtbot: QtBot, desk: tuple[AppContext, str], tmp_path: Path) -> None:
    clerk, case_id = desk
    approver = folders.as_role(clerk, "approver")
    for kind, payload in ((A.START_REVIEW, {}), (A.DECIDE, {"result": "准予"}), (A.ISSUE, {})):
        case_desk.take(approver, case_id, kind, payload)
    detail = open_detail(qtbot, clerk, case_id)
    press(qtbot, detail, Qt.Key.Key_T)
    deliver = field_dialog(qtbot, DeliverDialog)
    assert isinstance(deliver, DeliverDialog)
    deliver.method.setCurrentIndex(deliver.method.findData("邮寄"))
    assert deliver.number.isVisible() and deliver.number_label.text().startswith("邮寄单号")
    before = snapshot(clerk.data_dir)
    deliver.cancel_button.setFocus()  # even from 取消, Enter takes the action and never cancels
    qtbot.keyClick(deliver.cancel_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "请填写邮寄单号" in deliver.message.text(), timeout=WAIT)
    assert deliver.isVisible() and QApplication.focusWidget() is deliver.number
    qtbot.keyClick(deliver.number, Qt.Key.Key_Return)  # again, still empty: refused again, still open
    qtbot.waitUntil(lambda: deliver.ok_button.isEnabled(), timeout=WAIT)
    assert deliver.isVisible() and QApplication.focusWidget() is deliver.number
    drain_background()
    assert snapshot(clerk.data_dir) == before
    assert queries.show_case(clerk, case_id)["status"] == "issued"

    bar_of(detail).desk.printer = pdf_printer(tmp_path / "printed.pdf")
    qtbot.keyClicks(deliver.number, "SF1234567890")
    qtbot.keyClick(deliver.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: queries.show_case(clerk, case_id)["status"] == "delivered", timeout=WAIT)
    qtbot.waitUntil(lambda: [n["kind"] for n in queries.show_case(clerk, case_id)["notices"]] == [
        "电子证照", "送达回证"], timeout=WAIT)  # the licence 出件 made, then the service notice
    the_detail(qtbot, instead_of=detail).close()


def test_who_may_not_sees_the_action_disabled_and_why(qtbot: QtBot, desk: tuple[AppContext, str]) -> None:
    clerk, case_id = desk
    detail = open_detail(qtbot, clerk, case_id)
    buttons = bar_of(detail).buttons
    assert not buttons[A.DECIDE].isEnabled()
    assert "请由审批人员办理" in buttons[A.DECIDE].toolTip()
    assert buttons[A.WITHDRAW].isEnabled() and buttons[A.WITHDRAW].toolTip() == ""
    detail.close()

    detail = open_detail(qtbot, folders.as_role(clerk, "supervisor"), case_id)
    got = offered(detail)
    assert got and not any(enabled for _, enabled, _ in got)
    assert all("效能监察" in why for _, _, why in got)
    detail.close()


def test_the_context_menu_of_a_row_offers_what_the_detail_offers(qtbot: QtBot, desk: tuple[AppContext, str]) -> None:
    clerk, case_id = desk
    window = MainWindow(clerk)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.summary_updated, timeout=WAIT):
        window.resize(1100, 600)
        window.show()
    row = window.model.row_of(case_id)
    assert row is not None
    window.table.setFocus()
    window.table.selectRow(row)

    detail = open_detail(qtbot, clerk, case_id)
    expected = offered(detail)
    detail.close()

    def menu_entries(open_menu: object) -> list[tuple[str, bool, str]]:
        window.activateWindow()
        window.table.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table, timeout=WAIT)
        with qtbot.waitSignal(window.case_menu.shown, timeout=WAIT) as opened:
            assert callable(open_menu)
            open_menu()
        menu = opened.args[0]
        assert isinstance(menu, QMenu) and menu.isVisible()
        entries = [(a.text(), a.isEnabled(), a.toolTip() if not a.isEnabled() else "") for a in menu.actions()]
        menu.close()
        return entries

    def right_click() -> None:
        pos = window.table.visualRect(window.model.index(row, Column.ITEM)).center()
        QApplication.sendEvent(window.table.viewport(),
                               QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, window.table.viewport()
                                                 .mapToGlobal(pos)))

    assert menu_entries(right_click) == expected
    assert menu_entries(lambda: qtbot.keyClick(window.table, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)) \
        == expected
    assert menu_entries(lambda: qtbot.keyClick(window.table, Qt.Key.Key_Menu)) == expected

    # Taken from the menu: the row shows the new state.
    with qtbot.waitSignal(window.case_menu.shown, timeout=WAIT) as opened:
        window.case_menu.open_at_current()
    menu = opened.args[0]
    (withdraw,) = [a for a in menu.actions() if a.text().startswith("撤回")]
    withdraw.trigger()
    dialog = field_dialog(qtbot, ActionDialog)
    reason = dialog.first_field()
    assert isinstance(reason, QPlainTextEdit)
    reason.insertPlainText("申请人不再申请")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status_shown(window, case_id) == "已撤回", timeout=WAIT)
    window.close()


def test_one_time_notice_from_the_detail_comes_pre_filled_from_the_checklist(
        qtbot: QtBot, desk: tuple[AppContext, str], pages: dict[str, Path]) -> None:
    clerk, _ = desk
    case_id = new_case(clerk, cases.ITEM, PERSON, cases.materials(pages["text"], without=[cases.HOUSEHOLD])).id
    detail = open_detail(qtbot, clerk, case_id)
    accept = bar_of(detail).buttons[A.ACCEPT]
    assert not accept.isEnabled() and cases.HOUSEHOLD in accept.toolTip()
    press(qtbot, detail, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: len(shown(NotifyMissingDialog)) == 1, timeout=WAIT)
    (notify,) = shown(NotifyMissingDialog)
    assert isinstance(notify, NotifyMissingDialog)
    assert [(d.material, d.problem) for d in notify.defects()] == [(cases.HOUSEHOLD, "未提供")]
    notify.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: queries.show_case(clerk, case_id)["status"] == "awaiting_materials", timeout=WAIT)
    assert queries.show_case(clerk, case_id)["missing"] == [cases.HOUSEHOLD]
    the_detail(qtbot, instead_of=detail).close()


def test_a_fee_and_the_applicants_rating_from_the_detail(qtbot: QtBot, desk: tuple[AppContext, str],
                                                         pages: dict[str, Path]) -> None:
    clerk, _ = desk
    case_id = new_case(clerk, "QR00203000", PERSON, [MaterialInput("不动产登记申请书", (pages["text"],))]).id
    detail = open_detail(qtbot, clerk, case_id)
    press(qtbot, detail, Qt.Key.Key_F)
    fee = field_dialog(qtbot, FeeDialog)
    assert isinstance(fee, FeeDialog) and fee.panel.basis.text()  # the catalogue's basis, pre-filled
    qtbot.keyClicks(fee.panel.amount, "80")
    qtbot.keyClicks(fee.panel.reference, "ZF20251120001")
    qtbot.keyClick(fee.panel.reference, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [f["reference"] for f in queries.show_case(clerk, case_id)["fees"]] == ["ZF20251120001"],
                    timeout=WAIT)

    detail = the_detail(qtbot, instead_of=detail)
    bar = bar_of(detail)
    bar.buttons[A.EVALUATE].click()
    qtbot.waitUntil(lambda: len(shown(EvaluationWindow)) == 1, timeout=WAIT)
    (rating,) = shown(EvaluationWindow)
    assert isinstance(rating, EvaluationWindow)
    rating.level_buttons["满意"].click()
    detail = the_detail(qtbot, instead_of=detail)
    assert "已评价" in bar_of(detail).buttons[A.EVALUATE].toolTip()
    assert queries.show_case(clerk, case_id)["evaluation"]["level"] == "满意"
    if isValid(rating):  # it thanks the applicant, then closes itself
        rating.close()
    detail.close()


def test_the_approver_revokes_the_licence_with_a_reason_from_the_detail(
        qtbot: QtBot, desk: tuple[AppContext, str]) -> None:
    clerk, case_id = desk
    approver = folders.as_role(clerk, "approver")
    for kind, payload in ((A.START_REVIEW, {}), (A.DECIDE, {"result": "准予"}), (A.ISSUE, {})):
        case_desk.take(approver, case_id, kind, payload)
    detail = open_detail(qtbot, clerk, case_id)
    assert "请由审批人员办理" in bar_of(detail).buttons[A.REVOKE_LICENCE].toolTip()  # the clerk may not
    detail.close()

    detail = open_detail(qtbot, approver, case_id)
    press(qtbot, detail, Qt.Key.Key_X)  # 注销证照: the reason is asked for
    revoke = field_dialog(qtbot, ActionDialog)
    qtbot.keyClick(revoke, Qt.Key.Key_Return)  # without one: refused in the rules' words, still open
    qtbot.waitUntil(lambda: "请填写注销的理由" in revoke.message.text(), timeout=WAIT)
    text = revoke.findChild(QPlainTextEdit)
    assert text is not None
    text.setPlainText("申请人申请注销")
    revoke.ok_button.click()
    qtbot.waitUntil(lambda: queries.show_case(clerk, case_id)["actions"][-1]["type"] == "revoke_licence",
                    timeout=WAIT)
    assert queries.show_case(clerk, case_id)["actions"][-1]["payload"]["reason"] == "申请人申请注销"
    detail = the_detail(qtbot, instead_of=detail)
    assert "已注销" in bar_of(detail).buttons[A.REVOKE_LICENCE].toolTip()
    detail.close()
