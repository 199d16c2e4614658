"""收件 in the window, kept as a draft: the card fills the applicant, the scanner the materials, and the
decision (受理, 一次性告知, 不予受理) is taken on the same screen, with the simulated twins of the devices."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.notice_kinds import NoticeKind
from app.services import devices, drafts, intake, notices, queries, unit_settings
from app.services.context import AppContext
from app.ui import translation
from app.ui.decision_dialogs import DefectsDialog, ReasonDialog
from app.ui.evaluation_window import EvaluationWindow
from app.ui.intake_dialog import IntakeDialog
from app.ui.main_window import MainWindow
from app.ui.notice_sign_dialog import NoticeSignDialog
from app.ui.qt import QApplication, QInputMethodEvent, QMessageBox, Qt, QTimer, QWidget
from app.ui.qt_print import QPrinter
from tests.support.counter_people import when_shown
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
ITEM = "XK00147000"  # 个体工商户设立登记: three required materials
REQUIRED = ["个体工商户登记（备案）申请书", "经营者居民身份证", "经营场所使用证明"]


def opened(qtbot: QtBot, ctx: AppContext, draft_id: str | None = None) -> IntakeDialog:
    d = IntakeDialog(ctx, draft_id=draft_id)
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.finished_step, timeout=30_000):
        d.show()
    return d


@pytest.fixture
def sim(ctx: AppContext) -> AppContext:
    # Notices print straight to the printer (a PDF file here), with no preview to wait on.
    return unit_settings.set_setting(devices.use_simulated_devices(ctx), "print.mode", "silent")


@pytest.fixture(autouse=True)
def applicant_at_the_counter(qtbot: QtBot) -> Iterator[None]:
    """The applicant declines to sign on the pad and closes the rating screen (other tests sign and rate)."""
    def decline() -> None:
        for w in QApplication.topLevelWidgets():
            if w.isVisible() and isinstance(w, EvaluationWindow):
                w.close()
            elif w.isVisible() and isinstance(w, NoticeSignDialog):
                w.reject()
        timer.start()

    timer = QTimer()
    timer.setSingleShot(True)
    timer.setInterval(50)
    timer.timeout.connect(decline)
    timer.start()
    yield
    timer.stop()


@pytest.fixture
def dialog(qtbot: QtBot, sim: AppContext, tmp_path: Path) -> Iterator[IntakeDialog]:
    d = opened(qtbot, sim)
    d.printer = pdf_printer(tmp_path / "printed.pdf")
    choose_item(qtbot, d, ITEM)
    yield d
    drain_background()


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def step(qtbot: QtBot, dialog: IntakeDialog, action: Callable[[], object]) -> str:
    with qtbot.waitSignal(dialog.finished_step, timeout=60_000):
        action()
    return str(dialog.message.text())


def choose_item(qtbot: QtBot, dialog: IntakeDialog, code: str) -> None:
    step(qtbot, dialog, lambda: dialog.choose_item(code))
    qtbot.waitUntil(lambda: dialog.item_code == code and dialog.materials.current() is not None)


def scan(qtbot: QtBot, dialog: IntakeDialog, material: str) -> str:
    dialog.select_material(material)
    return step(qtbot, dialog, dialog.scan_buttons["adf"].click)


def type_chinese(edit: QWidget, text: str) -> None:
    """As an input method commits Chinese text (QTest types ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def answer_next_question(answer: QMessageBox.StandardButton) -> list[str]:
    """Click ``answer`` in the next question box the dialog asks (as the clerk would)."""
    asked: list[str] = []

    def click() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                asked.append(w.text())
                w.button(answer).click()
                return
        QTimer.singleShot(20, click)

    QTimer.singleShot(20, click)
    return asked


def test_gtgs_card_three_materials_and_accept_make_an_accepted_case(qtbot: QtBot, sim: AppContext,
                                                                    ctx: AppContext, tmp_path: Path) -> None:
    dialog = opened(qtbot, sim)
    dialog.printer = pdf_printer(tmp_path / "printed.pdf")
    qtbot.waitUntil(lambda: dialog.picker.field.hasFocus() or QApplication.focusWidget() is dialog.picker.field)
    qtbot.keyClicks(dialog.picker.field, "gtgs")
    qtbot.waitUntil(lambda: dialog.picker.current_code == ITEM, timeout=10_000)
    with qtbot.waitSignal(dialog.finished_step, timeout=30_000):
        qtbot.keyClick(dialog.picker.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.item_code == ITEM and dialog.materials.current() == REQUIRED[0])
    assert step(qtbot, dialog, dialog.applicant.read_card_button.click).startswith("已读取身份证：")
    card = devices.read_id_card(dialog.context)
    assert (dialog.applicant.name.text(), dialog.applicant.id_number.text()) == (card["name"], card["id_number"])
    dialog.applicant.phone.setText("13807740001")
    stored: list[tuple[str, int]] = []
    dialog.page_stored.connect(lambda name, n: stored.append((name, n)))
    for material in REQUIRED:
        assert dialog.materials.current() == material  # the next one missing is chosen after each scan
        assert step(qtbot, dialog, dialog.scan_buttons["adf"].click) == f"“{material}”已扫描 3 页"
        dialog.select_material(material)
        qtbot.waitUntil(lambda: dialog.pages.count() == 3 and dialog.pages.thumbnails_shown() == 3, timeout=20_000)
        dialog.materials.select(dialog.materials.next_missing() or material)
    assert [n for name, n in stored if name == REQUIRED[0]] == [1, 2, 3]  # each page was stored as it came
    assert dialog.materials.completeness.text() == "3/3"

    with qtbot.waitSignal(dialog.received, timeout=60_000) as received:
        dialog.accept_button.click()
    case = queries.show_case(ctx, received.args[0])
    assert case["status"] == "accepted" and case["item_code"] == ITEM
    assert case["applicant"]["id_number"] == card["id_number"]
    assert [(m["name"], len(m["pages"])) for m in case["materials"]] == [(n, 3) for n in REQUIRED]
    assert drafts.open_drafts(ctx) == []


def test_accept_with_a_required_material_missing_is_refused_and_names_it(qtbot: QtBot, dialog: IntakeDialog,
                                                                         ctx: AppContext) -> None:
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    scan(qtbot, dialog, REQUIRED[0])
    scan(qtbot, dialog, REQUIRED[2])
    message = step(qtbot, dialog, dialog.accept_button.click)
    assert "经营者居民身份证" in message and "不能受理" in message
    assert not dialog.cancel_button.hasFocus()
    assert dialog.isVisible() and queries.list_cases(ctx) == []
    (left,) = drafts.open_drafts(ctx)
    assert left.pages == 6  # nothing lost


def test_a_phone_of_three_digits_is_caught_as_typed_and_the_focus_goes_to_it(qtbot: QtBot,
                                                                           dialog: IntakeDialog) -> None:
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    qtbot.keyClicks(dialog.applicant.phone, "123")
    dialog.applicant.phone.editingFinished.emit()
    assert "11位" in dialog.applicant.problem.text()
    dialog.receive_button.click()
    assert "11位" in dialog.message.text()
    qtbot.waitUntil(lambda: dialog.applicant.phone.hasFocus() or QApplication.focusWidget() is dialog.applicant.phone)


def test_esc_keeps_the_draft_and_the_window_offers_it_again(qtbot: QtBot, window: MainWindow) -> None:
    window.open_intake()
    dialog = window.intake
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.draft_id is not None, timeout=20_000)
    dialog.set_context(devices.use_simulated_devices(dialog.context))
    choose_item(qtbot, dialog, ITEM)
    scan(qtbot, dialog, REQUIRED[1])
    type_chinese(dialog.applicant.name, "韦秀英")
    draft_id = dialog.draft_id
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.drafts_button.isVisible(), timeout=20_000)
    assert "未完成的收件（1）" in window.drafts_button.text()
    (offered,) = window.open_drafts
    assert offered.id == draft_id and offered.pages == 3 and offered.applicant_name == "韦秀英"
    window.drafts_menu.actions()[0].trigger()
    again = window.intake
    assert again is not None and again is not dialog
    qtbot.waitUntil(lambda: again.materials.current() is not None, timeout=20_000)
    again.select_material(REQUIRED[1])
    qtbot.waitUntil(lambda: again.pages.count() == 3, timeout=20_000)
    assert again.applicant.name.text() == "韦秀英"
    again.reject()


