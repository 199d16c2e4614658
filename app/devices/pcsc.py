"""Smart card readers through PC/SC (``pcscd`` on Linux, WinSCard on Windows), with pyscard.

Readers are named ``pcsc:<reader name>``. A :class:`CardReader` (a
:class:`~app.devices.card_reader.SmartCardReader`) tells whether a card is on it, reports
insertions and removals, and reads e-passports (:mod:`app.devices.emrtd`). Every call into
PC/SC runs on the reader's device thread, and each one is bounded: status queries wait at most
one poll period in ``SCardGetStatusChange``, so a monitor and a read share the device's thread
and a read waits at most that long to start. Listing the readers runs on the thread "pcsc".

PC/SC's status codes become what the clerk can do (:func:`_check`); a context that the service
invalidated (pcscd restarted) is dropped and established again on the next call.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartcard import scard

from app.core.errors import N_
from app.core.mrz import BacKey
from app.devices import emrtd
from app.devices.bac import RandomSource
from app.devices.device import Device
from app.devices.errors import DeviceBusy, DeviceError, DeviceMissing
from app.devices.model import DeviceInfo
from app.devices.worker import device_worker

log = logging.getLogger("devices.pcsc")

PREFIX = "pcsc:"
LABEL = N_("读卡器")
NO_SERVICE = "读卡服务未运行（pcscd），请联系管理员"
NO_READER = N_("未检测到读卡器，请检查读卡器的连接")
NO_CARD = "请将证件放在读卡器上"
CARD_MOVED = "读取中证件被移开了，请将证件放稳后重新读取"
IN_USE = "读卡器正被其他程序使用，请关闭该程序后重试"
MUTE_CARD = "读卡器无法与证件芯片通信，请确认放置的是带芯片的证件"
FAILED = N_("读卡器通信出错，请将证件重新放置后再读")

_GET_RESPONSE_LIMIT = 32  # 61xx chains: an endless one is a broken card, not more data
_POLL_S = 0.25
_RETRY_S = 1.0

_CODES: dict[int, tuple[type[DeviceError], str]] = {
    scard.SCARD_E_NO_SERVICE: (DeviceMissing, NO_SERVICE),
    scard.SCARD_E_SERVICE_STOPPED: (DeviceMissing, NO_SERVICE),
    scard.SCARD_E_NO_READERS_AVAILABLE: (DeviceMissing, NO_READER),
    scard.SCARD_E_UNKNOWN_READER: (DeviceMissing, NO_READER),
    scard.SCARD_E_READER_UNAVAILABLE: (DeviceMissing, NO_READER),
    scard.SCARD_E_NO_SMARTCARD: (DeviceMissing, NO_CARD),
    scard.SCARD_W_REMOVED_CARD: (DeviceMissing, CARD_MOVED),
    scard.SCARD_E_SHARING_VIOLATION: (DeviceBusy, IN_USE),
    scard.SCARD_W_UNRESPONSIVE_CARD: (DeviceError, MUTE_CARD),
    scard.SCARD_W_UNPOWERED_CARD: (DeviceError, MUTE_CARD),
    scard.SCARD_W_UNSUPPORTED_CARD: (DeviceError, MUTE_CARD),
    scard.SCARD_E_PROTO_MISMATCH: (DeviceError, MUTE_CARD),
}
# After these the context is of no more use; the next call establishes a new one.
_STALE_CONTEXT = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_INVALID_HANDLE}


def _code(hresult: int) -> int:
    return hresult & 0xFFFFFFFF  # WinSCard returns LONGs, pcsc-lite unsigned values


def _check(hresult: int, what: str, *, no_card: str = NO_CARD) -> None:
    """Raise the clerk's error for a PC/SC status; ``no_card`` replaces the message for a missing card."""
    code = _code(hresult)
    if code == scard.SCARD_S_SUCCESS:
        return
    kind, message = _CODES.get(code, (DeviceError, FAILED))
    if message == NO_CARD:
        message = no_card
    raise kind(message, log=f"PC/SC {what}: {scard.SCardGetErrorMessage(hresult)} (0x{code:08X})")


