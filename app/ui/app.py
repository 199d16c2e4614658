"""Starting the window: QApplication, font, language, crash handler, sign-in, housekeeping, main window."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

from app.core.errors import UserError
from app.logs import TailHandler
from app.services import signed_in
from app.services.context import AppContext
from app.services.maintenance import collect_garbage
from app.ui.crash import CrashHandler, install_crash_handler
from app.ui.fonts import load_bundled_font
from app.ui.main_window import MainWindow
from app.ui.messages import user_message
from app.ui.qt import QApplication, QCoreApplication, QDialog, QMessageBox, QStandardPaths, QTimer
from app.ui.signin_dialog import CheckPassword, SignInDialog, password_check
from app.ui.tasks import wait_for_background
from app.ui.translation import SOURCE_LANGUAGE, install_translators, remove_translators

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
    start: AppContext | Path, argv: Sequence[str], *, language: str | None = None,
    screenshot: Path | None = None, tail: TailHandler | None = None, check_password: CheckPassword | None = None,
) -> int:
    """Run the window until it is closed; returns the exit code.

    ``start``: a data folder opens on the sign-in screen, and the folder is opened for whoever
    signs in (and closed here at the end); a context already open (the demo, the tests) opens
    the window at once and stays the caller's to close. ``check_password`` checks passwords at
    the sign-in screen, the lock and the switch of user (``signin.sign_in`` on the folder by
    default). ``language`` overrides the ``ui.language`` setting; ``screenshot`` grabs the window
    to a PNG once the first list and its counts are shown, then quits.
    """
    app = application(argv)
    load_bundled_font(app)
    # Before the sign-in the settings cannot be read (they are encrypted): the screen speaks the
    # language asked for, or the source language; the window then follows ui.language.
    wanted = language or (start.settings.get("ui.language") if isinstance(start, AppContext) else SOURCE_LANGUAGE)
    translators = install_translators(app, wanted, cache_dir() / "translations")
    crash = install_crash_handler(tail)
    opened: AppContext | None = None
    try:
        try:
            if isinstance(start, Path):
                check = check_password or password_check(start)
                opened = _sign_in(start, check)
                if opened is None:
                    return 0  # the clerk cancelled the sign-in
                ctx = opened
                if language is None and ctx.settings.get("ui.language") != wanted:
                    remove_translators(app, translators)
                    translators = install_translators(app, ctx.settings.get("ui.language"),
                                                      cache_dir() / "translations")
            else:
                ctx, check = start, check_password or password_check(start.data_dir, start.clock)
            window = _start(app, ctx, screenshot, check)
        except UserError as e:  # e.g. a damaged database, or a disk that filled up since the store opened
            log.warning("cannot start: %s", e.log)
            show_startup_error(argv, user_message(e))
            return 2
        except Exception as e:  # a bug before the window exists: still shown, not just printed
            _report_bug(crash, e, screenshot is None)
            return 1
        code = app.exec()
        window.close()
        if not wait_for_background(10.0):
            log.error("background work still running at exit")
        window.release_contexts()
        return code
    finally:
        crash.uninstall()
        remove_translators(app, translators)
        if opened is not None:
            opened.close()


def _report_bug(crash: CrashHandler, e: Exception, interactive: bool) -> None:
    crash.excepthook(type(e), e, e.__traceback__)
    if interactive and crash.dialog is not None:
        crash.dialog.exec()


def _sign_in(data_dir: Path, check: CheckPassword) -> AppContext | None:
    """The sign-in screen, then the folder opened for whoever signed in; None if they cancelled."""
    screen = SignInDialog(signed_in.people_here(data_dir), check)
    if screen.exec() != QDialog.DialogCode.Accepted or screen.unlocked is None:
        log.info("sign-in cancelled")
        return None
    return signed_in.open_signed_in(data_dir, screen.unlocked)


def _start(app: QApplication, ctx: AppContext, screenshot: Path | None, check: CheckPassword) -> MainWindow:
    started = time.perf_counter()
    report = collect_garbage(ctx)  # before anything else writes
    log.info("garbage collection: %d blobs removed%s in %.0f ms", report.removed,
             " (skipped: folder in use)" if report.skipped else "", (time.perf_counter() - started) * 1000)
    window = MainWindow(ctx, check_password=check)
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
