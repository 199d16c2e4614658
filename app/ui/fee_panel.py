"""The fee form of the intake screen (收费): amount in yuan, basis (from the catalogue), order number.

It records nothing itself: it checks what was typed (the rules of :mod:`app.core.fees`) and emits
``entered(amount_fen, basis, reference)``; the intake screen records it with the case
(:func:`app.services.fees.record_fee`). An item without a fee shows 「本事项不收费」 and no form.
"""

from __future__ import annotations

from app.core.catalog import Fee
from app.core.errors import UserError
from app.core.fees import fee_payload, parse_yuan
from app.ui.messages import user_message
from app.ui.qt import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget, Signal


class FeePanel(QWidget):
    """Amount, basis and the 公共支付平台 order number of one payment."""

    entered = Signal(int, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feePanel")
        self.standard = QLabel("", self)
        self.standard.setWordWrap(True)
        self.form = QWidget(self)
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        self.amount = QLineEdit(self.form)
        self.amount.setPlaceholderText(self.tr("如 80 或 80.50"))
        self.basis = QLineEdit(self.form)
        self.reference = QLineEdit(self.form)
        self.reference.setPlaceholderText(self.tr("公共支付平台订单号"))
        self.reference.setMaxLength(40)
        form.addRow(self.tr("金额（元）(&M)"), self.amount)
        form.addRow(self.tr("收费依据(&B)"), self.basis)
        form.addRow(self.tr("缴费单号(&R)"), self.reference)
        self.message = QLabel("", self.form)
        self.message.setObjectName("feeMessage")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        self.record = QPushButton(self.tr("登记缴费(&F)"), self.form)
        self.record.clicked.connect(self.submit)
        form.addRow(self.record)
        for field in (self.amount, self.basis, self.reference):
            field.textEdited.connect(lambda _=None: self.message.setText(""))
        self.reference.returnPressed.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.standard)
        layout.addWidget(self.form)
        self.show_fee(None)

    def show_fee(self, fee: Fee | None) -> None:
        """The item's fee from the catalogue: pre-fills the basis; None or a free item hides the form."""
        charged = fee is not None and fee.charged
        self.form.setVisible(charged)
        if fee is None or not charged:
            self.standard.setText(self.tr("本事项不收费"))
            return
        self.standard.setText(self.tr("收费标准：{amount}").format(amount=fee.amount))
        self.basis.setText(fee.basis)
        self.amount.clear()
        self.reference.clear()

    def submit(self) -> None:
        """Check what was typed; emit it, or say under the form what is wrong."""
        try:
            fen = parse_yuan(self.amount.text())
            payload = fee_payload(fen, self.basis.text(), self.reference.text())
        except UserError as e:
            self.message.setText(user_message(e))
            return
        self.message.setText("")
        self.entered.emit(payload["amount_fen"], payload["basis"], payload["reference"])
