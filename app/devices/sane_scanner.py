"""Scanners on Linux (UOS, Kylin) through SANE, with ``python-sane``.

libsane is initialised once per process and every call into it, from every SANE scanner and
from discovery, runs on the one device thread named "sane" (:func:`~app.devices.worker.device_worker`):
backends are not written for calls from several threads, and a hung backend then blocks only
that thread, and refuses every SANE caller until it returns. A SANE status reaches Python
only as its ``sane_strstatus`` text, which is fixed English; :data:`_STATUS` maps it to what
the clerk should do.
"""

from __future__ import annotations

import ctypes
import logging
import math
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import numpy as np

from app.core.errors import N_
from app.devices.device import Device
from app.devices.errors import DeviceBusy, DeviceError, DeviceMissing, DeviceTimeout
from app.devices.model import DeviceInfo
from app.devices.scanner import ScannedPage, ScanSettings, feeder_empty, match_choice, unsupported_source
from app.devices.worker import DeviceWorker, device_worker

try:  # python-sane is a Linux dependency; elsewhere there are simply no SANE scanners
    import sane
except ImportError:  # pragma: no cover - Windows
    sane = None

log = logging.getLogger("devices.sane")
T = TypeVar("T")
_SIG_IGN = ctypes.c_void_p(1)  # SIG_IGN in <signal.h>
_libc = ctypes.CDLL(None) if sys.platform.startswith("linux") else None
if _libc is not None:
    _libc.signal.argtypes = [ctypes.c_int, ctypes.c_void_p]
    _libc.signal.restype = ctypes.c_void_p

A4_MM = (210.0, 297.0)
_NO_DOCS = "Document feeder out of documents"
_CANCELLED = ("Operation was cancelled", "Operation was canceled")
# sane_strstatus text → (what happened and what to do, for the clerk).
_STATUS = {
    "Document feeder jammed": "扫描仪卡纸，请打开进纸器取出卡住的纸张，再把未扫描的材料放回重新扫描",
    _NO_DOCS: "扫描仪的进纸器中没有纸，请放入材料后重试",
    "Scanner cover is open": "扫描仪盖板未合上，请合上后重试",
    "Error during device I/O": "扫描仪通信出错，请检查数据线和电源后重试",
    "Device busy": "扫描仪正忙（可能正被其他程序使用），请稍后重试",
    "Out of memory": "扫描仪内存不足，请降低扫描分辨率后重试",
    "Access to resource has been denied": "没有使用扫描仪的权限，请联系管理员",
    "Invalid argument": "扫描仪不接受当前的扫描设置，请检查设置后重试",
}

#: The longest a failed read waits for the backend's reader thread to get going before
#: sane_cancel (see :meth:`SaneScanner._let_reader_start`); a backend with no select fd gets
#: the short pause instead.
READER_START_S = 0.5
_READER_START_PAUSE_S = 0.05
#: The longest :meth:`SaneScanner.abort` holds its caller: sane_cancel joins the backend's
#: reader thread, which a wedged driver may never let go.
ABORT_TIMEOUT_S = 5.0

#: The device thread of all of libsane.
THREAD = "sane"
LABEL = N_("扫描仪")
_init_lock = threading.Lock()
_initialised = False  # libsane's own state is the process's: once, whichever thread comes later


def _library(timeout: float) -> DeviceWorker:
    """The worker every libsane call runs on, with libsane initialised (on it, once)."""
    global _initialised
    worker = device_worker(THREAD, LABEL)
    with _init_lock:
        if not _initialised:
            worker.call(lambda: _keeping_sigpipe_ignored(sane.init), timeout=timeout, what="sane_init")
            _initialised = True
    return worker


def available() -> bool:
    return sane is not None


def discover_scanners(timeout: float) -> list[DeviceInfo]:
    """The scanners libsane finds (network backends included, hence the timeout)."""
    if sane is None:
        return []
    worker = _library(timeout)
    found = worker.call(lambda: _keeping_sigpipe_ignored(sane.get_devices), timeout=timeout, what="sane_get_devices")
    return [DeviceInfo(name=f"sane:{dev}", kind="scanner", label=f"{vendor} {model}".strip() or dev,
                       detail=kind) for dev, vendor, model, kind in found]


def status_error(info: DeviceInfo, text: str) -> DeviceError:
    """The clerk's error for a SANE status text."""
    message = _STATUS.get(text, f"扫描出错（{text}），请重试")
    return (DeviceBusy if text == "Device busy" else DeviceError)(message, log=f"{info.name}: SANE says {text!r}")


