"""Every device call has a timeout, and a hung device gives one message instead of a pile-up."""

from __future__ import annotations

import threading
import time

import pytest

from app.devices.errors import DeviceBusy, DeviceTimeout
from app.devices.scanner import match_choice
from app.devices.worker import DeviceWorker, device_worker, forget_hung_device_workers


def test_a_call_runs_on_the_device_thread_and_returns_its_result() -> None:
    worker = DeviceWorker("t", "测试设备", timeout=5)
    caller = threading.current_thread()
    assert worker.call(lambda: threading.current_thread() is not caller)
    assert worker.call(lambda: 6 * 7) == 42
    worker.close()


def test_a_device_exception_reaches_the_caller() -> None:
    worker = DeviceWorker("t", "测试设备", timeout=5)
    with pytest.raises(ZeroDivisionError):
        worker.call(lambda: 1 / 0)


def test_a_hung_call_times_out_then_refuses_at_once_until_it_returns() -> None:
    worker = DeviceWorker("t", "身份证阅读器", timeout=0.2)
    release = threading.Event()
    with pytest.raises(DeviceTimeout, match=r"身份证阅读器在0\.2秒内没有响应"):
        worker.call(release.wait)
    started = time.monotonic()
    with pytest.raises(DeviceBusy, match="身份证阅读器仍未响应上一次操作"):
        worker.call(lambda: "never queued behind the hung call")
    assert time.monotonic() - started < 0.15  # refused without waiting for another timeout
    release.set()
    deadline = time.monotonic() + 5
    while True:  # the driver let go: the device works again
        try:
            assert worker.call(lambda: "ok") == "ok"
            break
        except DeviceBusy:
            assert time.monotonic() < deadline
            time.sleep(0.01)


def test_a_closed_worker_starts_a_fresh_thread_for_the_next_call() -> None:
    worker = DeviceWorker("t", "测试设备", timeout=5)
    first = worker.call(threading.current_thread)
    worker.close()
    assert worker.call(threading.current_thread) is not first


def test_each_device_name_has_one_worker_whoever_asks() -> None:
    worker = device_worker("test:owned", "测试设备")
    assert device_worker("test:owned", "另一个名字") is worker and worker.label == "测试设备"
    assert device_worker("test:other", "测试设备") is not worker
    forget_hung_device_workers()
    assert device_worker("test:owned", "测试设备") is worker  # only the tests forget, and only hung ones
    release = threading.Event()
    with pytest.raises(DeviceTimeout):
        worker.call(release.wait, timeout=0.05)
    forget_hung_device_workers()
    assert device_worker("test:owned", "测试设备") is not worker
    release.set()


@pytest.mark.parametrize(("wanted", "offered", "expected"), [
    ("adf", ["Flatbed", "Automatic Document Feeder"], "Automatic Document Feeder"),
    ("adf", ["Flatbed", "ADF Front", "ADF Back", "ADF Duplex"], "ADF Front"),
    ("duplex", ["Flatbed", "ADF Front", "ADF Back", "ADF Duplex"], "ADF Duplex"),
    ("duplex", ["平板", "进纸器（单面）", "进纸器（双面）"], "进纸器（双面）"),
    ("adf", ["平板", "进纸器（单面）", "进纸器（双面）"], "进纸器（单面）"),
    ("flatbed", ["Normal", "ADF"], "Normal"),
    ("duplex", ["Flatbed", "Automatic Document Feeder"], None),
    ("color", ["Lineart", "Gray", "24bit Color"], "24bit Color"),
    ("gray", ["Binary", "Grayscale", "Colour"], "Grayscale"),
    ("lineart", ["Black & White", "Gray", "Color"], "Black & White"),
])
def test_backends_spellings_of_sources_and_modes_are_matched(wanted: str, offered: list[str],
                                                             expected: str | None) -> None:
    assert match_choice(wanted, offered) == expected
