"""The on-screen signature pad: the signer writes with a pen tablet, a finger or the mouse.

:class:`SignatureCanvas` records each point's position (in 0.01 mm, from the screen's
physical dpi), the time since the first pen-down (from an elapsed timer) and, from a pen
tablet or a pressure-sensing touch screen, the pressure; it draws the ink as it comes.
:class:`SignaturePadWidget` adds 「清除」 and 「确认」: confirming an empty or trivial
signature shows why under the pad (:func:`app.core.signature.check_signature`) and emits
nothing; a real one is emitted as :class:`~app.core.signature.Strokes` by ``confirmed``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.core.errors import UserError
from app.core.signature import CaptureDevice, Point, Strokes, check_signature
from app.ui.messages import user_message
from app.ui.qt import (
    QColor,
    QElapsedTimer,
    QEvent,
    QEventPoint,
    QHBoxLayout,
    QInputDevice,
    QLabel,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPointF,
    QPushButton,
    QSize,
    Qt,
    QTabletEvent,
    QTouchEvent,
    QVBoxLayout,
    QWidget,
    Signal,
)

log = logging.getLogger("ui.signature")

UNITS_PER_MM = 100
#: Screens whose reported physical dpi is outside this range are taken at their logical dpi
#: (some monitors report no size, or a nonsensical one).
BELIEVABLE_SCREEN_DPI = (60, 400)
INK_PX = 3.2  # the on-screen pen at full pressure: thicker than on paper, to be easy to see
INK = QColor(20, 20, 20)


class SignatureCanvas(QWidget):
    """The area signed in: records strokes from tablet, touch and mouse input and draws them.

    ``clock`` returns milliseconds from any origin (tests pass a fake one); by default an
    elapsed timer started with the canvas.
    """

    #: a stroke began, grew or the canvas was cleared
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], int] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signatureCanvas")
        self.setAccessibleName(self.tr("签名区"))
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(360, 150)
        self._timer = QElapsedTimer()
        self._timer.start()
        self._clock: Callable[[], int] = clock or self._timer.elapsed
        self._origin = 0
        self._mm_per_px = 25.4 / 96
        self._strokes: list[list[Point]] = []
        self._down = False
        self._touch_id: int | None = None
        self._inputs: set[str] = set()

    def sizeHint(self) -> QSize:
        return QSize(640, 240)

    def is_empty(self) -> bool:
        return not self._strokes

    def strokes(self) -> Strokes:
        """What was signed so far, in 0.01 mm with times from the first pen-down."""
        device = CaptureDevice("on-screen pad (" + "+".join(sorted(self._inputs)) + ")")
        return Strokes(tuple(tuple(s) for s in self._strokes), UNITS_PER_MM * 1000, device)

    def clear(self) -> None:
        self._strokes.clear()
        self._inputs.clear()
        self._down = False
        self._touch_id = None
        self.update()
        self.changed.emit()

    # Input. Tablet and touch events are accepted, so Qt does not repeat them as mouse events.

    def tabletEvent(self, event: QTabletEvent) -> None:
        device = event.pointingDevice()
        pressure = event.pressure() if device is None or _senses_pressure(device) else None
        kind = event.type()
        if kind == QEvent.Type.TabletPress and event.button() == Qt.MouseButton.LeftButton:
            self._pen_down(event.position(), pressure, "tablet")
        elif kind == QEvent.Type.TabletMove and self._down:
            self._pen_move(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease and self._down:
            self._pen_move(event.position(), pressure)
            self._down = False
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pen_down(event.position(), None, "mouse")

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._down and event.buttons() & Qt.MouseButton.LeftButton:
            self._pen_move(event.position(), None)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._down:
            self._pen_move(event.position(), None)
            self._down = False

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QTouchEvent):
            self._touch(event)
            event.accept()
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        """The first finger writes; the others (a resting palm) are ignored."""
        if event.type() == QEvent.Type.TouchCancel:
            if self._down and self._touch_id is not None and self._strokes:
                self._strokes.pop()  # an interrupted stroke is not what the signer meant
            self._down, self._touch_id = False, None
            self.update()
            return
        device = event.pointingDevice()
        sensing = device is not None and _senses_pressure(device)
        for point in event.points():
            pressure = point.pressure() if sensing else None
            if self._touch_id is None and point.state() == QEventPoint.State.Pressed:
                self._touch_id = point.id()
                self._pen_down(point.position(), pressure, "touch")
            elif point.id() == self._touch_id:
                self._pen_move(point.position(), pressure)
                if point.state() == QEventPoint.State.Released:
                    self._down, self._touch_id = False, None

    def _pen_down(self, pos: QPointF, pressure: float | None, kind: str) -> None:
        now = self._clock()
        if not self._strokes:
            self._origin = now  # the first point is at t = 0
            self._mm_per_px = 25.4 / self._screen_dpi()
        self._down = True
        self._inputs.add(kind)
        self._strokes.append([self._point(pos, pressure, now)])
        self.update()
        self.changed.emit()

    def _pen_move(self, pos: QPointF, pressure: float | None) -> None:
        point = self._point(pos, pressure, self._clock())
        last = self._strokes[-1][-1]
        if (point.x, point.y, point.pressure) == (last.x, last.y, last.pressure):
            return  # a repeated report adds nothing
        self._strokes[-1].append(point)
        self.update()
        self.changed.emit()

    def _point(self, pos: QPointF, pressure: float | None, now: int) -> Point:
        # An injected clock need not be monotonic; stored times must never go back.
        last = self._strokes[-1][-1].t if self._strokes else 0
        t = max(last, now - self._origin)
        scale = self._mm_per_px * UNITS_PER_MM
        clamped = None if pressure is None else min(1.0, max(0.0, pressure))
        return Point(round(pos.x() * scale), round(pos.y() * scale), t, clamped)

    def _screen_dpi(self) -> float:
        dpi = self.physicalDpiX()
        low, high = BELIEVABLE_SCREEN_DPI
        return dpi if low <= dpi <= high else self.logicalDpiX()

    # Drawing

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(1, 1, -2, -2)
        painter.fillRect(rect, QColor("white"))
        painter.setPen(QPen(QColor(150, 150, 150), 1))
        painter.drawRect(rect)
        baseline = rect.top() + rect.height() * 3 // 4
        painter.setPen(QPen(QColor(200, 200, 200), 1, Qt.PenStyle.DashLine))
        painter.drawLine(rect.left() + 16, baseline, rect.right() - 16, baseline)
        if not self._strokes:
            painter.setPen(QColor(160, 160, 160))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("请在此处签名"))
        px = 1 / (self._mm_per_px * UNITS_PER_MM)
        for stroke in self._strokes:
            for i, b in enumerate(stroke):
                a = stroke[i - 1] if i else b
                pressure = 0.6 if b.pressure is None else b.pressure
                pen = QPen(INK, INK_PX * (0.35 + 0.65 * pressure), Qt.PenStyle.SolidLine,
                           Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                painter.drawLine(QPointF(a.x * px, a.y * px), QPointF(b.x * px, b.y * px))
        painter.end()


def _senses_pressure(device: QInputDevice) -> bool:
    return bool(device.capabilities() & QInputDevice.Capability.Pressure)


class SignaturePadWidget(QWidget):
    """The pad with 「清除」 and 「确认」; ``confirmed`` carries the accepted strokes."""

    confirmed = Signal(object)  # Strokes

    def __init__(self, parent: QWidget | None = None, *, prompt: str = "",
                 clock: Callable[[], int] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.prompt = QLabel(prompt)
        self.prompt.setVisible(bool(prompt))
        self.canvas = SignatureCanvas(self, clock=clock)
        self.message = QLabel()
        self.message.setObjectName("signatureMessage")
        self.message.setStyleSheet("color: #b3261e")
        self.message.setWordWrap(True)
        self.clear_button = QPushButton(self.tr("清除"))
        self.clear_button.setObjectName("signatureClear")
        self.confirm_button = QPushButton(self.tr("确认"))
        self.confirm_button.setObjectName("signatureConfirm")
        self.confirm_button.setDefault(True)
        self.clear_button.clicked.connect(self.clear)
        self.confirm_button.clicked.connect(self.confirm)
        # Writing again hides the last refusal: it is about a signature no longer there.
        self.canvas.changed.connect(self.message.clear)

        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(buttons)

    def strokes(self) -> Strokes:
        return self.canvas.strokes()

    def clear(self) -> None:
        self.canvas.clear()

    def confirm(self) -> None:
        """Emit the strokes, or say under the pad why they are not a signature."""
        strokes = self.canvas.strokes()
        try:
            check_signature(strokes)
        except UserError as e:
            log.info("%s", e.log)
            self.message.setText(user_message(e))
            return
        self.message.clear()
        self.confirmed.emit(strokes)