def test_cancel_asks_then_discards(qtbot: QtBot, dialog: IntakeDialog, ctx: AppContext) -> None:
    scan(qtbot, dialog, REQUIRED[0])
    asked = answer_next_question(QMessageBox.StandardButton.No)
    dialog.cancel_button.click()
    assert asked and "取消" in asked[0]
    assert dialog.isVisible() and len(drafts.open_drafts(ctx)) == 1
    answer_next_question(QMessageBox.StandardButton.Yes)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    assert drafts.open_drafts(ctx) == []


def test_changing_the_item_asks_about_materials_the_new_checklist_lacks(qtbot: QtBot, dialog: IntakeDialog,
                                                                      ctx: AppContext) -> None:
    scan(qtbot, dialog, REQUIRED[0])
    asked = answer_next_question(QMessageBox.StandardButton.No)
    dialog.choose_item("GG00231000")
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    assert REQUIRED[0] in asked[0]
    qtbot.waitUntil(lambda: not dialog._busy)
    assert dialog.item_code == ITEM
    assert drafts.load(ctx, str(dialog.draft_id)).materials[REQUIRED[0]]


def test_one_time_notice_lists_the_missing_materials(qtbot: QtBot, dialog: IntakeDialog, ctx: AppContext) -> None:
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    scan(qtbot, dialog, REQUIRED[0])
    seen: list[list[str]] = []

    def fill(d: object) -> None:
        assert isinstance(d, DefectsDialog)
        seen.append([x.material for x in d.defects()])
        d.accept()

    when_shown(DefectsDialog, fill)
    with qtbot.waitSignal(dialog.received, timeout=60_000) as received:
        dialog.notify_button.click()
    assert seen == [REQUIRED[1:]]  # pre-filled from the checklist
    case = queries.show_case(ctx, received.args[0])
    assert case["status"] == "awaiting_materials"


