"""The background helper: work on a worker thread, callbacks on the GUI thread, errors by kind."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType

import pytest
from pytestqt.qtbot import QtBot

from app.core.errors import UserError
from app.ui.qt import QApplication, QMessageBox, QObject, QThread, QWidget
from app.ui.tasks import Pool, on_user_error, run_in_background, run_with_progress, tasks_in_flight, wait_for_background

pytestmark = pytest.mark.ui
#: The offscreen platform plugin warns whenever a window with a fixed size (a message box) is
#: shown; it is a limit of that plugin, not of the code under test.
OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"


def on_gui_thread() -> bool:
    app = QApplication.instance()
    assert app is not None
    return QThread.currentThread() is app.thread()


def test_success_runs_fn_on_a_worker_and_the_callback_on_the_gui_thread(qtbot: QtBot) -> None:
    owner = QObject()
    worker_threads: list[str] = []
    results: list[tuple[int, bool]] = []

    def work() -> int:
        worker_threads.append(threading.current_thread().name)
        assert not on_gui_thread()
        return 42

    run_in_background(owner, work, lambda value: results.append((value, on_gui_thread())))
    qtbot.waitUntil(lambda: bool(results))
    assert results == [(42, True)]
    assert worker_threads[0].startswith("ui-worker")
    assert tasks_in_flight() == 0


def test_failure_callback_gets_the_exception_on_the_gui_thread(qtbot: QtBot) -> None:
    owner = QObject()
    failures: list[tuple[BaseException, bool]] = []

    def broken() -> None:
        raise ValueError("boom")

    run_in_background(owner, broken, lambda _: pytest.fail("no success expected"),
                      lambda exc: failures.append((exc, on_gui_thread())))
    qtbot.waitUntil(lambda: bool(failures))
    exc, gui = failures[0]
    assert isinstance(exc, ValueError) and gui


def test_user_error_reaches_the_failure_path_with_its_chinese_message(qtbot: QtBot) -> None:
    owner = QObject()
    failures: list[BaseException] = []

    def no_scanner() -> None:
        raise UserError("未检测到扫描仪，请检查连接线后重试", log="no scanner")

    run_in_background(owner, no_scanner, lambda _: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], UserError)
    assert failures[0].message == "未检测到扫描仪，请检查连接线后重试"


@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)
def test_user_error_without_handler_shows_a_message_box(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()

    def link_down() -> None:
        raise UserError("无法连接市级平台，办件已保存在本机，联网后会自动上传", log="platform unreachable")

    run_in_background(parent, link_down, lambda _: None)

    def box() -> QMessageBox | None:
        found = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.objectName() == "userErrorBox" and w.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: box() is not None)
    shown = box()
    assert shown is not None
    assert shown.text() == "无法连接市级平台，办件已保存在本机，联网后会自动上传"
    shown.close()


def test_a_bug_without_handler_goes_to_sys_excepthook(qtbot: QtBot) -> None:
    owner = QObject()
    hooked: list[tuple[type[BaseException], bool]] = []

    def hook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        hooked.append((etype, on_gui_thread()))

    def bug() -> None:
        raise KeyError("bug")

    previous = sys.excepthook
    sys.excepthook = hook  # pytest-qt's own capture would (rightly) fail the test
    try:
        run_in_background(owner, bug, lambda _: None)
        qtbot.waitUntil(lambda: bool(hooked))
    finally:
        sys.excepthook = previous
    assert hooked == [(KeyError, True)]


def test_no_callback_into_a_destroyed_parent(qtbot: QtBot) -> None:
    parent = QWidget()
    gate = threading.Event()
    called: list[object] = []
    task = run_in_background(parent, lambda: gate.wait(10), called.append, called.append)
    parent.deleteLater()
    qtbot.waitUntil(lambda: not _alive(parent))
    gate.set()
    assert wait_for_background(10)
    qtbot.waitUntil(lambda: task.done)
    assert called == []


def test_cancelled_task_does_not_call_back(qtbot: QtBot) -> None:
    owner = QObject()
    called: list[object] = []
    task = run_in_background(owner, lambda: 1, called.append)
    task.cancel()
    qtbot.waitUntil(lambda: task.done)
    assert called == []


def test_must_be_called_on_the_gui_thread(qtbot: QtBot) -> None:
    owner = QObject()
    errors: list[BaseException] = []

    def from_worker() -> None:
        try:
            run_in_background(owner, lambda: 1, lambda _: None)
        except RuntimeError as e:
            errors.append(e)

    t = threading.Thread(target=from_worker)
    t.start()
    t.join()
    assert errors


def test_stuck_devices_do_not_starve_a_search(qtbot: QtBot) -> None:
    """Scanners hung until their timeout hold every device thread; the clerk's search still answers."""
    owner = QObject()
    gate = threading.Event()
    found: list[str] = []
    stuck = [run_in_background(owner, lambda: gate.wait(10), lambda _: None, pool=Pool.DEVICE)
             for _ in range(Pool.DEVICE.workers + 1)]
    syncing = run_in_background(owner, lambda: gate.wait(10), lambda _: None, pool=Pool.SYNC)
    try:
        run_in_background(owner, lambda: "个体工商户设立登记", found.append, pool=Pool.SEARCH)
        qtbot.waitUntil(lambda: bool(found), timeout=5000)
        assert not any(t.done for t in stuck) and not syncing.done
    finally:
        gate.set()
    assert wait_for_background(10)


