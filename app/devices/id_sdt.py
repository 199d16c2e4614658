"""Resident ID card readers through the vendor's SDT-style library (Synjones ``sdtapi``/``termb``).

Most readers ship a library exporting ``SDT_StartFindIDCard``, ``SDT_SelectIDCard`` and
``SDT_ReadBaseMsg``; the last fills the same 256-byte text block and 1024-byte photo as the
serial protocol, and the return codes are the SAM's SW3 (0x90 ok, 0x9F found, 0x80 no card…),
plus the library's own for the port. Ports are numbered 1-16 for serial and 1001-1016 for USB.
When the library has ``SDT_OpenPort`` the port is opened once and kept; otherwise each call
opens and closes it itself (``iIfOpen`` = 1).

A call into the library cannot be interrupted: when one hangs the worker's timeout answers
the clerk, and later reads are refused with :class:`DeviceBusy` until the call returns.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import logging
import sys
from pathlib import Path

from app.core.resident_card import ResidentCard, decode_text_block
from app.devices.device import Device
from app.devices.errors import DeviceError, DeviceMissing, DeviceTimeout
from app.devices.id_reader import FOUND, GARBLED_MESSAGE, LABEL, NO_CARD, OK, status_error
from app.devices.model import DeviceInfo

log = logging.getLogger("devices.id_sdt")

# Codes of the library itself, not of the SAM.
PORT_FAILED = 0x01  # port could not be opened, is not open, or its number is invalid
PC_TIMEOUT = 0x02  # the library received nothing from the reader in time
TRANSFER_ERROR = 0x03
PORT_UNAVAILABLE = 0x05

_BUFFER = 4096  # larger than any block: some libraries write fingerprint data after the photo
_REQUIRED = ("SDT_StartFindIDCard", "SDT_SelectIDCard", "SDT_ReadBaseMsg")


class SdtIdReader(Device):
    """A reader driven by the SDT library at ``library_path``, on SDT port number ``port``."""

    def __init__(self, library_path: str, port: int, timeout: float) -> None:
        super().__init__(DeviceInfo(name=f"sdt:{library_path}#{port}", kind="id_reader",
                                    label=f"{LABEL}（{Path(library_path).name}，端口 {port}）"),
                         label=LABEL, timeout=timeout)
        self.library_path = library_path
        self.port = port
        self._lib: ctypes.CDLL | None = None
        self._port_open = False

    def read_card(self) -> ResidentCard:
        """The card on the reader: find, select, read, decode."""
        return self._call(self._read_card, what="read card")

    # Everything below runs on the worker's thread.

    def _read_card(self) -> ResidentCard:
        lib = self._library()
        if_open = self._open_port(lib)
        try:
            manage = ctypes.create_string_buffer(16)
            code = lib.SDT_StartFindIDCard(self.port, manage, if_open)
            if code == NO_CARD:  # a card left on the reader after a read answers only the second search
                code = lib.SDT_StartFindIDCard(self.port, manage, if_open)
            self._expect(code, FOUND, "SDT_StartFindIDCard")
            self._expect(lib.SDT_SelectIDCard(self.port, manage, if_open), OK, "SDT_SelectIDCard")
            text, photo = ctypes.create_string_buffer(_BUFFER), ctypes.create_string_buffer(_BUFFER)
            text_len, photo_len = ctypes.c_uint(0), ctypes.c_uint(0)
            code = lib.SDT_ReadBaseMsg(self.port, text, ctypes.byref(text_len), photo, ctypes.byref(photo_len),
                                       if_open)
            self._expect(code, OK, "SDT_ReadBaseMsg")
        except DeviceMissing:
            self._close_port()
            raise
        card = decode_text_block(text.raw[:min(text_len.value, _BUFFER)], photo.raw[:min(photo_len.value, _BUFFER)],
                                 today=dt.date.today())
        log.info("%s: card read", self.info.name)
        return card

    def _library(self) -> ctypes.CDLL:
        if self._lib is None:
            try:
                if sys.platform == "win32":  # the Windows libraries use the stdcall convention
                    lib: ctypes.CDLL = ctypes.WinDLL(self.library_path)
                else:
                    lib = ctypes.CDLL(self.library_path)
            except OSError as exc:
                raise DeviceMissing("未找到身份证阅读器的驱动库（{library_path}），请安装阅读器厂商的驱动，"
                                    "或在设置中更正 devices.id_reader", library_path=self.library_path,
                                    log=f"{self.info.name}: cannot load library: {exc}") from None
            missing = [name for name in _REQUIRED if not hasattr(lib, name)]
            if missing:
                raise DeviceMissing("{library_path} 不是身份证阅读器的驱动库（缺少 {missing}），"
                                    "请在设置中更正 devices.id_reader",
                                    library_path=self.library_path, missing=missing[0],
                                    log=f"{self.info.name}: library lacks {', '.join(missing)}")
            uchar_p, uint_p = ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint)
            for name in ("SDT_StartFindIDCard", "SDT_SelectIDCard"):
                getattr(lib, name).argtypes = [ctypes.c_int, uchar_p, ctypes.c_int]
            lib.SDT_ReadBaseMsg.argtypes = [ctypes.c_int, uchar_p, uint_p, uchar_p, uint_p, ctypes.c_int]
            for name in (*_REQUIRED, "SDT_OpenPort", "SDT_ClosePort"):
                if hasattr(lib, name):
                    getattr(lib, name).restype = ctypes.c_int
            for name in ("SDT_OpenPort", "SDT_ClosePort"):
                if hasattr(lib, name):
                    getattr(lib, name).argtypes = [ctypes.c_int]
            self._lib = lib
        return self._lib

    def _open_port(self, lib: ctypes.CDLL) -> int:
        """``iIfOpen`` for the calls: 0 once the port is open and kept, 1 to let each call open it."""
        if not hasattr(lib, "SDT_OpenPort"):
            return 1
        if not self._port_open:
            self._expect(lib.SDT_OpenPort(self.port), OK, "SDT_OpenPort")
            self._port_open = True
        return 0

    def _release(self) -> None:
        self._close_port()

    def _close_port(self) -> None:
        if self._port_open and self._lib is not None and hasattr(self._lib, "SDT_ClosePort"):
            self._lib.SDT_ClosePort(self.port)
        self._port_open = False

    def _expect(self, code: int, wanted: int, what: str) -> None:
        if code == wanted:
            return
        where = f"{self.info.name}: {what} returned 0x{code:02X}"
        if code in (PORT_FAILED, PORT_UNAVAILABLE):
            raise DeviceMissing("未检测到身份证阅读器（端口 {port}），请检查连接",
                                port=self.port, log=f"{where} (port failed)")
        if code == PC_TIMEOUT:
            raise DeviceTimeout("{label}没有响应，请检查连接和电源后重试",
                                label=LABEL, log=f"{where} (reader timed out)")
        if code == TRANSFER_ERROR:
            raise DeviceError(GARBLED_MESSAGE, log=f"{where} (transfer error)")
        raise status_error(self.info.name, code, what)
