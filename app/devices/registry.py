"""Which devices are there, and opening the one the settings choose.

Discovery asks every family (SANE or TWAIN scanners, cameras, PC/SC readers, ID readers,
signature pads) and always adds the simulated twins. A family whose discovery fails (no
``pcscd``, a wedged SANE backend) shows as one entry in state "error" with the reason, so
the 「设备」 page and ``devices list`` still list everything else.

Opening a device here makes a new device object each time, but not a new thread: each device
name has one worker for the process (:func:`app.devices.worker.device_worker`, below the
families, which take their worker from it), so the window, the command line and discovery all
meet the same call still stuck in a driver.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.settings import Settings
from app.devices import (
    camera,
    camera_simulated,
    id_reader,
    pcsc,
    pcsc_simulated,
    sane_scanner,
    scanner_simulated,
    signature_pad,
)
from app.devices.card_reader import SmartCardReader
from app.devices.errors import DeviceError, DeviceMissing
from app.devices.id_reader import IdReader
from app.devices.model import KIND_LABELS, DeviceInfo, DeviceKind
from app.devices.scanner import Scanner, ScanSettings

log = logging.getLogger("devices")

Discovery = Callable[[float], list[DeviceInfo]]


def _twain_discovery(timeout: float) -> list[DeviceInfo]:
    if sys.platform != "win32":
        return []
    found: list[DeviceInfo] = _twain().discover_scanners(timeout)
    return found


def _twain() -> Any:
    """app.devices.twain_scanner, which imports pytwain: it exists only on Windows."""
    return importlib.import_module("app.devices.twain_scanner")


def _serial_id_readers(_timeout: float) -> list[DeviceInfo]:
    return [d for d in id_reader.discover_id_readers() if not d.simulated]


def _families() -> list[tuple[DeviceKind, str, Discovery]]:
    return [("scanner", "sane", sane_scanner.discover_scanners), ("scanner", "twain", _twain_discovery),
            ("camera", "uvc", camera.discover_cameras), ("smartcard", "pcsc", pcsc.discover_card_readers),
            ("id_reader", "serial", _serial_id_readers)]


def twins() -> list[DeviceInfo]:
    """The simulated twin of every kind of device."""
    return [scanner_simulated.INFO, camera_simulated.INFO, pcsc_simulated.INFO, id_reader.simulated_info(),
            signature_pad.SIMULATED_INFO]


def timeout_of(settings: Settings) -> float:
    return float(settings.get("devices.timeout"))


def discover(settings: Settings, kind: DeviceKind | None = None) -> list[DeviceInfo]:
    """Every device found (of ``kind``, when given), real ones first, then the simulated twins."""
    timeout = timeout_of(settings)
    found: list[DeviceInfo] = []
    for family_kind, family, discover_family in _families():
        if kind is not None and family_kind != kind:
            continue
        try:
            found += discover_family(timeout)
        except DeviceError as exc:
            log.warning("discovery of %s devices (%s) failed: %s", family_kind, family, exc.log)
            found.append(DeviceInfo(name=f"{family}:*", kind=family_kind, label=KIND_LABELS[family_kind],
                                    status="error", detail=exc.message))
    return found + [t for t in twins() if kind is None or t.kind == kind]


def open_id_reader(settings: Settings, name: str | None = None) -> IdReader:
    """The resident ID reader named (or chosen in the settings)."""
    return id_reader.open_id_reader(name or settings.get("devices.id_reader"), timeout_of(settings))


def open_card_reader(settings: Settings, name: str | None = None) -> SmartCardReader:
    """The PC/SC reader named (or chosen in the settings; else the first one attached)."""
    timeout = timeout_of(settings)
    chosen = name or settings.get("devices.card_reader")
    if chosen == pcsc_simulated.NAME:
        return pcsc_simulated.SimulatedCardReader(timeout=timeout)
    if not chosen:
        readers = pcsc.discover_card_readers(timeout)
        if not readers:
            raise DeviceMissing("未检测到读卡器，请检查读卡器的连接", log="no PC/SC reader attached")
        chosen = readers[0].name
    return pcsc.CardReader.from_device_name(chosen, timeout=timeout)


def open_signature_pad(settings: Settings, name: str | None = None) -> signature_pad.SignaturePad:
    """The signature pad named (or chosen in the settings)."""
    chosen = name or settings.get("devices.signature_pad")
    if not chosen:
        raise DeviceMissing("尚未选择签名板，请在「设备」页选择，或在屏幕上签名", log="no signature pad chosen")
    recording = settings.get("devices.sim_signature_file")
    return signature_pad.open_signature_pad(chosen, recording=Path(recording) if recording else None)


def scan_settings(settings: Settings, source: str | None = None) -> ScanSettings:
    """The scan the settings ask for, with the source overridden when the clerk chose one."""
    return ScanSettings(source=source or settings.get("devices.scanner_source"),  # type: ignore[arg-type]
                        mode=settings.get("devices.scanner_mode"), dpi=settings.get("devices.scanner_dpi"))


def open_scanner(settings: Settings, name: str | None = None) -> Scanner:
    """The scanner named (or chosen in the settings; else the first one attached)."""
    timeout = timeout_of(settings)
    chosen = name or settings.get("devices.scanner")
    if not chosen:
        attached = [d for d in discover(settings, "scanner") if not d.simulated and d.status == "ready"]
        if not attached:
            raise DeviceMissing("未检测到扫描仪，请检查连接后点击重试", log="no scanner attached")
        chosen = attached[0].name
    if chosen == scanner_simulated.NAME:
        return scanner_simulated.SimulatedScanner(settings.get("devices.sim_scanner_folder") or None, timeout=timeout)
    if chosen.startswith("sane:"):
        return sane_scanner.SaneScanner(chosen, timeout=timeout)
    if chosen.startswith("twain:") and sys.platform == "win32":
        scanner: Scanner = _twain().TwainScanner(chosen, timeout=timeout)
        return scanner
    raise DeviceMissing("未找到扫描仪“{chosen}”，请在「设备」页重新选择", chosen=chosen,
                        log=f"unknown scanner name {chosen!r}")
