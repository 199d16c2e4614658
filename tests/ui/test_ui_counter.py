"""The whole counter transaction in the window, with the devices' twins and the real platform.

Sign in → Ctrl+N → 「gtgs」 → the item → the ID card → three materials scanned (thumbnails shown) →
受理 → the 受理通知书 printed (to a PDF through Qt's printing) → the applicant signs → they rate
the service 满意; then one sync: everything recorded reaches the platform. The same for
一次性告知 and 不予受理. The printed notice is checked as a person would: its text, its fonts and
its QR code.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services import devices, notices, queries, sync_run, unit_settings
from app.services.context import AppContext, init_data_dir
from app.sync.retry import RetryPolicy
from app.ui.case_detail import CaseDetailDialog
from app.ui.decision_dialogs import DefectsDialog, ReasonDialog
from app.ui.evaluation_window import EvaluationWindow
from app.ui.intake_dialog import IntakeDialog
from app.ui.main_window import MainWindow
from app.ui.notice_sign_dialog import NoticeSignDialog
from app.ui.qt import QApplication, Qt, isValid
from app.ui.qt_print import QPrinter
from tests.platform_fixture import platform  # noqa: F401
from tests.support import folders
from tests.support.counter_people import applicant_signs, when_shown
from tests.support.platform import TOWNSHIP, USERS, PlatformProcess
from tests.support.qr import qr_text
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
ITEM = "XK00147000"  # 个体工商户设立登记
REQUIRED = ["个体工商户登记（备案）申请书", "经营者居民身份证", "经营场所使用证明"]


@pytest.fixture
def township(tmp_path: Path, platform: PlatformProcess,  # noqa: F811
             monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=2, base=0.05, cap=0.1))
    init_data_dir(tmp_path / "township", TOWNSHIP, platform.url)
    folders.enrol(tmp_path / "township", USERS[TOWNSHIP])
    opened = folders.open_signed_in(tmp_path / "township")
    # The counter prints straight to its printer (here Qt's PDF output), without a preview.
    ctx = unit_settings.set_setting(devices.use_simulated_devices(opened), "print.mode", "silent")
    yield ctx
    drain_background()
    ctx.close()


def start_intake(qtbot: QtBot, ctx: AppContext, out: Path) -> tuple[MainWindow, IntakeDialog]:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search_box)
    qtbot.keyClick(window.search_box, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.intake is not None)
    dialog = window.intake
    assert dialog is not None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    dialog.printer = printer
    qtbot.waitUntil(lambda: dialog.draft_id is not None and QApplication.focusWidget() is dialog.picker.field,
                    timeout=20_000)
    qtbot.keyClicks(dialog.picker.field, "gtgs")
    qtbot.waitUntil(lambda: dialog.picker.current_code == ITEM, timeout=10_000)
    qtbot.keyClick(dialog.picker.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.item_code == ITEM and dialog.materials.current() == REQUIRED[0], timeout=20_000)
    with qtbot.waitSignal(dialog.finished_step, timeout=30_000):
        qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # 读身份证
    qtbot.keyClicks(dialog.applicant.phone, "13807740001")
    return window, dialog


def scan_all(qtbot: QtBot, dialog: IntakeDialog, names: list[str]) -> None:
    for name in names:
        assert dialog.materials.current() == name
        with qtbot.waitSignal(dialog.finished_step, timeout=60_000):
            qtbot.keyClick(dialog, Qt.Key.Key_F5)
        # Each page showed as a thumbnail as it arrived; then the next missing material is chosen.
        qtbot.waitUntil(lambda: dialog.pages.count() == 3 and dialog.pages.thumbnails_shown() == 3, timeout=20_000)
        if name != names[-1]:
            qtbot.waitUntil(lambda n=name: dialog.materials.current() != n, timeout=10_000)  # type: ignore[misc]


def synced(ctx: AppContext) -> sync_run.SyncReport:
    report = sync_run.sync_once(ctx)
    assert report.refused == [] and report.pending == 0, report
    return report


def test_accept_print_sign_and_rate_then_sync(qtbot: QtBot, township: AppContext, tmp_path: Path) -> None:
    printed = tmp_path / "printed.pdf"
    window, dialog = start_intake(qtbot, township, printed)
    scan_all(qtbot, dialog, REQUIRED)
    rated: list[EvaluationWindow] = []
    dialog.evaluation_opened.connect(rated.append)
    when_shown(NoticeSignDialog, applicant_signs)
    with qtbot.waitSignal(dialog.received, timeout=60_000) as received:
        qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # 受理
    case_no = received.args[0]
    (evaluation,) = rated
    with qtbot.waitSignal(evaluation.evaluated, timeout=20_000):
        evaluation.level_buttons["满意"].click()

    case = queries.show_case(township, case_no)
    assert case["status"] == "accepted"
    # The window lists the new case at once, at the top, and re-reads nothing else (no reset).
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and window.model.case_id(0) == case["id"], timeout=5000)
    assert [(m["name"], len(m["pages"])) for m in case["materials"]] == [(n, 3) for n in REQUIRED]
    (notice,) = case["notices"]
    assert notice["kind"] == "受理通知书" and notice["signed"]
    assert case["evaluation"]["level"] == "满意"

    # What came out of the printer scans to the case's progress page (looked at as a phone would:
    # closer if the first look does not read it; the printer's raster softens the module edges).
    qr = qr_text(printed, (300, 200, 400))
    assert qr and case_no in qr, qr
    # The notice as stored (and reprinted): the case number in digits, the applicant, the deadline, fonts embedded.
    stored = tmp_path / "notice.pdf"
    stored.write_bytes(notices.pdf_of(township, notices.notices_of(township, case_no)[0], signed=False))
    text = subprocess.run(["pdftotext", str(stored), "-"], capture_output=True, text=True, timeout=30).stdout
    due = dt.date.fromisoformat(case["deadline"]["date"])
    assert case_no in text and case["applicant"]["name"] in text.replace(" ", "")
    assert f"{due.year}年{due.month}月{due.day}日" in text.replace(" ", "") or case["deadline"]["date"] in text, text
    fonts = subprocess.run(["pdffonts", str(stored)], capture_output=True, text=True, timeout=30).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in f" {r} " for r in rows), fonts

    report = synced(township)
    assert report.pushed >= 4  # receive, accept, the notice twice (issued, signed), the evaluation

    # The case detail lists the notice, signed, and can print it again.
    window.show_case(case["id"])
    qtbot.waitUntil(lambda: any(isinstance(w, CaseDetailDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10_000)
    (detail,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, CaseDetailDialog) and w.isVisible()]
    assert [detail.notices.item(0, c).text() for c in (1, 2)] == ["受理通知书", "已签名"]
    assert detail.reprint_button.isEnabled()
    detail.close()
    if isValid(evaluation):  # it closes itself a few seconds after the thanks; a slow run is past that
        evaluation.close()
    window.close()


@pytest.mark.parametrize("decision", ["一次性告知", "不予受理"])
def test_the_other_decisions_print_their_notice_and_sync(qtbot: QtBot, township: AppContext, tmp_path: Path,
                                                         decision: str) -> None:
    window, dialog = start_intake(qtbot, township, tmp_path / "printed.pdf")
    scan_all(qtbot, dialog, REQUIRED[:1])
    rated: list[EvaluationWindow] = []
    dialog.evaluation_opened.connect(rated.append)
    if decision == "一次性告知":
        def fill(d: object) -> None:
            assert isinstance(d, DefectsDialog)
            d.accept()
        when_shown(DefectsDialog, fill)
        button, status, kind = dialog.notify_button, "awaiting_materials", "一次性告知书"
    else:
        def reason(d: object) -> None:
            assert isinstance(d, ReasonDialog)
            d.text.setPlainText("申请事项不属于本机关职权范围，请向县市场监督管理局申请")
            d.accept()
        when_shown(ReasonDialog, reason)
        button, status, kind = dialog.reject_button, "rejected", "不予受理通知书"
    with qtbot.waitSignal(dialog.received, timeout=60_000) as received:
        button.click()
    (evaluation,) = rated
    with qtbot.waitSignal(evaluation.evaluated, timeout=20_000):
        evaluation.level_buttons["基本满意"].click()
    case = queries.show_case(township, received.args[0])
    assert case["status"] == status and [n["kind"] for n in case["notices"]] == [kind]
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    synced(township)
    if isValid(evaluation):  # it closes itself a few seconds after the thanks; a slow run is past that
        evaluation.close()
    window.close()
