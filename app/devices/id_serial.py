"""Resident ID card readers on a serial port, through the SAM module's own protocol.

115200 baud, 8N1. Every frame starts with the preamble ``AA AA AA 96 69`` and a big-endian
two-byte length counting the bytes after it; a command body is ``CMD PARA [data]``, a
response body ``SW1 SW2 SW3 [data]``; the last byte is the XOR of the length and body bytes.
Reading a card is find (``20 01``), select (``20 02``), read base information (``30 01``).

The exchange runs on the reader's device thread and keeps to its own deadline, a
little inside the worker's timeout, so a silent reader ends in this module's message and the
next read can go ahead at once; the worker's limit only catches a driver stuck in the kernel.
Two retries are in the protocol's spirit and nowhere else: a search that finds nothing is
repeated once (vendors' demos do this: a card left on the reader after a read answers only
the second search), and a command the reader says it received garbled is sent once more.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any

import serial

from app.core.resident_card import ResidentCard, decode_text_block
from app.devices.device import Device
from app.devices.errors import DeviceError, DeviceMissing, DeviceTimeout
from app.devices.id_reader import (
    BAD_CHECKSUM,
    BAD_LENGTH,
    FOUND,
    GARBLED_MESSAGE,
    LABEL,
    NO_CARD,
    OK,
    status_error,
)
from app.devices.model import DeviceInfo

log = logging.getLogger("devices.id_serial")

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
BAUD = 115200
FIND = b"\x20\x01"
SELECT = b"\x20\x02"
READ_BASE = b"\x30\x01"
MAX_LENGTH = 4096  # the longest response (base info with fingerprint) is about 2.3 KB
_POLL = 0.05  # one serial read waits at most this long, so the deadline is checked often
_SHARE = 0.8  # of the timeout, for the exchange itself; the rest is the worker's margin


class FrameError(ValueError):
    """Bytes that are not a well-formed frame (bad preamble, length or checksum)."""


def checksum(data: bytes) -> int:
    """XOR of all bytes."""
    return reduce(lambda a, b: a ^ b, data, 0)


def encode_frame(body: bytes) -> bytes:
    """A whole frame around ``body`` (command + parameter + data, or status + data)."""
    head = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + head + body + bytes([checksum(head + body)])


def parse_frame(frame: bytes) -> bytes:
    """The body of a whole ``frame``; :class:`FrameError` unless preamble, length and checksum hold."""
    if not frame.startswith(PREAMBLE) or len(frame) < len(PREAMBLE) + 3:
        raise FrameError("no preamble")
    head = frame[5:7]
    length = int.from_bytes(head, "big")
    if length < 1 or len(frame) != 7 + length:
        raise FrameError(f"length field {length} does not match {len(frame) - 7} bytes")
    body = frame[7:-1]
    if checksum(head + body) != frame[-1]:
        raise FrameError("checksum mismatch")
    return body


@dataclass(frozen=True, slots=True)
class Response:
    """A reader's answer: SW3 is its status, ``data`` what follows the three status bytes."""

    status: int
    data: bytes


def parse_base_info(data: bytes) -> tuple[bytes, bytes]:
    """The text block and photo in a read-base-information response's data."""
    if len(data) < 4:
        raise FrameError("base information shorter than its length fields")
    text_len, photo_len = int.from_bytes(data[0:2], "big"), int.from_bytes(data[2:4], "big")
    if len(data) < 4 + text_len + photo_len:
        raise FrameError("base information shorter than its length fields say")
    return data[4:4 + text_len], data[4 + text_len:4 + text_len + photo_len]


