"""Who is at the window: the sign-in screen, the idle lock, the switch of user (real sign-ins, offline).

The test folders' people have signed in here before (``tests/support/folders.py``), so each
sign-in below is the real offline check of their key slot, wrong passwords counted as always.
Set ``CHUANGKOU_SHOTS`` to a folder to keep the screenshots (the sign-in screen, the locked window).
"""

from __future__ import annotations

import functools
import gc
import os
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.lifecycle import ActionType, Status
from app.services import case_actions, queries
from app.services.context import AppContext
from app.services.demo import make_demo_data
from app.services.signed_in import people_here
from app.ui import app as ui_app
from app.ui.main_window import MainWindow
from app.ui.messages import show_user_error
from app.ui.qt import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QInputMethodEvent,
    QLabel,
    QLineEdit,
    QTimer,
    QWidget,
    isValid,
)
from app.ui.signin_dialog import SignInDialog, password_check
from tests.conftest import make_data_folder
from tests.support import folders
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
CLERK = "测试受理员（窗口受理）"
REVIEWER = "测试审核员（审核）"
TYPED_IN = "覃美玲"  # an applicant being received when the window locks
LONG = 600_000


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CHUANGKOU_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shown(kind: type[QWidget]) -> QWidget | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def _windows() -> set[int]:
    return {id(w) for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)}


def _then(action: Callable[[], None], when: Callable[[], bool]) -> None:
    """Run ``action`` once ``when()`` holds, from the event loop (``run`` is in its own loop meanwhile)."""
    def poll() -> None:
        if when():
            action()
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_the_window_opens_on_the_sign_in_screen(qapp: QApplication, data_dir: Path) -> None:
    seen: dict[str, str] = {}

    def sign_in() -> None:
        screen = _shown(SignInDialog)
        assert isinstance(screen, SignInDialog)
        seen["user"] = screen.user_id  # the last person to sign in here
        screen.password.setText(folders.PASSWORD)
        screen.sign_in_button.click()
        seen["button"] = screen.sign_in_button.text()
        _then(look, lambda: _shown(MainWindow) is not None)

    def look() -> None:
        window = _shown(MainWindow)
        assert isinstance(window, MainWindow)
        seen["who"] = window.who.text()
        window.close()

    _then(sign_in, lambda: _shown(SignInDialog) is not None)
    assert ui_app.run(data_dir, ["chuangkou"]) == 0
    assert seen == {"user": folders.USER, "button": "正在登录…", "who": f"{CLERK}· 离线登录"}


def test_a_wrong_password_says_how_many_tries_are_left_and_opens_nothing(qapp: QApplication, data_dir: Path) -> None:
    seen: list[str] = []

    def wrong() -> None:
        screen = _shown(SignInDialog)
        assert isinstance(screen, SignInDialog)
        screen.password.setText("not-the-password")
        screen.sign_in_button.click()
        _then(lambda: give_up(screen), lambda: bool(screen.message.text()))

    def give_up(screen: SignInDialog) -> None:
        seen.append(screen.message.text())
        seen.append(screen.password.text())
        screen.cancel_button.click()  # cancelling the sign-in quits

    windows_before = _windows()
    _then(wrong, lambda: _shown(SignInDialog) is not None)
    assert ui_app.run(data_dir, ["chuangkou"]) == 0
    assert seen == ["用户名或口令错误（再错 4 次将锁定）", ""]
    assert not _windows() - windows_before  # no main window was made


def test_the_sign_in_screen_lists_who_signed_in_here(qtbot: QtBot, data_dir: Path, shots: Path) -> None:
    screen = SignInDialog(people_here(data_dir), password_check(data_dir))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    names = [screen.user.itemText(i) for i in range(screen.user.count())]
    assert f"{folders.NAMES['clerk']}（{folders.USER}）" in names and len(names) == 5
    assert screen.user_id == folders.USER and screen.focusWidget() is screen.password
    screen.user.setCurrentIndex(screen.user.findData("reviewer01"))
    assert screen.user_id == "reviewer01"
    screen.user.setEditText("somebody-new")  # a first sign-in here types the account
    assert screen.user_id == "somebody-new"
    screen.user.setCurrentIndex(screen.user.findData(folders.USER))
    with qtbot.waitSignal(screen.refused, timeout=10_000):
        screen.password.setText("wrong")
        screen.sign_in_button.click()
    screen.adjustSize()
    assert screen.grab().save(str(shots / "sign-in.png"))
    assert screen.isVisible() and screen.unlocked is None and screen.sign_in_button.isEnabled()


