"""``app.ui.app.run`` in-process: start-up order, the screenshot helper, a bug before the window."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services.context import AppContext
from app.ui import app as ui_app
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QCoreApplication, QImage, QKeySequence, QTimer

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]


def test_run_collects_garbage_then_shows_the_window(
    qapp: QApplication, demo_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real = ui_app.collect_garbage
    monkeypatch.setattr(ui_app, "collect_garbage", lambda ctx: calls.append("gc") or real(ctx))
    hooks = (sys.excepthook, threading.excepthook)
    shot = tmp_path / "shot.png"
    assert ui_app.run(demo_ctx, ["chuangkou"], screenshot=shot) == 0
    assert calls == ["gc"]
    assert QImage(str(shot)).width() == 1280
    assert (sys.excepthook, threading.excepthook) == hooks  # the crash handler is removed again


@pytest.mark.slow
def test_the_screenshot_timeout_does_not_outlive_the_run(
    qtbot: QtBot, demo_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The give-up timer used to stay armed after a good screenshot; when it fired later, its
    ``app.exit()`` left every event loop in the process returning at once (dialogs, waits)."""
    timeout_ms = 10_000  # far more than the run takes, even on a loaded machine
    monkeypatch.setattr(ui_app, "SCREENSHOT_TIMEOUT_MS", timeout_ms)
    started = time.monotonic()
    assert ui_app.run(demo_ctx, ["chuangkou"], screenshot=tmp_path / "shot.png") == 0
    time.sleep(max(0.0, started + timeout_ms / 1000 + 0.5 - time.monotonic()))
    QCoreApplication.processEvents()  # a timer left armed fires now
    ran: list[bool] = []
    QTimer.singleShot(0, lambda: ran.append(True))
    qtbot.waitUntil(lambda: bool(ran), timeout=2000)


def test_a_bug_at_start_up_is_reported_not_hidden(
    qapp: QApplication, demo_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(ctx: AppContext) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(ui_app, "collect_garbage", broken)
    assert ui_app.run(demo_ctx, ["chuangkou"], screenshot=tmp_path / "never.png") == 1
    assert "OSError: disk gone" in caplog.text
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "crashDialog" and w.isVisible()]
    assert dialogs
    for d in dialogs:
        d.close()


def test_ctrl_f_focuses_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    window.table.setFocus()
    window.activateWindow()
    qtbot.waitUntil(window.table.hasFocus)
    qtbot.keySequence(window, QKeySequence(QKeySequence.StandardKey.Find))
    qtbot.waitUntil(window.search_box.hasFocus)
