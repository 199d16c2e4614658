"""The PC/SC reader's simulated twin, for demo and training: a reader with a specimen passport on it.

The passport is ICAO 9303's specimen (Anna Maria Eriksson of Utopia, the MRZ the standard's
worked examples use). The twin checks the MRZ data the clerk typed the way the chip does
(the BAC key must match, one attempt per read) and returns what the chip's DG1 would hold;
it does not run the cryptography: the real reader's path is tested against an emulated chip.
"""

from __future__ import annotations

import datetime as dt

from app.core.mrz import BacKey, parse_mrz
from app.devices.device import Device
from app.devices.emrtd import WRONG_KEY, AccessDenied, PassportData
from app.devices.model import DeviceInfo

NAME = "sim:card_reader"
INFO = DeviceInfo(name=NAME, kind="smartcard", label="模拟读卡器（样例护照）", simulated=True)
SPECIMEN_MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C<3UTO6908061F9406236ZE184226B<<<<<14"
#: What to type to open the specimen (its document number, birth and expiry dates).
SPECIMEN_KEY_TEXT = "L898902C 1969-08-06 1994-06-23"


class SimulatedCardReader(Device):
    """A reader that always holds the specimen passport (a :class:`~app.devices.card_reader.SmartCardReader`)."""

    def __init__(self, *, timeout: float) -> None:
        super().__init__(INFO, label=INFO.label, timeout=timeout)
        self.name = NAME

    def card_present(self) -> bool:
        return True

    def read_passport(self, key: BacKey, *, today: dt.date | None = None) -> PassportData:
        return self._call(lambda: self._read(key, today), what="read passport")

    @staticmethod
    def _read(key: BacKey, today: dt.date | None) -> PassportData:
        mrz = parse_mrz(SPECIMEN_MRZ, today)
        if key != mrz.bac_key():
            raise AccessDenied(WRONG_KEY, log="simulated reader: the MRZ data do not open the specimen")
        return PassportData(mrz=mrz, lds_version="0107", data_groups=(1, 2))
