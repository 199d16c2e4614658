"""收件: a new case at the window, with the devices doing the typing.

「读身份证」 fills the applicant from the card on the reader; 「扫描」 feeds the selected
material's sheets through the chosen scanner and the page pipeline, showing each page as it
arrives (a jam keeps the pages before it); 「收件」 receives the case. Every device call and the
intake itself run in the background; the clerk reads problems on the dialog, in Chinese.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import UserError
from app.services import devices, intake
from app.services.context import AppContext
from app.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
    isValid,
)
from app.ui.tasks import default_failure, run_in_background

PAGES_COLUMN = 2


class IntakeDialog(QDialog):
    """Item, applicant (from the ID card), materials (from the scanner), then 收件."""

    #: a page of the material in row ``row`` came out of the pipeline during a scan, making
    #: ``count`` pages (emitted from the worker thread: queued to the GUI thread)
    page_scanned = Signal(int, int)
    #: a step finished (card read, scan, intake); its outcome is in :attr:`message`
    finished_step = Signal()
    #: the case was received: its case number
    received = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDialog")
        self.setWindowTitle(self.tr("收件"))
        self.resize(820, 600)  # fits a 1366×768 screen
        self._ctx = ctx
        #: each material's pages, already through the pipeline (intake does not process them again)
        self._pages: dict[str, list[intake.ProcessedPage]] = {}

        self.item = QComboBox()
        for item in ctx.catalog:
            self.item.addItem(f"{item.name}（{item.code}）", item.code)
        self.name, self.id_number = QLineEdit(), QLineEdit()
        self.phone, self.address = QLineEdit(), QLineEdit()
        self.read_card_button = QPushButton(self.tr("读身份证"))
        who = QHBoxLayout()
        who.addWidget(self.name, 1)
        who.addWidget(self.read_card_button)
        form = QFormLayout()
        form.addRow(self.tr("事项："), self.item)
        form.addRow(self.tr("申请人："), who)
        form.addRow(self.tr("公民身份号码："), self.id_number)
        form.addRow(self.tr("联系电话："), self.phone)
        form.addRow(self.tr("住址："), self.address)

        self.materials = QTableWidget(0, 3)
        self.materials.setHorizontalHeaderLabels([self.tr("材料"), self.tr("必需"), self.tr("已扫描页数")])
        self.materials.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.materials.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.materials.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.materials.verticalHeader().hide()
        self.materials.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.scan_button = QPushButton(self.tr("扫描所选材料"))
        self.clear_button = QPushButton(self.tr("清空所选材料"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("页面有质量问题仍要收件时，在此注明理由"))
        self.message = QLabel()
        self.message.setObjectName("intakeMessage")
        self.message.setWordWrap(True)
        self.receive_button = QPushButton(self.tr("收件"))
        self.receive_button.setDefault(True)
        cancel = QPushButton(self.tr("取消"))

        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan_button)
        scan_row.addWidget(self.clear_button)
        scan_row.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.receive_button)
        bottom.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.materials, 1)
        layout.addLayout(scan_row)
        layout.addWidget(self.reason)
        layout.addLayout(bottom)

        self.item.currentIndexChanged.connect(self._show_materials)
        self.read_card_button.clicked.connect(self.read_card)
        self.scan_button.clicked.connect(self.scan_selected)
        self.clear_button.clicked.connect(self.clear_selected)
        self.receive_button.clicked.connect(self.receive)
        cancel.clicked.connect(self.reject)
        self.page_scanned.connect(self._page_scanned, Qt.ConnectionType.QueuedConnection)
        self._show_materials()

    @property
    def context(self) -> AppContext:
        return self._ctx

    def set_context(self, ctx: AppContext) -> None:
        """Another person signed in at the window: what is typed and scanned stays, and the case is
        received in their name (a step already under way finishes in the previous one's)."""
        self._ctx = ctx

    # -- the clerk's actions ------------------------------------------------------------------------

    def read_card(self) -> None:
        self._working(self.tr("正在读取身份证…"))
        ctx = self._ctx
        run_in_background(self, lambda: devices.read_id_card(ctx), self._card_read, self._failed)

    def select_material(self, name: str) -> None:
        """Select the row of material ``name`` (as the clerk would click it)."""
        for row in range(self.materials.rowCount()):
            if self._material_at(row) == name:
                self.materials.selectRow(row)
                return
        raise KeyError(name)

    def scan_selected(self) -> None:
        name = self._selected()
        if name is None:
            self.message.setText(self.tr("请先在列表中选择要扫描的材料"))
            return
        self._working(self.tr("正在扫描“{name}”…").format(name=name))
        ctx, row = self._ctx, self.materials.currentRow()
        count = len(self._pages.get(name, []))

        def progress(_: intake.ProcessedPage) -> None:  # on the worker thread: only emits
            nonlocal count
            count += 1
            if isValid(self):  # the clerk may have closed the dialog meanwhile
                self.page_scanned.emit(row, count)

        def scan() -> devices.MaterialScan:
            return devices.scan_material(ctx, name, progress=progress)

        run_in_background(self, scan, lambda outcome: self._scanned(name, outcome), self._failed)

    def clear_selected(self) -> None:
        name = self._selected()
        if name is not None:
            self._pages.pop(name, None)
            self._show_counts()

    def receive(self) -> None:
        applicant = {"kind": "person", "name": self.name.text(), "id_type": "resident_id",
                     "id_number": self.id_number.text(), "phone": self.phone.text(), "address": self.address.text()}
        materials = [intake.MaterialInput(name, (), tuple(pages)) for name, pages in self._pages.items() if pages]
        options = intake.IntakeOptions(accept_warnings=self.reason.text().strip() or None, source="scanner")
        ctx, code = self._ctx, str(self.item.currentData())
        self._working(self.tr("正在收件…"))
        run_in_background(self, lambda: intake.new_case(ctx, code, applicant, materials, options),
                          self._received, self._failed)

    # -- callbacks on the GUI thread ------------------------------------------------------------------

    def _card_read(self, card: dict[str, Any]) -> None:
        self.name.setText(card["name"])
        self.id_number.setText(card["id_number"])
        self.address.setText(card["address"])
        self._done(self.tr("已读取身份证：{name}").format(name=card["name"]))

    def _page_scanned(self, row: int, count: int) -> None:
        self.materials.setItem(row, PAGES_COLUMN, QTableWidgetItem(str(count)))
        self.message.setText(self.tr("正在扫描“{name}”：第 {n} 页").format(name=self._material_at(row), n=count))

    def _scanned(self, name: str, outcome: devices.MaterialScan) -> None:
        self._pages.setdefault(name, []).extend(outcome.pages)
        self._show_counts()
        if outcome.error is not None:
            self._done(outcome.error.message)
        else:
            self._done(self.tr("“{name}”已扫描 {n} 页").format(name=name, n=len(outcome.pages)))

    def _received(self, case: intake.NewCase) -> None:
        self._done(self.tr("已收件，受理编号 {case_no}").format(case_no=case.case_no))
        self.received.emit(case.case_no)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self._done(exc.message)
        else:
            self._done("")
            default_failure(self, "intake", exc)

    # -- helpers ------------------------------------------------------------------------------------

    def _show_materials(self) -> None:
        item = self._ctx.catalog.get(str(self.item.currentData()))
        specs = item.materials if item is not None else ()
        self.materials.setRowCount(len(specs))
        for row, spec in enumerate(specs):
            self.materials.setItem(row, 0, QTableWidgetItem(spec.name))
            self.materials.setItem(row, 1, QTableWidgetItem(self.tr("必需") if spec.required else ""))
        self._pages = {}
        self._show_counts()

    def _show_counts(self) -> None:
        for row in range(self.materials.rowCount()):
            count = len(self._pages.get(self._material_at(row), []))
            self.materials.setItem(row, PAGES_COLUMN, QTableWidgetItem(str(count) if count else ""))

    def _material_at(self, row: int) -> str:
        cell = self.materials.item(row, 0)
        return cell.text() if cell is not None else ""

    def _selected(self) -> str | None:
        rows = self.materials.selectionModel().selectedRows()
        return self._material_at(rows[0].row()) if rows else None

    def _working(self, text: str) -> None:
        self.message.setText(text)
        for button in (self.read_card_button, self.scan_button, self.clear_button, self.receive_button):
            button.setEnabled(False)

    def _done(self, text: str) -> None:
        self.message.setText(text)
        for button in (self.read_card_button, self.scan_button, self.clear_button, self.receive_button):
            button.setEnabled(True)
        self.finished_step.emit()
