"""Resident ID card readers: the serial protocol (on an emulated reader), the SDT library (a
compiled stub), the simulated twin, and what the clerk is told when a reader misbehaves."""

from __future__ import annotations

import ctypes.util
import datetime as dt
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serial.tools import list_ports, list_ports_common

from app.core.ids import resident_id_check_char, resident_id_problem
from app.core.resident_card import UNVERIFIED, CardDataError, ResidentCard, encode_text_block
from app.devices import id_reader
from app.devices.errors import DeviceBusy, DeviceError, DeviceMissing, DeviceTimeout
from app.devices.id_reader import GARBLED_MESSAGE, NO_CARD_MESSAGE, REPLACE_MESSAGE, open_id_reader
from app.devices.id_sdt import SdtIdReader
from app.devices.id_serial import FrameError, SerialIdReader, encode_frame, parse_frame
from app.devices.id_simulated import PEOPLE, SimulatedIdReader
from tests.support import sdt_stub
from tests.support.id_reader_emulator import FIND, READ_BASE, SELECT, IdReaderEmulator

TIMEOUT = 1.0
BOUND = 5.0  # generous: the requirement is "within the timeout", not a speed


def _card() -> ResidentCard:
    body = "45040419790228031"
    return ResidentCard(name="欧阳明远", sex="男", nation="京族", birth=dt.date(1979, 2, 28),
                        address="广西壮族自治区梧州市龙圩区龙圩镇建设路7号",
                        id_number=body + resident_id_check_char(body), authority="梧州市公安局龙圩分局",
                        valid_from=dt.date(2015, 6, 30), valid_to=dt.date(2035, 6, 30),
                        photo_wlt=bytes((i * 7 + 3) % 256 for i in range(1024)))


CARD = _card()
TEXT = encode_text_block(CARD)
PERSONAL = (CARD.name, CARD.id_number, CARD.id_number[6:14], CARD.address)


@pytest.fixture
def emulator() -> Iterator[IdReaderEmulator]:
    with IdReaderEmulator(TEXT, CARD.photo_wlt) as emu:
        yield emu


@pytest.fixture
def serial_reader(emulator: IdReaderEmulator) -> Iterator[SerialIdReader]:
    reader = SerialIdReader(emulator.port, TIMEOUT)
    yield reader
    reader.close()


@pytest.fixture(scope="session")
def stub_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = sdt_stub.build(tmp_path_factory.mktemp("sdt"))
    if path is None:
        pytest.skip("no C compiler (gcc) to build the SDT stub library")
    return path


@pytest.fixture
def stub(stub_path: Path) -> sdt_stub.SdtStub:
    control = sdt_stub.SdtStub(stub_path)
    control.set_card(TEXT, CARD.photo_wlt)
    control.set_mode(sdt_stub.OK)
    return control


@pytest.fixture
def sdt_reader(stub: sdt_stub.SdtStub) -> Iterator[SdtIdReader]:
    reader = SdtIdReader(str(stub.path), 1001, TIMEOUT)
    yield reader
    reader.close()


def _timed_error(reader: id_reader.IdReader) -> tuple[DeviceError, float]:
    start = time.monotonic()
    with pytest.raises(DeviceError) as caught:
        reader.read_card()
    return caught.value, time.monotonic() - start


# --- frames ---------------------------------------------------------------------------------

def test_command_frames_are_the_documented_bytes() -> None:
    assert encode_frame(FIND) == bytes.fromhex("AAAAAA9669 0003 2001 22")
    assert encode_frame(SELECT) == bytes.fromhex("AAAAAA9669 0003 2002 21")
    assert encode_frame(READ_BASE) == bytes.fromhex("AAAAAA9669 0003 3001 32")
    assert parse_frame(bytes.fromhex("AAAAAA9669 0004 00 00 80 84")) == b"\x00\x00\x80"


@pytest.mark.parametrize("frame", ["AAAAAA9669 0004 00 00 80 85",  # checksum
                                   "AAAAAA9669 0005 00 00 80 84",  # length
                                   "AAAA9669 0004 00 00 80 84"])  # preamble
def test_broken_frames_are_refused(frame: str) -> None:
    with pytest.raises(FrameError):
        parse_frame(bytes.fromhex(frame))


# --- both real backends ---------------------------------------------------------------------

def test_serial_and_sdt_give_the_same_person(serial_reader: SerialIdReader, sdt_reader: SdtIdReader,
                                             emulator: IdReaderEmulator) -> None:
    by_serial, by_sdt = serial_reader.read_card(), sdt_reader.read_card()
    assert by_serial == by_sdt == CARD
    assert by_serial.photo_wlt == CARD.photo_wlt and len(by_serial.photo_wlt) == 1024
    assert emulator.commands == [FIND, SELECT, READ_BASE]
    # Reads go on working on the same open port / library.
    assert serial_reader.read_card() == sdt_reader.read_card() == CARD


