"""The smart card reader interface the PC/SC backend and its simulated twin implement.

The window and the command line ask a reader two things: is a card on it (the 「设备」 page's
test), and the e-passport on it, opened with the MRZ data the clerk typed. Insertion and
removal events are PC/SC's alone (:meth:`app.devices.pcsc.CardReader.monitor`).
"""

from __future__ import annotations

from typing import Protocol

from app.core.mrz import BacKey
from app.devices.emrtd import PassportData
from app.devices.model import DeviceInfo


class SmartCardReader(Protocol):
    """One opened smart card reader."""

    info: DeviceInfo

    def card_present(self) -> bool:
        """Whether a card is on the reader now."""
        ...

    def read_passport(self, key: BacKey) -> PassportData:
        """The e-passport (or e-permit) on the reader, opened with ``key``: one BAC attempt.

        :class:`~app.devices.emrtd.AccessDenied` when the key does not open it, a
        :class:`~app.devices.errors.DeviceError` saying what to do when there is no card.
        """
        ...

    def close(self) -> None:
        """Let go of the reader (never waiting long for a hung one)."""
        ...
