"""The reviewer's opinion (审查意见): 同意 / 退回 / 不同意, its words chosen from the reviewer's
常用意见 (which they extend from here), and for a 退回 what each material must correct.

Like every field dialog it stays open while the opinion is given in the background: the rules'
refusal shows beside the fields (a 退回 without a material, a material the case lacks). It says
before the opinion is given whether the unit's seal will go onto the review sheet, or why not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.errors import UserError
from app.core.lifecycle import OPINION_RESULTS, RETURN_RESULT, ActionType
from app.services import review_desk
from app.services.context import AppContext
from app.ui.action_dialogs import ActionDialog, Send
from app.ui.messages import show_user_error, translated
from app.ui.qt import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QCoreApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from app.ui.tasks import on_user_error, run_in_background

#: the Alt key of each conclusion's button
RESULT_KEYS = {"同意": "Y", RETURN_RESULT: "R", "不同意": "B"}
SEAL_OK_STYLE = "color: #1b5e20"
SEAL_MISSING_STYLE = "color: #8a5300"


def _word(text: str) -> str:
    return QCoreApplication.translate("ActionDialog", text)


class ReviewOpinionDialog(ActionDialog):
    """同意 / 退回 / 不同意 with the words from the 常用意见, and a 退回's list per material."""

    def __init__(self, parent: QWidget | None, send: Send, ctx: AppContext, materials: Sequence[str],
                 seal_refusal: str, conclusion: str = "同意") -> None:
        super().__init__(parent, ActionType.OPINION, send)
        self.setObjectName("opinionDialog")
        self._ctx = ctx
        self.results: dict[str, QRadioButton] = {}
        self._group = QButtonGroup(self)
        row = QHBoxLayout()
        for r in OPINION_RESULTS:
            button = QRadioButton(f"{_word(r)}(&{RESULT_KEYS[r]})")
            button.setObjectName(f"result_{RESULT_KEYS[r]}")
            self._group.addButton(button)
            self.results[r] = button
            row.addWidget(button)
            button.toggled.connect(self._result_changed)
        row.addStretch(1)
        self.form.addRow(self.tr("意见结论："), row)

        self.phrases = QComboBox()
        self.phrases.setObjectName("opinionPhrases")
        self.phrases.activated.connect(self._phrase_chosen)
        self.keep_button = QPushButton(self.tr("存为常用意见(&K)"))
        self.keep_button.setObjectName("keepPhrase")
        self.keep_button.setAutoDefault(False)
        self.keep_button.clicked.connect(self.keep_phrase)
        pick = QHBoxLayout()
        pick.addWidget(self.phrases, 1)
        pick.addWidget(self.keep_button)
        phrases_label = QLabel(self.tr("常用意见(&C)："))
        phrases_label.setBuddy(self.phrases)
        self.form.addRow(phrases_label, pick)
        self.text = QPlainTextEdit()
        self.text.setObjectName("opinionText")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(100)
        text_label = QLabel(self.tr("意见内容(&T)："))
        text_label.setBuddy(self.text)
        self.form.addRow(text_label, self.text)

        self.returns_label = QLabel(self.tr("退回需补正的材料（勾选材料，写明补正内容）："))
        self.returns = QTableWidget(len(materials), 2)
        self.returns.setObjectName("opinionReturns")
        self.returns.setHorizontalHeaderLabels([self.tr("材料"), self.tr("需补正的内容")])
        self.returns.verticalHeader().hide()
        self.returns.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.returns.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.returns.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        for n, name in enumerate(materials):
            item = QTableWidgetItem(name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.returns.setItem(n, 0, item)
            self.returns.setItem(n, 1, QTableWidgetItem(""))
        self.returns.itemChanged.connect(self._return_edited)
        self.returns.setMinimumHeight(min(60 + 30 * len(materials), 200))
        self.form.addRow(self.returns_label)
        self.form.addRow(self.returns)

        self.seal = QLabel()
        self.seal.setObjectName("opinionSeal")
        self.seal.setWordWrap(True)
        if seal_refusal:
            self.seal.setText(self.tr("不加盖印章：{why}").format(why=translated(seal_refusal)))
            self.seal.setStyleSheet(SEAL_MISSING_STYLE)
        else:
            self.seal.setText(self.tr("意见将加盖本单位电子印章，写入上报审查表"))
            self.seal.setStyleSheet(SEAL_OK_STYLE)
        self.form.addRow(self.seal)
        self.setMinimumWidth(620)
        self.results.get(conclusion, self.results["同意"]).setChecked(True)
        self._result_changed()
        self.text.setFocus()

    # -- the conclusion and its words ------------------------------------------------------------
    @property
    def conclusion(self) -> str:
        """The conclusion chosen (同意 / 退回 / 不同意)."""
        return next((r for r, b in self.results.items() if b.isChecked()), "同意")

    def _result_changed(self) -> None:
        returning = self.conclusion == RETURN_RESULT
        self.returns_label.setVisible(returning)
        self.returns.setVisible(returning)
        self.message.setText("")
        self._load_phrases()

    def _load_phrases(self) -> None:
        ctx, result = self._ctx, self.conclusion
        run_in_background(self, lambda: review_desk.phrases(ctx, result), self._show_phrases)

    def _show_phrases(self, phrases: list[str]) -> None:
        self.phrases.clear()
        self.phrases.addItem(self.tr("（选择常用意见填入）"), "")
        for p in phrases:
            self.phrases.addItem(p if len(p) <= 40 else p[:39] + "…", p)
            self.phrases.setItemData(self.phrases.count() - 1, p, Qt.ItemDataRole.ToolTipRole)
        if not self.text.toPlainText().strip() and phrases:
            self.text.setPlainText(phrases[0])

    def _phrase_chosen(self, index: int) -> None:
        phrase = self.phrases.itemData(index)
        if phrase:
            self.text.setPlainText(str(phrase))
            self.text.setFocus()

    def keep_phrase(self) -> None:
        """Keep the words written as one of this reviewer's 常用意见."""
        ctx, text = self._ctx, self.text.toPlainText()
        def refused(e: UserError) -> None:
            show_user_error(self, e.message)

        run_in_background(self, lambda: review_desk.keep_phrase(ctx, text), lambda _: self._load_phrases(),
                          on_user_error(self, "keep phrase", refused))

    # -- a 退回's list -------------------------------------------------------------------------------
    def _return_edited(self, item: QTableWidgetItem) -> None:
        if item.column() == 1 and item.text().strip():  # writing what to correct ticks the material
            name = self.returns.item(item.row(), 0)
            if name is not None and name.checkState() != Qt.CheckState.Checked:
                name.setCheckState(Qt.CheckState.Checked)

    def set_return(self, material: str, what: str) -> None:
        """Tick ``material`` and write what it must correct (as the reviewer would in the table)."""
        for row in range(self.returns.rowCount()):
            name = self.returns.item(row, 0)
            cell = self.returns.item(row, 1)
            if name is not None and cell is not None and name.text() == material:
                cell.setText(what)
                name.setCheckState(Qt.CheckState.Checked)

    def returned_lines(self) -> list[dict[str, str]]:
        lines = []
        for row in range(self.returns.rowCount()):
            name, what = self.returns.item(row, 0), self.returns.item(row, 1)
            if name is not None and name.checkState() == Qt.CheckState.Checked:
                lines.append({"material": name.text(), "what": what.text().strip() if what is not None else ""})
        return lines

    def payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"result": self.conclusion, "text": self.text.toPlainText().strip()}
        if self.conclusion == RETURN_RESULT:
            out["returns"] = self.returned_lines()
        return out

    def first_field(self) -> QWidget:
        return self.returns if self.conclusion == RETURN_RESULT and not self.returned_lines() else self.text
