"""The on-screen signature pad: mouse, tablet and touch strokes, clearing, confirming."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.signature import NO_SIGNATURE, TOO_SHORT, Strokes, check_signature
from app.ui.qt import (
    QApplication,
    QEvent,
    QImage,
    QInputDevice,
    QPointF,
    QPointingDevice,
    Qt,
    QTabletEvent,
    QWidget,
)
from app.ui.signature_pad import SignatureCanvas, SignaturePadWidget

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]

LEFT, NO_MOD = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


class FakeClock:
    """Milliseconds that advance 15 ms each time they are read: a steady hand, no real waiting."""

    def __init__(self) -> None:
        self.now = 1_000

    def __call__(self) -> int:
        self.now += 15
        return self.now


@pytest.fixture
def pad(qtbot: QtBot) -> Iterator[SignaturePadWidget]:
    widget = SignaturePadWidget(prompt="申请人签名", clock=FakeClock())
    qtbot.addWidget(widget)
    widget.resize(700, 320)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def drag(canvas: QWidget, points: list[tuple[int, int]], *, wait_ms: int = 0) -> None:
    """Press, move through ``points``, release; ``wait_ms`` of real time before each press and move."""
    if wait_ms:
        QTest.qWait(wait_ms)
    QTest.mousePress(canvas, LEFT, NO_MOD, QPoint(*points[0]))
    for x, y in points[1:]:
        if wait_ms:
            QTest.qWait(wait_ms)
        QTest.mouseMove(canvas, QPoint(x, y))
    QTest.mouseRelease(canvas, LEFT, NO_MOD, QPoint(*points[-1]))


def zigzag(left: int = 40, top: int = 60, n: int = 16) -> list[tuple[int, int]]:
    """About 60 × 12 mm on the pad: plainly a signature."""
    return [(left + 15 * i, top + 45 * (i % 2)) for i in range(n)]


def dark_pixels(canvas: SignatureCanvas) -> int:
    image = canvas.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    data, stride = bytes(image.constBits()), image.bytesPerLine()  # type: ignore[call-overload]
    rows = (data[y * stride:y * stride + image.width()] for y in range(image.height()))
    return sum(1 for row in rows for v in row if v < 80)


def tablet(canvas: QWidget, kind: QEvent.Type, pos: tuple[float, float], pressure: float,
           device: QPointingDevice) -> None:
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else LEFT
    event = QTabletEvent(kind, device, QPointF(*pos), canvas.mapToGlobal(QPointF(*pos)), pressure,
                         0.0, 0.0, 0.0, 0.0, 0.0, NO_MOD, LEFT, buttons)
    QApplication.sendEvent(canvas, event)


def test_a_mouse_drag_is_a_stroke_with_time_increasing(qtbot: QtBot) -> None:
    widget = SignaturePadWidget()  # the real elapsed timer
    qtbot.addWidget(widget)
    widget.resize(700, 320)
    widget.show()
    drag(widget.canvas, [(40, 60), (80, 100), (120, 60), (160, 100)], wait_ms=15)
    drag(widget.canvas, [(60, 150), (140, 150)], wait_ms=15)
    strokes = widget.strokes()
    assert [len(s) for s in strokes] == [4, 2]
    times = [p.t for p in strokes.points()]
    assert times[0] == 0 and all(b > a for a, b in pairwise(times))
    assert all(p.pressure is None for p in strokes.points())  # a mouse has no pressure
    xs = [p.x for p in strokes.strokes[0]]
    assert xs == sorted(xs) and xs[0] < xs[-1]
    assert "mouse" in strokes.device.name


def test_tablet_pressure_is_recorded_and_drawn(pad: SignaturePadWidget) -> None:
    pen = QPointingDevice("pen", 1, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 2)
    canvas = pad.canvas
    tablet(canvas, QEvent.Type.TabletMove, (30, 40), 0.0, pen)  # hovering: not ink
    tablet(canvas, QEvent.Type.TabletPress, (40, 60), 0.2, pen)
    tablet(canvas, QEvent.Type.TabletMove, (100, 70), 0.5, pen)
    tablet(canvas, QEvent.Type.TabletMove, (160, 80), 0.9, pen)
    tablet(canvas, QEvent.Type.TabletRelease, (160, 80), 0.0, pen)
    (stroke,) = pad.strokes()
    assert [p.pressure for p in stroke] == pytest.approx([0.2, 0.5, 0.9, 0.0], abs=1e-4)
    assert "tablet" in pad.strokes().device.name
    assert dark_pixels(canvas) > 50


def test_touch_writes_with_the_first_finger(pad: SignaturePadWidget) -> None:
    finger = QTest.createTouchDevice()
    QTest.touchEvent(pad.canvas, finger).press(0, QPoint(50, 60)).commit()
    QTest.touchEvent(pad.canvas, finger).move(0, QPoint(120, 90)).commit()
    QTest.touchEvent(pad.canvas, finger).move(0, QPoint(200, 70)).commit()
    QTest.touchEvent(pad.canvas, finger).release(0, QPoint(200, 70)).commit()
    (stroke,) = pad.strokes()
    assert len(stroke) == 3 and stroke[0].x < stroke[1].x < stroke[2].x
    assert all(p.pressure is None for p in stroke)  # this touch screen senses no pressure


def test_clear_empties_the_pad(pad: SignaturePadWidget) -> None:
    blank = dark_pixels(pad.canvas)
    drag(pad.canvas, zigzag())
    assert dark_pixels(pad.canvas) > blank + 100  # the ink is visible
    assert pad.strokes().point_count == 16
    QTest.mouseClick(pad.clear_button, LEFT)
    assert pad.strokes() == Strokes((), pad.strokes().units_per_metre, pad.strokes().device)
    assert pad.canvas.is_empty()
    assert dark_pixels(pad.canvas) == blank


def test_confirm_on_empty_shows_the_message_and_emits_nothing(qtbot: QtBot, pad: SignaturePadWidget) -> None:
    with qtbot.assertNotEmitted(pad.confirmed):
        QTest.mouseClick(pad.confirm_button, LEFT)
    assert pad.message.text() == "请在签名区签名"
    assert pad.message.isVisible()


def test_confirm_on_a_dot_says_it_is_too_short(qtbot: QtBot, pad: SignaturePadWidget) -> None:
    QTest.mouseClick(pad.canvas, LEFT, NO_MOD, QPoint(100, 100))
    with qtbot.assertNotEmitted(pad.confirmed):
        QTest.mouseClick(pad.confirm_button, LEFT)
    assert pad.message.text() == "签名过短，请重新签名"
    # Writing again takes the stale message away.
    drag(pad.canvas, zigzag())
    assert pad.message.text() == ""


def test_confirm_on_a_real_signature_emits_its_strokes(qtbot: QtBot, pad: SignaturePadWidget) -> None:
    drag(pad.canvas, zigzag())
    drag(pad.canvas, zigzag(top=150, n=10))
    with qtbot.waitSignal(pad.confirmed, timeout=1000) as signal:
        QTest.mouseClick(pad.confirm_button, LEFT)
    (strokes,) = signal.args
    assert isinstance(strokes, Strokes) and [len(s) for s in strokes] == [16, 10]
    check_signature(strokes)
    assert pad.message.text() == ""
    # 15 px on a 100 dpi screen is 3.81 mm: the strokes are in true millimetres.
    first = strokes.strokes[0]
    assert strokes.mm(first[1].x - first[0].x) == pytest.approx(15 * 25.4 / pad.canvas.physicalDpiX(), abs=0.01)


def test_pad_fits_a_1366x768_screen(pad: SignaturePadWidget) -> None:
    hint = pad.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768 // 2
    pad.resize(1366, 300)
    for button in (pad.clear_button, pad.confirm_button):
        assert pad.rect().contains(button.geometry())


def test_check_messages_are_offered_for_translation() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import extract_errors

    assert {NO_SIGNATURE, TOO_SHORT} <= set(extract_errors.collect().templates)
