"""The resident ID card reader interface every backend implements, and how to open one by name.

Readers come in two kinds: the SAM module's own serial protocol (``serial:/dev/ttyUSB0``,
``serial:COM3``), spoken by :mod:`app.devices.id_serial`, and a vendor's SDT-style library
(``sdt:/opt/reader/libsdtapi.so#1001``), driven by :mod:`app.devices.id_sdt`. Both end in the
same 256-byte text block, decoded by :mod:`app.core.resident_card`, and both report the SAM's
status codes, which :func:`status_error` turns into what the clerk should do. ``sim:id_reader``
is the simulated twin for demo and training.
"""

from __future__ import annotations

from typing import Protocol

from serial.tools import list_ports

from app.core.errors import N_, Message
from app.core.resident_card import ResidentCard
from app.devices.errors import DeviceError, DeviceMissing
from app.devices.model import DeviceInfo

LABEL = N_("身份证阅读器")
SIMULATED_NAME = "sim:id_reader"
DEFAULT_SDT_PORT = 1001  # the SDT libraries number serial ports 1-16 and USB readers 1001-1016

# SW3 of the SAM protocol, which the SDT libraries also return.
OK = 0x90
FOUND = 0x9F
NO_CARD = 0x80
SELECT_FAILED = 0x81
READ_FAILED = 0x41
BAD_CHECKSUM = 0x10  # the reader received our frame garbled
BAD_LENGTH = 0x11

NO_CARD_MESSAGE = N_("阅读器上没有身份证，请将身份证放在阅读器上")
GARBLED_MESSAGE = N_("身份证阅读器通信出错，请重新放置证件后再读")
REPLACE_MESSAGE = N_("身份证读取失败，请将证件重新放置后再读")
_SAM_FAULT = "身份证阅读器的安全模块故障，请重新插拔阅读器；仍不能使用时请联系设备厂商"

# SW3 → (message for the clerk, English for the log).
_STATUS: dict[int, tuple[str, str]] = {
    NO_CARD: (NO_CARD_MESSAGE, "no card found"),
    SELECT_FAILED: (REPLACE_MESSAGE, "select card failed"),
    READ_FAILED: (REPLACE_MESSAGE, "read card failed"),
    0x31: (REPLACE_MESSAGE, "card failed to authenticate the reader"),
    0x32: (REPLACE_MESSAGE, "reader failed to authenticate the card"),
    0x33: (REPLACE_MESSAGE, "information verification failed"),
    0x47: (REPLACE_MESSAGE, "get challenge failed"),
    0x40: (N_("阅读器上的证件无法识别，请放置居民身份证后再读"), "unrecognised card type"),
    BAD_CHECKSUM: (GARBLED_MESSAGE, "reader received a frame with a bad checksum"),
    BAD_LENGTH: (GARBLED_MESSAGE, "reader received a frame with a bad length"),
    0x21: (GARBLED_MESSAGE, "reader refused the command"),
    0x24: (GARBLED_MESSAGE, "reader reports an unrecognised error"),
    0x23: (_SAM_FAULT, "SAM refused an unauthorised operation"),
    0x60: (_SAM_FAULT, "SAM self-test failed"),
    0x66: (_SAM_FAULT, "SAM is not authorised"),
}

# USB-serial bridges that ID readers with a serial interface are commonly built on (WCH CH340,
# Prolific PL2303, Silicon Labs CP210x, FTDI). Other devices use them too: candidates only.
_BRIDGE_VIDS = frozenset({0x1A86, 0x067B, 0x10C4, 0x0403})
_READER_WORDS = ("身份证", "idcard", "id card", "id reader", "synjones", "神思", "华视", "chinavision")


class IdReader(Protocol):
    """A resident ID card reader: one card per :meth:`read_card`."""

    info: DeviceInfo

    def read_card(self) -> ResidentCard:
        """The card on the reader; a :class:`DeviceError` saying what to do when there is none."""
        ...

    def close(self) -> None:
        """Release the port or library (never blocks on a hung reader)."""
        ...


class PhotoDecoder(Protocol):
    """The hook for turning a card's 1024-byte wlt photo into a BMP.

    The wlt format can only be decoded by the vendor's library (``libwlt``/``WltRS.dll``);
    none is bundled, so ``ResidentCard.photo_wlt`` is kept as-is until one is configured.
    """

    def __call__(self, wlt: bytes) -> bytes: ...


def status_error(name: str, code: int, what: str) -> DeviceError:
    """The clerk's error for a SAM status (SW3) or SDT return code that is not success."""
    unknown = (Message("身份证阅读器返回错误（代码 {code:02X}），请将证件重新放置后再读", code=code), "unknown")
    message, meaning = _STATUS.get(code, unknown)
    return DeviceError(message, log=f"{name}: {what} returned status 0x{code:02X} ({meaning})")


def open_id_reader(name: str, timeout: float) -> IdReader:
    """The reader named ``name`` (``serial:<port>``, ``sdt:<library>[#port]``, ``sim:id_reader``).

    Nothing is opened yet: the port or library is opened by the first read, so a reader
    plugged in after the window started still works.
    """
    # Imported here: the backends import this module for the status table.
    from app.devices.id_sdt import SdtIdReader
    from app.devices.id_serial import SerialIdReader
    from app.devices.id_simulated import SimulatedIdReader

    scheme, _, rest = name.strip().partition(":")
    if scheme == "serial" and rest:
        return SerialIdReader(rest, timeout)
    if scheme == "sdt" and rest:
        path, _, port = rest.rpartition("#")
        if path and port.isdigit():
            return SdtIdReader(path, int(port), timeout)
        return SdtIdReader(rest, DEFAULT_SDT_PORT, timeout)
    if name.strip() == SIMULATED_NAME:
        return SimulatedIdReader(timeout)
    if not name.strip():
        raise DeviceMissing("尚未选择身份证阅读器，请在设置中填写 devices.id_reader",
                            log="no id reader configured (devices.id_reader is empty)")
    raise DeviceMissing("身份证阅读器名称「{name}」无法识别，应为 serial:串口、sdt:驱动库路径 或 sim:id_reader",
                        name=name,
                        log=f"unrecognised id reader name {name!r}")


def discover_id_readers() -> list[DeviceInfo]:
    """Serial ports that may be ID readers (not probed: the port may be another device), and the twin."""
    found = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        text = " ".join(str(v) for v in (port.description, port.manufacturer, port.product) if v).lower()
        named = any(word in text for word in _READER_WORDS)
        if named or port.vid in _BRIDGE_VIDS:
            found.append(DeviceInfo(
                name=f"serial:{port.device}", kind="id_reader", label=f"{LABEL}（串口 {port.device}）",
                detail="" if named else f"USB 串口（{port.description}），未确认是身份证阅读器"))
    found.append(simulated_info())
    return found


def simulated_info() -> DeviceInfo:
    """The simulated twin as discovery lists it."""
    return DeviceInfo(name=SIMULATED_NAME, kind="id_reader", label="模拟身份证阅读器", simulated=True)