class _Context:
    """A PC/SC context, established on first use and again after the service dropped it.

    Used only on one device thread: pcsc-lite contexts are not for concurrent calls.
    """

    def __init__(self) -> None:
        self._handle: int | None = None

    def handle(self) -> int:
        if self._handle is None:
            hresult, handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
            _check(hresult, "establish context")
            self._handle = handle
        return self._handle

    def run(self, what: str, fn: Callable[[int], list[Any]], *, no_card: str = NO_CARD) -> list[Any]:
        """``fn(context)`` → pyscard's [hresult, …]; the rest of the answer once checked."""
        result = fn(self.handle())
        self.check(result[0], what, no_card=no_card)
        return list(result[1:])

    def check(self, hresult: int, what: str, *, no_card: str = NO_CARD) -> None:
        code = _code(hresult)
        if code in _STALE_CONTEXT:
            self.release()
        elif code != scard.SCARD_S_SUCCESS and code not in _CODES:
            # pcsc-lite answers a call the daemon died in with a code that names no cause
            # (8010006A): a fresh context tells "service gone" (raised here) from a real failure.
            self.release()
            self.handle()
        _check(hresult, what, no_card=no_card)

    def release(self) -> None:
        if self._handle is not None:
            handle, self._handle = self._handle, None
            scard.SCardReleaseContext(handle)  # a context the service already dropped answers an error: fine


def discover_card_readers(timeout: float = 5.0) -> list[DeviceInfo]:
    """Every PC/SC reader attached (none: an empty list); :class:`DeviceMissing` without pcscd."""

    def listing() -> list[str]:
        context = _Context()
        try:
            hresult, readers = scard.SCardListReaders(context.handle(), [])
            if _code(hresult) == scard.SCARD_E_NO_READERS_AVAILABLE:
                return []
            _check(hresult, "list readers")
            return list(readers)
        finally:
            context.release()

    names = device_worker("pcsc", LABEL).call(listing, timeout=timeout, what="list readers")
    return [DeviceInfo(name=PREFIX + name, kind="smartcard", label=name) for name in names]


@dataclass(frozen=True, slots=True)
class CardEvent:
    """A card put on or taken off a reader; ``error`` is the clerk's message when the reader
    cannot be watched any more (the card then counts as absent).
    """

    reader: str
    present: bool
    atr: bytes = b""
    error: str = ""


class CardReader(Device):
    """One PC/SC reader: card presence, insertion and removal events, e-passport reads."""

    def __init__(self, reader: str, *, timeout: float = 30.0) -> None:
        super().__init__(DeviceInfo(name=PREFIX + reader, kind="smartcard", label=reader), label=LABEL,
                         timeout=timeout)
        self.reader = reader
        self.name = self.info.name
        self._context = _Context()

    @classmethod
    def from_device_name(cls, name: str, *, timeout: float = 30.0) -> CardReader:
        """The reader a ``pcsc:…`` device name (as settings store it) names."""
        if not name.startswith(PREFIX) or len(name) == len(PREFIX):
            raise DeviceMissing(NO_READER, log=f"not a PC/SC device name: {name!r}")
        return cls(name[len(PREFIX):], timeout=timeout)

    def status(self, current: int = scard.SCARD_STATE_UNAWARE, wait: float = 0.0) -> tuple[int, bytes]:
        """The reader's state and ATR, waiting up to ``wait`` seconds for it to differ from
        ``current``. Runs on the device's thread; returns ``current`` unchanged on a timeout.
        """
        return self._call(lambda: self._status(current, wait), timeout=wait + self.timeout, what="status")

    def _status(self, current: int, wait: float) -> tuple[int, bytes]:
        hresult, states = scard.SCardGetStatusChange(self._context.handle(), int(wait * 1000),
                                                     [(self.reader, current)])
        if _code(hresult) == scard.SCARD_E_TIMEOUT:
            return current, b""
        self._context.check(hresult, "status")
        _, state, atr = states[0]
        if state & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
            raise DeviceMissing(NO_READER, log=f"PC/SC status: reader {self.reader!r} unknown or unavailable")
        return state & ~scard.SCARD_STATE_CHANGED, bytes(atr)

    def card_present(self) -> bool:
        state, _ = self.status()
        return bool(state & scard.SCARD_STATE_PRESENT)

    def wait(self, present: bool, timeout: float) -> bool:
        """Until a card is on the reader (``present``) or off it; False when ``timeout`` passed first."""
        state, _ = self.status()
        waited = 0.0
        while bool(state & scard.SCARD_STATE_PRESENT) != present:
            if waited >= timeout:
                return False
            step = min(_POLL_S, timeout - waited)
            state, _ = self.status(state, step)
            waited += step  # at least: a change returns early and the loop looks again
        return True

    def monitor(self, callback: Callable[[CardEvent], None], *, poll: float = _POLL_S) -> CardMonitor:
        """Report insertions and removals to ``callback`` until the monitor is stopped.

        The callback runs on the device's thread: a window marshals it to the GUI thread.
        """
        return CardMonitor(self, callback, poll)

    def read_passport(self, key: BacKey, *, random: RandomSource = secrets.token_bytes,
                      chunk: int = emrtd.DEFAULT_CHUNK) -> emrtd.PassportData:
        """Read the e-passport on the reader: one BAC attempt with ``key``."""
        return self._call(lambda: self._read_passport(key, random, chunk), what="read passport")

    def _read_passport(self, key: BacKey, random: RandomSource, chunk: int) -> emrtd.PassportData:
        handle, protocol = self._context.run(
            "connect", lambda ctx: scard.SCardConnect(ctx, self.reader, scard.SCARD_SHARE_EXCLUSIVE,
                                                      scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1))
        try:
            return emrtd.read_passport(lambda apdu: self._transmit(handle, protocol, apdu), key, random=random,
                                       chunk=chunk)
        finally:
            # A reset makes the chip forget the session keys: nobody continues our session.
            scard.SCardDisconnect(handle, scard.SCARD_RESET_CARD)

    def _transmit(self, handle: int, protocol: int, apdu: bytes) -> tuple[bytes, int]:
        data = b""
        command = apdu
        for _ in range(_GET_RESPONSE_LIMIT):
            hresult, response = scard.SCardTransmit(handle, protocol, list(command))
            self._context.check(hresult, "transmit", no_card=CARD_MOVED)
            if len(response) < 2:
                raise DeviceError(FAILED, log=f"PC/SC transmit: answer of {len(response)} bytes")
            data += bytes(response[:-2])
            sw1, sw2 = response[-2], response[-1]
            if sw1 != 0x61:  # 61xx: xx more bytes wait for GET RESPONSE (T=0)
                return data, sw1 << 8 | sw2
            command = bytes([0x00, 0xC0, 0x00, 0x00, sw2])
        raise DeviceError(FAILED, log="PC/SC transmit: endless GET RESPONSE chain")

    def _release(self) -> None:
        self._context.release()


