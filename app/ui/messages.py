"""Telling the clerk about a problem they can fix (a :class:`~app.core.errors.UserError`)."""

from __future__ import annotations

from app.ui.qt import QCoreApplication, QMessageBox, QObject, Qt, QWidget


def _window_of(parent: QObject | None) -> QWidget | None:
    if isinstance(parent, QWidget):
        return parent.window()
    return None


def show_user_error(parent: QObject | None, message: str) -> QMessageBox:
    """A non-blocking warning box with the Chinese message; deleted when closed."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, QCoreApplication.translate("messages", "提示"), message,
        QMessageBox.StandardButton.Ok, _window_of(parent),
    )
    box.setObjectName("userErrorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box
