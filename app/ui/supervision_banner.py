"""The 挂号督办 notices on one case, standing out above its tabs, with 「督办回复」 for the unit they name.

Built from ``queries.show_case``'s ``supervisions``; the answer goes through
:func:`app.services.supervision.reply` (queued and synced like every action). Whether the signed-in
person may answer is the rules' to say (:func:`app.core.permissions.why_not`).
"""

from __future__ import annotations

from typing import Any

from app.core.errors import UserError
from app.core.lifecycle import ActionType, Status
from app.core.permissions import parse_role, why_not
from app.services import supervision
from app.services.context import AppContext
from app.ui.messages import translated, user_message
from app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import on_user_error, run_in_background

LATE_COLOUR = "#d32f2f"
OPEN_COLOUR = "#b71c1c"


class ReplyDialog(QDialog):
    """The text of a 督办回复."""

    def __init__(self, notice: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyDialog")
        self.setWindowTitle(self.tr("督办回复"))
        asked = QLabel(self.tr("督办内容：{text}").format(text=notice["text"]))
        asked.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("replyText")
        self.text.setPlaceholderText(self.tr("说明超期原因和办理安排"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("提交回复"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(asked)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)


class SupervisionBanner(QFrame):
    """The unanswered notices of a case (and 「督办回复…」 where this unit must answer)."""

    #: An answer was recorded (queued for sync).
    replied = Signal()

    def __init__(self, case: dict[str, Any], ctx: AppContext | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisionBanner")
        self._case, self._ctx = case, ctx
        self.dialog: ReplyDialog | None = None
        self.setStyleSheet("#supervisionBanner { border: 2px solid #d32f2f; background: #fdecea; }")
        layout = QVBoxLayout(self)
        self.buttons: dict[str, QPushButton] = {}
        self.note = QLabel()
        self.note.hide()
        for notice in case.get("supervisions", ()):
            if notice["answered"]:
                continue
            row = QHBoxLayout()
            late = self.tr("，已逾期") if notice["late"] else ""
            label = QLabel(self.tr("挂号督办（{unit}）：{text}　请于 {due} 前回复{late}").format(
                unit=notice["unit_name"] or notice["unit"], text=notice["text"], due=notice["answer_due"], late=late))
            label.setWordWrap(True)
            label.setStyleSheet(f"color: {LATE_COLOUR if notice['late'] else OPEN_COLOUR}; font-weight: bold;")
            row.addWidget(label, 1)
            why = self._why_not(notice)
            button = QPushButton(self.tr("督办回复…"))
            button.setObjectName("replyButton")
            button.setEnabled(not why)
            button.setToolTip(translated(why) if why else self.tr("回复督办单位"))
            button.clicked.connect(lambda _checked=False, n=notice: self.open_reply(n))
            self.buttons[notice["id"]] = button
            row.addWidget(button)
            layout.addLayout(row)
        layout.addWidget(self.note)

    @property
    def waiting(self) -> int:
        """How many notices on the case wait for an answer."""
        return len(self.buttons)

    def _why_not(self, notice: dict[str, Any]) -> str:
        ctx = self._ctx
        if ctx is None:
            return self.tr("只读")
        if notice["to"] != ctx.settings.get("unit.org"):
            return self.tr("该督办通知发给{unit}，由其回复").format(unit=notice["to_name"] or notice["to"])
        return why_not(parse_role(ctx.session.role), ActionType.SUPERVISION_REPLY, Status(self._case["status"])) or ""

    def open_reply(self, notice: dict[str, Any]) -> None:
        self.dialog = ReplyDialog(notice, self)
        self.dialog.accepted.connect(lambda: self._send(notice))
        self.dialog.open()

    def _send(self, notice: dict[str, Any]) -> None:
        assert self.dialog is not None and self._ctx is not None
        ctx, text, case_id = self._ctx, self.dialog.text.toPlainText(), self._case["id"]
        button = self.buttons[notice["id"]]
        button.setEnabled(False)
        run_in_background(self, lambda: supervision.reply(ctx, case_id, notice["id"], text),
                          lambda _result: self._done(),
                          on_user_error(self, "supervision reply", lambda e: self._refused(button, e)))

    def _done(self) -> None:
        self.note.setText(self.tr("已回复，同步后督办单位即可看到"))
        self.note.show()
        self.replied.emit()

    def _refused(self, button: QPushButton, e: UserError) -> None:
        button.setEnabled(True)
        self.note.setText(user_message(e))
        self.note.show()
