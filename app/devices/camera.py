"""Document cameras (高拍仪) over UVC, through OpenCV's ``cv2.VideoCapture``.

A 高拍仪 is a USB video camera looking down at the desk. It streams continuously: the window
shows small preview frames while the clerk places the sheet, then takes one frame at the
camera's full resolution. Opening negotiates the largest resolution the camera offers (ask
for an absurdly large frame, read back what the driver chose) in MJPG, which UVC document
cameras need for full resolution at a usable frame rate (uncompressed YUYV over USB 2.0 gives
5 Mpx at 1–2 frames/s, if the driver offers it at all). The stream stays at that resolution:
switching modes between preview and shot costs a UVC camera a second or more, while decoding
an MJPG frame and shrinking it for the preview takes milliseconds.

Every call into OpenCV runs on the camera's device thread, with a timeout: a camera that stops
delivering frames (cable pulled, firmware hung, a video that ended) gives a
:class:`DeviceTimeout` with a message the clerk can act on, never a frozen window. Discovery's
probe of a camera runs on the same thread as the camera's own calls. :class:`CameraBase` holds
what every camera does; :class:`Camera` is the UVC backend and :mod:`app.devices.camera_simulated`
the twin.

A shot's resolution is not known (a camera's dpi depends on its height over the desk), so
:class:`Shot` says None and the page pipeline's camera path rectifies the sheet and sizes it.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from app.core.errors import N_
from app.devices.device import Device
from app.devices.errors import DeviceError, DeviceMissing, DeviceTimeout
from app.devices.model import KIND_LABELS, DeviceInfo
from app.devices.worker import device_worker

log = logging.getLogger("devices.camera")

#: An RGB (H, W, 3) ``uint8`` frame, C-contiguous.
Frame = npt.NDArray[np.uint8]

LABEL = KIND_LABELS["camera"]
MISSING = N_("未检测到高拍仪，请检查连接后点击重试")
NO_FRAMES = N_("高拍仪没有传来画面，请检查连接后点击重试")
#: The live view never needs more: it is shown in part of the window.
PREVIEW_WIDTH = 960
#: A preview frame arrives in tens of milliseconds; waiting longer than this means the stream
#: stopped, and the clerk should hear so long before the devices' general timeout (30 s).
PREVIEW_TIMEOUT = 5.0
#: Asked for as width and height: the driver answers with its largest mode.
HUGE = 10_000
#: Indices probed where /dev/video* cannot tell which exist (Windows, macOS).
MAX_PROBE = 4
_NAME = re.compile(r"uvc:(\d+)")


@dataclass(frozen=True, slots=True)
class Shot:
    """One full-resolution frame: RGB pixels, and the resolution if known (never, for a camera)."""

    pixels: Frame
    dpi: float | None = None


def preview_size(width: int, height: int, max_width: int = PREVIEW_WIDTH) -> tuple[int, int]:
    """(width, height) of a frame shrunk to at most ``max_width`` wide, aspect kept."""
    if width <= max_width:
        return width, height
    return max_width, max(1, round(height * max_width / width))


def to_rgb(frame: npt.NDArray[np.uint8]) -> Frame:
    """OpenCV's BGR (or grey, or BGRA) frame as contiguous RGB."""
    codes = {2: cv2.COLOR_GRAY2RGB, 3: cv2.COLOR_BGR2RGB, 4: cv2.COLOR_BGRA2RGB}
    code = codes[2 if frame.ndim == 2 else frame.shape[2]]
    return np.asarray(cv2.cvtColor(frame, code), np.uint8)


