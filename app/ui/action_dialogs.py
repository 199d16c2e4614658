"""What each lifecycle action asks for before it is taken: a reason, the missing materials, the unit
to report to (by name), the decision, the delivery and its number, a fee.

Every dialog here stays open while its action is taken in the background: ``send(payload)`` hands
the fields over, :meth:`refused` shows the rules' answer beside them (the clerk corrects and tries
again, the focus back in the first field) and :meth:`done` closes it. The fields are not judged
here: the rules (:mod:`app.core.lifecycle`) refuse what is missing, in their own words. 「取消」 is
never the default button, so Enter never cancels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.core.catalog import Fee
from app.core.lifecycle import DELIVERY_DETAILS, DELIVERY_METHODS, PAPER_CHECK_RESULTS, ActionType
from app.services.case_desk import Unit
from app.services.counter import Defect, missing_payload
from app.ui.decision_dialogs import DefectsDialog, ReasonDialog
from app.ui.fee_panel import FeePanel
from app.ui.labels import action_label
from app.ui.qt import (
    QT_TRANSLATE_NOOP,
    QButtonGroup,
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

# hands an action's fields to whoever takes it (in the background)
Send = Callable[[dict[str, Any]], None]
ERROR_STYLE = "color: #b3261e"

# The delivery methods and opinion results are the domain's words (app.core.lifecycle); listed for lupdate.
WORDS = (
    QT_TRANSLATE_NOOP("ActionDialog", "窗口自取"),
    QT_TRANSLATE_NOOP("ActionDialog", "邮寄"),
    QT_TRANSLATE_NOOP("ActionDialog", "自助终端"),
    QT_TRANSLATE_NOOP("ActionDialog", "同意"),
    QT_TRANSLATE_NOOP("ActionDialog", "退回"),
    QT_TRANSLATE_NOOP("ActionDialog", "不同意"),
    QT_TRANSLATE_NOOP("ActionDialog", "属实"),
    QT_TRANSLATE_NOOP("ActionDialog", "不属实"),
)


def _word(text: str) -> str:
    return QCoreApplication.translate("ActionDialog", text)


def guard_cancel(buttons: QDialogButtonBox) -> None:
    """The rejecting button of ``buttons`` never becomes the default: Enter on it confirms instead."""
    for button in buttons.buttons():
        if buttons.buttonRole(button) is QDialogButtonBox.ButtonRole.RejectRole and isinstance(button, QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)


def _text_field() -> QPlainTextEdit:
    field = QPlainTextEdit()
    field.setTabChangesFocus(True)  # Tab moves on to the buttons, as in a form
    field.setMaximumHeight(120)
    return field


class ActionDialog(QDialog):
    """One action's fields, a button named after the action and 「取消」."""

    def __init__(self, parent: QWidget | None, kind: ActionType, send: Send) -> None:
        super().__init__(parent)
        self.setObjectName("actionDialog")
        self.kind, self._send = kind, send
        self.setWindowTitle(action_label(kind))
        self.form = QFormLayout()
        self.message = QLabel()
        self.message.setObjectName("actionMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("{action}(&O)").format(action=action_label(kind)))
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("取消"))
        guard_cancel(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def payload(self) -> dict[str, Any]:
        """The fields as the action's payload."""
        return {}

    def first_field(self) -> QWidget:
        return self.ok_button

    def accept(self) -> None:  # Enter anywhere in the dialog: take the action, do not just close
        self.submit()

    def submit(self) -> None:
        self.message.setText("")
        self.ok_button.setEnabled(False)
        self._send(self.payload())

    def refused(self, message: str) -> None:
        """The action was refused: say why beside the fields, and put the clerk back in them."""
        self.message.setText(message)
        self.ok_button.setEnabled(True)
        self.first_field().setFocus()

    def done_ok(self) -> None:
        """The action was taken: close."""
        super().accept()


class TextDialog(ActionDialog):
    """One text: the reason of 中止计时 or 撤回, the note of 出件."""

    def __init__(self, parent: QWidget | None, kind: ActionType, send: Send, prompt: str, key: str) -> None:
        super().__init__(parent, kind, send)
        self._key = key
        self.text = _text_field()
        self.form.addRow(QLabel(prompt))
        self.form.addRow(self.text)
        self.text.setFocus()

    def payload(self) -> dict[str, Any]:
        text = self.text.toPlainText().strip()
        return {self._key: text} if text else {}

    def first_field(self) -> QWidget:
        return self.text


class ForwardDialog(ActionDialog):
    """上报: the unit chosen by its name, and this unit's opinion."""

    def __init__(self, parent: QWidget | None, send: Send, units: Sequence[Unit]) -> None:
        super().__init__(parent, ActionType.FORWARD, send)
        self.unit = QComboBox()
        for u in units:
            self.unit.addItem(u.name, u.code)
        self.text = _text_field()
        self.form.addRow(self.tr("上报至(&U)："), self.unit)
        self.form.addRow(self.tr("本级意见(&T)："), self.text)
        self.unit.setFocus()

    def payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"to": self.unit.currentData() or ""}
        if self.text.toPlainText().strip():
            out["text"] = self.text.toPlainText().strip()
        return out

    def first_field(self) -> QWidget:
        return self.unit


