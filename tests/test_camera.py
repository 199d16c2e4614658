"""The document camera (高拍仪): the real OpenCV capture path on a video file, the twin, the service.

There is no camera here: the real backend opens an MJPG video file through ``cv2.VideoCapture``,
the same capture path a UVC camera takes after the driver.
"""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from app.core.settings import Settings
from app.devices import registry
from app.devices.camera import MISSING, NO_FRAMES, PREVIEW_WIDTH, Camera, CameraBase, camera_index
from app.devices.camera_simulated import SimulatedCamera, generated_scene
from app.devices.errors import DeviceBusy, DeviceMissing, DeviceTimeout
from app.devices.model import DeviceInfo
from app.imaging.pipeline import process_page
from app.imaging.quality import SHEET_NOT_FOUND
from app.services import camera as camera_service
from app.services.camera import SIMULATED, camera_options, open_camera, open_configured_camera, shot_page

VIDEO_SIZE = (1600, 1200)
VIDEO_FRAMES = 12
A4_RATIO = 297 / 210


def write_video(path: Path, frames: int = VIDEO_FRAMES, size: tuple[int, int] = VIDEO_SIZE) -> Path:
    """An MJPG .avi (the codec the headless wheel writes, and what UVC document cameras send):
    the left half red, the right half blue, and a white bar that moves with the frame number."""
    width, height = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 15, size)
    assert writer.isOpened()
    for i in range(frames):
        frame = np.zeros((height, width, 3), np.uint8)
        frame[:, : width // 2] = (0, 0, 220)  # BGR: red
        frame[:, width // 2:] = (220, 0, 0)  # BGR: blue
        x = (i * 97) % (width - 40)
        frame[height // 3: height // 3 + 60, x: x + 40] = 255
        writer.write(frame)
    writer.release()
    return path


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(tmp_path_factory.mktemp("camera") / "desk.avi")


def test_a_video_source_gives_full_resolution_shots_and_small_previews(video: Path) -> None:
    with Camera("uvc:test", source=video, timeout=10).open() as cam:
        assert cam.resolution == VIDEO_SIZE
        preview = cam.preview_frame()
        shot = cam.capture()
    assert preview.shape == (720, PREVIEW_WIDTH, 3)
    assert shot.pixels.shape == (VIDEO_SIZE[1], VIDEO_SIZE[0], 3)
    assert shot.dpi is None  # the pipeline sizes a photographed sheet itself
    # RGB, not OpenCV's BGR: the red half is red (MJPG is lossy, hence the margins).
    for frame in (preview, shot.pixels):
        left, right = frame[10, 10].astype(int), frame[10, -10].astype(int)
        assert left[0] > 180 and left[2] < 60
        assert right[2] > 180 and right[0] < 60


def test_a_camera_that_stops_delivering_says_so_in_chinese(video: Path) -> None:
    with Camera("uvc:test", source=video, timeout=10).open() as cam, pytest.raises(DeviceTimeout) as caught:
        for _ in range(VIDEO_FRAMES + 1):  # the opening read took one; the video then ends
            cam.preview_frame()
    assert caught.value.message == NO_FRAMES


@pytest.mark.parametrize("name", ["uvc:99", "scanner:0", "uvc:"])
def test_a_missing_camera_is_a_message_not_a_crash(name: str) -> None:
    with pytest.raises(DeviceMissing) as caught:
        open_camera(name, timeout=2)
    assert caught.value.message == "未检测到高拍仪，请检查连接后点击重试"


def test_a_source_that_does_not_open_is_missing(tmp_path: Path) -> None:
    with pytest.raises(DeviceMissing) as caught:
        Camera("uvc:0", source=tmp_path / "nothing.avi", timeout=5).open()
    assert caught.value.message == MISSING


def test_with_no_camera_attached_the_settings_default_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(camera_service, "discover_cameras", lambda timeout: [])
    with pytest.raises(DeviceMissing) as caught:
        open_configured_camera(Settings())
    assert caught.value.message == MISSING
    # The twin is listed, but never chosen unasked.
    assert [d.name for d in registry.discover(Settings(), "camera") if d.simulated] == [SIMULATED]


def test_camera_names() -> None:
    assert camera_index("uvc:3") == 3
    with pytest.raises(DeviceMissing):
        camera_index("uvc:x")


class HungCamera(CameraBase):
    """Delivers ``good`` frames, then blocks in the driver until ``release`` is set."""

    def __init__(self, good: int = 1, *, timeout: float = 0.3) -> None:
        super().__init__(DeviceInfo("uvc:hung", "camera", "高拍仪"), timeout=timeout)
        self.good = good
        self.stuck = threading.Event()
        self.release = threading.Event()
        self.frame = np.full((600, 800, 3), 200, np.uint8)

    def _open(self) -> tuple[int, int]:
        return 800, 600

    def _read(self) -> npt.NDArray[np.uint8]:
        if self.good <= 0:
            self.stuck.set()
            self.release.wait(30)
            raise DeviceTimeout(NO_FRAMES, log="hung camera released")
        self.good -= 1
        return self.frame

    def _release(self) -> None:
        pass


def test_a_hung_camera_times_out_then_refuses_at_once() -> None:
    cam = HungCamera(good=1).open()
    try:
        assert cam.preview_frame().shape == (600, 800, 3)
        with pytest.raises(DeviceTimeout) as caught:
            cam.preview_frame()
        assert caught.value.message == "高拍仪在0.3秒内没有响应，请检查连接和电源后重试"
        with pytest.raises(DeviceBusy):
            cam.capture()
        cam.close()  # returns although the driver is still stuck
    finally:
        cam.release.set()


def test_the_twins_scene_goes_through_the_pipelines_camera_path() -> None:
    session = open_camera(SIMULATED, timeout=30)
    try:
        first, second = session.preview(), session.preview()
        shot = session.capture()
    finally:
        session.close()
    assert first.shape[1] <= PREVIEW_WIDTH
    assert not np.array_equal(first, second)  # a live picture, not a still
    assert shot.pixels.shape == (1944, 2592, 3)
    page = process_page(shot_page(shot), camera_options())
    assert page.source == "camera"
    assert SHEET_NOT_FOUND not in page.warning_codes
    assert page.height / page.width == pytest.approx(A4_RATIO, rel=0.02)
    assert page.kind == "color"  # the red seal survives


def test_a_photo_without_a_sheet_is_flagged(tmp_path: Path) -> None:
    """The check above can fail: the bare desk of the same scene has no sheet to find."""
    desk = np.ascontiguousarray(generated_scene()[:, :200])
    image = tmp_path / "空桌面.png"  # a Chinese file name: read without cv2.imread
    image.write_bytes(cv2.imencode(".png", cv2.resize(desk, (2592, 1944)))[1].tobytes())
    with SimulatedCamera(image, timeout=10).open() as cam:
        assert cam.resolution == (2592, 1944)
        shot = cam.capture()
    assert SHEET_NOT_FOUND in process_page(shot_page(shot), camera_options()).warning_codes


def test_the_twin_plays_a_video_in_a_loop(video: Path) -> None:
    session = open_camera(SIMULATED, timeout=10, sim_file=video)
    try:
        assert session.resolution == VIDEO_SIZE
        frames = [session.preview() for _ in range(VIDEO_FRAMES * 2)]  # past the video's end
        shot = session.capture()
    finally:
        session.close()
    assert frames[0].shape == (720, PREVIEW_WIDTH, 3)
    assert shot.pixels.shape == (VIDEO_SIZE[1], VIDEO_SIZE[0], 3)


def test_the_twin_with_a_missing_file_names_it(tmp_path: Path) -> None:
    settings = Settings({"devices.camera": SIMULATED, "devices.sim_camera_file": str(tmp_path / "演示.mp4")})
    with pytest.raises(DeviceMissing) as caught:
        open_configured_camera(settings)
    assert "演示.mp4" in caught.value.message
