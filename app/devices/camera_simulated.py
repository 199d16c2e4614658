"""The document camera's simulated twin, for demo mode and training.

It plays a video or shows an image file (setting ``devices.sim_camera_file``; a video loops),
or, without one, a generated scene: a white A4 application form with Chinese text lying on a
darker desk, seen by a camera tilted a few degrees (a true perspective view, made with
``cv2.warpPerspective``), so the page pipeline's camera path has a sheet to find and rectify.
A still source gets a little sensor noise in each preview frame, as a real camera's stream
never repeats a frame exactly. Every frame is one :class:`~app.devices.worker.DeviceWorker`
call with a timeout, as a real camera's is.
"""

from __future__ import annotations

import functools
import itertools
import math
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from app.devices import sample_form
from app.devices.camera import NO_FRAMES, CameraBase, Frame, shrink, to_rgb
from app.devices.errors import DeviceError, DeviceMissing, DeviceTimeout
from app.devices.model import DeviceInfo

NAME = "sim:camera"
INFO = DeviceInfo(name=NAME, kind="camera", label="模拟高拍仪", simulated=True)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
#: A 5-megapixel document camera's frame (width, height).
FRAME_SIZE = (2592, 1944)
#: The form is drawn at about 150 dpi: a little more than the sheet gets in the frame.
PAGE_PX_PER_MM = 6.0
NOISE_FRAMES = 4
_LINES = ("申请人：李四", "证件号码：450403199001010000", "申请事项：城乡居民养老保险参保登记",
          "联系地址：梧州市万秀区城东镇", "联系电话：138 0000 0000", "本人承诺所填信息真实有效。",
          "申请人签字：__________    日期：____年__月__日")


class SimulatedCamera(CameraBase):
    """Plays ``file`` (a video or an image), or the generated scene when there is none."""

    def __init__(self, file: str | Path | None = None, *, timeout: float) -> None:
        super().__init__(INFO, timeout=timeout)
        self.file = Path(file) if file else None
        self._cap: Any = None
        self._still: npt.NDArray[np.uint8] | None = None  # BGR, full resolution
        self._previews: itertools.cycle[Frame] | None = None

    def _open(self) -> tuple[int, int]:
        file = self.file
        if file is None:
            self._set_still(generated_scene())
        elif not file.is_file():
            raise DeviceMissing("模拟高拍仪的文件“{name}”不存在，请在设置中重新选择", name=file.name,
                                log=f"simulated camera file missing: {file}")
        elif file.suffix.lower() in IMAGE_SUFFIXES:
            # imdecode of the bytes, not imread: OpenCV cannot open non-ASCII paths on Windows.
            image = cv2.imdecode(np.fromfile(str(file), np.uint8), cv2.IMREAD_COLOR)
            if image is None:
                raise DeviceError("模拟高拍仪无法读取图片“{name}”，请检查该文件", name=file.name,
                                  log=f"simulated camera: cannot decode {file}")
            self._set_still(np.asarray(image, np.uint8))
        else:
            cap = cv2.VideoCapture(str(file))
            if not cap.isOpened():
                raise DeviceError("模拟高拍仪无法播放视频“{name}”，请检查该文件", name=file.name,
                                  log=f"simulated camera: OpenCV cannot open {file}")
            self._cap = cap
        height, width = self._read().shape[:2]
        return width, height

    def _set_still(self, image: npt.NDArray[np.uint8]) -> None:
        self._still = image
        small = to_rgb(shrink(image))
        rng = np.random.default_rng(0)
        noisy = [np.clip(small + rng.normal(0.0, 2.0, small.shape), 0, 255).astype(np.uint8)
                 for _ in range(NOISE_FRAMES)]
        self._previews = itertools.cycle(noisy)

    def _read(self) -> npt.NDArray[np.uint8]:
        if self._still is not None:
            return self._still
        if self._cap is None:
            raise DeviceError(NO_FRAMES, log=f"{NAME}: read before open or after close")
        ok, frame = self._cap.read()
        if not ok:  # the video ended: play it again, as a camera never runs out
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
        if not ok or frame is None:
            raise DeviceTimeout(NO_FRAMES, log=f"{NAME}: {self.file} delivers no frames")
        return np.asarray(frame, np.uint8)

    def _preview(self) -> Frame:
        if self._previews is not None:
            return next(self._previews)
        return super()._preview()

    def _release(self) -> None:
        if self._cap is not None:
            self._cap.release()
        self._cap = self._still = self._previews = None