def test_reject_needs_a_reason(qtbot: QtBot, dialog: IntakeDialog, ctx: AppContext) -> None:
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    scan(qtbot, dialog, REQUIRED[0])

    def fill(d: object) -> None:
        assert isinstance(d, ReasonDialog)
        d.text.setPlainText("申请事项不属于本机关职权范围")
        d.accept()

    when_shown(ReasonDialog, fill)
    with qtbot.waitSignal(dialog.received, timeout=60_000) as received:
        dialog.reject_button.click()
    case = queries.show_case(ctx, received.args[0])
    assert case["status"] == "rejected"


def test_an_open_case_of_the_same_applicant_and_item_is_flagged_with_a_link(
        qtbot: QtBot, dialog: IntakeDialog, sim: AppContext, pages: dict[str, Path]) -> None:
    card = devices.read_id_card(sim)
    applicant = {k: card[k] for k in ("kind", "name", "id_type", "id_number", "address")}
    earlier = intake.new_case(sim, ITEM, applicant, [intake.MaterialInput(REQUIRED[0], (pages["text"],))])
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    qtbot.waitUntil(lambda: dialog.duplicate.isVisible(), timeout=10_000)
    assert earlier.case_no in dialog.duplicate.text() and "已收件" in dialog.duplicate.text()
    with qtbot.waitSignal(dialog.open_case) as opened_case:
        dialog.duplicate.linkActivated.emit(earlier.id)
    assert opened_case.args == [earlier.id]
    choose_item(qtbot, dialog, "GG00231000")  # another item: nothing to flag
    qtbot.waitUntil(lambda: not dialog.duplicate.isVisible(), timeout=10_000)


