"""The two kinds of error: problems a user can fix, and everything else (bugs).

A :class:`UserError` carries a message in plain Chinese that says what to do; the window
shows it in a message box, the command line prints it and exits 2. Any other exception is
a bug: logged with context and shown in a crash dialog, never swallowed.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix. ``str(err)`` is the Chinese message for them."""

    def __init__(self, message: str, *, log: str) -> None:
        super().__init__(message)
        self.message = message
        #: English, for the log; may carry details (paths, values) but no personal data.
        self.log = log


class NotFound(UserError):
    """A case, item or file that the user named does not exist."""


class InvalidTransition(UserError):
    """A lifecycle action that the case's current state does not allow."""