def test_a_card_with_a_bad_id_number_is_refused_on_both_paths(emulator: IdReaderEmulator, stub: sdt_stub.SdtStub,
                                                              serial_reader: SerialIdReader,
                                                              sdt_reader: SdtIdReader) -> None:
    bad = bytearray(TEXT)
    at = 2 * (15 + 1 + 2 + 8 + 35 + 17)  # the check character
    bad[at:at + 2] = ("0" if CARD.id_number[17] != "0" else "1").encode("utf-16-le")
    emulator.text = bytes(bad)
    stub.set_card(bytes(bad), CARD.photo_wlt)
    for reader in (serial_reader, sdt_reader):
        with pytest.raises(CardDataError) as caught:
            reader.read_card()
        assert caught.value.message == UNVERIFIED


# --- serial faults --------------------------------------------------------------------------

def test_serial_no_card_asks_for_the_card_after_one_repeat_search(emulator: IdReaderEmulator,
                                                                    serial_reader: SerialIdReader) -> None:
    emulator.mode = "no_card"
    error, _ = _timed_error(serial_reader)
    assert str(error) == NO_CARD_MESSAGE == "阅读器上没有身份证，请将身份证放在阅读器上"
    assert emulator.commands == [FIND, FIND]  # the protocol's one repeat, no storm
    emulator.mode = "ok"
    assert serial_reader.read_card() == CARD


def test_serial_bad_checksum_says_communication_error(emulator: IdReaderEmulator,
                                                      serial_reader: SerialIdReader) -> None:
    emulator.mode = "bad_checksum"
    error, took = _timed_error(serial_reader)
    assert str(error) == GARBLED_MESSAGE == "身份证阅读器通信出错，请重新放置证件后再读"
    assert took < BOUND
    assert emulator.commands == [FIND]


def test_serial_silent_reader_times_out_and_the_next_read_goes_ahead(emulator: IdReaderEmulator,
                                                                     serial_reader: SerialIdReader) -> None:
    emulator.mode = "silent"
    error, took = _timed_error(serial_reader)
    assert isinstance(error, DeviceTimeout)
    assert str(error) == "身份证阅读器在1秒内没有响应，请检查连接和电源后重试"
    assert took < BOUND
    assert emulator.commands == [FIND]
    # The exchange keeps its own deadline inside the worker's, so the thread is free again:
    # once the reader answers, the very next read succeeds (no DeviceBusy).
    emulator.mode = "ok"
    assert serial_reader.read_card() == CARD


def test_serial_unplugged_mid_read_says_the_reader_is_missing(emulator: IdReaderEmulator,
                                                              serial_reader: SerialIdReader) -> None:
    emulator.mode = "unplug"
    error, took = _timed_error(serial_reader)
    assert isinstance(error, DeviceMissing)
    assert str(error) == f"未检测到身份证阅读器（串口 {emulator.port}），请检查连接"
    assert took < BOUND
    assert emulator.unplugged
    error, took = _timed_error(serial_reader)  # still gone: the same message, not a hang
    assert isinstance(error, DeviceMissing) and took < BOUND


def test_serial_port_that_does_not_exist() -> None:
    reader = SerialIdReader("/dev/ttyNO-SUCH-READER", TIMEOUT)
    try:
        error, _ = _timed_error(reader)
    finally:
        reader.close()
    assert isinstance(error, DeviceMissing)
    assert str(error) == "未检测到身份证阅读器（串口 /dev/ttyNO-SUCH-READER），请检查连接"


# --- SDT library faults ---------------------------------------------------------------------

def test_sdt_missing_library(tmp_path: Path) -> None:
    reader = SdtIdReader(str(tmp_path / "libsdtapi.so"), 1001, TIMEOUT)
    try:
        error, _ = _timed_error(reader)
    finally:
        reader.close()
    assert isinstance(error, DeviceMissing)
    assert str(error).startswith(f"未找到身份证阅读器的驱动库（{tmp_path / 'libsdtapi.so'}）")


def test_sdt_library_that_is_not_a_reader_library() -> None:
    libm = ctypes.util.find_library("m")
    assert libm is not None
    reader = SdtIdReader(libm, 1001, TIMEOUT)
    try:
        error, _ = _timed_error(reader)
    finally:
        reader.close()
    assert isinstance(error, DeviceMissing)
    assert "不是身份证阅读器的驱动库" in str(error)


@pytest.mark.parametrize(("mode", "message", "finds"), [
    (sdt_stub.NO_CARD, NO_CARD_MESSAGE, 2),
    (sdt_stub.READ_FAILS, REPLACE_MESSAGE, 1),
    (sdt_stub.NO_PORT, "未检测到身份证阅读器（端口 1001），请检查连接", 0),
])
def test_sdt_return_codes(stub: sdt_stub.SdtStub, sdt_reader: SdtIdReader, mode: int, message: str,
                          finds: int) -> None:
    stub.set_mode(mode)
    error, _ = _timed_error(sdt_reader)
    assert str(error) == message
    assert stub.finds() == finds
    stub.set_mode(sdt_stub.OK)
    assert sdt_reader.read_card() == CARD  # the port is reopened after a missing reader