class SaneScanner(Device):
    """One SANE device, opened by name ("sane:test:0")."""

    # Some scanners park their carriage in sane_close: that is not a hang.
    close_timeout = math.inf

    def __init__(self, name: str, *, timeout: float) -> None:
        if sane is None:
            raise DeviceMissing("本机没有 SANE 扫描支持，请安装扫描仪驱动", log="python-sane not importable")
        device = name.removeprefix("sane:")
        super().__init__(DeviceInfo(name=name, kind="scanner", label=LABEL), label=LABEL, timeout=timeout,
                         thread=THREAD)
        _library(timeout)
        try:
            self._dev: Any = self._call(lambda: sane.open(device), what=f"open {device}")
        except sane._sane.error as exc:
            if str(exc) in _STATUS and str(exc) != "Invalid argument":  # busy, I/O error, no access…
                raise status_error(self.info, str(exc)) from None
            raise DeviceMissing("未找到扫描仪“{device}”，请检查连接后点击重试", device=device,
                                log=f"{name}: open failed: {exc}") from None
        vendor, model = self._call(lambda: self._dev.sane_signature[1:3], what="signature")
        self.info = DeviceInfo(name=name, kind="scanner", label=f"{vendor} {model}".strip() or device)

    def scan(self, settings: ScanSettings) -> Iterator[ScannedPage]:
        try:
            self._call(lambda: self._configure(settings), what="configure")
        except sane._sane.error as exc:  # the backend refused a value it had offered
            raise status_error(self.info, str(exc)) from None
        dpi = float(self._call(lambda: self._dev.resolution, what="resolution"))
        one_page = settings.source == "flatbed"
        index = 0
        try:
            while True:
                try:
                    pixels = self._call(self._read_page, what=f"page {index + 1}")
                except DeviceTimeout:
                    self.abort()  # frees the SANE thread if the backend honours it
                    raise
                except sane._sane.error as exc:
                    text = str(exc)
                    if text != _NO_DOCS:  # sane_start said so: no reader was started
                        self._call(self._let_reader_start, what="let the reader start", timeout=READER_START_S + 1)
                    if text in _CANCELLED:
                        return
                    if text == _NO_DOCS:
                        if index == 0:
                            raise feeder_empty(self.info) from None
                        return  # the feeder is empty: the batch is complete
                    raise status_error(self.info, text) from None
                yield ScannedPage(pixels=pixels, dpi=dpi, index=index)
                index += 1
                if one_page:
                    return
        finally:
            self._cancel()

    def set_option(self, name: str, value: object) -> None:
        """Set a backend option by its SANE name, between pages (diagnostics and tests)."""
        self._call(lambda: setattr(self._dev, name.replace("-", "_"), value), what=f"set {name}")

    def _call(self, fn: Callable[[], T], *, what: str, timeout: float | None = None) -> T:
        return super()._call(lambda: _keeping_sigpipe_ignored(fn), what=what, timeout=timeout)

    def abort(self) -> None:
        """Stop the page being read, from any thread: the clerk's 停止 while a scan hangs.

        SANE allows ``sane_cancel`` while ``sane_read`` blocks in another thread; the blocked
        read then returns "cancelled", which frees the SANE thread. sane_cancel itself joins
        the backend's reader thread, though, and a wedged reader never ends: the call runs on a
        thread of its own and the caller waits at most :data:`ABORT_TIMEOUT_S` (the SANE thread
        then stays refused, as after any call that timed out).
        """
        done = threading.Event()

        def cancel() -> None:
            try:
                _keeping_sigpipe_ignored(self._dev.cancel)
            finally:
                done.set()

        threading.Thread(target=cancel, name="device:sane-abort", daemon=True).start()
        if not done.wait(ABORT_TIMEOUT_S):
            log.warning("%s: sane_cancel still blocked after %g s; left to the driver", self.info.name,
                        ABORT_TIMEOUT_S)

    def _release(self) -> None:
        self._dev.close()

    # -- on the SANE thread ------------------------------------------------------------------

    def _configure(self, settings: ScanSettings) -> None:
        dev = self._dev
        options = dev.opt
        if _settable(options, "source"):
            offered = list(options["source"].constraint or [])
            choice = match_choice(settings.source, offered)
            if choice is None and settings.source == "duplex":
                choice = self._duplex_by_adf_mode(offered)
            if choice is None:
                raise unsupported_source(self.info, settings.source, offered)
            dev.source = choice
        elif settings.source != "flatbed":
            raise unsupported_source(self.info, settings.source, [])
        if _settable(options, "mode"):
            offered = list(options["mode"].constraint or [])
            # A backend without line-art gives grey; the pipeline makes text pages bitonal anyway.
            choice = match_choice(settings.mode, offered) or match_choice("gray", offered)
            if choice is not None:
                dev.mode = choice
        if _settable(options, "depth"):
            depths = list(options["depth"].constraint or [])
            if settings.mode != "lineart" and 8 in depths:
                dev.depth = 8
        if _settable(options, "resolution"):
            dev.resolution = _nearest(options["resolution"].constraint, settings.dpi)
        self._a4_area()

    def _duplex_by_adf_mode(self, sources: list[str]) -> str | None:
        """Some backends (epson2) keep duplex in an ``adf-mode`` option beside an ADF source."""
        options = self._dev.opt
        adf = match_choice("adf", sources)
        mode = options.get("adf_mode") if _settable(options, "adf_mode") else None
        duplex = match_choice("duplex", list(mode.constraint or [])) if mode is not None else None
        if adf is None or duplex is None:
            return None
        self._dev.adf_mode = duplex
        return adf

    def _a4_area(self) -> None:
        """Scan an A4 area where the bed allows, else the whole bed: backends' defaults vary
        (the test backend's is 80 × 100 mm) and the pipeline crops what is not paper."""
        options = self._dev.opt
        for corner, size in (("br_x", A4_MM[0]), ("br_y", A4_MM[1])):
            opt = options.get(corner)
            if not _settable(options, corner) or not isinstance(opt.constraint, tuple):
                continue
            low, high = float(opt.constraint[0]), float(opt.constraint[1])
            setattr(self._dev, corner, max(low, min(high, size)))
        for corner in ("tl_x", "tl_y"):
            if _settable(options, corner):
                setattr(self._dev, corner, 0.0)

    def _read_page(self) -> np.ndarray:
        self._dev.start()
        data, width, height, samples, sample_size = self._dev.dev.snap(True, True, None)
        if not data:
            raise DeviceError("扫描仪没有送回图像，请重试", log=f"{self.info.name}: empty frame")
        if sample_size == 2:
            pixels = (np.frombuffer(data, np.uint16) >> 8).astype(np.uint8)
        else:
            pixels = np.frombuffer(data, np.uint8).copy()
        return pixels.reshape((height, width, samples) if samples == 3 else (height, width))

    def _let_reader_start(self) -> None:
        """Before sane_cancel after a failed read: let the backend's reader get past its start-up.

        Backends built on sanei_thread (the test backend and many real ones) start a reader
        thread in sane_start and stop it in sane_cancel with an *asynchronous* pthread_cancel.
        When the read fails at once (a jam reported before the first byte), that cancel can land
        while the reader is still inside malloc: the allocator's lock is never released,
        sane_cancel then waits forever for the reader, and any thread that later takes that
        lock (one holding the GIL among them) freezes the whole process. Seen once in CI as a
        test hung at 0 % CPU, and within a few thousand jams in a loop. Once the reader has
        written to its pipe (or ended), it is blocked in write(), where a cancel is harmless.
        """
        try:
            fd = self._dev.fileno()  # the backend's pipe, when it offers one
        except sane._sane.error:
            time.sleep(_READER_START_PAUSE_S)
            return
        select.select([fd], [], [], READER_START_S)

    def _cancel(self) -> None:
        try:
            self._call(self._dev.cancel, what="cancel")
        except DeviceError as exc:  # the batch already ended with the error the clerk sees
            log.warning("%s: cancel after the batch failed: %s", self.info.name, exc.log)


