"""How many keystrokes and clicks one three-material intake takes the clerk, with the devices' twins.

The run: the main window → Ctrl+N → 「gtgs」 → Enter → Alt+R (the ID card) → the phone number
(its digits are not counted: they are the applicant's data, not the software's demand) → F5
three times (after each scan the next missing material is chosen) → Alt+A (受理); the notice
prints silently (here to Qt's PDF output), the applicant signs and rates (their input, not the
clerk's). Every key press and mouse click the run makes is counted. Baseline, measured in the
same run: the same intake done with the mouse instead of the shortcuts (the 收件 button, a click
on each material and on each scan button), to show what the keyboard path saves.

Target (issue 14): ≤ 15. Prints the counts and the ratio.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/intake_keys.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from app.services import devices, queries, unit_settings
from app.ui.app import application
from app.ui.intake_dialog import IntakeDialog
from app.ui.main_window import MainWindow
from app.ui.notice_sign_dialog import NoticeSignDialog
from app.ui.qt import QApplication, Qt, QWidget
from app.ui.qt_print import QPrinter
from tests.conftest import make_data_folder
from tests.support import folders
from tests.support.counter_people import applicant_signs, when_shown

TARGET = 15
ITEM = "XK00147000"
PHONE = "13807740001"


class Clerk:
    """Presses keys and clicks as the clerk would, and counts each press (a key with its
    modifiers is one press; each character typed is one). The run only ends when the case is
    accepted, so a press the screen failed to act on cannot go uncounted."""

    def __init__(self) -> None:
        self.keys = 0
        self.clicks = 0

    def key(self, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
            ) -> None:
        self.keys += 1
        QTest.keyClick(widget, key, modifier)

    def type(self, widget: QWidget, text: str, *, counted: bool = True) -> None:
        self.keys += len(text) if counted else 0
        QTest.keyClicks(widget, text)

    def click(self, widget: QWidget, pos: QPoint | None = None) -> None:
        self.clicks += 1
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         pos if pos is not None else widget.rect().center())


def wait(app: QApplication, until: Callable[[], object], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not until():
        if time.monotonic() > end:
            raise TimeoutError("the intake did not get there in time")
        app.processEvents()
        time.sleep(0.005)


def one_intake(app: QApplication, data: Path, *, by_keyboard: bool) -> tuple[int, int, str]:
    ctx = folders.open_signed_in(data)
    ctx = unit_settings.set_setting(devices.use_simulated_devices(ctx), "print.mode", "silent")
    window = MainWindow(ctx)
    window.show()
    window.activateWindow()
    wait(app, lambda: QApplication.focusWidget() is window.search_box)
    clerk = Clerk()
    if by_keyboard:
        clerk.key(window.search_box, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    else:
        clerk.click(window.intake_button)
    wait(app, lambda: window.intake is not None and window.intake.draft_id is not None)
    dialog: IntakeDialog = window.intake  # type: ignore[assignment]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(data.parent / "printed.pdf"))
    dialog.printer = printer
    clerk.type(dialog.picker.field, "gtgs")
    wait(app, lambda: dialog.picker.current_code == ITEM)
    clerk.key(dialog.picker.field, Qt.Key.Key_Return)
    wait(app, lambda: dialog.item_code == ITEM and not dialog._busy)
    if by_keyboard:
        clerk.key(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    else:
        clerk.click(dialog.applicant.read_card_button)
    wait(app, lambda: not dialog._busy and dialog.applicant.name.text())
    if by_keyboard:  # the card filled the form and put the cursor in the phone field
        assert QApplication.focusWidget() is dialog.applicant.phone
    else:
        clerk.click(dialog.applicant.phone)
    clerk.type(dialog.applicant.phone, PHONE, counted=False)  # the applicant's data, not the software's demand
    for _ in range(3):
        if not by_keyboard:  # the clerk picks the material in the list, then clicks the scan button
            name = dialog.materials.next_missing()
            assert name is not None
            row = dialog.materials.names().index(name)
            rect = dialog.materials.table.visualRect(dialog.materials.table.model().index(row, 0))
            clerk.click(dialog.materials.table.viewport(), rect.center())
            clerk.click(dialog.scan_buttons["adf"])
        else:
            clerk.key(dialog, Qt.Key.Key_F5)
        wait(app, lambda: not dialog._busy)

    when_shown(NoticeSignDialog, applicant_signs)  # the applicant signs and rates: their input, not the clerk's
    done: list[str] = []
    dialog.received.connect(done.append)
    dialog.evaluation_opened.connect(lambda w: w.level_buttons["满意"].click())
    if by_keyboard:
        clerk.key(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    else:
        clerk.click(dialog.accept_button)
    wait(app, lambda: bool(done))
    status = queries.show_case(ctx, done[0])["status"]
    window.close()
    wait(app, lambda: True)
    ctx.close()
    return clerk.keys, clerk.clicks, status


def main() -> int:
    app = application(["bench"])
    results = {}
    for by_keyboard in (True, False):
        data = make_data_folder(Path(tempfile.mkdtemp(prefix="intake-keys-")))
        keys, clicks, status = one_intake(app, data, by_keyboard=by_keyboard)
        results[by_keyboard] = (keys, clicks, status)
    keys, clicks, status = results[True]
    base_keys, base_clicks, _ = results[False]
    total, base = keys + clicks, base_keys + base_clicks
    print(f"keyboard path : {keys} keys + {clicks} clicks = {total} (case {status})")
    print(f"mouse path    : {base_keys} keys + {base_clicks} clicks = {base} (baseline, same run)")
    print(f"ratio keyboard/mouse: {total / base:.2f}")
    print(f"target ≤ {TARGET}: {'OK' if total <= TARGET and status == 'accepted' else 'MISSED'}")
    return 0 if total <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