def test_a_fee_entered_at_the_window_is_recorded_with_the_case(qtbot: QtBot, dialog: IntakeDialog,
                                                              ctx: AppContext) -> None:
    choose_item(qtbot, dialog, "QR00203000")  # 不动产转移登记: charges a fee
    assert dialog.side.isTabVisible(dialog.side.indexOf(dialog.fee))
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    dialog.fee.amount.setText("80")
    dialog.fee.reference.setText("GX2026120700012345")
    dialog.fee.record.click()
    assert dialog.fee_entry == (8000, dialog.fee.basis.text(), "GX2026120700012345")
    scan(qtbot, dialog, "不动产登记申请书")
    with qtbot.waitSignal(dialog.received, timeout=60_000) as received:
        dialog.receive_button.click()
    (fee,) = queries.show_case(ctx, received.args[0])["fees"]
    assert fee["amount_fen"] == 8000 and fee["reference"] == "GX2026120700012345"
    choose_free = IntakeDialog(dialog.context)
    qtbot.addWidget(choose_free)
    assert not choose_free.side.isTabVisible(choose_free.side.indexOf(choose_free.fee))


def test_a_sheet_under_the_document_camera_goes_into_the_selected_material(qtbot: QtBot, dialog: IntakeDialog,
                                                                           ctx: AppContext) -> None:
    dialog.select_material(REQUIRED[2])
    qtbot.keyClick(dialog, Qt.Key.Key_F7)
    camera = dialog.camera_dialog
    assert camera is not None
    qtbot.waitUntil(lambda: camera.preview.capture_button.isEnabled(), timeout=20_000)
    with qtbot.waitSignal(dialog.finished_step, timeout=60_000):
        camera.preview.capture_button.click()
    assert dialog.message.text() == f"“{REQUIRED[2]}”已拍摄，共 1 页"
    (page,) = drafts.load(ctx, str(dialog.draft_id)).materials[REQUIRED[2]]
    assert page.meta["source"] == "camera"  # the camera path: the sheet found and rectified


