"""The 「月报」 page: a month's figures of this unit (computed here, offline) or of a unit and the
units below it (from the platform), as a table and a bar chart, exported to Excel or CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.core.errors import UserError
from app.core.monthly_figures import CHANNELS, Month, MonthlyFigures
from app.services import figures, figures_export
from app.services.context import AppContext
from app.ui.figures_chart import BarChart
from app.ui.messages import user_message
from app.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import on_user_error, run_in_background

#: months offered, counting back from the current one
MONTHS_BACK = 24


class FiguresPage(QWidget):
    """Pick a month (and where from), see the table and the chart, export them."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        #: the figures shown now (None before the first count)
        self.figures: MonthlyFigures | None = None
        self.month = QComboBox()
        month = Month.of(ctx.today())
        for _ in range(MONTHS_BACK):
            self.month.addItem(str(month), str(month))
            month = month.previous()
        self.source = QComboBox()
        self.source.addItem(self.tr("本机统计（本单位，离线可用）"), "local")
        self.source.addItem(self.tr("市级平台统计（本单位及下级单位）"), "platform")
        self.unit = QComboBox()
        self.count_button = QPushButton(self.tr("统计(&C)"))
        self.xlsx_button = QPushButton(self.tr("导出 Excel"))
        self.csv_button = QPushButton(self.tr("导出 CSV"))
        self.status = QLabel()
        self.status.setObjectName("figuresStatus")
        self.status.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.chart = BarChart()
        row = QHBoxLayout()
        month_label = QLabel(self.tr("月份(&M)"))
        month_label.setBuddy(self.month)
        for w in (month_label, self.month, self.source, self.unit, self.count_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.xlsx_button)
        row.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.chart, 1)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.count_button.clicked.connect(self.count)
        self.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self._source_changed()
        self._exports_enabled(False)

    def set_context(self, ctx: AppContext) -> None:
        self._ctx = ctx

    def _source_changed(self) -> None:
        online = self.source.currentData() == "platform"
        self.unit.clear()
        if online:
            for code, name in figures.units_below(self._ctx) or [(self._ctx.settings.get("unit.org"), "")]:
                self.unit.addItem(name or code, code)
        self.unit.setVisible(online)

    def _exports_enabled(self, on: bool) -> None:
        self.xlsx_button.setEnabled(on)
        self.csv_button.setEnabled(on)

    def count(self) -> None:
        """Count the chosen month (in the background); the table and chart follow."""
        ctx, month = self._ctx, str(self.month.currentData())
        online, unit = self.source.currentData() == "platform", str(self.unit.currentData() or "")
        self.count_button.setEnabled(False)
        self.status.setText(self.tr("正在统计……"))

        def work() -> MonthlyFigures:
            return figures.from_platform(ctx, month, unit) if online else figures.local(ctx, month)

        run_in_background(self, work, self.show_figures,
                          on_user_error(self, "figures", self._failed, lambda: self.count_button.setEnabled(True)))

    def _failed(self, err: UserError) -> None:
        self.count_button.setEnabled(True)
        self.status.setText(user_message(err))

    def show_figures(self, result: MonthlyFigures) -> None:
        self.count_button.setEnabled(True)
        self.figures = result
        header = list(figures_export.UNIT_HEADER[1:])
        rows = [r[1:] for r in figures_export.unit_rows(result)]
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(header)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.chart.set_data([*CHANNELS, self.tr("快递送达")],
                            [(u.name or u.unit, (*u.by_channel(), u.mailed)) for u in result.units])
        self.status.setText(self.tr("{month} 月报，共 {count} 个单位；统计于 {at:%H:%M}").format(
            month=result.month, count=len(result.units), at=dt.datetime.now()))
        self._exports_enabled(True)

    def _ask_export(self, kind: str) -> None:
        if self.figures is None:
            return
        pattern = self.tr("Excel 工作簿 (*.xlsx)") if kind == "xlsx" else self.tr("CSV 文件 (*.csv)")
        name, _ = QFileDialog.getSaveFileName(self, self.tr("导出月报"), f"月报-{self.figures.month}.{kind}", pattern)
        if name:
            self.export_to(Path(name), kind)

    def export_to(self, path: Path, kind: str) -> None:
        """Write the figures shown to ``path`` as ``xlsx`` or ``csv`` (in the background)."""
        shown = self.figures
        if shown is None:
            return
        args = {"xlsx": path} if kind == "xlsx" else {"csv_path": path}
        run_in_background(self, lambda: figures_export.export(shown, **args),
                          lambda written: self.status.setText(self.tr("已导出：{path}").format(path=written[0])),
                          on_user_error(self, "figures export", self._failed))
