"""The crash handler: a bug is logged and shown with details on the GUI thread, never swallowed."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.logs import TailHandler
from app.ui.crash import CrashHandler, install_crash_handler
from app.ui.qt import QGuiApplication

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]


@pytest.fixture
def tail() -> Iterator[TailHandler]:
    handler = TailHandler(50)
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@pytest.fixture
def crash(qtbot: QtBot, tail: TailHandler) -> Iterator[CrashHandler]:
    hooks = (sys.excepthook, threading.excepthook)
    handler = install_crash_handler(tail)
    assert (sys.excepthook, threading.excepthook) == (handler.excepthook, handler.thread_excepthook)
    yield handler
    handler.uninstall()
    assert (sys.excepthook, threading.excepthook) == hooks
    if handler.dialog is not None:
        handler.dialog.close()


def test_a_bug_on_the_gui_thread_shows_the_crash_dialog(
    qtbot: QtBot, crash: CrashHandler, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    logging.getLogger("ui.test").info("opened case 45040320251120010001")
    try:
        raise ZeroDivisionError("deadline arithmetic")
    except ZeroDivisionError as e:
        sys.excepthook(type(e), e, e.__traceback__)
    dialog = crash.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "程序错误"
    details = dialog.details.toPlainText()
    assert "ZeroDivisionError: deadline arithmetic" in details
    assert "opened case 45040320251120010001" in details  # the last log lines
    assert any(r.levelno == logging.CRITICAL and r.exc_info for r in caplog.records)

    assert dialog.copy_button.text() == "复制错误信息"
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == details


def test_a_bug_in_a_thread_reaches_the_dialog_by_signal(qtbot: QtBot, crash: CrashHandler) -> None:
    def worker() -> None:
        raise RuntimeError("device thread died")

    t = threading.Thread(target=worker, name="scanner-io")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: crash.dialog is not None and crash.dialog.isVisible())
    assert crash.dialog is not None
    details = crash.dialog.details.toPlainText()
    assert "RuntimeError: device thread died" in details
    assert "thread: scanner-io" in details


def test_a_second_bug_is_added_to_the_open_dialog(qtbot: QtBot, crash: CrashHandler) -> None:
    for message in ("first", "second"):
        try:
            raise ValueError(message)
        except ValueError as e:
            crash.excepthook(type(e), e, e.__traceback__)
    assert crash.dialog is not None
    details = crash.dialog.details.toPlainText()
    assert "ValueError: first" in details and "ValueError: second" in details