# -- the idle lock ------------------------------------------------------------------------------
def _readable_texts() -> str:
    """Every text a person could read on the screen now (labels, fields, buttons, lists, titles)."""
    texts: list[str] = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        if widget.isWindow():
            texts.append(widget.windowTitle())
        hidden_text = isinstance(widget, QLineEdit) and widget.echoMode() != QLineEdit.EchoMode.Normal
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit) and not hidden_text:
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            texts += [str(model.index(r, c).data() or "") for r in range(min(model.rowCount(), 200))
                      for c in range(model.columnCount())]
    return "\n".join(texts)


@pytest.fixture
def window(qtbot: QtBot, demo_ctx: AppContext) -> Iterator[MainWindow]:
    win = MainWindow(demo_ctx, idle_ms=LONG)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.summary_updated, timeout=10_000):
        win.resize(1280, 720)
        win.show()
    yield win
    win.close()
    drain_background()


def _unlock(qtbot: QtBot, win: MainWindow, password: str) -> None:
    panel = win.guard.panel
    panel.password.setText(password)
    panel.unlock_button.click()
    qtbot.waitUntil(lambda: panel.unlock_button.isEnabled(), timeout=10_000)


def test_idle_locks_the_window_and_only_the_password_unlocks_it(
    qtbot: QtBot, window: MainWindow, demo_ctx: AppContext, shots: Path,
) -> None:
    applicants = {row.applicant for row in queries.case_rows(demo_ctx, queries.case_ids(demo_ctx)).values()}
    assert applicants & set(_readable_texts().split("\n"))  # the list shows them while unlocked
    window.open_intake()
    intake = window.intake
    assert intake is not None
    qtbot.waitExposed(intake)
    typed = QInputMethodEvent()  # Chinese comes through the input method
    typed.setCommitString(TYPED_IN)
    QApplication.sendEvent(intake.applicant.name, typed)
    assert intake.applicant.name.text() == TYPED_IN

    with qtbot.waitSignal(window.guard.locked_changed, timeout=10_000) as changed:
        window.guard.idle.interval_ms = 300  # nobody touches anything from now on
    assert changed.args == [True] and window.guard.locked
    assert not window.table.isVisible() and not intake.isVisible() and window.guard.panel.isVisible()
    readable = _readable_texts()
    assert TYPED_IN not in readable and not [name for name in applicants if name in readable]
    assert CLERK in window.guard.panel.who.text()
    assert not window.guard.switch_user_action.isEnabled() and not window.guard.lock_action.isEnabled()
    assert window.grab().save(str(shots / "locked.png"))

    window.guard.idle.interval_ms = LONG  # the rest of the test may take its time
    _unlock(qtbot, window, "not-the-password")
    assert window.guard.panel.message.text().startswith("用户名或口令错误（再错")
    assert window.guard.locked and not window.table.isVisible() and not intake.isVisible()

    with qtbot.waitSignal(window.guard.locked_changed, timeout=10_000) as changed:
        _unlock(qtbot, window, folders.PASSWORD)
    assert changed.args == [False]
    assert window.table.isVisible() and intake.isVisible() and intake.applicant.name.text() == TYPED_IN
    assert window.guard.idle.active and window.guard.switch_user_action.isEnabled()
    intake.reject()


