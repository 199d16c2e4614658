"""What a decision at the counter asks for: the defects of a one-time notice, a reason."""

from __future__ import annotations

from collections.abc import Sequence

from app.services.counter import Defect
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: what is usually wrong with a material, offered first (the clerk may type anything)
PROBLEMS = ("未提供", "需提供原件核验", "已过有效期", "信息填写不完整", "签字或盖章缺失", "复印件不清晰",
            "与原件不一致")


class DefectsDialog(QDialog):
    """一次性告知: every missing or defective material, each with what is wrong, at once."""

    def __init__(self, parent: QWidget | None, defects: Sequence[Defect], materials: Sequence[str]) -> None:
        super().__init__(parent)
        self.setObjectName("defectsDialog")
        self.setWindowTitle(self.tr("一次性告知"))
        self.resize(640, 420)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("材料"), self.tr("需补齐或补正的内容")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._materials = list(materials)
        for d in defects:
            self.add_row(d.material, d.problem)
        add = QPushButton(self.tr("添加一项(&N)"))
        add.setAutoDefault(False)
        add.clicked.connect(lambda: self.add_row("", PROBLEMS[0]))
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("出具一次性告知书(&O)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("返回"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("请列出全部需补齐或补正的材料，并写明每项的问题：")))
        layout.addWidget(self.table, 1)
        layout.addWidget(add)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def add_row(self, material: str, problem: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        names = QComboBox()
        names.setEditable(True)
        names.addItems(self._materials)
        names.setCurrentText(material)
        self.table.setCellWidget(row, 0, names)
        problems = QComboBox()
        problems.setEditable(True)
        problems.addItems(PROBLEMS)
        problems.setCurrentText(problem)
        self.table.setCellWidget(row, 1, problems)
        self.table.setItem(row, 0, QTableWidgetItem())

    def defects(self) -> list[Defect]:
        out = []
        for row in range(self.table.rowCount()):
            name, problem = self.table.cellWidget(row, 0), self.table.cellWidget(row, 1)
            if isinstance(name, QComboBox) and isinstance(problem, QComboBox) and name.currentText().strip():
                out.append(Defect(name.currentText().strip(), problem.currentText().strip()))
        return out

    def _check(self) -> None:
        if not self.defects():
            self.message.setText(self.tr("请至少列出一项需补齐或补正的材料"))
            return
        self.accept()


class ReasonDialog(QDialog):
    """不予受理: the reason, in words the applicant will read on the notice."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(self.tr("不予受理"))
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("不予受理(&J)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("返回"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("不予受理的理由（将写入不予受理通知书）：")))
        layout.addWidget(self.text, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    def _check(self) -> None:
        if not self.reason():
            self.message.setText(self.tr("请填写不予受理的理由"))
            self.text.setFocus()
            return
        self.accept()


def ask_defects(parent: QWidget, defects: Sequence[Defect], materials: Sequence[str]) -> list[Defect] | None:
    dialog = DefectsDialog(parent, defects, materials)
    return dialog.defects() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_reason(parent: QWidget) -> str | None:
    dialog = ReasonDialog(parent)
    return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
