"""The 「设备」 page: lists what is attached, tests a device, shows problems, chooses the one used."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.resident_card import encode_text_block
from app.devices import sane_scanner
from app.devices.id_simulated import SimulatedIdReader
from app.devices.model import DeviceInfo
from app.services import unit_settings
from app.services.context import AppContext
from app.store import meta
from app.ui.devices_page import DevicesPage
from app.ui.main_window import MainWindow
from app.ui.qt import QMessageBox, QTimer, QWidget
from tests.support import pcscd_fixture, sdt_stub
from tests.support.id_reader_emulator import IdReaderEmulator
from tests.support.threads import device_threads
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> Iterator[DevicesPage]:
    p = DevicesPage(ctx)
    qtbot.addWidget(p)
    p.resize(900, 500)
    p.show()
    with qtbot.waitSignal(p.refreshed, timeout=30_000):
        p.refresh()
    yield p
    drain_background()


def cell(page: DevicesPage, name: str, column: int) -> str:
    row = [d.name for d in page.devices].index(name)
    item = page.table.item(row, column)
    return item.text() if item is not None else ""


def test_the_page_lists_attached_and_simulated_devices(page: DevicesPage) -> None:
    assert cell(page, "sim:scanner", 0) == "扫描仪" and "（模拟）" in cell(page, "sim:scanner", 1)
    assert cell(page, "sim:scanner", 2) == "就绪"
    if sane_scanner.available():
        assert cell(page, "sane:test:0", 1) == "Noname frontend-tester"
    assert page.result.text() == f"找到 {len(page.devices)} 台设备。"


def test_testing_the_simulated_scanner_reports_the_page(qtbot: QtBot, page: DevicesPage) -> None:
    page.select("sim:scanner")
    assert page.test_button.isEnabled()
    with qtbot.waitSignal(page.finished, timeout=30_000):
        page.test_button.click()
    assert page.result.text().startswith("扫描正常：") and "黑白" in page.result.text()


def test_a_device_problem_is_shown_on_the_page_not_as_a_crash(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    page = DevicesPage(unit_settings.set_setting(ctx, "devices.sim_scanner_folder", str(tmp_path / "gone")))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=30_000):
        page.refresh()
    page.select("sim:scanner")
    with qtbot.waitSignal(page.finished, timeout=30_000):
        page.test_button.click()
    assert "模拟扫描仪的图片文件夹" in page.result.text() and "不存在" in page.result.text()
    assert not page.findChildren(QMessageBox)
    drain_background()


def test_using_a_device_stores_the_choice_and_marks_it(qtbot: QtBot, page: DevicesPage, ctx: AppContext) -> None:
    page.select("sim:scanner")
    with qtbot.waitSignal(page.finished, timeout=30_000), \
            qtbot.waitSignal(page.context_updated, timeout=30_000) as updated:
        page.use_button.click()
    # A new context for the window to hand round (the page's own is not changed in place).
    assert updated.args[0].settings.get("devices.scanner") == "sim:scanner"
    assert ctx.settings.get("devices.scanner") == ""
    assert cell(page, "sim:scanner", 3) == "✔" and not page.use_button.isEnabled()
    assert page.result.text() == "已设为使用的扫描仪：模拟扫描仪"
    assert meta.load_settings(ctx.store.reader())["devices.scanner"] == "sim:scanner"  # stored, for next time


def test_the_window_has_a_devices_tab_that_looks_on_first_open(qtbot: QtBot, window: MainWindow) -> None:
    tab = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == "设备")
    assert not window.devices_page.devices  # nothing probed at start-up
    with qtbot.waitSignal(window.devices_page.refreshed, timeout=30_000):
        window.tabs.setCurrentIndex(tab)
    assert "sim:scanner" in [d.name for d in window.devices_page.devices]
    shot: QWidget = window
    assert not shot.grab().isNull()


def test_testing_a_camera_opens_its_live_view_and_a_shot_closes_it(qtbot: QtBot, page: DevicesPage) -> None:
    page.select("sim:camera")
    page.test_button.click()
    dialog = page.camera_dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.preview.frame_shown, timeout=30_000):
        pass  # the live view is running
    with qtbot.waitSignal(page.finished, timeout=30_000):
        dialog.preview.capture_button.click()
    assert page.result.text() == "拍摄正常：2592×1944 像素"


@pytest.mark.parametrize(("mode", "message"), [("silent", "身份证阅读器在1秒内没有响应"),
                                               ("bad_checksum", "身份证阅读器通信出错"),
                                               ("unplug", "未检测到身份证阅读器")])
def test_a_faulty_reader_gives_its_message_while_the_window_keeps_working(
        qtbot: QtBot, ctx: AppContext, mode: str, message: str) -> None:
    card = SimulatedIdReader(5).read_card()
    with IdReaderEmulator(encode_text_block(card), card.photo_wlt, mode) as reader:  # type: ignore[arg-type]
        page = DevicesPage(unit_settings.set_setting(ctx, "devices.timeout", "1"))
        qtbot.addWidget(page)
        page._show([DeviceInfo(name=f"serial:{reader.port}", kind="id_reader", label="身份证阅读器")])
        page.select(f"serial:{reader.port}")
        ticks: list[int] = []
        timer = QTimer(page)
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(50)
        with qtbot.waitSignal(page.finished, timeout=10_000):
            page.test_button.click()
        timer.stop()
    assert message in page.result.text()
    if mode == "silent":  # the event loop ran all through the reader's timeout: the window never froze
        assert len(ticks) >= 5
    drain_background()


def test_a_reader_plugged_in_while_the_page_is_shown_appears_by_itself(qtbot: QtBot, ctx: AppContext) -> None:
    reason = pcscd_fixture.unavailable()
    if reason:
        pytest.skip(f"private pcscd with vpcd unavailable: {reason}")
    page = DevicesPage(ctx, refresh_ms=200)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.refreshed, timeout=30_000):
        page.refresh()
    reader = f"pcsc:{pcscd_fixture.READER}"
    assert reader not in [d.name for d in page.devices]
    daemon = pcscd_fixture.Pcscd(pcscd_fixture.socket_dir())
    try:
        daemon.start()  # the reader's service comes up with its reader: as a USB reader plugged in
    except pcscd_fixture.NamespacesUnavailable as exc:
        pytest.skip(f"private pcscd unavailable: {exc}")
    try:
        qtbot.waitUntil(lambda: reader in [d.name for d in page.devices], timeout=10_000)
        assert cell(page, reader, 2) == "就绪"
    finally:
        daemon.stop()
    qtbot.waitUntil(lambda: reader not in [d.name for d in page.devices], timeout=10_000)
    page.hide()
    drain_background()


def test_a_reader_stuck_in_its_driver_is_refused_on_the_page_until_it_lets_go(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    library = sdt_stub.build(tmp_path)
    if library is None:
        pytest.skip("no C compiler (gcc) to build the SDT stub library")
    stub = sdt_stub.SdtStub(library)
    card = SimulatedIdReader(5).read_card()
    stub.set_card(encode_text_block(card), card.photo_wlt)
    stub.set_mode(sdt_stub.HANG, hang_ms=2500)
    name = f"sdt:{library}#1001"
    page = DevicesPage(unit_settings.set_setting(ctx, "devices.timeout", "1"))
    qtbot.addWidget(page)
    page._show([DeviceInfo(name=name, kind="id_reader", label="身份证阅读器")])
    page.select(name)
    with qtbot.waitSignal(page.finished, timeout=10_000):
        page.test_button.click()
    assert "身份证阅读器在1秒内没有响应" in page.result.text()
    # 测试 again opens the reader again: refused at once while the library still holds it.
    with qtbot.waitSignal(page.finished, timeout=500):
        page.test_button.click()
    assert "身份证阅读器仍未响应上一次操作" in page.result.text()
    assert device_threads(name) == [f"device:{name}"]
    stub.set_mode(sdt_stub.OK)
    deadline = time.monotonic() + 10
    while "仍未响应上一次操作" in page.result.text() or "没有响应" in page.result.text():
        assert time.monotonic() < deadline, "the stuck call never returned"
        qtbot.wait(100)
        with qtbot.waitSignal(page.finished, timeout=10_000):
            page.test_button.click()
    assert page.result.text().startswith(f"读卡正常：{card.name}")
    drain_background()
