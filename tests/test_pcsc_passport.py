"""PC/SC end to end: a real pcscd, vpcd's virtual reader, and the emulated ICAO specimen passport."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from app.core.mrz import BacKey, parse_bac_key
from app.devices import pcsc
from app.devices.emrtd import AccessDenied
from app.devices.errors import DeviceBusy, DeviceMissing, DeviceTimeout
from app.devices.pcsc import CardEvent, CardReader
from app.services import devices, unit_settings
from app.services.context import AppContext
from app.services.demo import render_page
from tests.support.pcscd_fixture import READER, Pcscd, pcscd, pcscd_root  # noqa: F401
from tests.support.threads import device_threads
from tests.support.vpcd_card import EmulatedPassport, VpcdCard

SPECIMEN_KEY = parse_bac_key("L898902C<3UTO6908061F9406236ZE184226B<<<<<14")
EVENT_BOUND_S = 2.0  # the requirement: insertions and removals reported within 2 s


@pytest.fixture
def card(pcscd: Pcscd) -> Iterator[VpcdCard]:  # noqa: F811
    virtual = VpcdCard(EmulatedPassport(), pcscd.connect_card)
    yield virtual
    virtual.remove()


@pytest.fixture
def reader() -> Iterator[CardReader]:
    device = CardReader(READER, timeout=10.0)
    yield device
    device.close()


def test_discovery_lists_the_virtual_reader(pcscd: Pcscd) -> None:  # noqa: F811
    found = pcsc.discover_card_readers(5.0)
    assert f"pcsc:{READER}" in [d.name for d in found]
    assert {d.kind for d in found} == {"smartcard"}


def test_insert_and_remove_raise_events_within_2s(card: VpcdCard, reader: CardReader) -> None:
    events: queue.Queue[tuple[CardEvent, str]] = queue.Queue()
    monitor = reader.monitor(lambda event: events.put((event, threading.current_thread().name)))
    try:
        assert not reader.card_present()
        card.insert()
        event, thread = events.get(timeout=EVENT_BOUND_S)
        assert (event.reader, event.present, event.error) == (READER, True, "")
        assert event.atr.startswith(bytes.fromhex("3B88"))
        assert thread == f"device:pcsc:{READER}"  # callbacks run on the device's thread
        card.remove()
        event, _ = events.get(timeout=EVENT_BOUND_S)
        assert (event.present, event.atr) == (False, b"")
    finally:
        monitor.stop()
    assert events.empty()


def test_bac_read_returns_the_specimen(card: VpcdCard, reader: CardReader) -> None:
    card.insert()
    assert reader.wait(True, timeout=5.0)
    data = reader.read_passport(SPECIMEN_KEY)
    mrz = data.mrz
    assert (mrz.surname, mrz.given_names, mrz.document_number, mrz.nationality) == \
        ("ERIKSSON", "ANNA MARIA", "L898902C", "UTO")
    assert (mrz.birth_date.isoformat(), mrz.sex, mrz.expiry_date.isoformat()) == ("1969-08-06", "F", "1994-06-23")
    assert data.applicant() == {"kind": "person", "name": "ERIKSSON, ANNA MARIA", "id_type": "passport",
                                "id_number": "L898902C", "phone": "", "address": ""}
    assert card.chip.auth_attempts == 1


def test_wrong_mrz_is_one_attempt(card: VpcdCard, reader: CardReader) -> None:
    card.insert()
    assert reader.wait(True, timeout=5.0)
    with pytest.raises(AccessDenied) as raised:
        reader.read_passport(BacKey("L898902C", "690806", "940624"))
    assert raised.value.message == "证件信息不符，请核对证件号码、出生日期和有效期"
    assert card.chip.auth_attempts == 1
    # The chip was reset on disconnect: the right key then reads it at the next request.
    assert reader.read_passport(SPECIMEN_KEY).mrz.surname == "ERIKSSON"
    assert card.chip.auth_attempts == 2


def test_no_card_on_the_reader(pcscd: Pcscd, reader: CardReader) -> None:  # noqa: F811
    assert not reader.wait(True, timeout=0.3)
    with pytest.raises(DeviceMissing) as raised:
        reader.read_passport(SPECIMEN_KEY)
    assert raised.value.message == pcsc.NO_CARD


def test_unknown_reader(pcscd: Pcscd) -> None:  # noqa: F811
    missing = CardReader.from_device_name("pcsc:No Such Reader 00 00", timeout=5.0)
    try:
        with pytest.raises(DeviceMissing) as raised:
            missing.read_passport(SPECIMEN_KEY)
        assert raised.value.message == pcsc.NO_READER
    finally:
        missing.close()


def test_pcscd_not_running(pcscd: Pcscd, card: VpcdCard, reader: CardReader) -> None:  # noqa: F811
    events: queue.Queue[CardEvent] = queue.Queue()
    card.insert()
    monitor = reader.monitor(events.put)
    unwatched = CardReader(READER, timeout=5.0)  # a context of its own, not renewed by a monitor
    try:
        assert events.get(timeout=5.0).present
        assert unwatched.card_present()
        pcscd.stop()
        event = events.get(timeout=5.0)
        assert (event.present, event.error) == (False, pcsc.NO_SERVICE)
    finally:
        monitor.stop()
    with pytest.raises(DeviceMissing) as raised:
        pcsc.discover_card_readers(5.0)
    assert raised.value.message == "读卡服务未运行（pcscd），请联系管理员"
    for device in (reader, unwatched):
        with pytest.raises(DeviceMissing, match="读卡服务未运行"):
            device.read_passport(SPECIMEN_KEY)
    unwatched.close()


def test_read_card_reads_the_passport_into_an_applicant_case_new_takes(card: VpcdCard, reader: CardReader, cli: Any,
                                                                      tmp_path: Path) -> None:
    card.insert()
    assert reader.wait(True, timeout=5.0)
    code, out, err = cli("--json", "devices", "read-card", "--device", f"pcsc:{READER}",
                         "--mrz", "L898902C 1969-08-06 1994-06-23")
    assert code == 0, err
    holder = json.loads(out)
    assert (holder["name"], holder["id_type"], holder["id_number"], holder["nationality"]) == \
        ("ERIKSSON, ANNA MARIA", "passport", "L898902C", "UTO")
    applicant = tmp_path / "applicant.json"
    applicant.write_text(out, encoding="utf-8")
    page = tmp_path / "申请表.png"
    page.write_bytes(render_page("申请表", ["申请人：ERIKSSON"]))
    code, _, err = cli("case", "new", "--item", "GG00231000", "--applicant", str(applicant),
                       "--material", f"申请表={page}")
    assert code == 0, err


def test_read_card_with_a_wrong_mrz_says_so_once(card: VpcdCard, reader: CardReader, cli: Any) -> None:
    card.insert()
    assert reader.wait(True, timeout=5.0)
    assert cli("config", "set", "devices.card_reader", f"pcsc:{READER}")[0] == 0
    code, _, err = cli("devices", "read-card", "--mrz", "L898902C<3UTO6908061F9406246ZE184226B<<<<<14")
    assert (code == 2 and "有效期的校验位" in err) or "证件信息不符" in err
    assert card.chip.auth_attempts <= 1
    code, _, err = cli("devices", "read-card", "--mrz", "L898902C 690806 940624")
    assert code == 2 and "证件信息不符，请核对证件号码、出生日期和有效期" in err
    assert card.chip.auth_attempts == 1


def test_the_devices_page_test_of_a_reader_says_whether_a_card_is_on_it(card: VpcdCard, reader: CardReader,
                                                                        ctx: AppContext) -> None:
    info = next(d for d in devices.list_devices(ctx) if d.name == f"pcsc:{READER}")
    assert devices.try_device(ctx, info) == "读卡器正常：读卡器上没有证件"
    card.insert()
    assert reader.wait(True, timeout=5.0)
    assert devices.try_device(ctx, info) == "读卡器正常：读卡器上有证件"


class StuckPassport(EmulatedPassport):
    """The specimen, with a chip that stops answering (its first command blocks) until ``release``."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def process(self, apdu: bytes) -> bytes:
        self.release.wait(30)
        return super().process(apdu)