def test_sdt_hung_call_times_out_then_refuses_at_once_until_it_returns(stub: sdt_stub.SdtStub,
                                                                      sdt_reader: SdtIdReader) -> None:
    stub.set_mode(sdt_stub.HANG, hang_ms=2500)
    error, took = _timed_error(sdt_reader)
    assert isinstance(error, DeviceTimeout)
    assert str(error) == "身份证阅读器在1秒内没有响应，请检查连接和电源后重试"
    assert took < BOUND
    # A C call cannot be interrupted: until it returns, reads are refused at once.
    error, took = _timed_error(sdt_reader)
    assert isinstance(error, DeviceBusy)
    assert "仍未响应上一次操作" in str(error)
    assert took < 0.5 * TIMEOUT
    stub.set_mode(sdt_stub.OK)
    deadline = time.monotonic() + 10
    while True:
        try:
            assert sdt_reader.read_card() == CARD
            break
        except DeviceBusy:
            assert time.monotonic() < deadline, "the hung call never returned"
            time.sleep(0.1)


# --- simulated twin, names, discovery -------------------------------------------------------

def test_simulated_reader_cycles_through_valid_people() -> None:
    reader = open_id_reader("sim:id_reader", TIMEOUT)
    try:
        cards = [reader.read_card() for _ in range(len(PEOPLE) + 1)]
    finally:
        reader.close()
    assert reader.info.simulated
    assert cards[:-1] == list(PEOPLE)
    assert cards[-1] == cards[0]
    assert len({c.id_number for c in cards}) == len(PEOPLE)
    assert all(resident_id_problem(c.id_number) is None for c in cards)
    assert any(c.valid_to is None for c in cards)


def test_reader_names() -> None:
    assert isinstance(open_id_reader("serial:/dev/ttyUSB0", TIMEOUT), SerialIdReader)
    assert isinstance(open_id_reader("sim:id_reader", TIMEOUT), SimulatedIdReader)
    sdt = open_id_reader("sdt:/opt/reader/libsdtapi.so#1002", TIMEOUT)
    assert isinstance(sdt, SdtIdReader) and (sdt.library_path, sdt.port) == ("/opt/reader/libsdtapi.so", 1002)
    sdt = open_id_reader("sdt:C:\\Reader\\sdtapi.dll", TIMEOUT)
    assert isinstance(sdt, SdtIdReader) and (sdt.library_path, sdt.port) == ("C:\\Reader\\sdtapi.dll", 1001)
    assert open_id_reader("serial:COM3", TIMEOUT).info.name == "serial:COM3"
    for bad in ("", "usb:0", "serial:"):
        with pytest.raises(DeviceMissing):
            open_id_reader(bad, TIMEOUT)


def test_discovery_lists_likely_serial_readers_and_the_twin(monkeypatch: pytest.MonkeyPatch) -> None:
    def port(device: str, vid: int | None, description: str) -> list_ports_common.ListPortInfo:
        info = list_ports_common.ListPortInfo(device, skip_link_detection=True)
        info.vid, info.description = vid, description
        return info

    ports = [port("/dev/ttyUSB0", 0x1A86, "USB Serial"), port("/dev/ttyACM0", 0x2341, "Arduino Uno"),
             port("/dev/ttyS0", None, "二代身份证阅读器")]
    monkeypatch.setattr(list_ports, "comports", lambda: ports)
    found = id_reader.discover_id_readers()
    assert [d.name for d in found] == ["serial:/dev/ttyS0", "serial:/dev/ttyUSB0", "sim:id_reader"]
    assert "未确认" in found[1].detail and found[0].detail == ""
    assert all(d.kind == "id_reader" for d in found) and found[-1].simulated


# --- privacy --------------------------------------------------------------------------------

def test_no_personal_data_in_logs_or_error_log_texts(emulator: IdReaderEmulator, serial_reader: SerialIdReader,
                                                     stub: sdt_stub.SdtStub, sdt_reader: SdtIdReader,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logs = []
    serial_reader.read_card()
    sdt_reader.read_card()
    for mode in ("no_card", "bad_checksum"):
        emulator.mode = mode
        with pytest.raises(DeviceError) as caught:
            serial_reader.read_card()
        logs.append(caught.value.log)
    stub.set_card(TEXT.replace(CARD.birth.strftime("%Y%m%d").encode("utf-16-le"), "19790301".encode("utf-16-le"), 1),
                  CARD.photo_wlt)
    with pytest.raises(CardDataError) as refused:
        sdt_reader.read_card()
    logs.append(refused.value.log)
    logs += [record.getMessage() for record in caplog.records]
    assert any("card read" in line for line in logs)
    for line in logs:
        assert not any(item in line for item in PERSONAL), line
