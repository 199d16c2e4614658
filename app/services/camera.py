"""The document camera for the window: open the chosen one, preview it, take a shot.

The window may not touch ``app.devices``; it gets a :class:`CameraSession` from here and
calls it from background work only (each call may wait up to the camera's timeout). A shot
becomes a page of a material through :func:`shot_page` and the page pipeline's camera path.
"""

from __future__ import annotations

import logging
from pathlib import Path

from app.core.settings import Settings
from app.devices import camera_simulated
from app.devices.camera import MISSING, Camera, CameraBase, Frame, Shot, discover_cameras
from app.devices.errors import DeviceMissing
from app.devices.model import DeviceInfo
from app.imaging.decode import RawPage
from app.imaging.pipeline import PipelineOptions

log = logging.getLogger("services.camera")

SIMULATED = camera_simulated.NAME
__all__ = ["SIMULATED", "CameraSession", "Frame", "Shot", "camera_options", "open_camera",
           "open_configured_camera", "open_named_camera", "shot_page"]


class CameraSession:
    """One opened camera. Every method blocks on the device (call it off the GUI thread) and
    raises a :class:`~app.core.errors.UserError` the clerk can act on."""

    def __init__(self, device: CameraBase) -> None:
        self._device = device

    @property
    def info(self) -> DeviceInfo:
        return self._device.info

    @property
    def resolution(self) -> tuple[int, int]:
        """(width, height) of a shot."""
        return self._device.resolution

    def preview(self) -> Frame:
        """The current view, small (at most 960 px wide), RGB."""
        return self._device.preview_frame()

    def capture(self) -> Shot:
        """The current view at the camera's full resolution."""
        return self._device.capture()

    def close(self) -> None:
        self._device.close()


def open_camera(name: str, *, timeout: float, sim_file: str | Path | None = None) -> CameraSession:
    """Open the camera ``name`` ("uvc:0", or "sim:camera" playing ``sim_file``)."""
    device: CameraBase
    if name == SIMULATED:
        device = camera_simulated.SimulatedCamera(sim_file or None, timeout=timeout)
    elif name.startswith("uvc:"):
        device = Camera(name, timeout=timeout)
    else:
        raise DeviceMissing(MISSING, log=f"unknown camera name {name!r}")
    return CameraSession(device.open())


def open_named_camera(settings: Settings, name: str) -> CameraSession:
    """The camera ``name`` with the settings' timeout (and the twin's file)."""
    return open_camera(name, timeout=float(settings.get("devices.timeout")),
                       sim_file=settings.get("devices.sim_camera_file") or None)


def open_configured_camera(settings: Settings) -> CameraSession:
    """The camera the settings choose; else the first one attached (never the twin unasked:
    a clerk must not photograph applications with a simulated camera by accident)."""
    timeout = float(settings.get("devices.timeout"))
    name = str(settings.get("devices.camera"))
    if not name:
        ready = [d for d in discover_cameras(timeout) if d.status == "ready"]
        if not ready:
            raise DeviceMissing(MISSING, log="no camera attached")
        name = ready[0].name
    return open_named_camera(settings, name)


def shot_page(shot: Shot, index: int = 0) -> RawPage:
    """A shot as a page for :func:`app.imaging.pipeline.process_page` (with :func:`camera_options`)."""
    pixels = shot.pixels.view()
    pixels.flags.writeable = False  # a page is a value (see RawPage); the shot's own array stays as it is
    return RawPage(pixels, shot.dpi, index)


def camera_options(paper: str | None = None, *, force_color: bool = False) -> PipelineOptions:
    """Pipeline options for shots: the camera path, which finds and rectifies the sheet."""
    return PipelineOptions(source="camera", force_color=force_color, paper=paper)
