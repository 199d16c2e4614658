"""Starting the window: QApplication, font, language, crash handler, housekeeping, main window."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

from app.core.errors import UserError
from app.logs import TailHandler
from app.services.context import AppContext
from app.services.maintenance import collect_garbage
from app.ui.crash import install_crash_handler
from app.ui.fonts import load_bundled_font
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QCoreApplication, QMessageBox, QStandardPaths, QTimer
from app.ui.tasks import wait_for_background
from app.ui.translation import install_translators, remove_translators

log = logging.getLogger("ui.app")
WINDOW_SIZE = (1280, 720)  # fits a 1366×768 counter PC with its taskbar
SCREENSHOT_TIMEOUT_MS = 60_000


def application(argv: Sequence[str]) -> QApplication:
    """The process's QApplication (created once), named for settings and cache paths."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName("Chuangkou")
    QCoreApplication.setApplicationName("chuangkou")
    return QApplication(list(argv))


def cache_dir() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation))


def run(
    ctx: AppContext, argv: Sequence[str], *, language: str | None = None,
    screenshot: Path | None = None, tail: TailHandler | None = None,
) -> int:
    """Run the window until it is closed; returns the exit code.

    ``language`` overrides the ``ui.language`` setting; ``screenshot`` grabs the window to a
    PNG once the first list and its counts are shown, then quits.
    """
    app = application(argv)
    load_bundled_font(app)
    translators = install_translators(app, language or ctx.settings.get("ui.language"),
                                      cache_dir() / "translations")
    crash = install_crash_handler(tail)
    try:
        try:
            window = _start(app, ctx, screenshot)
        except UserError as e:  # e.g. the disk filled up or went read-only since the store opened
            log.warning("cannot start: %s", e.log)
            show_startup_error(argv, e.message)
            return 2
        except Exception as e:  # a bug before the window exists: still shown, not just printed
            crash.excepthook(type(e), e, e.__traceback__)
            if screenshot is None and crash.dialog is not None:
                crash.dialog.exec()
            return 1
        code = app.exec()
        window.close()
        if not wait_for_background(10.0):
            log.error("background work still running at exit")
        return code
    finally:
        crash.uninstall()
        remove_translators(app, translators)


def _start(app: QApplication, ctx: AppContext, screenshot: Path | None) -> MainWindow:
    started = time.perf_counter()
    report = collect_garbage(ctx)  # before anything else writes
    log.info("garbage collection: %d blobs removed%s in %.0f ms", report.removed,
             " (skipped: folder in use)" if report.skipped else "", (time.perf_counter() - started) * 1000)
    window = MainWindow(ctx)
    available = app.primaryScreen().availableGeometry()
    if screenshot is None and (available.width() < WINDOW_SIZE[0] or available.height() < WINDOW_SIZE[1]):
        window.showMaximized()
    else:
        window.resize(*WINDOW_SIZE)
        window.show()
    if screenshot is not None:
        _grab_when_ready(app, window, screenshot)
    return window


def _grab_when_ready(app: QApplication, window: MainWindow, path: Path) -> None:
    """Grab the window once its first list is shown, then end the event loop; give up after a while.

    Exactly one of the two ends the loop, and the other is stopped: a stray ``app.exit()``
    firing after ``run`` returned would leave every later event loop in the process (a
    dialog's, a test's wait) returning at once without running.
    """
    grab_timer, give_up_timer = QTimer(window), QTimer(window)
    grab_timer.setSingleShot(True)
    give_up_timer.setSingleShot(True)

    def finish(code: int) -> None:
        grab_timer.stop()
        give_up_timer.stop()
        window.summary_updated.disconnect(grab_timer.start)
        app.exit(code)

    def grab() -> None:
        ok = window.grab().save(str(path))
        log.info("screenshot %s %s", path, "saved" if ok else "NOT saved")
        finish(0 if ok else 1)

    def give_up() -> None:
        log.error("screenshot: the list did not load within %d ms", SCREENSHOT_TIMEOUT_MS)
        finish(1)

    grab_timer.setInterval(300)
    grab_timer.timeout.connect(grab)
    give_up_timer.timeout.connect(give_up)
    window.summary_updated.connect(grab_timer.start)
    give_up_timer.start(SCREENSHOT_TIMEOUT_MS)


def show_startup_error(argv: Sequence[str], message: str) -> None:
    """Tell the clerk why the window cannot open (a message box when there is a screen)."""
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return  # nobody could close the box; the caller prints the message too
    app = application(argv)
    load_bundled_font(app)
    QMessageBox.critical(None, QCoreApplication.translate("app", "窗口 — 无法启动"), message)