def sheet_corners(frame: tuple[int, int], paper_mm: tuple[float, float] = (210.0, 297.0),
                  tall: float = 0.8) -> npt.NDArray[np.float32]:
    """Where a camera sees the corners (TL, TR, BR, BL) of a sheet ``paper_mm`` (width, height)
    whose height spans about ``tall`` of the frame: turned 4° on the desk, the camera tilted
    5° and 3°. A pinhole projection, so the sheet's true aspect can be recovered from it."""
    fw, fh = frame
    focal = float(fw)
    gamma, alpha, beta = math.radians(4.0), math.radians(5.0), math.radians(-3.0)
    rz = np.array([[math.cos(gamma), math.sin(gamma), 0], [-math.sin(gamma), math.cos(gamma), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, math.cos(alpha), -math.sin(alpha)], [0, math.sin(alpha), math.cos(alpha)]])
    ry = np.array([[math.cos(beta), 0, math.sin(beta)], [0, 1, 0], [-math.sin(beta), 0, math.cos(beta)]])
    hw, hh = paper_mm[0] / 2, paper_mm[1] / 2
    rect = np.array([[-hw, -hh, 0.0], [hw, -hh, 0.0], [hw, hh, 0.0], [-hw, hh, 0.0]])
    depth = paper_mm[1] * focal / (tall * fh)
    world = rect @ (ry @ rx @ rz).T + np.array([0.0, 0.0, depth])
    return np.asarray(focal * world[:, :2] / world[:, 2:] + [fw / 2, fh / 2], np.float32)


def form_page(px_per_mm: float = PAGE_PX_PER_MM) -> npt.NDArray[np.uint8]:
    """The made-up A4 application form (RGB) the twin's desk shows, with a red seal."""
    return sample_form.form_page(px_per_mm, "城乡居民养老保险参保登记表", _LINES, seal=True)


@functools.lru_cache(maxsize=1)
def generated_scene(size: tuple[int, int] = FRAME_SIZE) -> npt.NDArray[np.uint8]:
    """The twin's view (BGR, read-only): the form on a desk, evenly but not perfectly lit."""
    fw, fh = size
    page = cv2.cvtColor(form_page(), cv2.COLOR_RGB2BGR)
    ph, pw = page.shape[:2]
    # A dark grey-brown desk, a little lighter towards the top (where the lamp is).
    ramp = np.linspace(1.1, 0.85, fh, dtype=np.float32)[:, None, None]
    desk = np.clip(np.array([70, 84, 96], np.float32) * ramp * np.ones((1, fw, 1), np.float32), 0, 255)
    scene = desk.astype(np.uint8)
    src = np.array([[-0.5, -0.5], [pw - 0.5, -0.5], [pw - 0.5, ph - 0.5], [-0.5, ph - 0.5]], np.float32)
    hom = cv2.getPerspectiveTransform(src, sheet_corners(size))
    cv2.warpPerspective(page, hom, size, dst=scene, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT)
    # Light falls off towards the corners; computed small, it is smooth anyway.
    yy, xx = np.mgrid[0:fh // 8, 0:fw // 8].astype(np.float32) * 8
    light = 1.0 - 0.25 * ((xx - fw * 0.45) ** 2 + (yy - fh * 0.4) ** 2) / float(fw * fw + fh * fh)
    shot = scene * cv2.resize(light, size, interpolation=cv2.INTER_LINEAR)[..., None]
    out = cv2.GaussianBlur(shot.astype(np.uint8), (0, 0), 0.7)  # a lens is never perfectly sharp
    out.flags.writeable = False  # shared by every twin opened in this process
    return np.asarray(out, np.uint8)
