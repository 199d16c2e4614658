"""A device stuck in its driver stays refused, whoever opens it next, until the driver lets go.

The device's thread belongs to its name, not to the object that opened it: closing the device
and opening it again (the same service the command line and the window use, or the command
line itself) finds the call still stuck and is refused at once with 「仍未响应上一次操作」,
instead of a second thread starting beside the first. The stuck driver is real: the SDT
library stub (a compiled C library) blocking inside ``SDT_ReadBaseMsg``, and the simulated
signature pad replaying as slowly as a signer signs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.core.resident_card import encode_text_block
from app.devices import registry
from app.devices.errors import DeviceBusy, DeviceTimeout
from app.devices.id_simulated import PEOPLE
from app.devices.signature_pad import SimulatedSignaturePad
from app.services import devices, unit_settings
from app.services.context import AppContext
from tests.support import sdt_stub
from tests.support.threads import device_threads

CARD = PEOPLE[1]
HANG_MS = 3000  # the stuck read: three times the devices' timeout


@pytest.fixture
def stub(tmp_path: Path) -> sdt_stub.SdtStub:
    path = sdt_stub.build(tmp_path)
    if path is None:
        pytest.skip("no C compiler (gcc) to build the SDT stub library")
    control = sdt_stub.SdtStub(path)
    control.set_card(encode_text_block(CARD), CARD.photo_wlt)
    control.set_mode(sdt_stub.OK)
    return control


def until_free(call: Callable[[], object], bound: float = 10.0) -> object:
    """``call()`` once the device stopped refusing it (the stuck driver call returned)."""
    deadline = time.monotonic() + bound
    while True:
        try:
            return call()
        except DeviceBusy:
            assert time.monotonic() < deadline, "the stuck driver call never returned"
            time.sleep(0.05)


def test_a_reader_stuck_in_its_library_is_refused_to_every_caller_until_it_returns(
        ctx: AppContext, cli: Callable[..., tuple[int, str, str]], stub: sdt_stub.SdtStub) -> None:
    name = f"sdt:{stub.path}#1001"
    ctx = unit_settings.set_setting(ctx, "devices.timeout", "1")  # stored: the command line reads it too
    assert devices.read_id_card(ctx, name)["name"] == CARD.name
    threads = device_threads()
    assert f"device:{name}" in threads

    stub.set_mode(sdt_stub.HANG, hang_ms=HANG_MS)
    started = time.monotonic()
    with pytest.raises(DeviceTimeout, match="身份证阅读器在1秒内没有响应"):
        devices.read_id_card(ctx, name)  # opens the reader, times out, closes it
    refused_from = time.monotonic()
    # Opened again through the same service: the same thread, still inside the library.
    with pytest.raises(DeviceBusy, match="身份证阅读器仍未响应上一次操作"):
        devices.read_id_card(ctx, name)
    # And from the command line, in the same process as a window would be.
    code, _, err = cli("devices", "read-card", "--device", name)
    assert code == 2 and "身份证阅读器仍未响应上一次操作" in err
    assert time.monotonic() - refused_from < 1.0  # each refused at once, not after another timeout
    assert time.monotonic() - started < HANG_MS / 1000  # all while the library was still stuck
    assert device_threads() == threads  # no second thread beside the stuck one

    stub.set_mode(sdt_stub.OK)  # the next read is a good one, once the stuck one returns
    card = until_free(lambda: devices.read_id_card(ctx, name))
    assert isinstance(card, dict) and card["id_number"] == CARD.id_number
    assert device_threads() == threads


def test_a_signature_pad_still_replaying_is_refused_when_opened_again(ctx: AppContext) -> None:
    slow = SimulatedSignaturePad(speed=1.0)  # takes as long as the signer did (seconds)
    try:
        with pytest.raises(DeviceTimeout, match=r"签名板在0\.05秒内没有响应"):
            slow.capture(timeout=0.05)
        slow.close()
        threads = device_threads()
        with closing(registry.open_signature_pad(ctx.settings, "sim:signature_pad")) as pad:
            started = time.monotonic()
            with pytest.raises(DeviceBusy, match="签名板仍未响应上一次操作"):
                pad.capture(timeout=5)
            assert time.monotonic() - started < 0.5 and device_threads() == threads
            slow.cancel()  # the replay under way ends: the pad works again
            strokes = until_free(lambda: pad.capture(timeout=5))
        assert strokes == SimulatedSignaturePad().capture()
    finally:
        slow.cancel()
