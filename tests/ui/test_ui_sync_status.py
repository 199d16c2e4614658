"""The status bar's sync part: offline with the reason, then online with nothing waiting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services import sync_run, unit_settings
from app.services.context import AppContext, init_data_dir
from app.services.intake import MaterialInput, new_case
from app.sync.retry import RetryPolicy
from app.ui.main_window import MainWindow
from app.ui.qt import Qt
from app.ui.tasks import wait_for_background
from tests.conftest import PERSON
from tests.support import folders
from tests.support.platform import TOWNSHIP, USERS, PlatformProcess, free_port

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[PlatformProcess]:
    p = PlatformProcess(tmp_path / "platform", port=free_port())
    yield p
    p.stop()


@pytest.fixture
def township(tmp_path: Path, platform: PlatformProcess, pages: dict[str, Path],
             monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=2, base=0.05, cap=0.1))
    init_data_dir(tmp_path / "township", TOWNSHIP, platform.url)
    folders.enrol(tmp_path / "township", USERS[TOWNSHIP])
    ctx = folders.open_signed_in(tmp_path / "township")
    new_case(ctx, "GG00231000", PERSON, [MaterialInput("申请表", (pages["text"],))])
    yield ctx
    ctx.close()


def test_status_bar_shows_offline_then_online(qtbot: QtBot, township: AppContext,
                                              platform: PlatformProcess) -> None:
    window = MainWindow(township)
    qtbot.addWidget(window)
    bar = window.sync_status
    qtbot.waitUntil(lambda: bar.waiting.text() != "", timeout=10_000)
    assert bar.waiting.text().startswith("待上传 1 件")
    # Not signed in yet, platform down: the reason is in the status bar, not in a dialog.
    with qtbot.waitSignal(bar.refreshed, timeout=20_000):
        pass  # the engine's first run ends and the bar re-reads the store
    qtbot.waitUntil(lambda: bar.error.text() != "", timeout=10_000)
    assert bar.error.text() in ("尚未登录市级平台，请先登录",) or "无法连接" in bar.error.text()

    platform.start()
    # CHUANGKOU_PASSWORD is set: the next run signs in at the platform as the signed-in person
    shown: list[tuple[str, str]] = []
    window.sync_engine.progress.connect(
        lambda p: shown.append((bar.current_label.text(), bar.current.text())) if p.phase == "upload" else None)
    with qtbot.waitSignal(window.sync_engine.finished, timeout=30_000):
        window.sync_engine.run_now()
    # The upload showed which case moves and how far, and the bar went away afterwards.
    assert shown and shown[-1][0].startswith("上传 办件 4504") and " / " in shown[-1][1]
    assert bar.current.isHidden() and bar.current_label.isHidden()
    qtbot.waitUntil(lambda: bar.last.text().startswith("上次同步 "), timeout=10_000)
    assert bar.state.text() == "● 在线"
    assert bar.waiting.text() == "待上传 0 件（0 B）"
    assert bar.last.text().startswith("上次同步 ") and bar.error.text() == ""
    window.close()


def test_closing_the_window_stops_a_running_sync_at_its_next_step(
        qtbot: QtBot, township: AppContext, platform: PlatformProcess, pages: dict[str, Path]) -> None:
    for _ in range(5):
        new_case(township, "GG00231000", PERSON, [MaterialInput("申请表", (pages["photo"],))])
    platform.start()
    # CHUANGKOU_PASSWORD is set: the next run signs in at the platform as the signed-in person
    platform.fault(None, count=1000, path_prefix="/", delay=0.5)  # a slow link: every request takes 0.5 s
    window = MainWindow(township)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.sync_engine.running, timeout=10_000)
    # The run is under way once it reports progress. A plain slot, not qtbot.waitSignal: progress
    # keeps coming after the wait, and PySide6 6.11 once delivered a queued one to pytest-qt's
    # finished blocker (a segfault in _quit_loop_by_signal).
    progressed: list[object] = []
    window.sync_engine.progress.connect(progressed.append)
    qtbot.waitUntil(lambda: bool(progressed), timeout=20_000)
    window.close()
    # Six cases at ≥ 1.5 s each would take ≥ 9 s; the run ends after the step in hand.
    assert wait_for_background(4.0)
    assert sync_run.status(township).pending_cases > 0  # the rest waits for the next run


def test_an_outage_shows_within_seconds_and_the_queue_lists_what_waits(
        qtbot: QtBot, township: AppContext, platform: PlatformProcess, pages: dict[str, Path]) -> None:
    platform.start()
    ctx = unit_settings.set_setting(township, "sync.probe_seconds", "2")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    bar = window.sync_status
    qtbot.waitUntil(lambda: bar.state.text() == "● 在线" and bar.waiting.text().startswith("待上传 0 件"),
                    timeout=30_000)

    platform.stop()  # the link goes down between sync runs
    qtbot.waitUntil(lambda: bar.state.text() == "○ 离线", timeout=30_000)
    made = new_case(ctx, "GG00231000", PERSON, [MaterialInput("申请表", (pages["photo"],))])
    qtbot.waitUntil(lambda: bar.waiting.text().startswith("待上传 1 件"), timeout=30_000)

    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton)
    queue = bar.queue_dialog
    assert queue is not None
    qtbot.waitUntil(lambda: [r.case_no for r in queue.rows] == [made.case_no], timeout=10_000)
    assert queue.table.item(0, 2).text().startswith("等待上传")

    platform.start()
    with qtbot.waitSignal(window.sync_engine.finished, timeout=60_000):
        queue.sync_button.click()
    qtbot.waitUntil(lambda: queue.rows == [] and bar.state.text() == "● 在线", timeout=30_000)
    assert queue.summary.text() == "等待上传 0 件，被平台拒绝 0 件"
    queue.close()
    window.close()
