"""The crash handler: every unexpected exception is a bug — logged, shown, never swallowed.

:func:`install_crash_handler` replaces ``sys.excepthook`` and ``threading.excepthook``.
A hook may run on any thread; it logs at once and reaches the GUI thread by a signal,
where a :class:`CrashDialog` shows the traceback and the last log lines with a
「复制错误信息」 button. Tests leave it uninstalled (pytest-qt captures exceptions itself).
"""

from __future__ import annotations

import datetime as dt
import logging
import platform
import sys
import threading
import traceback
from types import TracebackType

from app.logs import TailHandler
from app.ui.qt import (
    BINDING_VERSION,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGuiApplication,
    QLabel,
    QObject,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    qVersion,
)

log = logging.getLogger("ui.crash")
TAIL_LINES = 200


class CrashDialog(QDialog):
    """What the clerk sees after a bug: what to do, and the details to send to support."""

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("程序错误"))
        self.resize(720, 480)
        intro = QLabel(self.tr(
            "程序遇到了内部错误（不是您的操作问题），错误已记录到日志。\n"
            "请点击「复制错误信息」，发送给技术支持。已保存的办件不受影响。"))
        intro.setWordWrap(True)
        self.details = QPlainTextEdit(report)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("复制错误信息"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def add_report(self, report: str) -> None:
        self.details.appendPlainText("\n" + "=" * 60 + "\n" + report)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class CrashHandler(QObject):
    """Installed hooks plus the GUI-thread side that shows the dialog."""

    _report = Signal(str)

    def __init__(self, tail: TailHandler | None) -> None:
        super().__init__()
        self._tail = tail
        self._previous = (sys.excepthook, threading.excepthook)
        self.dialog: CrashDialog | None = None
        # AutoConnection: called directly on the GUI thread, queued from any other thread.
        self._report.connect(self._show)

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def excepthook(
        self, etype: type[BaseException], value: BaseException, tb: TracebackType | None,
    ) -> None:
        if issubclass(etype, KeyboardInterrupt):
            self._previous[0](etype, value, tb)
            return
        self._handle(etype, value, tb, threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        self._handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    def _handle(
        self, etype: type[BaseException], value: BaseException, tb: TracebackType | None, thread: str,
    ) -> None:
        try:
            report = self.report(etype, value, tb, thread)  # before logging: no traceback twice
            log.critical("unhandled exception in thread %s", thread, exc_info=(etype, value, tb))
            self._report.emit(report)
        except BaseException:  # the hook itself must never hide the original error
            self._previous[0](etype, value, tb)
            raise

    def report(
        self, etype: type[BaseException], value: BaseException, tb: TracebackType | None, thread: str,
    ) -> str:
        """The text a support engineer needs: versions, traceback, the last log lines."""
        lines = [
            f"time: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z}",
            f"thread: {thread}",
            f"python {platform.python_version()}, PySide6 {BINDING_VERSION}, Qt {qVersion()}, "
            f"{platform.platform()}",
            "",
            "".join(traceback.format_exception(etype, value, tb)).rstrip(),
        ]
        if self._tail is not None:
            recent = list(self._tail.lines)[-TAIL_LINES:]
            lines += ["", f"--- last {len(recent)} log lines ---", *recent]
        return "\n".join(lines)

    def _show(self, report: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_report(report)  # application-modal: it is already in front
            return
        self.dialog = CrashDialog(report, QApplication.activeWindow())
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.show()


def install_crash_handler(tail: TailHandler | None) -> CrashHandler:
    """Install the hooks; call on the GUI thread once the QApplication exists."""
    handler = CrashHandler(tail)
    handler.install()
    return handler