def _settable(options: dict[str, Any], name: str) -> bool:
    """Whether the device has option ``name`` and takes a value for it now (python-sane raises
    AttributeError for an inactive or read-only one)."""
    opt = options.get(name)
    return opt is not None and bool(opt.is_active()) and bool(opt.is_settable())


def _keeping_sigpipe_ignored(fn: Callable[[], T]) -> T:
    """``fn()``, then SIGPIPE ignored again, as Python keeps it.

    Backends that read through sanei_thread (the test backend, and many real ones) set SIGPIPE
    back to its default when their reader thread ends, "restoring" it; the next write to a
    dropped connection (a sync when the uplink goes) would then kill the whole app instead of
    raising BrokenPipeError.
    """
    try:
        return fn()
    finally:
        if _libc is not None:
            _libc.signal(signal.SIGPIPE, _SIG_IGN)


def _nearest(constraint: object, wanted: int) -> float | int:
    """The allowed resolution nearest ``wanted``: a (min, max, step) range or a value list."""
    if isinstance(constraint, tuple):
        low, high, _step = constraint
        return float(max(low, min(high, wanted))) if isinstance(low, float) else int(max(low, min(high, wanted)))
    if isinstance(constraint, list) and constraint:
        best: float | int = min(constraint, key=lambda v: abs(float(v) - wanted))
        return best
    return wanted
