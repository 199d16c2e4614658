"""One thread per device, and a timeout on every call into it.

Drivers hang: a scanner waiting for a sheet that never comes, a serial reader whose cable was
pulled mid-frame, a PC/SC call blocked in the daemon. Each device's calls therefore run on its
own daemon thread, and the caller waits at most the call's timeout. A call that times out
keeps its thread (a blocked C call cannot be interrupted); until it returns, further calls
are refused at once with :class:`DeviceBusy` instead of queueing behind it, so a dead device
gives the clerk one clear message, not a storm of retries or a frozen window.

That holds only if the thread belongs to the device, not to whoever opened it: closing a
device and opening it again (from the window, the command line or discovery) must find the
call still stuck, not start a second thread beside it. So the process keeps one worker per
device name (:func:`device_worker`), made on first use and kept until the process ends, as
Electrum keeps its one hardware-I/O executor for the process. Drivers' own state is
process-wide too (libsane, a vendor library, pcscd's handles), so a table per window or per
context would not be enough.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from app.devices.errors import DeviceBusy, DeviceTimeout

log = logging.getLogger("devices")
T = TypeVar("T")

_Job = tuple[Callable[[], Any], "Future[Any]"]


class DeviceWorker:
    """Runs the calls into one device on one thread, each with a timeout.

    ``label`` is the clerk's name for the device (「扫描仪」), used in the messages.
    """

    def __init__(self, name: str, label: str, *, timeout: float) -> None:
        self.name = name
        self.label = label
        self.timeout = timeout
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._stuck: Future[Any] | None = None
        self._stuck_what = ""
        self._lock = threading.Lock()

    def call(self, fn: Callable[[], T], *, timeout: float | None = None, what: str = "") -> T:
        """``fn()`` on the device's thread; its result, its exception, or :class:`DeviceTimeout`.

        ``what`` names the call in the log ("read page 3").
        """
        limit = self.timeout if timeout is None else timeout
        if threading.current_thread() is self._thread:
            return fn()  # a device call made from inside another one
        with self._lock:
            self._refuse_if_stuck(what)
            self._stuck = None
            future: Future[Any] = Future()
            self._ensure_thread()
            self._jobs.put((fn, future))
        try:
            result: T = future.result(timeout=limit)
        except FutureTimeout:
            with self._lock:
                self._stuck, self._stuck_what = future, what
            raise DeviceTimeout("{device}在{limit:g}秒内没有响应，请检查连接和电源后重试",
                                device=self.label, limit=limit,
                                log=f"{self.name}: {what or 'call'} timed out after {limit:g} s") from None
        return result

    def submit(self, fn: Callable[[], T], *, what: str = "") -> Future[T]:
        """``fn()`` started on the device's thread without waiting: for a driver call that runs a
        whole batch and hands results over as it goes (TWAIN). The caller bounds each wait."""
        with self._lock:
            self._refuse_if_stuck(what)
            future: Future[T] = Future()
            self._ensure_thread()
            self._jobs.put((fn, future))
            self._stuck, self._stuck_what = future, what  # busy until it returns
        return future

    def _refuse_if_stuck(self, what: str) -> None:
        if self._stuck is not None and not self._stuck.done():
            raise DeviceBusy("{device}仍未响应上一次操作，请检查连接或重新插拔后再试", device=self.label,
                             log=f"{self.name}: still blocked in {self._stuck_what!r}; refused {what!r}")

    def close(self) -> None:
        """Let the thread end once its current call returns (it never blocks the caller)."""
        with self._lock:
            if self._thread is not None:
                self._jobs.put(None)
                self._thread = None

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            # Each thread has its own queue: a closed thread still in a call never takes a
            # job meant for its successor.
            self._jobs = queue.SimpleQueue()
            self._thread = threading.Thread(target=self._run, args=(self._jobs,), name=f"device:{self.name}",
                                            daemon=True)
            self._thread.start()

    @property
    def stuck(self) -> bool:
        """Whether a call that timed out is still running in the driver."""
        with self._lock:
            return self._stuck is not None and not self._stuck.done()

    @staticmethod
    def _run(jobs: queue.SimpleQueue[_Job | None]) -> None:
        while (job := jobs.get()) is not None:
            fn, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the caller, who decides what it is
                future.set_exception(exc)


#: Only a default for callers that give none: every device passes its own timeout with each call.
DEFAULT_TIMEOUT = 30.0
_owned: dict[str, DeviceWorker] = {}
_owned_lock = threading.Lock()


def device_worker(name: str, label: str) -> DeviceWorker:
    """The worker of the device called ``name`` ("sane", "serial:/dev/ttyUSB0", "sim:camera"):
    made on first use, then the same one for every caller for the rest of the process.

    ``label`` is the clerk's name for the device in its messages; the first caller's is kept.
    """
    with _owned_lock:
        worker = _owned.get(name)
        if worker is None:
            worker = _owned[name] = DeviceWorker(name, label, timeout=DEFAULT_TIMEOUT)
        return worker


def forget_hung_device_workers() -> None:
    """Let go of the workers of devices still stuck in their drivers (each thread ends once its
    call returns), so the next call of such a device starts afresh: for the tests, each of
    which must start with no device refusing it because of the test before."""
    with _owned_lock:
        hung = [name for name, worker in _owned.items() if worker.stuck]
        workers = [_owned.pop(name) for name in hung]
    for worker in workers:
        worker.close()
