"""Printing a notice: to Qt's PDF output offscreen, through the preview, and through a real CUPS queue.

The printed file is checked as a user would: A4, and the QR code on the paper scans to the URL
the notice carries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.lifecycle import ActionType
from app.core.notice_kinds import NoticeKind
from app.core.settings import Settings
from app.documents.notice_model import NoticeDetails, NoticeMaterial, UnitHeader
from app.documents.notices import render
from app.services import notices
from app.services.case_actions import perform
from app.services.intake import MaterialInput, new_case
from app.store.bundled import NOTICE_FONT_FILE
from app.ui.notice_sign_dialog import NoticeSignDialog
from app.ui.printing import preview, print_notice, print_silently
from app.ui.qt import Qt, QWidget
from app.ui.qt_print import QPrinter, QPrintPreviewWidget
from tests.conftest import PERSON
from tests.support import folders
from tests.support.qr import qr_text

pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

URL = "https://zwfw.wuzhou.example.cn/progress/12450403MB19041020261207010007?code=ABCDEFGHIJ"


@pytest.fixture(scope="module")
def notice_pdf() -> bytes:
    details = NoticeDetails(
        kind=NoticeKind.ACCEPTANCE, unit=UnitHeader("万秀区城东镇便民服务中心", phone="0774-3822001"),
        case_no="12450403MB19041020261207010007", item_name="城乡居民基本养老保险参保登记", applicant_name="韦秀英",
        received_on=dt.date(2026, 12, 7), issued_at=dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC), clerk="黄丽",
        materials=(NoticeMaterial("参保登记表", 2),), accepted_on=dt.date(2026, 12, 7), promised_days=3,
        deadline=dt.date(2026, 12, 10), progress_url=URL, query_code="ABCDEFGHIJ")
    return render(details, NOTICE_FONT_FILE)


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def check_printed(path: Path, dpi: int = 150) -> None:
    """A4, one page, and its QR code scans to the notice's URL."""
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True, timeout=30).stdout
    assert "Pages:           1" in info and "(A4)" in info, info
    assert qr_text(path, (dpi, 300, 400)) == URL


def test_silent_printing_to_qt_pdf_output(qapp, notice_pdf: bytes, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "printed.pdf"
    print_silently(Settings(), notice_pdf, "受理通知书", printer=pdf_printer(out))
    check_printed(out)


def test_the_preview_shows_the_notice_and_prints_the_same(qtbot: QtBot, notice_pdf: bytes, tmp_path: Path) -> None:
    out = tmp_path / "from-preview.pdf"
    printer = pdf_printer(out)
    dialog = preview(None, notice_pdf, "受理通知书", printer=printer)
    qtbot.addWidget(dialog)
    dialog.show()
    widget = dialog.findChild(QPrintPreviewWidget)
    assert widget is not None
    qtbot.waitUntil(lambda: widget.pageCount() == 1)
    assert "受理通知书" in dialog.windowTitle()
    widget.print_()  # what 「打印」 in the preview does
    dialog.close()
    check_printed(out)


def test_a_stored_notice_is_printed_silently_and_the_print_recorded(  # type: ignore[no-untyped-def]
        qtbot: QtBot, ctx, data_dir: Path, pages: dict[str, Path], tmp_path: Path) -> None:
    made = new_case(ctx, "GG00231000", PERSON, [MaterialInput(name, (pages["text"],)) for name in
                                                ("城乡居民基本养老保险参保登记表", "申请人居民身份证", "户口簿")])
    perform(ctx, made.case_no, ActionType.ACCEPT)
    notice = notices.issue(ctx, made.case_no, NoticeKind.ACCEPTANCE)
    ctx = dataclasses.replace(ctx, settings=ctx.settings.with_value("print.mode", "silent"))
    parent = QWidget()
    qtbot.addWidget(parent)
    out = tmp_path / "printed.pdf"
    done: list[bool] = []
    print_notice(parent, ctx, notice, lambda: done.append(True), printer=pdf_printer(out))
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    text = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True, timeout=30).stdout
    assert "(A4)" in text
    conn = folders.connect(data_dir)
    try:
        rows = conn.execute("SELECT detail FROM views WHERE what = 'print' AND case_id = ?", [made.id]).fetchall()
    finally:
        conn.close()
    assert len(rows) == 1 and "受理通知书" in rows[0][0]


def test_an_unknown_printer_is_named_in_the_message(qapp) -> None:  # type: ignore[no-untyped-def]
    from app.core.errors import UserError
    settings = Settings({"print.printer": "不存在的打印机"})
    with pytest.raises(UserError, match="不存在的打印机"):
        print_silently(settings, b"%PDF", "x")


