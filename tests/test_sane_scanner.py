"""Scanning through real libsane (python-sane) with SANE's ``test`` backend.

tests/conftest.py points ``SANE_CONFIG_DIR`` at a folder naming only the ``test`` backend,
drawing a 10 mm grid; its feeder holds ten sheets. Faults are injected with the backend's
``read-return-value`` option (the status its next read returns) and a hung scanner with
one-byte reads delayed 0.2 s each.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.devices import registry, sane_scanner
from app.devices.errors import DeviceBusy, DeviceError, DeviceMissing, DeviceTimeout
from app.devices.model import DeviceInfo
from app.devices.sane_scanner import SaneScanner
from app.devices.scanner import ScannedPage, ScanSettings
from app.services import devices
from app.services.context import AppContext
from tests.support.sane import unavailable

pytestmark = pytest.mark.skipif(not sane_scanner.available() or unavailable() is not None,
                                reason="python-sane or the SANE test backend is not installed")

DEVICE = "sane:test:0"
ADF = ScanSettings(source="adf", mode="gray", dpi=100)


@pytest.fixture
def scanner() -> Iterator[SaneScanner]:
    s = SaneScanner(DEVICE, timeout=20)
    yield s
    s.set_option("read-return-value", "Default")
    s.close()


class JamAfter:
    """The real SANE scanner, with a jam injected once ``pages`` sheets have gone through."""

    def __init__(self, real: SaneScanner, pages: int) -> None:
        self.real, self.pages, self.info = real, pages, real.info

    def scan(self, settings: ScanSettings) -> Iterator[ScannedPage]:
        for page in self.real.scan(settings):
            yield page
            if page.index + 1 == self.pages:
                self.real.set_option("read-return-value", "SANE_STATUS_JAMMED")

    def close(self) -> None:
        self.real.set_option("read-return-value", "Default")
        self.real.close()


def test_discovery_lists_the_test_scanner_and_the_twin(ctx: AppContext) -> None:
    found = {d.name: d for d in devices.list_devices(ctx)}
    assert found[DEVICE].kind == "scanner" and found[DEVICE].status == "ready" and not found[DEVICE].simulated
    assert found["sim:scanner"].simulated


def test_a_feeder_batch_gives_all_ten_sheets_in_order(scanner: SaneScanner) -> None:
    pages = list(scanner.scan(ADF))
    assert [p.index for p in pages] == list(range(10))
    first = pages[0]
    assert first.dpi == 100 and first.pixels.dtype == np.uint8 and first.pixels.ndim == 2
    # the A4 area was asked for: 210 × 297 mm at 100 dpi
    assert first.pixels.shape == pytest.approx((1169, 827), abs=2)
    assert 0 < first.pixels.mean() < 255  # the grid: black and white squares


def test_the_flatbed_gives_one_page_in_colour(scanner: SaneScanner) -> None:
    (page,) = scanner.scan(ScanSettings(source="flatbed", mode="color", dpi=75))
    assert page.pixels.ndim == 3 and page.pixels.shape[2] == 3


def test_a_jam_after_page_four_keeps_four_pages_and_says_so(ctx: AppContext, tmp_path: Path) -> None:
    seen: list[devices.ScannedFile] = []
    jamming = JamAfter(SaneScanner(DEVICE, timeout=20), 4)
    outcome = devices.write_scan(ctx, jamming, ADF, tmp_path / "out", progress=seen.append)
    assert len(outcome.pages) == 4 and seen == list(outcome.pages)
    assert outcome.error is not None and "卡纸" in outcome.error.message and "前4页已保留" in outcome.error.message
    files = sorted((tmp_path / "out").iterdir())
    assert [f.name for f in files] == [p.path.name for p in outcome.pages]  # nothing half-written beside them
    for f in files:
        with Image.open(f) as img:
            assert img.size[0] > 500  # each kept page is a whole, readable page


def test_an_empty_feeder_says_to_load_paper(scanner: SaneScanner) -> None:
    scanner.set_option("read-return-value", "SANE_STATUS_NO_DOCS")
    with pytest.raises(DeviceError, match="进纸器中没有纸"):
        next(iter(scanner.scan(ADF)))


@pytest.mark.parametrize(("status", "message"), [("SANE_STATUS_COVER_OPEN", "盖板未合上"),
                                                 ("SANE_STATUS_IO_ERROR", "检查数据线和电源"),
                                                 ("SANE_STATUS_DEVICE_BUSY", "正忙")])
def test_scanner_faults_say_what_to_do(scanner: SaneScanner, status: str, message: str) -> None:
    scanner.set_option("read-return-value", status)
    with pytest.raises(DeviceError, match=message):
        list(scanner.scan(ADF))


def test_duplex_on_a_scanner_without_it_names_what_it_has(scanner: SaneScanner) -> None:
    with pytest.raises(DeviceError, match="不支持“双面进纸”扫描（可用：Flatbed、Automatic Document Feeder）"):
        list(scanner.scan(ScanSettings(source="duplex")))


def test_a_hung_scanner_times_out_refuses_more_and_recovers() -> None:
    slow = SaneScanner(DEVICE, timeout=1.0)
    for option, value in (("read-limit", True), ("read-limit-size", 1), ("read-delay", True),
                          ("read-delay-duration", 200000)):
        slow.set_option(option, value)
    started = time.monotonic()
    with pytest.raises(DeviceTimeout, match="1秒内没有响应"):
        list(slow.scan(ScanSettings(source="flatbed", dpi=100)))
    assert time.monotonic() - started < 10  # the caller was not held by the hung read
    # The timed-out read is cancelled; until the backend lets go, calls are refused at once.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            slow.set_option("read-limit", False)
            slow.set_option("read-delay", False)
            break
        except DeviceBusy:
            time.sleep(0.1)
    (page,) = slow.scan(ScanSettings(source="flatbed", dpi=100))
    assert page.pixels.shape[0] > 1000
    slow.close()


def test_an_unknown_scanner_is_a_clear_message() -> None:
    with pytest.raises(DeviceMissing, match="未找到扫描仪“nosuch:0”"):
        SaneScanner("sane:nosuch:0", timeout=5)


def test_scan_to_folder_runs_the_pipeline_on_every_sheet(ctx: AppContext, tmp_path: Path) -> None:
    ctx = dataclasses.replace(ctx, settings=ctx.settings.with_value("devices.scanner", DEVICE)
                              .with_value("devices.scanner_dpi", 150))
    outcome = devices.scan_to_folder(ctx, tmp_path / "scans")
    assert outcome.error is None and len(outcome.pages) == 10
    assert outcome.device == DeviceInfo(name=DEVICE, kind="scanner", label="Noname frontend-tester")
    for scanned in outcome.pages:
        assert scanned.page.kind == "bitonal" and scanned.path.suffix == ".tif"  # a black/white grid
        assert scanned.path.read_bytes() == scanned.page.data


def test_a_scan_leaves_a_dropped_connection_an_error_not_the_end_of_the_app(tmp_path: Path) -> None:
    # sanei_thread "restores" SIGPIPE to its default when a backend's reader ends: the next
    # write to a dropped link (a sync when the uplink goes) would kill the window outright.
    script = tmp_path / "scan_then_write.py"
    script.write_text(textwrap.dedent(f"""
        import socket, sys
        sys.path.insert(0, {str(Path.cwd())!r})
        from app.devices.sane_scanner import SaneScanner
        from app.devices.scanner import ScanSettings
        scanner = SaneScanner("{DEVICE}", timeout=20)
        assert len(list(scanner.scan(ScanSettings(source="adf", mode="gray", dpi=50)))) == 10
        scanner.close()
        mine, theirs = socket.socketpair()
        theirs.close()
        try:
            mine.sendall(b"x" * 100_000)
        except BrokenPipeError:
            print("broken pipe reported")
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "broken pipe reported" in done.stdout


def test_with_no_scanner_chosen_the_first_attached_one_is_used_never_the_twin(ctx: AppContext) -> None:
    scanner = registry.open_scanner(ctx.settings)
    try:
        assert scanner.info.name == DEVICE
    finally:
        scanner.close()


def test_discovery_and_every_scanner_opened_call_libsane_on_one_thread(ctx: AppContext) -> None:
    # SANE backends are not thread-safe: listing, opening, scanning and closing, by any caller
    # and across reopens, all go through the one thread named "sane".
    assert DEVICE in [d.name for d in devices.list_devices(ctx)]
    (sane_thread,) = [t for t in threading.enumerate() if t.name == "device:sane"]
    for _ in range(2):
        with closing(registry.open_scanner(ctx.settings, DEVICE)) as scanner:
            (page,) = scanner.scan(ScanSettings(source="flatbed", mode="gray", dpi=50))
            assert page.pixels.size > 0
    assert [t for t in threading.enumerate() if t.name.startswith("device:sane")] == [sane_thread]