def test_a_zero_day_item_is_settled_on_the_spot_and_the_service_receipt_printed(
        qtbot: QtBot, dialog: IntakeDialog, ctx: AppContext, tmp_path: Path) -> None:
    assert dialog.settle_button.isHidden()  # 个体工商户设立登记 has a time limit
    choose_item(qtbot, dialog, "GG00412000")  # 生育登记: 即办件
    assert not dialog.settle_button.isHidden()
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    for material in ("生育登记表", "夫妻双方居民身份证"):
        scan(qtbot, dialog, material)
    with qtbot.waitSignal(dialog.received, timeout=60_000) as received:
        qtbot.keyClick(dialog, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    case = queries.show_case(ctx, received.args[0])
    assert case["status"] == "delivered"
    assert [a["type"] for a in case["actions"] if a["type"] != "notice"] == [
        "receive", "accept", "decide", "issue", "deliver"]
    # the licence issued on the spot is listed with the notices (its seal is checked and grown there)
    assert [n["kind"] for n in case["notices"]] == ["电子证照", "送达回证"]
    assert (tmp_path / "printed.pdf").stat().st_size > 0  # printed for the applicant to sign
    stored = tmp_path / "stored.pdf"
    served = notices.latest(ctx, case["id"], NoticeKind.SERVICE)
    assert served is not None
    stored.write_bytes(notices.pdf_of(ctx, served, signed=False))
    text = subprocess.run(["pdftotext", str(stored), "-"], capture_output=True, text=True, check=True).stdout
    assert "送达回证" in text and case["case_no"] in text


def test_a_page_is_scanned_again_in_its_place_from_the_strip(qtbot: QtBot, dialog: IntakeDialog,
                                                            ctx: AppContext) -> None:
    scan(qtbot, dialog, REQUIRED[0])
    dialog.select_material(REQUIRED[0])
    qtbot.waitUntil(lambda: dialog.pages.count() == 3, timeout=20_000)
    before = drafts.load(ctx, str(dialog.draft_id)).materials[REQUIRED[0]]
    dialog.pages.setFocus()
    dialog.pages.setCurrentRow(1)
    with qtbot.waitSignal(dialog.finished_step, timeout=60_000):
        qtbot.keyClick(dialog.pages, Qt.Key.Key_F5, Qt.KeyboardModifier.ControlModifier)
    after = drafts.load(ctx, str(dialog.draft_id)).materials[REQUIRED[0]]
    assert len(after) == 3 and (after[0], after[2]) == (before[0], before[2]) and after[1] != before[1]
    assert dialog.materials.current() == REQUIRED[0]  # the checklist stays on the material just fixed
    qtbot.waitUntil(lambda: dialog.pages.pages() == after, timeout=20_000)
    with qtbot.waitSignal(dialog.finished_step, timeout=60_000):
        qtbot.keyClick(dialog.pages, Qt.Key.Key_Insert)  # in front of page 2: the feeder's sheets
    inserted = drafts.load(ctx, str(dialog.draft_id)).materials[REQUIRED[0]]
    assert inserted[0] == after[0] and inserted[-2:] == after[1:] and len(inserted) > 3


@pytest.fixture
def english(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    translators = translation.install_translators(qapp, "en", tmp_path / "qm")
    yield
    translation.remove_translators(qapp, translators)


def test_in_english_a_refused_accept_names_the_missing_material(qtbot: QtBot, english: None, sim: AppContext,
                                                                ctx: AppContext, tmp_path: Path) -> None:
    dialog = opened(qtbot, sim)
    dialog.printer = pdf_printer(tmp_path / "printed.pdf")
    choose_item(qtbot, dialog, ITEM)
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    scan(qtbot, dialog, REQUIRED[0])
    scan(qtbot, dialog, REQUIRED[2])
    assert step(qtbot, dialog, dialog.accept_button.click) == (
        "Required materials missing: “经营者居民身份证”. The case cannot be accepted. "
        "Ask the applicant to supply them, or issue a one-time notice.")
    assert queries.list_cases(ctx) == [] and len(drafts.open_drafts(ctx)) == 1  # the draft stays
    drain_background()


def test_in_english_a_bad_phone_says_how_many_digits_it_has(qtbot: QtBot, english: None, sim: AppContext) -> None:
    dialog = opened(qtbot, sim)
    choose_item(qtbot, dialog, ITEM)
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    qtbot.keyClicks(dialog.applicant.phone, "123")
    dialog.applicant.phone.editingFinished.emit()
    assert dialog.applicant.problem.text() == "A mobile number has 11 digits; this one has 3"
    dialog.receive_button.click()
    assert dialog.message.text() == "A mobile number has 11 digits; this one has 3"
    drain_background()


def test_in_chinese_the_refusal_reads_as_before(qtbot: QtBot, dialog: IntakeDialog) -> None:
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    scan(qtbot, dialog, REQUIRED[0])
    assert step(qtbot, dialog, dialog.accept_button.click) == (
        "缺少必要材料：“经营者居民身份证”、“经营场所使用证明”，不能受理。请申请人补齐，或出具一次性告知书")


def test_in_english_the_one_time_notice_still_says_in_chinese_what_is_missing(
        qtbot: QtBot, english: None, sim: AppContext, ctx: AppContext, tmp_path: Path) -> None:
    """The notice is a Chinese document for the applicant: the pre-filled problem is not the UI's English."""
    dialog = opened(qtbot, sim)
    dialog.printer = pdf_printer(tmp_path / "printed.pdf")
    choose_item(qtbot, dialog, ITEM)
    step(qtbot, dialog, dialog.applicant.read_card_button.click)
    scan(qtbot, dialog, REQUIRED[0])
    when_shown(DefectsDialog, lambda d: d.accept())  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.received, timeout=60_000) as received:
        dialog.notify_button.click()
    (notice,) = notices.notices_of(ctx, received.args[0])
    stored = tmp_path / "notice.pdf"
    stored.write_bytes(notices.pdf_of(ctx, notice, signed=False))
    text = subprocess.run(["pdftotext", str(stored), "-"], capture_output=True, text=True, check=True).stdout
    assert "未提供" in text and "Not provided" not in text
    drain_background()
