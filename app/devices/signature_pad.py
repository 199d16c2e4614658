"""Signature pads: the interface a hardware pad plugs in behind, and a simulated pad.

A pad captures one signature at a time: :meth:`SignaturePad.capture` blocks until the signer
finishes (on a hardware pad, its own 「确认」 key) and returns the strokes in the pad's own
units and resolution, or raises :class:`~app.devices.errors.DeviceTimeout` when nobody signs
in time. It does not judge the signature: the caller refuses an empty or trivial one with
:func:`app.core.signature.check_signature`, as it does for the on-screen pad.

Only the simulated pad exists. Vendor HID pads (Wacom STU, Hanvon) are NOT implemented:
they would open the HID device, send the vendor's start-capture report, read pen reports
(x, y, pressure, a timestamp) until the pad's confirm key, and map them with
:func:`app.core.signature.strokes_from`; :func:`discover_signature_pads` lists none of them
yet. The simulated pad replays a recorded signature (a file in the stored form of
:mod:`app.core.signature`, e.g. one saved from the on-screen pad) or, without a file, a
built-in sample (「李明」, drawn from a few polylines per character, with a pressure curve).
Every capture runs on the pad's device thread, like a real pad's.
"""

from __future__ import annotations

import math
import threading
from itertools import pairwise
from pathlib import Path
from typing import Protocol

from app.core.errors import UserError
from app.core.signature import CaptureDevice, Point, Stroke, Strokes, decode
from app.devices.device import Device
from app.devices.errors import DeviceError, DeviceMissing
from app.devices.model import KIND_LABELS, DeviceInfo

SIMULATED_NAME = "sim:signature_pad"
SIMULATED_INFO = DeviceInfo(SIMULATED_NAME, "signature_pad", "模拟签名板", simulated=True)
#: The default time a signer gets (a real pad waits for its confirm key).
CAPTURE_TIMEOUT = 120.0


class SignaturePad(Protocol):
    """One signature pad. ``capture`` blocks (call it off the GUI thread); ``cancel`` may be called from any thread."""

    @property
    def info(self) -> DeviceInfo: ...

    def capture(self, timeout: float | None = None) -> Strokes:
        """The next signature, once the signer finishes; DeviceTimeout after ``timeout`` seconds."""
        ...

    def cancel(self) -> None:
        """End a capture under way (the clerk pressed 「取消」): it raises DeviceError."""
        ...

    def close(self) -> None: ...


def discover_signature_pads() -> list[DeviceInfo]:
    """The signature pads present: the simulated one only (hardware pads are not implemented)."""
    return [SIMULATED_INFO]


def open_signature_pad(name: str, *, recording: Path | None = None) -> SignaturePad:
    """The pad called ``name`` (as :func:`discover_signature_pads` lists it)."""
    if name == SIMULATED_NAME:
        return SimulatedSignaturePad(recording)
    raise DeviceMissing("未找到所选签名板，请检查连接，或在「设备」中重新选择",
                        log=f"signature pad {name!r} not found (only {SIMULATED_NAME} is supported)")


class SimulatedSignaturePad(Device):
    """Replays a recorded signature, for demo and training.

    ``speed`` 0 returns it at once; 1 takes as long as the signer did (so timeouts and
    「取消」 can be tried); 2 twice as fast.
    """

    def __init__(self, recording: Path | None = None, *, speed: float = 0.0,
                 timeout: float = CAPTURE_TIMEOUT) -> None:
        super().__init__(SIMULATED_INFO, label=KIND_LABELS["signature_pad"], timeout=timeout)
        self._recording = recording
        self._speed = speed
        self._cancelled = threading.Event()

    def capture(self, timeout: float | None = None) -> Strokes:
        # Cleared here, before the call, so that a cancel from another thread is never lost.
        self._cancelled.clear()
        return self._call(self._replay, timeout=timeout, what="capture signature")

    def cancel(self) -> None:
        self._cancelled.set()

    def _replay(self) -> Strokes:  # on the worker thread
        strokes = self._load() if self._recording is not None else sample_signature()
        # As a hardware pad would: the signature arrives when the signer is done.
        if self._speed > 0:
            self._cancelled.wait(strokes.duration_ms() / 1000 / self._speed)
        if self._cancelled.is_set():
            raise DeviceError("签名已取消", log=f"{SIMULATED_NAME}: capture cancelled")
        return strokes

    def _load(self) -> Strokes:
        assert self._recording is not None
        try:
            data = self._recording.read_bytes()
        except OSError as e:
            raise DeviceError("无法读取签名样本文件「{name}」，请检查设置", name=self._recording.name,
                              log=f"{SIMULATED_NAME}: cannot read {self._recording}: {e}") from None
        try:
            return decode(data)
        except UserError as e:
            raise DeviceError("签名样本文件「{name}」已损坏或格式不受支持", name=self._recording.name,
                              log=f"{SIMULATED_NAME}: {self._recording}: {e.log}") from None


