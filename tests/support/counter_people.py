"""The people on the other side of the counter, for the window's tests and benches: the
applicant who signs on the pad, and a hand for the modal windows a transaction opens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest

from app.ui.notice_sign_dialog import NoticeSignDialog
from app.ui.qt import QApplication, Qt, QTimer

#: how long :func:`when_shown` keeps looking (then it stops: it must not act on a later test's window)
LOOK_MS = 60_000


def when_shown(kind: type, act: Callable[[object], None]) -> None:
    """Act on the next ``kind`` window when it shows (a modal the transaction opens)."""
    def look(left: int) -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, kind) and w.isVisible():
                act(w)
                return
        if left > 0:
            QTimer.singleShot(20, lambda: look(left - 20))

    QTimer.singleShot(20, lambda: look(LOOK_MS))


def applicant_signs(dialog: object) -> None:
    """A zig-zag signature drawn at a hand's pace (one under 0.2 s is refused as a tick), then 确认."""
    assert isinstance(dialog, NoticeSignDialog)
    canvas, left = dialog.pad.canvas, Qt.MouseButton.LeftButton
    QTest.mousePress(canvas, left, Qt.KeyboardModifier.NoModifier, QPoint(40, 60))
    for i in range(1, 16):
        QTest.qWait(20)
        QTest.mouseMove(canvas, QPoint(40 + 15 * i, 60 + 45 * (i % 2)))
    QTest.mouseRelease(canvas, left, Qt.KeyboardModifier.NoModifier, QPoint(265, 105))
    dialog.pad.confirm_button.click()
    assert not dialog.isVisible(), dialog.pad.message.text()