def test_progress_arrives_on_the_gui_thread_newest_last_and_before_success(qtbot: QtBot) -> None:
    owner = QObject()
    seen: list[tuple[int, bool]] = []
    results: list[int] = []

    def upload(report: Callable[[object], None]) -> int:
        for n in range(1, 2001):
            report(n)
        return 2000

    def result(value: int) -> None:
        results.append(len(seen))

    run_with_progress(owner, upload, result, lambda n: seen.append((n, on_gui_thread())))
    qtbot.waitUntil(lambda: bool(results))
    values = [n for n, _ in seen]
    assert all(gui for _, gui in seen)
    assert values == sorted(values) and values[-1] == 2000  # the newest value is never lost
    assert results == [len(seen)]  # success came after the last progress
    assert len(values) <= 2000


def test_one_place_tells_a_user_error_from_a_bug(qtbot: QtBot) -> None:
    owner = QObject()
    shown: list[str] = []
    cleaned: list[bool] = []
    hooked: list[type[BaseException]] = []
    failed = on_user_error(owner, "test", lambda e: shown.append(e.message), lambda: cleaned.append(True))
    failed(UserError("扫描仪卡纸，请取出纸张后重试", log="jam"))
    assert shown == ["扫描仪卡纸，请取出纸张后重试"] and cleaned == []
    previous = sys.excepthook
    sys.excepthook = lambda etype, value, tb: hooked.append(etype)
    try:
        failed(KeyError("bug"))
    finally:
        sys.excepthook = previous
    assert cleaned == [True] and hooked == [KeyError] and len(shown) == 1


def _alive(obj: QObject) -> bool:
    from app.ui.qt import isValid

    return bool(isValid(obj))


def test_a_long_session_of_background_work_keeps_the_interpreter_alive(qtbot: QtBot) -> None:
    """PySide6 6.12.0 dropped a reference to True/False per queued delivery: after a few hundred
    background tasks (a morning of searches and syncs) the interpreter aborted. Guard the pin."""
    owner = QObject()
    before = sys.getrefcount(True), sys.getrefcount(False)
    done: list[int] = []
    for n in range(300):
        run_in_background(owner, lambda n=n: n, done.append)  # type: ignore[misc]
        qtbot.waitUntil(lambda n=n: len(done) > n)  # type: ignore[misc]
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert done == list(range(300))
    assert after[0] >= before[0] - 50 and after[1] >= before[1] - 50, (before, after)