def test_a_window_that_opens_while_locked_waits_for_the_unlock(qtbot: QtBot, window: MainWindow) -> None:
    window.guard.lock()
    assert window.guard.locked and not window.guard.idle.active
    box = show_user_error(window, f"申请人{TYPED_IN}的材料已退回")  # a background task's result arriving now
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5_000)
    assert TYPED_IN not in _readable_texts()
    with qtbot.waitSignal(window.guard.locked_changed, timeout=10_000):
        _unlock(qtbot, window, folders.PASSWORD)
    assert box.isVisible()
    box.close()


def test_a_closed_window_is_freed_with_its_last_reference(qtbot: QtBot, demo_ctx: AppContext) -> None:
    """No reference cycle through the window (its lock and switch of user included): left to the
    garbage collector, it was torn down half-collected, its tabs calling slots it no longer had."""
    win = MainWindow(demo_ctx, idle_ms=LONG)
    with qtbot.waitSignal(win.summary_updated, timeout=10_000):
        win.show()
    win.guard.lock()
    with qtbot.waitSignal(win.guard.locked_changed, timeout=10_000):
        _unlock(qtbot, win, folders.PASSWORD)
    win.close()
    drain_background()
    freed = weakref.ref(win)
    gc.disable()
    try:
        del win
        assert freed() is None
    finally:
        gc.enable()


# -- switching user -----------------------------------------------------------------------------
@pytest.fixture
def small_ctx(tmp_path: Path) -> Iterator[AppContext]:
    """A folder of its own with a few cases (the test adds a step to one)."""
    def fill(ctx: AppContext, root: Path) -> None:
        staff = [folders.as_role(ctx, role).session for role in ("reviewer", "approver")]
        make_demo_data(ctx, root / "pages", 6, staff=staff)

    ctx = folders.open_signed_in(make_data_folder(tmp_path, fill))
    yield ctx
    drain_background()
    ctx.close()


def test_switching_user_hands_the_window_to_the_next_person(qtbot: QtBot, small_ctx: AppContext, shots: Path) -> None:
    win = MainWindow(small_ctx, idle_ms=LONG)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.summary_updated, timeout=10_000):
        win.show()
    win.open_intake()
    intake = win.intake
    assert intake is not None
    qtbot.waitUntil(lambda: intake.draft_id is not None)

    win.guard.switch_user_action.trigger()  # the clerk leaves: the window locks, and cancelling keeps it so
    screen = win.guard.sign_in_dialog
    assert screen is not None and screen.isVisible() and win.guard.locked and screen.user_id == ""
    screen.reject()
    assert win.guard.locked and win.context is small_ctx

    win.guard.panel.switch_button.click()
    screen = win.guard.sign_in_dialog
    assert screen is not None and screen.isVisible()
    screen.user.setCurrentIndex(screen.user.findData(folders.STAFF["reviewer"]))
    screen.password.setText(folders.PASSWORD)
    assert screen.grab().save(str(shots / "switch-user.png"))
    with qtbot.waitSignal(win.context_changed, timeout=10_000) as changed:
        screen.sign_in_button.click()
    new = changed.args[0]
    assert isinstance(new, AppContext) and win.context is new and new.store is small_ctx.store
    assert new.session.user == "reviewer01" and small_ctx.session.user == folders.USER
    assert not win.guard.locked and win.who.text() == f"{REVIEWER}· 离线登录"
    fetch = win.model._fetch_rows
    assert isinstance(fetch, functools.partial) and fetch.args[0] is new
    assert win.sync_engine.context is new and win.devices_page.context is new
    # The intake was the previous person's draft: it closed, and waits for them to sign in again.
    qtbot.waitUntil(lambda: not isValid(intake) or not intake.isVisible())

    accepted = queries.case_ids(win.context, status=str(Status.ACCEPTED))[0]
    with qtbot.waitSignal(win.list_loaded, timeout=10_000):
        case_actions.perform(win.context, accepted, ActionType.START_REVIEW)
        win.reload()
    assert queries.show_case(win.context, accepted)["actions"][-1]["actor"] == "reviewer01"
    row = win.model.row_of(accepted)
    assert row is not None and win.model.index(row, 3).data() == "审查中"
    win.close()