class DecideDialog(ActionDialog):
    """作出决定: 准予 or 不予, with the reason a denial must give."""

    def __init__(self, parent: QWidget | None, send: Send) -> None:
        super().__init__(parent, ActionType.DECIDE, send)
        self.approve = QRadioButton(self.tr("准予(&Y)"))
        self.deny = QRadioButton(self.tr("不予(&N)"))
        self.approve.setChecked(True)
        self._group = QButtonGroup(self)
        for b in (self.approve, self.deny):
            self._group.addButton(b)
        row = QWidget()
        line = QVBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.approve)
        line.addWidget(self.deny)
        self.text = _text_field()
        self.form.addRow(self.tr("决定："), row)
        self.form.addRow(self.tr("理由或说明(&T)："), self.text)
        self.approve.setFocus()

    def payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"result": "准予" if self.approve.isChecked() else "不予"}
        if self.text.toPlainText().strip():
            out["text"] = self.text.toPlainText().strip()
        return out

    def first_field(self) -> QWidget:
        return self.text if self.deny.isChecked() else self.approve


class PaperCheckDialog(ActionDialog):
    """核查结果 of a 告知承诺 case's paper materials: 属实 or 不属实, and what the check found."""

    def __init__(self, parent: QWidget | None, send: Send) -> None:
        super().__init__(parent, ActionType.PAPER_CHECK, send)
        self.verdict = QComboBox()
        for r in PAPER_CHECK_RESULTS:
            self.verdict.addItem(_word(r), r)
        self.text = _text_field()
        self.form.addRow(self.tr("核查结果(&R)："), self.verdict)
        self.form.addRow(self.tr("核查情况（不属实时必填）(&T)："), self.text)
        self.verdict.setFocus()

    def payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"result": self.verdict.currentData()}
        if self.text.toPlainText().strip():
            out["text"] = self.text.toPlainText().strip()
        return out

    def first_field(self) -> QWidget:
        return self.text


class DeliverDialog(ActionDialog):
    """送达: how the result goes to the applicant, and the mail's tracking number or the terminal's pick-up code."""

    def __init__(self, parent: QWidget | None, send: Send) -> None:
        super().__init__(parent, ActionType.DELIVER, send)
        self.method = QComboBox()
        for m in DELIVERY_METHODS:
            self.method.addItem(_word(m), m)
        self.number = QLineEdit()
        self.number.setMaxLength(40)
        self.number_label = QLabel()
        self.number_label.setBuddy(self.number)
        self.form.addRow(self.tr("送达方式(&M)："), self.method)
        self.form.addRow(self.number_label, self.number)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.form.addRow(self.hint)
        self.method.currentIndexChanged.connect(self._method_changed)
        self._method_changed()
        self.method.setFocus()

    def _method_changed(self) -> None:
        method = self.method.currentData()
        needs = method in DELIVERY_DETAILS
        self.number_label.setText(self.tr("邮寄单号(&N)：") if method == "邮寄" else self.tr("取件码(&N)："))
        self.number_label.setVisible(needs)
        self.number.setVisible(needs)
        self.hint.setText(self.tr("送达后请受送达人在签名板上签收送达回证") if method == "窗口自取"
                          else self.tr("送达回证将打印出来，随结果交付"))
        self.message.setText("")

    def payload(self) -> dict[str, Any]:
        method = self.method.currentData()
        out: dict[str, Any] = {"method": method}
        if method in DELIVERY_DETAILS:
            out[DELIVERY_DETAILS[method][0]] = self.number.text().strip()
        return out

    def first_field(self) -> QWidget:
        return self.number if self.number.isVisible() else self.method


class FeeDialog(ActionDialog):
    """登记缴费: the intake's fee form, for a payment made after the case was received."""

    def __init__(self, parent: QWidget | None, send: Send, fee: Fee | None) -> None:
        super().__init__(parent, ActionType.RECORD_FEE, send)
        self.panel = FeePanel(self)
        self.panel.record.hide()  # the dialog's own button records it
        self.panel.show_fee(fee)
        self.panel.entered.connect(self._entered)
        self.form.addRow(self.panel)
        self.panel.amount.setFocus()

    def submit(self) -> None:
        self.message.setText("")
        self.panel.submit()  # checks what was typed; emits ``entered`` when it holds

    def _entered(self, fen: int, basis: str, reference: str) -> None:
        self.ok_button.setEnabled(False)
        self._send({"amount_fen": fen, "basis": basis, "reference": reference})

    def first_field(self) -> QWidget:
        return self.panel.amount


class RejectDialog(ReasonDialog):
    """不予受理 from the case desk: the counter's reason dialog, taken in the background."""

    def __init__(self, parent: QWidget | None, send: Send) -> None:
        super().__init__(parent)
        self._send = send
        self.buttons = self.findChild(QDialogButtonBox)
        assert self.buttons is not None
        guard_cancel(self.buttons)

    def accept(self) -> None:  # the reason dialog calls this once a reason is written
        self._send({"reason": self.reason()})

    def refused(self, message: str) -> None:
        self.message.setText(message)
        self.text.setFocus()

    def done_ok(self) -> None:
        QDialog.accept(self)


class NotifyMissingDialog(DefectsDialog):
    """一次性告知 from the case desk: the counter's list of defects, pre-filled from the checklist."""

    def __init__(self, parent: QWidget | None, send: Send, defects: Sequence[Defect], materials: Sequence[str]) -> None:
        super().__init__(parent, defects, materials)
        self._send = send
        self.buttons = self.findChild(QDialogButtonBox)
        assert self.buttons is not None
        guard_cancel(self.buttons)

    def accept(self) -> None:  # the defects dialog calls this once a material is listed
        self._send(missing_payload(self.defects()))

    def refused(self, message: str) -> None:
        self.message.setText(message)
        self.table.setFocus()

    def done_ok(self) -> None:
        QDialog.accept(self)
