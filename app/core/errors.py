"""The two kinds of error: problems a user can fix, and everything else (bugs).

A :class:`UserError` carries a message in plain Chinese that says what to do; the window
shows it in a message box, the command line prints it and exits 2. Any other exception is
a bug: logged with context and shown in a crash dialog, never swallowed.

The message is a Chinese *template* with ``{name}`` fields and their values (a
:class:`Message`): ``str()`` of it is the finished Chinese, and the window translates the
template (``app.ui.messages.user_message``). The core stays free of Qt, so templates are only
*marked* here: the first argument of a ``UserError`` (or subclass) call, of ``Message(...)``
and of ``N_(...)`` is a string literal that ``tools/extract_errors.py`` collects for the
translators (context ``errors``).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any


def N_(template: str) -> str:
    """Mark ``template`` (a literal without fields) as a message for the translators."""
    return template


def chinese_field(value: Any) -> Any:
    """A field as the Chinese message shows it: an enum by its Chinese ``label`` (or its value
    when that is the Chinese word, as for ``NoticeKind``), anything else as is."""
    if isinstance(value, Enum):
        label = getattr(value, "label", None)
        if isinstance(label, str):
            return label
        if isinstance(value.value, str):
            return value.value
    return value


class Message(str):
    """A message for the user: the formatted Chinese, plus the template and fields it came from.

    A ``str``, so everything that handled the plain Chinese text (comparisons, joins, the CLI)
    keeps working; ``template`` and ``fields`` let the window show it in another language.
    Field values that are enums with a ``label`` (``Status``, ``ActionType`` …) are shown by
    their label; a field that is itself a :class:`Message` is translated too.
    """

    template: str
    fields: Mapping[str, Any]

    def __new__(cls, template: str, /, **fields: Any) -> Message:
        text = template.format(**{k: chinese_field(v) for k, v in fields.items()}) if fields else template
        self = super().__new__(cls, text)
        self.template = template
        self.fields = dict(fields)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, dict(self.fields)))


def _rebuild(template: str, fields: dict[str, Any]) -> Message:
    return Message(template, **fields)


class UserError(Exception):
    """A problem the user can fix. ``str(err)`` is the Chinese message for them.

    ``UserError("找不到办件“{ref}”", log=..., ref=ref)``: the template and its fields (formatted
    only when fields are given, so a template without fields may hold any text). ``message``
    may also be a :class:`Message` made earlier (a "why not" from the rules).
    """

    def __init__(self, message: str, *, log: str, **fields: Any) -> None:
        text: str = Message(message, **fields) if fields else message
        super().__init__(str(text))
        #: the Chinese message (a :class:`Message` when it was built from a template and fields)
        self.message = text
        #: English, for the log; may carry details (paths, values) but no personal data.
        self.log = log


class NotFound(UserError):
    """A case, item or file that the user named does not exist."""


class InvalidTransition(UserError):
    """A lifecycle action that the case's current state does not allow."""
