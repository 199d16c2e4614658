"""The errors a device gives the clerk: what happened, in plain Chinese, and what to do.

They are :class:`~app.core.errors.UserError`s (the window shows them, the CLI exits 2); a
device that is missing or fails is a state the clerk can fix, never a crash. ``kept`` says
how much of the work survived (pages already scanned), so the message can say so.
"""

from __future__ import annotations

from app.core.errors import UserError


class DeviceError(UserError):
    """A device could not do what was asked; the message says what the clerk can do."""


class DeviceMissing(DeviceError):
    """The chosen device is not attached, or none of its kind is."""


class DeviceTimeout(DeviceError):
    """The device did not answer within its timeout (a hung driver, a pulled cable)."""


class DeviceBusy(DeviceError):
    """The device is still finishing an earlier call that timed out."""


def after_pages(err: DeviceError, kept: int) -> DeviceError:
    """``err`` as the clerk reads it when it ended a batch after ``kept`` pages, which are saved."""
    if kept == 0:
        return err
    return type(err)(f"{err.message}（已扫描的前{kept}页已保留）", log=f"{err.log} (after {kept} pages, kept)")