def shrink(frame: npt.NDArray[np.uint8], max_width: int = PREVIEW_WIDTH) -> npt.NDArray[np.uint8]:
    """``frame`` at most ``max_width`` wide, aspect kept.

    Halved by averaging while it is at least twice too wide, so text does not shimmer, then
    interpolated the rest of the way: OpenCV's area resampling by a factor that is not an
    integer costs 40 ms on a 5-megapixel frame, halving and interpolating 7 ms.
    """
    height, width = frame.shape[:2]
    size = preview_size(width, height, max_width)
    out: Any = frame
    while out.shape[1] >= 2 * size[0]:
        out = cv2.resize(out, (out.shape[1] // 2, out.shape[0] // 2), interpolation=cv2.INTER_AREA)
    if out.shape[1] != size[0]:
        out = cv2.resize(out, size, interpolation=cv2.INTER_LINEAR)
    return np.asarray(out, np.uint8)


class CameraBase(Device):
    """An opened camera: preview frames and full-resolution shots, each one device call.

    Subclasses implement the ``_open``, ``_read`` and ``_release`` steps, which run on the
    device thread; ``_read`` returns a full-resolution BGR frame or raises a DeviceError.
    """

    def __init__(self, info: DeviceInfo, *, timeout: float) -> None:
        super().__init__(info, label=LABEL, timeout=timeout)
        #: (width, height) of a full-resolution frame, known once opened.
        self.resolution = (0, 0)
        self._frame_timeout = min(timeout, PREVIEW_TIMEOUT)

    def open(self) -> CameraBase:
        """Connect and negotiate; DeviceMissing if there is no such camera."""
        try:
            self.resolution = self._call(self._open, what="open")
        except BaseException:
            self.close()  # a capture opened before the first frame failed must not stay open
            raise
        log.info("%s: open at %dx%d", self.info.name, *self.resolution)
        return self

    def preview_frame(self) -> Frame:
        """The current view, at most PREVIEW_WIDTH wide, RGB."""
        return self._call(self._preview, timeout=self._frame_timeout, what="preview frame")

    def capture(self) -> Shot:
        """The current view at full resolution, RGB."""
        return self._call(self._capture, what="capture")

    # --- on the device thread ---------------------------------------------------------------

    def _open(self) -> tuple[int, int]:
        raise NotImplementedError

    def _read(self) -> npt.NDArray[np.uint8]:
        raise NotImplementedError

    def _release(self) -> None:
        raise NotImplementedError

    def _preview(self) -> Frame:
        # Shrunk before the colour conversion: a tenth of the pixels to convert.
        return to_rgb(shrink(self._read()))

    def _capture(self) -> Shot:
        return Shot(to_rgb(self._read()))


def camera_index(name: str) -> int:
    """The OpenCV index of a camera named "uvc:N"."""
    match = _NAME.fullmatch(name)
    if match is None:
        raise DeviceMissing(MISSING, log=f"not a UVC camera name: {name!r}")
    return int(match.group(1))


def _api() -> int:
    """The capture API for camera indices: V4L2 on Linux; DirectShow on Windows, which opens
    in a fraction of Media Foundation's time and honours the MJPG request."""
    if sys.platform.startswith("linux"):
        return int(cv2.CAP_V4L2)
    if sys.platform == "win32":
        return int(cv2.CAP_DSHOW)
    return int(cv2.CAP_ANY)


class Camera(CameraBase):
    """A UVC camera opened by name ("uvc:0"). ``source`` overrides what is opened: another index,
    or a video file (the same capture path; the tests use it, as there is no camera here)."""

    def __init__(self, name: str, *, timeout: float, source: int | str | Path | None = None) -> None:
        super().__init__(DeviceInfo(name=name, kind="camera", label=LABEL), timeout=timeout)
        self._source: int | str = camera_index(name) if source is None else (
            source if isinstance(source, int) else str(source))
        self._cap: Any = None

    def _open(self) -> tuple[int, int]:
        source = self._source
        if isinstance(source, int):
            if sys.platform.startswith("linux") and not Path(f"/dev/video{source}").exists():
                raise DeviceMissing(MISSING, log=f"{self.info.name}: /dev/video{source} does not exist")
            cap = cv2.VideoCapture(source, _api())
        else:
            cap = cv2.VideoCapture(source)
        if not cap.isOpened():
            raise DeviceMissing(MISSING, log=f"{self.info.name}: OpenCV could not open {source!r}")
        self._cap = cap
        if isinstance(source, int):
            _negotiate(cap, self.info.name)
        first = self._read()  # what the driver really delivers is the truth, not its properties
        height, width = first.shape[:2]
        return width, height

    def _read(self) -> npt.NDArray[np.uint8]:
        if self._cap is None:
            raise DeviceError(MISSING, log=f"{self.info.name}: read before open or after close")
        try:
            ok, frame = self._cap.read()
        except cv2.error as exc:
            raise DeviceTimeout(NO_FRAMES, log=f"{self.info.name}: read failed: {exc}") from None
        if not ok or frame is None or frame.size == 0:
            raise DeviceTimeout(NO_FRAMES, log=f"{self.info.name}: no frame delivered")
        return np.asarray(frame, np.uint8)

    def _capture(self) -> Shot:
        # The driver may hold a frame taken before the clerk pressed 拍摄 (hand still over the
        # sheet): drop it, keep the next.
        if self._cap is not None:
            self._cap.grab()
        return super()._capture()

    def _release(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


def _negotiate(cap: Any, name: str) -> None:
    """Ask for MJPG at the largest resolution; the driver picks its nearest mode."""
    # FOURCC first: with V4L2 the sizes a camera offers depend on the pixel format.
    cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
    cap.set(cv2.CAP_PROP_FRAME_WIDTH, HUGE)
    cap.set(cv2.CAP_PROP_FRAME_HEIGHT, HUGE)
    # Where the backend supports it, a read gives up by itself instead of sticking the worker.
    cap.set(cv2.CAP_PROP_READ_TIMEOUT_MSEC, PREVIEW_TIMEOUT * 1000)
    code = int(cap.get(cv2.CAP_PROP_FOURCC))
    fourcc = "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4)).strip("\0")
    log.info("%s: negotiated %s %dx%d", name, fourcc or "?", cap.get(cv2.CAP_PROP_FRAME_WIDTH),
             cap.get(cv2.CAP_PROP_FRAME_HEIGHT))


def _video_nodes() -> list[int]:
    """Indices of /dev/videoN that are capture nodes (a UVC camera also makes a metadata node,
    whose sysfs ``index`` is not 0)."""
    found = []
    for node in Path("/dev").glob("video*"):
        digits = node.name.removeprefix("video")
        if not digits.isdigit():
            continue
        index_file = Path("/sys/class/video4linux") / node.name / "index"
        try:
            if index_file.read_text().strip() not in ("", "0"):
                continue
        except OSError:
            pass  # no sysfs (a container): let the probe decide
        found.append(int(digits))
    return sorted(found)


def _sysfs_name(index: int) -> str:
    try:
        return (Path("/sys/class/video4linux") / f"video{index}" / "name").read_text().strip()
    except OSError:
        return ""


def _probe(index: int) -> bool:
    cap = cv2.VideoCapture(index, _api())
    try:
        return bool(cap.isOpened())
    finally:
        cap.release()


def discover_cameras(timeout: float = PREVIEW_TIMEOUT) -> list[DeviceInfo]:
    """The UVC cameras attached ("uvc:0", ...).

    On Linux only the /dev/video* nodes that exist are probed, so with no camera nothing slow
    happens; elsewhere indices 0.. are probed until one fails to open. Each probe is one
    device call with ``timeout``; a camera that hangs is listed in state "error".
    """
    linux = sys.platform.startswith("linux")
    indices = _video_nodes() if linux else list(range(MAX_PROBE))
    found: list[DeviceInfo] = []
    for index in indices:
        name = f"uvc:{index}"
        try:
            opened = device_worker(name, LABEL).call(functools.partial(_probe, index), timeout=timeout, what="probe")
        except DeviceError as exc:
            log.warning("camera probe failed: %s", exc.log)
            found.append(DeviceInfo(name, "camera", LABEL, status="error", detail=exc.message))
            continue
        if opened:
            model = _sysfs_name(index) if linux else ""
            found.append(DeviceInfo(name, "camera", f"{LABEL}（{model}）" if model else f"{LABEL} {index}"))
        elif not linux:
            break  # DirectShow and AVFoundation number their cameras without gaps
    return found