def test_a_reader_stuck_in_pcscd_stays_refused_across_opens_until_it_answers(pcscd: Pcscd,  # noqa: F811
                                                                            ctx: AppContext) -> None:
    chip = StuckPassport()
    card = VpcdCard(chip, pcscd.connect_card)
    card.insert()
    name = f"pcsc:{READER}"
    ctx = unit_settings.set_setting(ctx, "devices.timeout", "1")
    info = next(d for d in devices.list_devices(ctx) if d.name == name)
    try:
        with closing(CardReader(READER, timeout=5.0)) as watcher:
            assert watcher.wait(True, timeout=5.0)
        with pytest.raises(DeviceTimeout, match="读卡器在1秒内没有响应"):
            devices.read_passport(ctx, "L898902C 1969-08-06 1994-06-23", name)
        threads = device_threads()
        started = time.monotonic()
        # The 「设备」 page's test opens the reader afresh: the same thread, still in SCardTransmit.
        with pytest.raises(DeviceBusy, match="读卡器仍未响应上一次操作"):
            devices.try_device(ctx, info)
        assert time.monotonic() - started < 0.5 and device_threads() == threads
        chip.release.set()
        deadline = time.monotonic() + 10
        while True:
            try:
                assert devices.try_device(ctx, info) == "读卡器正常：读卡器上有证件"
                break
            except DeviceBusy:
                assert time.monotonic() < deadline, "the stuck call never returned"
                time.sleep(0.05)
        assert devices.read_passport(ctx, "L898902C 1969-08-06 1994-06-23", name)["id_number"] == "L898902C"
    finally:
        chip.release.set()
        card.remove()