class SerialIdReader(Device):
    """A resident ID card reader on ``port`` ("/dev/ttyUSB0", "COM3"), speaking the SAM protocol."""

    def __init__(self, port: str, timeout: float) -> None:
        super().__init__(DeviceInfo(name=f"serial:{port}", kind="id_reader", label=f"{LABEL}（串口 {port}）"),
                         label=LABEL, timeout=timeout)
        self.port = port
        self._serial: Any = None  # serial.Serial once opened, on the worker's thread only

    def read_card(self) -> ResidentCard:
        """The card on the reader: find, select, read, decode."""
        deadline = time.monotonic() + self.timeout * _SHARE
        return self._call(lambda: self._read_card(deadline), what="read card")

    # Everything below runs on the worker's thread.

    def _read_card(self, deadline: float) -> ResidentCard:
        try:
            port = self._open()
            found = self._command(port, FIND, deadline)
            if found.status == NO_CARD:
                found = self._command(port, FIND, deadline)
            self._expect(found, FOUND, "find card")
            self._expect(self._command(port, SELECT, deadline), OK, "select card")
            read = self._command(port, READ_BASE, deadline)
            self._expect(read, OK, "read base information")
            text, photo = self._checked(parse_base_info, read.data)
        except OSError as exc:  # serial.SerialException is one: the port vanished or was never there
            self._close_port()
            raise DeviceMissing("未检测到身份证阅读器（串口 {port}），请检查连接", port=self.port,
                                log=f"{self.info.name}: {type(exc).__name__}: {exc}") from None
        card = decode_text_block(text, photo, today=dt.date.today())
        log.info("%s: card read", self.info.name)
        return card

    def _open(self) -> Any:
        if self._serial is None:
            self._serial = serial.Serial(self.port, BAUD, bytesize=8, parity="N", stopbits=1, timeout=_POLL,
                                         write_timeout=self.timeout)
        return self._serial

    def _release(self) -> None:
        self._close_port()

    def _close_port(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except OSError as exc:  # closing an unplugged port; there is nothing left to release
                log.info("%s: close failed: %s", self.info.name, exc)

    def _expect(self, response: Response, wanted: int, what: str) -> None:
        if response.status != wanted:
            raise status_error(self.info.name, response.status, what)

    def _checked(self, parse: Callable[[bytes], Any], data: bytes) -> Any:
        try:
            return parse(data)
        except FrameError as exc:
            raise DeviceError(GARBLED_MESSAGE, log=f"{self.info.name}: garbled frame: {exc}") from None

    def _command(self, port: Any, command: bytes, deadline: float) -> Response:
        """Send ``command``, once more if the reader says it arrived garbled; the answer."""
        response = self._exchange(port, command, deadline)
        if response.status in (BAD_CHECKSUM, BAD_LENGTH):
            log.info("%s: reader received command %s garbled; sending it again", self.info.name, command.hex())
            response = self._exchange(port, command, deadline)
        return response

    def _exchange(self, port: Any, command: bytes, deadline: float) -> Response:
        port.reset_input_buffer()  # late bytes of an answer we gave up on belong to no one
        port.write(encode_frame(command))
        port.flush()
        body = self._checked(parse_frame, self._receive_frame(port, command, deadline))
        if len(body) < 3:
            raise DeviceError(GARBLED_MESSAGE, log=f"{self.info.name}: response body of {len(body)} bytes")
        return Response(status=body[2], data=body[3:])

    def _receive_frame(self, port: Any, command: bytes, deadline: float) -> bytes:
        received = bytearray()
        # Bytes before the preamble are line noise; a reader that sends only noise is garbled.
        while not received.endswith(PREAMBLE):
            received += self._receive(port, 1, deadline, command, received)
            if len(received) > MAX_LENGTH:
                raise DeviceError(GARBLED_MESSAGE, log=f"{self.info.name}: no preamble in {len(received)} bytes")
        frame = bytearray(PREAMBLE)
        frame += self._receive(port, 2, deadline, command, received)
        length = int.from_bytes(frame[5:7], "big")
        if not 4 <= length <= MAX_LENGTH:
            raise DeviceError(GARBLED_MESSAGE, log=f"{self.info.name}: implausible frame length {length}")
        frame += self._receive(port, length, deadline, command, received)
        return bytes(frame)

    def _receive(self, port: Any, size: int, deadline: float, command: bytes, so_far: bytearray) -> bytes:
        """Exactly ``size`` bytes, or the error for a reader that stopped before the deadline."""
        got = bytearray()
        while len(got) < size:
            if time.monotonic() >= deadline:
                if not so_far and not got:
                    raise DeviceTimeout("{label}在{timeout:g}秒内没有响应，请检查连接和电源后重试",
                                        label=LABEL, timeout=self.timeout,
                                        log=f"{self.info.name}: no answer to command {command.hex()}")
                raise DeviceError(GARBLED_MESSAGE,
                                  log=f"{self.info.name}: answer to {command.hex()} cut short")
            got += port.read(size - len(got))
        return bytes(got)
