"""The joint review's two dialogs: 「发起联审」 (the departments picked by name, a due date each,
required or not) and 「联审意见」 (同意 or 不同意, and why).

Like :mod:`app.ui.action_dialogs`, they only gather the fields: the rules
(:mod:`app.core.joint_review`) refuse what is wrong, in their own words, beside the fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from app.core.joint_review import JOINT_RESULTS
from app.core.lifecycle import ActionType
from app.services.case_desk import Unit
from app.ui.action_dialogs import ActionDialog, Send, _text_field, _word
from app.ui.qt import QCheckBox, QComboBox, QDate, QDateEdit, QGridLayout, QLabel, QWidget

# the due date a department is offered first: this many days after today
DEFAULT_DAYS = 5


class JointReviewDialog(ActionDialog):
    """发起联审: a row per department the window may ask — ask it or not, by when, required or not."""

    def __init__(self, parent: QWidget | None, send: Send, units: Sequence[Unit], today: dt.date) -> None:
        super().__init__(parent, ActionType.JOINT_REVIEW, send)
        self._units = list(units)
        grid = QWidget()
        rows = QGridLayout(grid)
        rows.setContentsMargins(0, 0, 0, 0)
        for column, title in enumerate((self.tr("联审部门"), self.tr("反馈期限"), self.tr("必须参加"))):
            rows.addWidget(QLabel(title), 0, column)
        self.asked: list[QCheckBox] = []
        self.due: list[QDateEdit] = []
        self.required: list[QCheckBox] = []
        first = today + dt.timedelta(days=DEFAULT_DAYS)
        for n, unit in enumerate(self._units, 1):
            ask = QCheckBox(unit.name)
            due = QDateEdit(QDate(first.year, first.month, first.day))
            due.setCalendarPopup(True)
            due.setDisplayFormat("yyyy-MM-dd")
            due.setMinimumDate(QDate(today.year, today.month, today.day))
            required = QCheckBox()
            required.setChecked(True)
            required.setAccessibleName(self.tr("{name}必须参加").format(name=unit.name))
            for column, widget in enumerate((ask, due, required)):
                rows.addWidget(widget, n, column)
            self.asked.append(ask)
            self.due.append(due)
            self.required.append(required)
        self.form.addRow(QLabel(self.tr("选择参加联审的部门，并为每个部门定反馈期限：")))
        self.form.addRow(grid)
        if not self._units:
            self.form.addRow(QLabel(self.tr("尚未从平台取得部门名单，请先同步后再发起联审")))
        self.first_field().setFocus()

    def choose(self, name: str, due: dt.date, required: bool = True) -> None:
        """Tick the department ``name`` with its due date (what the clerk does with the mouse)."""
        n = next(i for i, u in enumerate(self._units) if u.name == name)
        self.asked[n].setChecked(True)
        self.due[n].setDate(QDate(due.year, due.month, due.day))
        self.required[n].setChecked(required)

    def payload(self) -> dict[str, Any]:
        departments = []
        for unit, ask, due, required in zip(self._units, self.asked, self.due, self.required, strict=True):
            if ask.isChecked():
                day = due.date()
                departments.append({"unit": unit.code, "name": unit.name, "required": required.isChecked(),
                                    "due": dt.date(day.year(), day.month(), day.day()).isoformat()})
        return {"departments": departments}

    def first_field(self) -> QWidget:
        return self.asked[0] if self.asked else self.ok_button


class JointOpinionDialog(ActionDialog):
    """联审意见: this department's answer, 同意 or 不同意, and its text."""

    def __init__(self, parent: QWidget | None, send: Send) -> None:
        super().__init__(parent, ActionType.JOINT_OPINION, send)
        self.verdict = QComboBox()
        for r in JOINT_RESULTS:
            self.verdict.addItem(_word(r), r)
        self.text = _text_field()
        self.form.addRow(self.tr("联审结论(&R)："), self.verdict)
        self.form.addRow(self.tr("意见内容(&T)："), self.text)
        self.verdict.setFocus()

    def payload(self) -> dict[str, Any]:
        return {"result": self.verdict.currentData(), "text": self.text.toPlainText().strip()}

    def first_field(self) -> QWidget:
        return self.text
