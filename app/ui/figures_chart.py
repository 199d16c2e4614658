"""A small bar chart of the monthly figures, drawn with QPainter (QtCharts is not in
PySide6-Essentials): per unit, one bar per 办件量 channel and one for 快递送达."""

from __future__ import annotations

from collections.abc import Sequence

from app.ui.qt import QColor, QFontMetrics, QPainter, QPaintEvent, QRectF, QSize, Qt, QWidget

#: bar colours, one per series (colour-blind safe: blue, orange, green, purple)
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd")


class BarChart(QWidget):
    """Grouped bars: ``groups`` (a label each) × ``series`` (a name and a colour each)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(180)
        self.series: tuple[str, ...] = ()
        self.groups: list[tuple[str, tuple[int, ...]]] = []

    def set_data(self, series: Sequence[str], groups: Sequence[tuple[str, Sequence[int]]]) -> None:
        self.series = tuple(series)
        self.groups = [(label, tuple(values)) for label, values in groups]
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 220)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        fm = QFontMetrics(self.font())
        line = fm.height()
        legend_x = 8.0
        for i, name in enumerate(self.series):
            p.fillRect(QRectF(legend_x, 6, 12, 12), QColor(COLOURS[i % len(COLOURS)]))
            p.setPen(QColor("black"))
            p.drawText(QRectF(legend_x + 16, 2, 200, line + 4), Qt.AlignmentFlag.AlignVCenter, name)
            legend_x += 24 + fm.horizontalAdvance(name)
        top, bottom = line + 16.0, self.height() - line - 8.0
        if not self.groups or bottom <= top:
            p.end()
            return
        peak = max((v for _, values in self.groups for v in values), default=0) or 1
        width = (self.width() - 16.0) / len(self.groups)
        bar = max(min(width * 0.8 / max(len(self.series), 1), 40.0), 2.0)
        for g, (label, values) in enumerate(self.groups):
            left = 8.0 + g * width + (width - bar * len(values)) / 2
            for s, value in enumerate(values):
                h = (bottom - top - line) * value / peak
                rect = QRectF(left + s * bar, bottom - h, bar - 2, h)
                p.fillRect(rect, QColor(COLOURS[s % len(COLOURS)]))
                p.setPen(QColor("black"))
                p.drawText(QRectF(rect.left() - 10, rect.top() - line, bar + 18, line),
                           Qt.AlignmentFlag.AlignHCenter, str(value))
            p.drawText(QRectF(8.0 + g * width, bottom + 4, width, line + 4), Qt.AlignmentFlag.AlignHCenter,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, int(width) - 4))
        p.setPen(QColor("#888"))
        p.drawLine(8, int(bottom), self.width() - 8, int(bottom))
        p.end()
