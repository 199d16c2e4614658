"""What every opened device has in common: what it is, its thread, calls with a timeout, close.

Scanners, document cameras, resident ID readers, PC/SC readers and signature pads, real and
simulated, build on :class:`Device` (as Electrum's hardware plugins build on one base), and
each family adds its interface on top (:class:`~app.devices.scanner.Scanner`, …). The thread
is not the device object's own: it is the device name's (:func:`~app.devices.worker.device_worker`),
so a device closed and opened again, by any caller, finds a call still stuck in its driver and
is refused at once instead of running beside it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType
from typing import Self, TypeVar

from app.devices.errors import DeviceError
from app.devices.model import DeviceInfo
from app.devices.worker import device_worker

log = logging.getLogger("devices")
T = TypeVar("T")

#: Letting go of a port or handle is quick; a driver that hangs in it keeps it, and the clerk
#: is not held up for the device's whole timeout.
CLOSE_TIMEOUT = 2.0


class Device:
    """One opened device.

    ``label`` is the clerk's word for it in messages (「扫描仪」); ``thread`` names the worker
    when several devices share one (every SANE scanner runs on "sane"), else it is the device
    name. Subclasses make each driver call through :meth:`_call` and let go of what they hold
    in :meth:`_release`, which runs on the device's thread.
    """

    #: The longest :meth:`close` waits for the driver (never more than the device's timeout).
    close_timeout = CLOSE_TIMEOUT

    def __init__(self, info: DeviceInfo, *, label: str, timeout: float, thread: str | None = None) -> None:
        self.info = info
        self.timeout = timeout
        self._worker = device_worker(thread or info.name, label)

    @property
    def hung(self) -> bool:
        """Whether a call that timed out is still running in the driver: until it returns, the
        device refuses every call, whoever opened it."""
        return self._worker.stuck

    def _call(self, fn: Callable[[], T], *, what: str, timeout: float | None = None) -> T:
        """``fn()`` on the device's thread, within ``timeout`` (else this device's)."""
        return self._worker.call(fn, timeout=self.timeout if timeout is None else timeout, what=what)

    def close(self) -> None:
        """Let go of the device (never waiting long for a hung driver); its thread stays with the name."""
        if type(self)._release is Device._release:
            return  # nothing to let go of: no trip to a thread that may still be finishing a batch
        try:
            self._call(self._release, timeout=min(self.timeout, self.close_timeout), what="release")
        except DeviceError as exc:  # stuck in an earlier call: what it holds is let go when that returns, or never
            log.warning("%s: not released: %s", self.info.name, exc.log)

    def _release(self) -> None:
        """Close the port, handle or library; nothing to do by default."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
