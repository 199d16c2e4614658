"""The window through a hostile platform: it keeps answering, and its status bar says what happened."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services.context import AppContext, init_data_dir
from app.services.intake import MaterialInput, new_case
from app.store import meta
from app.sync.credentials import MemoryTokens
from app.ui.main_window import MainWindow
from app.ui.qt import QTimer
from tests.conftest import PERSON
from tests.support import folders
from tests.support.hostile import Exchange, HostileFront
from tests.support.platform import TOWNSHIP, USERS, PlatformProcess
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileFront]:
    """One platform for the file: every test's trap keeps its case from reaching it."""
    with PlatformProcess(tmp_path_factory.mktemp("platform")) as platform, HostileFront(platform.port) as f:
        yield f


@pytest.fixture
def township(tmp_path: Path, front: HostileFront, pages: dict[str, Path]) -> Iterator[AppContext]:
    init_data_dir(tmp_path / "township", TOWNSHIP, front.url)
    ctx = folders.online(tmp_path / "township", USERS[TOWNSHIP], tokens=MemoryTokens())
    ctx.store.write(lambda w: meta.save_setting(w, "sync.run_seconds", 6))
    ctx = dataclasses.replace(ctx, settings=ctx.settings.with_value("sync.run_seconds", 6))
    new_case(ctx, "GG00231000", PERSON, [MaterialInput("申请表", (pages["text"],))])
    yield ctx
    ctx.close()


def _drip(x: Exchange) -> None:
    x.drip(Exchange.status_line(200, {"Content-Type": "application/json", "X-Pad": "y" * 400}), 0.2)


def _garbage(x: Exchange) -> None:
    x.reply(200, "<html>维护中</html>", content_type="text/html")


def _busy(x: Exchange) -> None:
    x.reply(503, json.dumps({"detail": "busy"}), headers={"Retry-After": "290"})


@pytest.mark.parametrize(("trap", "said"), [(_drip, "无法连接市级平台"), (_garbage, "无法识别"),
                                            (_busy, "平台繁忙，将于")], ids=["drip", "garbage", "busy"])
def test_the_window_keeps_answering_and_the_status_bar_says_what_happened(
        qtbot: QtBot, township: AppContext, front: HostileFront, trap: object, said: str) -> None:
    front.clear()
    front.trap("POST", "/api/v1/actions", trap)  # type: ignore[arg-type]
    window = MainWindow(township)
    qtbot.addWidget(window)
    bar = window.sync_status
    ticks: list[int] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(50)
    qtbot.waitUntil(lambda: said in bar.error.text(), timeout=30_000)
    timer.stop()
    if trap is _drip:  # the event loop ran all through a run of several seconds: the window never froze
        assert len(ticks) >= 20
    assert bar.state.text() in ("○ 离线", "● 在线")
    assert bar.waiting.text().startswith("待上传 1 件")  # nothing lost: the case still waits
    if trap is _busy:
        # Asked to come back in 290 s, the window does not knock again at its next tick.
        before = front.total
        window.sync_engine.run_now()
        assert not window.sync_engine.running and front.total == before
    window.close()
    drain_background()