# The built-in sample: 「李明」 as polylines on a 10 × 10 grid per character (y downwards).
_GLYPHS: tuple[tuple[tuple[tuple[float, float], ...], ...], ...] = (
    (  # 李
        ((1.0, 2.3), (9.0, 2.0)),
        ((5.0, 0.3), (5.0, 5.0)),
        ((4.8, 2.5), (3.4, 3.9), (1.4, 4.9)),
        ((5.3, 2.5), (6.8, 3.8), (8.7, 4.6)),
        ((2.6, 5.7), (7.3, 5.5), (5.3, 6.9)),
        ((5.3, 6.9), (5.3, 9.6), (4.2, 9.1)),
        ((0.9, 7.7), (9.1, 7.4)),
    ),
    (  # 明
        ((0.8, 2.0), (0.9, 7.6)),
        ((0.8, 2.0), (3.8, 1.9), (3.7, 7.5)),
        ((0.9, 4.7), (3.7, 4.6)),
        ((0.9, 7.3), (3.7, 7.2)),
        ((5.4, 1.0), (5.4, 6.4), (5.0, 8.3), (4.2, 9.6)),
        ((5.4, 1.0), (8.9, 0.9), (8.9, 9.4), (8.0, 8.9)),
        ((5.4, 3.8), (8.8, 3.7)),
        ((5.4, 6.3), (8.8, 6.2)),
    ),
)
_SAMPLE_UNITS_PER_MM = 100  # 0.01 mm, as Wacom STU pads report
_CHAR_MM, _ADVANCE_MM, _SLANT = 12.0, 13.5, 0.18
_RATE_MS, _SPEED_MM_PER_MS = 5, 0.05  # 200 reports a second, 50 mm/s
_LIFT_MS, _NEXT_CHAR_MS = 140, 320


def sample_signature() -> Strokes:
    """The built-in sample (about 32 × 13 mm, 2.5 s, with pressure), the same on every call."""
    strokes: list[Stroke] = []
    t = 0
    for i, glyph in enumerate(_GLYPHS):
        if i:
            t += _NEXT_CHAR_MS - _LIFT_MS
        for polyline in glyph:
            if strokes:
                t += _LIFT_MS
            mm = [(i * _ADVANCE_MM + x * _CHAR_MM / 10 + (10 - y) * _SLANT, 1.0 + y * _CHAR_MM / 10)
                  for x, y in polyline]
            stroke, t = _sampled(mm, t)
            strokes.append(stroke)
    return Strokes(tuple(strokes), _SAMPLE_UNITS_PER_MM * 1000, CaptureDevice("Chuangkou simulated pad"))


def _sampled(mm: list[tuple[float, float]], t0: int) -> tuple[Stroke, int]:
    """Points every few ms along a polyline at pen speed; pressure swells, then eases at the lift."""
    lengths = [math.dist(a, b) for a, b in pairwise(mm)]
    total = sum(lengths)
    steps = max(2, round(total / (_SPEED_MM_PER_MS * _RATE_MS)))
    points = []
    for k in range(steps + 1):
        s, seg = total * k / steps, 0
        while seg < len(lengths) - 1 and s > lengths[seg]:
            s -= lengths[seg]
            seg += 1
        f = s / lengths[seg] if lengths[seg] else 0.0
        (ax, ay), (bx, by) = mm[seg], mm[seg + 1]
        x, y = ax + (bx - ax) * f, ay + (by - ay) * f
        u = k / steps
        pressure = 0.3 + 0.6 * math.sin(math.pi * u) ** 0.5
        points.append(Point(round(x * _SAMPLE_UNITS_PER_MM), round(y * _SAMPLE_UNITS_PER_MM),
                            t0 + k * _RATE_MS, pressure))
    return tuple(points), t0 + steps * _RATE_MS