class CardMonitor:
    """Watches one reader from a daemon thread; each poll, and the callback, runs on the
    reader's device thread. A card already on the reader is reported as inserted at start.
    """

    def __init__(self, reader: CardReader, callback: Callable[[CardEvent], None], poll: float) -> None:
        self._reader = reader
        self._callback = callback
        self._poll = poll
        self._state = scard.SCARD_STATE_UNAWARE
        self._present = False
        self._failing = False
        self._stop = threading.Event()
        self._device_thread: threading.Thread | None = None
        self._thread = threading.Thread(target=self._run, name=f"monitor:{reader.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching; returns once the current poll ended (at most ``timeout`` seconds).

        From the callback itself it returns at once: the poll it runs in is the current one.
        """
        self._stop.set()
        if threading.current_thread() not in (self._thread, self._device_thread):
            self._thread.join(timeout)

    def _run(self) -> None:
        reader = self._reader
        while not self._stop.is_set():
            try:
                healthy = reader._call(self._step, timeout=self._poll + reader.timeout, what="watch for cards")
            except DeviceError as exc:  # the device's thread is stuck or busy: no callback can run there
                log.warning("watching %s: %s", self._reader.name, exc.log)
                healthy = False
            if not healthy:
                self._stop.wait(_RETRY_S)  # the service or reader is gone: look again, but gently

    def _step(self) -> bool:
        """One bounded poll, on the device's thread; False when the reader cannot be watched."""
        self._device_thread = threading.current_thread()
        if self._stop.is_set():
            return True
        try:
            self._state, atr = self._reader._status(self._state, self._poll)
        except DeviceError as exc:
            self._state = scard.SCARD_STATE_UNAWARE
            if not self._failing:
                log.warning("watching %s: %s", self._reader.name, exc.log)
                self._failing, self._present = True, False
                self._callback(CardEvent(self._reader.reader, False, error=exc.message))
            return False
        self._failing = False
        present = bool(self._state & scard.SCARD_STATE_PRESENT) and not self._state & scard.SCARD_STATE_MUTE
        if present != self._present:
            self._present = present
            self._callback(CardEvent(self._reader.reader, present, atr if present else b""))
        return True
