"""The document camera's live view, its 「拍摄」 button, and what it shows when the camera fails.

Every call into the camera goes through :func:`app.ui.tasks.run_in_background`, the one way
this window runs work off the GUI thread, rather than a dedicated QThread: the camera already
has its own device thread (:class:`~app.devices.worker.DeviceWorker`, behind the service's
:class:`~app.services.camera.CameraSession`), which serialises the calls and bounds each with
a timeout, so a pool thread only waits for one call's answer. Frames are paced by a
single-shot :class:`QTimer` that is started again only when the previous frame has arrived:
at most one preview call is ever in flight, so a slow camera lowers the frame rate instead
of piling up requests, and a stuck one costs one pool thread until its timeout, after which
the widget shows the error and a 「重试」 button. The frame is converted to a :class:`QImage`
and scaled to the view on the pool thread (QImage, unlike QPixmap, may be used there); the
GUI thread only turns it into a pixmap.

The owner calls :meth:`CameraPreview.start` to connect, and :meth:`CameraPreview.stop` (or
closes the widget) to release the camera; while the widget is hidden no frames are fetched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from app.services.camera import CameraSession, Frame, Shot
from app.ui.messages import user_message
from app.ui.qt import (
    QCloseEvent,
    QHBoxLayout,
    QHideEvent,
    QImage,
    QLabel,
    QPixmap,
    QPushButton,
    QShowEvent,
    QSize,
    QSizePolicy,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import Pool, Task, on_user_error, run_in_background

log = logging.getLogger("ui.camera")

#: Enough for placing a sheet; more would only load the camera's USB link and the CPU.
FPS = 20.0
State = Literal["idle", "opening", "live", "error"]


def frame_image(frame: Frame, size: QSize) -> QImage:
    """``frame`` (RGB) as an image fitting ``size``, aspect kept. Safe off the GUI thread."""
    frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    # copy(): the image must own its pixels, not borrow the array's.
    image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_RGB888).copy()
    if size.isEmpty() or size == image.size():
        return image
    return image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class CameraPreview(QWidget):
    """Live view of a camera, opened by ``opener`` (e.g. ``lambda: open_configured_camera(s)``).

    ``captured`` carries a full-resolution :class:`~app.services.camera.Shot`.
    """

    captured = Signal(object)
    #: a new frame is on screen (for the tests and the bench)
    frame_shown = Signal()
    state_changed = Signal(str)

    def __init__(self, opener: Callable[[], CameraSession], parent: QWidget | None = None, *,
                 fps: float = FPS) -> None:
        super().__init__(parent)
        self._opener = opener
        self._period = 1.0 / fps
        self._state: State = "idle"
        self._session: CameraSession | None = None
        self._abandon = threading.Event()
        self._open_task: Task[CameraSession | None] | None = None
        self._frame_task: Task[QImage] | None = None
        self._capture_task: Task[Shot] | None = None
        self._requested_at = 0.0
        #: frames shown since the camera was opened
        self.frames = 0
        #: the message shown in the error state
        self.error = ""

        self.view = QLabel()
        self.view.setObjectName("cameraView")
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setWordWrap(True)
        self.view.setMinimumSize(320, 240)
        self.view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.view.setStyleSheet("background: #202124; color: #f1f3f4; font-size: 15px; padding: 12px")
        self.retry_button = QPushButton(self.tr("重试"))
        self.retry_button.setObjectName("cameraRetry")
        self.retry_button.hide()
        self.retry_button.clicked.connect(self.start)
        self.capture_button = QPushButton(self.tr("拍摄"))
        self.capture_button.setObjectName("cameraCapture")
        self.capture_button.setEnabled(False)
        self.capture_button.clicked.connect(self.capture)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.capture_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._request_frame)

    @property
    def state(self) -> State:
        return self._state

    @property
    def session(self) -> CameraSession | None:
        return self._session

    def start(self) -> None:
        """Connect to the camera (again), in the background."""
        self._reset()
        self._set_state("opening")
        self.view.setText(self.tr("正在连接高拍仪…"))
        abandon = self._abandon = threading.Event()
        opener = self._opener

        def open_() -> CameraSession | None:
            session = opener()
            if abandon.is_set():  # stopped meanwhile: nobody will take this session
                session.close()
                return None
            return session

        self._open_task = run_in_background(self, open_, self._opened, self._failed, pool=Pool.DEVICE)

    def stop(self) -> None:
        """Stop the view and release the camera (in the background)."""
        self._reset()
        self.view.clear()
        self._set_state("idle")

    def capture(self) -> None:
        """Take a full-resolution shot; ``captured`` carries it."""
        session = self._session
        if self._state != "live" or session is None or self._capture_task is not None:
            return
        self.capture_button.setEnabled(False)
        self._capture_task = run_in_background(self, session.capture, self._captured, self._failed,
                                               pool=Pool.DEVICE)

    # --- callbacks, on the GUI thread ---------------------------------------------------------

    def _opened(self, session: CameraSession | None) -> None:
        self._open_task = None
        if session is None:
            return
        self._session = session
        self.frames = 0
        log.info("camera %s open at %dx%d", session.info.name, *session.resolution)
        self._set_state("live")
        self.capture_button.setEnabled(True)
        self._timer.start(0)

    def _request_frame(self) -> None:
        session = self._session
        if self._state != "live" or session is None or self._frame_task is not None or not self.isVisible():
            return
        ratio = self.devicePixelRatioF()
        room = self.view.contentsRect().size()  # inside the padding
        size = QSize(round(room.width() * ratio), round(room.height() * ratio))
        self._requested_at = time.monotonic()
        self._frame_task = run_in_background(self, lambda: frame_image(session.preview(), size),
                                             self._frame_arrived, self._failed, pool=Pool.DEVICE)

    def _frame_arrived(self, image: QImage) -> None:
        self._frame_task = None
        if self._state != "live":
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.view.setPixmap(pixmap)
        self.frames += 1
        self.frame_shown.emit()
        # A steady rate: the time the frame took counts towards the wait for the next one.
        wait = max(0.0, self._period - (time.monotonic() - self._requested_at))
        self._timer.start(round(wait * 1000))

    def _captured(self, shot: Shot) -> None:
        self._capture_task = None
        self.capture_button.setEnabled(self._state == "live")
        self.captured.emit(shot)

    def _failed(self, exc: BaseException) -> None:
        on_user_error(self, "camera", lambda e: self._show_error(user_message(e)),
                      lambda: self._show_error(self.tr("高拍仪出现意外错误，请点击重试")))(exc)

    def _show_error(self, message: str) -> None:
        self._reset()
        self.error = message
        self.view.setText(message)
        self.retry_button.show()
        self._set_state("error")

    # --- helpers ------------------------------------------------------------------------------

    def _reset(self) -> None:
        """Forget every call in flight and release the camera."""
        self._timer.stop()
        self._abandon.set()
        for task in (self._open_task, self._frame_task, self._capture_task):
            if task is not None:
                task.cancel()
        self._open_task = self._frame_task = self._capture_task = None
        self.error = ""
        self.retry_button.hide()
        self.capture_button.setEnabled(False)
        session, self._session = self._session, None
        if session is not None:
            # Waits behind a frame still being read, or gives up at once on a stuck camera.
            run_in_background(self, session.close, _ignore, self._close_failed, pool=Pool.DEVICE)

    def _close_failed(self, exc: BaseException) -> None:
        # CameraSession.close logs the device's own errors; only a bug goes further.
        on_user_error(self, "camera close", lambda e: None)(exc)

    def _set_state(self, state: State) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._state == "live" and self._frame_task is None:
            self._timer.start(0)

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()  # no frames for nobody; showEvent starts them again
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)


def _ignore(_: Any) -> None:
    """Closing a camera has no result to show."""
