"""Telling the clerk about a problem they can fix (a :class:`~app.core.errors.UserError`).

Its message is a Chinese template with fields (:class:`~app.core.errors.Message`): here the
template is translated (context ``errors``, collected by ``tools/extract_errors.py``) and then
filled in. A field that is a core label (``Status``, ``ActionType`` …) is shown by its translated
label, a field that is itself a message or a marked word (``N_``) is translated too; any other
field is data (a name, a number) and shown as it is. A translation that does not fit its
template (fields missing or unknown) is logged and the Chinese shown: an error never fails
to show.
"""

from __future__ import annotations

import logging
import string
from enum import Enum

from app.core.errors import Message, UserError, chinese_field
from app.ui.qt import QCoreApplication, QMessageBox, QObject, Qt, QWidget

log = logging.getLogger("ui.messages")

CONTEXT = "errors"


def _field_names(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:  # a stray brace: not a template that fits
        return {"\0"}


def _field(value: object) -> object:
    if isinstance(value, Enum):  # first: a StrEnum is a str too, but its words are its label
        label = chinese_field(value)
        return QCoreApplication.translate(type(value).__name__, label) if isinstance(label, str) else value
    if isinstance(value, str):
        return translated(value)
    return value


def translated(text: str) -> str:
    """``text`` in the interface language: a :class:`Message` by its template and fields; a marked
    word or template without fields by its translation; anything else (data) as it is."""
    if not isinstance(text, Message):
        return QCoreApplication.translate(CONTEXT, text) if text else text
    template = QCoreApplication.translate(CONTEXT, text.template)
    if not text.fields:
        return template
    if template != text.template and _field_names(template) != _field_names(text.template):
        log.error("translation of %r does not have the fields of its source; showing the Chinese", text.template)
        return str(text)
    try:
        return template.format(**{k: _field(v) for k, v in text.fields.items()})
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as e:
        log.error("could not fill in %r (%s: %s); showing the Chinese", template, type(e).__name__, e)
        return str(text)


def user_message(err: UserError) -> str:
    """What the clerk reads for ``err``, in the interface language."""
    return translated(err.message)


def _window_of(parent: QObject | None) -> QWidget | None:
    if isinstance(parent, QWidget):
        return parent.window()
    return None


def show_user_error(parent: QObject | None, message: str) -> QMessageBox:
    """A non-blocking warning box with the message (translated when it is a known one); deleted when closed."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, QCoreApplication.translate("messages", "提示"), translated(message),
        QMessageBox.StandardButton.Ok, _window_of(parent),
    )
    box.setObjectName("userErrorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box
