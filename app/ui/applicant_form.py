"""The applicant on the intake screen: a person (from the ID card or typed) or an organisation.

Every field is checked as it is typed (:func:`app.core.applicants.field_problem`): a prefix
that can still become valid passes, and the whole value is checked when the clerk leaves the
field. What is wrong shows under the form in red, never in a message box.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.core.applicants import field_problem
from app.ui.messages import translated
from app.ui.qt import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)

ERROR_STYLE = "color: #b3261e"
WARNING_STYLE = "color: #8a5300"


class ApplicantForm(QWidget):
    """Person or organisation fields; :meth:`fields` gives them as a draft keeps them."""

    #: a field changed (typed, or filled from the card)
    edited = Signal()

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.person_radio = QRadioButton(self.tr("个人(&P)"))
        self.org_radio = QRadioButton(self.tr("单位(&O)"))
        self.person_radio.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.person_radio)
        kinds.addButton(self.org_radio)
        self.read_card_button = QPushButton(self.tr("读身份证(&R)"))
        self.read_card_button.setAutoDefault(False)

        self.name, self.id_number, self.phone, self.address = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.name.setObjectName("applicantName")
        self.id_number.setMaxLength(18)
        self.phone.setMaxLength(24)
        self.card_details = QLabel()  # sex, birth date, validity: from the card only
        self.card_details.setObjectName("cardDetails")
        person = QFormLayout()
        person.addRow(self._label(self.tr("姓名(&N)："), self.name), self.name)
        person.addRow(self._label(self.tr("身份证号(&I)："), self.id_number), self.id_number)
        person.addRow(self._label(self.tr("联系电话(&T)："), self.phone), self.phone)
        person.addRow(self._label(self.tr("住址(&D)："), self.address), self.address)
        person.addRow("", self.card_details)
        person_page = QWidget()
        person_page.setLayout(person)

        self.org_name, self.credit_code = QLineEdit(), QLineEdit()
        self.legal_rep_name, self.legal_rep_id_number = QLineEdit(), QLineEdit()
        self.org_phone = QLineEdit()
        self.credit_code.setMaxLength(18)
        self.legal_rep_id_number.setMaxLength(18)
        org = QFormLayout()
        org.addRow(self._label(self.tr("单位名称："), self.org_name), self.org_name)
        org.addRow(self._label(self.tr("统一社会信用代码："), self.credit_code), self.credit_code)
        org.addRow(self._label(self.tr("法定代表人："), self.legal_rep_name), self.legal_rep_name)
        org.addRow(self._label(self.tr("法定代表人身份证号："), self.legal_rep_id_number), self.legal_rep_id_number)
        org.addRow(self._label(self.tr("联系电话："), self.org_phone), self.org_phone)
        org_page = QWidget()
        org_page.setLayout(org)

        self.pages = QStackedWidget()
        self.pages.addWidget(person_page)
        self.pages.addWidget(org_page)
        self.problem = QLabel()
        self.problem.setObjectName("applicantProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)

        top = QHBoxLayout()
        top.addWidget(self.person_radio)
        top.addWidget(self.org_radio)
        top.addStretch(1)
        top.addWidget(self.read_card_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.pages)
        layout.addWidget(self.problem)

        self._checked = {"id_number": self.id_number, "phone": self.phone, "credit_code": self.credit_code,
                         "legal_rep_id_number": self.legal_rep_id_number, "org_phone": self.org_phone}
        self._problems: dict[str, str] = {}
        self._card: dict[str, str] = {}
        self.org_radio.toggled.connect(self._kind_changed)
        for name, edit in self._all_edits().items():
            edit.textEdited.connect(lambda _text, n=name: self._typed(n, complete=False))
            edit.editingFinished.connect(lambda n=name: self._typed(n, complete=True))

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _all_edits(self) -> dict[str, QLineEdit]:
        return {"name": self.name, "id_number": self.id_number, "phone": self.phone, "address": self.address,
                "org_name": self.org_name, "credit_code": self.credit_code, "legal_rep_name": self.legal_rep_name,
                "legal_rep_id_number": self.legal_rep_id_number, "org_phone": self.org_phone}

    # -- what the draft keeps --------------------------------------------------------------------

    def is_org(self) -> bool:
        return bool(self.org_radio.isChecked())

    def fields(self) -> dict[str, str]:
        if self.is_org():
            return {"kind": "org", "name": self.org_name.text(), "credit_code": self.credit_code.text(),
                    "legal_rep_name": self.legal_rep_name.text(),
                    "legal_rep_id_number": self.legal_rep_id_number.text(), "phone": self.org_phone.text()}
        out = {"kind": "person", "name": self.name.text(), "id_type": "resident_id",
               "id_number": self.id_number.text(), "phone": self.phone.text(), "address": self.address.text()}
        return {**out, **self._card}

    def set_fields(self, fields: dict[str, str]) -> None:
        """Show a draft's fields again (nothing is re-saved until the clerk types)."""
        org = fields.get("kind") == "org"
        self.org_radio.setChecked(org)
        self.person_radio.setChecked(not org)
        if org:
            pairs = {"org_name": "name", "credit_code": "credit_code", "legal_rep_name": "legal_rep_name",
                     "legal_rep_id_number": "legal_rep_id_number", "org_phone": "phone"}
        else:
            pairs = {"name": "name", "id_number": "id_number", "phone": "phone", "address": "address"}
            self._card = {k: fields[k] for k in ("sex", "birth_date", "valid_until") if fields.get(k)}
            self._show_card()
        edits = self._all_edits()
        for edit_name, key in pairs.items():
            edits[edit_name].setText(fields.get(key, ""))
        for name in self._checked:
            self._check(name, complete=True)
        self._show_problem()

    def fill_from_card(self, card: dict[str, Any]) -> str:
        """The card's fields into the form; returns a warning to show ("" if none)."""
        self.person_radio.setChecked(True)
        self.name.setText(str(card.get("name", "")))
        self.id_number.setText(str(card.get("id_number", "")))
        self.address.setText(str(card.get("address", "")))
        self._card = {"sex": str(card.get("sex", "")), "birth_date": str(card.get("birth", "")),
                      "valid_until": str(card.get("valid_to", ""))}
        self._show_card()
        self._check("id_number", complete=True)
        self._show_problem()
        self.edited.emit()
        self.phone.setFocus()  # the card has no phone: the one thing left to type
        if card.get("expired"):
            return self.tr("注意：该身份证已于 {date} 过期，请申请人出示有效证件").format(date=card.get("valid_to", ""))
        return ""

    def problems(self) -> dict[str, str]:
        """The fields that are wrong now (checked whole), by field name."""
        for name in self._checked:
            self._check(name, complete=True)
        self._show_problem()
        return dict(self._problems)

    def first_problem_field(self) -> QLineEdit | None:
        edits = self._all_edits()
        for name in self._problems:
            return edits[name]
        return None

    # -- checking as typed -------------------------------------------------------------------------

    def _typed(self, name: str, *, complete: bool) -> None:
        if name in self._checked:
            self._check(name, complete=complete)
            self._show_problem()
        if not complete:
            if name in ("name", "id_number") and self._card:
                self._card = {}  # typed over the card's data: its details no longer apply
                self._show_card()
            self.edited.emit()

    def _check(self, name: str, *, complete: bool) -> None:
        edit = self._all_edits()[name]
        field = "phone" if name == "org_phone" else name
        problem = field_problem(field, edit.text(), self._today, complete=complete)
        if problem:
            self._problems[name] = problem
        else:
            self._problems.pop(name, None)
        edit.setStyleSheet("border: 1px solid #b3261e" if problem else "")

    def _show_problem(self) -> None:
        visible = {n: p for n, p in self._problems.items()
                   if (n in ("credit_code", "legal_rep_id_number", "org_phone")) == self.is_org()}
        self.problem.setText("；".join(translated(p) for p in visible.values()))

    def _show_card(self) -> None:
        c = self._card
        self.card_details.setText(self.tr("性别 {sex}　出生 {birth}　有效期至 {until}").format(
            sex=c.get("sex", ""), birth=c.get("birth_date", ""), until=c.get("valid_until", "")) if c else "")

    def _kind_changed(self, org: bool) -> None:
        self.pages.setCurrentIndex(1 if org else 0)
        self._show_problem()
        self.edited.emit()