def test_the_applicant_signs_in_the_dialog(qtbot: QtBot) -> None:
    ticks = iter(range(1_000, 100_000, 15))
    dialog = NoticeSignDialog(NoticeKind.ACCEPTANCE, "12450403MB19041020261207010007", clock=lambda: next(ticks))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    canvas = dialog.pad.canvas
    left = Qt.MouseButton.LeftButton
    QTest.mousePress(canvas, left, Qt.KeyboardModifier.NoModifier, QPoint(40, 60))
    for i in range(1, 16):
        QTest.mouseMove(canvas, QPoint(40 + 15 * i, 60 + 45 * (i % 2)))
    QTest.mouseRelease(canvas, left, Qt.KeyboardModifier.NoModifier, QPoint(265, 105))
    dialog.pad.confirm_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.strokes is not None and dialog.strokes.point_count >= 16


# -- a real print queue ---------------------------------------------------------------------

@pytest.fixture
def cups_pdf_queue() -> Iterator[tuple[str, Path]]:
    """A private CUPS scheduler with a CUPS-PDF queue; (its socket, where CUPS-PDF writes root's jobs)."""
    if os.geteuid() != 0:
        pytest.skip("a private CUPS scheduler needs root (cupsd refuses to run its backends otherwise)")
    if not (shutil.which("cupsd", path="/usr/sbin:/usr/bin") and Path("/usr/lib/cups/backend/cups-pdf").exists()):
        pytest.skip("CUPS or the CUPS-PDF virtual printer is not installed (tools/sysdeps.sh installs them)")
    # Not under pytest's 0700 temporary folder: CUPS's filters run as ``lp`` and read the spool there.
    run = Path(tempfile.mkdtemp(prefix="ck-cups-", dir="/tmp"))
    run.chmod(0o755)
    for sub in ("spool", "cache", "state", "log"):
        (run / sub).mkdir()
    sock = run / "cups.sock"
    (run / "cupsd.conf").write_text(f"Listen {sock}\nLogLevel warn\nWebInterface No\n"
                                    "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n")
    (run / "cups-files.conf").write_text(
        f"ServerRoot {run}\nRequestRoot {run}/spool\nCacheDir {run}/cache\nStateDir {run}/state\n"
        f"ErrorLog {run}/log/error_log\nAccessLog {run}/log/access_log\nPageLog {run}/log/page_log\n"
        "ServerBin /usr/lib/cups\nDataDir /usr/share/cups\nUser lp\nGroup lp\n")
    daemon = subprocess.Popen(["/usr/sbin/cupsd", "-f", "-c", str(run / "cupsd.conf"), "-s",
                               str(run / "cups-files.conf")])
    try:
        env = {**os.environ, "CUPS_SERVER": str(sock)}
        deadline = time.monotonic() + 10
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        ppd = next(Path("/usr/share/ppd/cups-pdf").glob("*.ppd"), None)
        added = subprocess.run(["lpadmin", "-p", "NoticePDF", "-E", "-v", "cups-pdf:/",
                                *(["-P", str(ppd)] if ppd else ["-m", "everywhere"])],
                               env=env, capture_output=True, text=True, timeout=30)
        if added.returncode != 0:
            pytest.skip(f"could not add a CUPS-PDF queue: {added.stderr.strip()}")
        yield str(sock), Path(os.path.expanduser("~root")) / "PDF"
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        shutil.rmtree(run, ignore_errors=True)


def test_silent_printing_through_cups_to_a_virtual_pdf_printer(cups_pdf_queue: tuple[str, Path], notice_pdf: bytes,
                                                               tmp_path: Path) -> None:
    sock, outbox = cups_pdf_queue
    notice = tmp_path / "notice.pdf"
    notice.write_bytes(notice_pdf)
    title = f"notice-{os.getpid()}-{time.monotonic_ns()}"
    # In a process of its own: libcups reads CUPS_SERVER once, when Qt's print plugin first asks.
    script = (
        "import sys; from pathlib import Path; from app.ui.qt import QApplication; "
        "from app.core.settings import Settings; from app.ui.printing import print_silently; "
        "app = QApplication([]); "
        "print_silently(Settings({'print.printer': 'NoticePDF'}), Path(sys.argv[1]).read_bytes(), sys.argv[2])"
    )
    env = {**os.environ, "CUPS_SERVER": sock, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", script, str(notice), title], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 20
    found: list[Path] = []
    while not found and time.monotonic() < deadline:
        found = [p for p in outbox.glob(f"{title}*.pdf") if p.stat().st_size > 0]
        time.sleep(0.2)
    assert found, f"CUPS-PDF wrote nothing to {outbox}"
    size = -1
    while size != found[0].stat().st_size:  # the backend is done when the file stops growing
        size = found[0].stat().st_size
        time.sleep(0.3)
    # Ghostscript re-renders the job on its way through CUPS-PDF and softens the module edges:
    # read at 200 dpi (a printer puts 600 on paper).
    check_printed(found[0], dpi=200)
    found[0].unlink()
