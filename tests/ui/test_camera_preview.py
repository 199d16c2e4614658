"""The camera's live view: frames keep coming, 拍摄 gives the full picture, a failing camera
shows its message and 重试 while the window stays responsive."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.devices.camera import MISSING, NO_FRAMES, Camera
from app.services.camera import SIMULATED, CameraSession, Shot, open_camera
from app.ui.camera_preview import CameraPreview
from app.ui.qt import QImage, Qt, QTimer
from tests.support.threads import device_threads
from tests.test_camera import VIDEO_FRAMES, HungCamera, write_video
from tests.ui.conftest import drain_background

#: The offscreen platform plugin warns about a top-level widget with a minimum size; a limit of
#: that plugin, not of the code under test.
OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]


@pytest.fixture
def make_preview(qtbot: QtBot) -> Iterator[Callable[[Callable[[], CameraSession]], CameraPreview]]:
    made: list[CameraPreview] = []

    def make(opener: Callable[[], CameraSession]) -> CameraPreview:
        preview = CameraPreview(opener)
        qtbot.addWidget(preview)
        preview.resize(640, 520)
        preview.show()
        preview.start()
        made.append(preview)
        return preview

    yield make
    for preview in made:
        preview.stop()
    drain_background()


def shown(preview: CameraPreview) -> QImage:
    return preview.view.pixmap().toImage()


def test_frames_keep_coming_and_capture_gives_the_full_picture(
        qtbot: QtBot, make_preview: Callable[[Callable[[], CameraSession]], CameraPreview]) -> None:
    preview = make_preview(lambda: open_camera(SIMULATED, timeout=30))
    with qtbot.waitSignal(preview.frame_shown, timeout=20_000):
        pass
    first = shown(preview)
    assert not first.isNull() and first.width() <= preview.view.width()
    qtbot.waitUntil(lambda: preview.frames >= 3, timeout=10_000)
    assert shown(preview) != first  # the picture is live

    assert preview.capture_button.text() == "拍摄" and preview.capture_button.isEnabled()
    with qtbot.waitSignal(preview.captured, timeout=20_000) as got:
        qtbot.mouseClick(preview.capture_button, Qt.MouseButton.LeftButton)
    shot = got.args[0]
    assert isinstance(shot, Shot)
    assert shot.pixels.shape == (1944, 2592, 3)
    frames = preview.frames
    qtbot.waitUntil(lambda: preview.frames > frames, timeout=10_000)  # the view goes on after a shot


def test_a_camera_that_stops_shows_the_message_and_retry_works(
        qtbot: QtBot, tmp_path: Path, make_preview: Callable[[Callable[[], CameraSession]], CameraPreview]) -> None:
    video = write_video(tmp_path / "short.avi")  # the real capture path; the video ends: the camera stops
    preview = make_preview(lambda: CameraSession(Camera("uvc:test", source=video, timeout=10).open()))
    qtbot.waitUntil(lambda: preview.state == "error", timeout=20_000)
    assert preview.frames == VIDEO_FRAMES - 1  # every frame was shown, then the stream stopped
    assert preview.view.text() == NO_FRAMES
    assert preview.retry_button.isVisible() and preview.retry_button.text() == "重试"
    assert not preview.capture_button.isEnabled()

    states: list[str] = []
    preview.state_changed.connect(states.append)
    qtbot.mouseClick(preview.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: states[-1:] == ["error"], timeout=20_000)
    # Connected again, played the whole video again, stopped again.
    assert states == ["opening", "live", "error"] and preview.frames == VIDEO_FRAMES - 1


def test_a_missing_camera_shows_the_message_with_retry(
        qtbot: QtBot, make_preview: Callable[[Callable[[], CameraSession]], CameraPreview]) -> None:
    preview = make_preview(lambda: open_camera("uvc:99", timeout=2))
    qtbot.waitUntil(lambda: preview.state == "error", timeout=10_000)
    assert preview.view.text() == MISSING == "未检测到高拍仪，请检查连接后点击重试"
    assert preview.retry_button.isVisible()


def test_a_hung_camera_leaves_the_window_responsive(
        qtbot: QtBot, make_preview: Callable[[Callable[[], CameraSession]], CameraPreview]) -> None:
    first = HungCamera(good=3, timeout=2.0)

    opened: list[HungCamera] = []

    def open_camera() -> CameraSession:
        # 重试 opens the camera again: another object, but the same device, so the same thread.
        camera = HungCamera(good=1000) if opened else first
        opened.append(camera)
        return CameraSession(camera.open())

    preview = make_preview(open_camera)
    try:
        qtbot.waitUntil(first.stuck.is_set, timeout=10_000)
        # The driver is blocked inside a frame call, and the GUI thread still runs its events: an
        # event posted now is handled before the call times out (a GUI thread waiting on the camera
        # would see it only afterwards, in the error state).
        seen: list[tuple[str, int]] = []
        QTimer.singleShot(0, lambda: seen.append((preview.state, preview.frames)))
        qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
        assert seen == [("live", 3)]

        qtbot.waitUntil(lambda: preview.state == "error", timeout=10_000)
        assert preview.view.text() == "高拍仪在2秒内没有响应，请检查连接和电源后重试"
        assert preview.retry_button.isVisible()
        # While the driver still holds the camera, 重试 is refused at once, not run beside it.
        threads = device_threads("uvc:hung")
        qtbot.mouseClick(preview.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: preview.state == "error", timeout=1_000)
        assert preview.view.text() == "高拍仪仍未响应上一次操作，请检查连接或重新插拔后再试"
        assert device_threads("uvc:hung") == threads == ["device:uvc:hung"]  # no second thread beside it
        first.release.set()  # the driver lets go: 重试 works again
        qtbot.waitUntil(lambda: not first.hung, timeout=10_000)
        qtbot.mouseClick(preview.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: preview.frames >= 2 and preview.state == "live", timeout=10_000)
    finally:
        first.release.set()


def test_a_hidden_view_fetches_no_frames(
        qtbot: QtBot, make_preview: Callable[[Callable[[], CameraSession]], CameraPreview]) -> None:
    cameras: list[HungCamera] = []

    def opener() -> CameraSession:
        cameras.append(HungCamera(good=100_000).open())
        return CameraSession(cameras[-1])

    preview = make_preview(opener)
    qtbot.waitUntil(lambda: preview.frames >= 2, timeout=10_000)
    preview.hide()
    drain_background()
    left = cameras[0].good
    qtbot.wait(200)
    assert cameras[0].good == left
    preview.show()
    qtbot.waitUntil(lambda: cameras[0].good < left, timeout=10_000)


