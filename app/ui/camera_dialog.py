"""A document camera's live view in a dialog, closed by 拍摄 (with the shot) or 关闭."""

from __future__ import annotations

from collections.abc import Callable

from app.services.camera import CameraSession, Shot
from app.ui.camera_preview import CameraPreview
from app.ui.qt import QDialog, QDialogButtonBox, Qt, QVBoxLayout, QWidget


class CameraDialog(QDialog):
    """Shows the camera ``opener`` opens; :attr:`shot` holds the picture taken, if one was."""

    def __init__(self, opener: Callable[[], CameraSession], title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.resize(800, 640)  # fits a 1366×768 screen with the taskbar
        self.shot: Shot | None = None
        self.preview = CameraPreview(opener, self)
        self.preview.captured.connect(self._captured)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.preview.start()

    def _captured(self, shot: Shot) -> None:
        self.shot = shot
        self.accept()

    def done(self, result: int) -> None:
        self.preview.stop()  # release the camera whichever way the dialog ends
        super().done(result)
