"""The sign-in screen: 用户名 (the people who have signed in on this PC, or a new name), 口令, 登录.

The window opens on it, and 「切换用户」 shows it again. The password is checked in the
background (an online sign-in waits on the platform); what went wrong — a wrong password and
the attempts left, a lock-out, an offline period that is over — is said on the screen itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from app.core.errors import UserError
from app.services import signin
from app.services.context import local_now
from app.services.signed_in import People
from app.services.signin import Unlocked
from app.ui.messages import user_message
from app.ui.qt import (
    QComboBox,
    QDialog,
    QFont,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import Task, on_user_error, run_in_background

#: ``(user, password, prefer_online) -> Unlocked``: :func:`app.services.signin.sign_in` on one data
#: folder (SignInRefused, a UserError, when the answer is no). Passed in, so the demo can keep
#: its throwaway platform's tokens in memory.
CheckPassword = Callable[[str, str, bool], Unlocked]
ERROR_STYLE = "color: #b3261e"


def password_and_message(parent: QWidget, name: str, placeholder: str) -> tuple[QLineEdit, QLabel]:
    """A password field and the line under it for what went wrong (named ``<name>Password``/``Message``)."""
    password = QLineEdit(parent)
    password.setObjectName(f"{name}Password")
    password.setEchoMode(QLineEdit.EchoMode.Password)
    password.setPlaceholderText(placeholder)
    message = QLabel(parent)
    message.setObjectName(f"{name}Message")
    message.setWordWrap(True)
    message.setStyleSheet(ERROR_STYLE)
    return password, message


def password_check(data_dir: Path, clock: Callable[[], dt.datetime] = local_now) -> CheckPassword:
    """The real check: :func:`app.services.signin.sign_in` on ``data_dir``."""

    def check(user: str, password: str, prefer_online: bool) -> Unlocked:
        return signin.sign_in(data_dir, user, password, clock=clock, prefer_online=prefer_online)

    return check


class SignInDialog(QDialog):
    """Asks who is at the window and their password; :attr:`signed_in` carries the :class:`Unlocked`."""

    #: the password was right: the :class:`~app.services.signin.Unlocked` (then the dialog closes)
    signed_in = Signal(object)
    #: a sign-in was refused; its words are in :attr:`message`
    refused = Signal()

    def __init__(self, people: People, check: CheckPassword, parent: QWidget | None = None, *,
                 switching: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("切换用户") if switching else self.tr("窗口 — 登录"))
        self.setMinimumWidth(420)
        self._check = check
        self._task: Task[Unlocked] | None = None
        #: the sign-in that succeeded (None until then)
        self.unlocked: Unlocked | None = None

        heading = QLabel(self.tr("请换人登录") if switching else self.tr("政务服务受理 — 请登录"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        self.user = QComboBox()
        self.user.setObjectName("signInUser")
        self.user.setEditable(True)
        self.user.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for person in people.people:
            self.user.addItem(self.tr("{name}（{user}）").format(name=person.name, user=person.user), person.user)
        line = self.user.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("用户名"))
        if not switching and people.last_user:
            index = self.user.findData(people.last_user)
            if index >= 0:
                self.user.setCurrentIndex(index)
            else:
                self.user.setEditText(people.last_user)
        else:
            self.user.setCurrentIndex(-1)  # the next person picks themselves
        self.password, self.message = password_and_message(self, "signIn", self.tr("口令"))
        self.sign_in_button = QPushButton(self.tr("登录"))
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))

        form = QFormLayout()
        form.addRow(self.tr("用户名："), self.user)
        form.addRow(self.tr("口令："), self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.sign_in_button.clicked.connect(self.sign_in)
        self.cancel_button.clicked.connect(self.reject)
        (self.password if self.user.currentText() else self.user).setFocus()

    @property
    def user_id(self) -> str:
        """The account typed or picked (a picked entry shows the name, and stands for its account)."""
        text = self.user.currentText().strip()
        index = self.user.findText(text)
        return str(self.user.itemData(index)) if index >= 0 else text

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done

    def sign_in(self) -> None:
        """Check the password in the background (Enter in either field does this too)."""
        if self.busy:
            return
        user, password = self.user_id, self.password.text()
        if not user:
            self.user.setFocus()
            return
        if not password:
            self.password.setFocus()
            return
        self._set_busy(True)
        self.message.clear()
        check = self._check
        self._task = run_in_background(self, lambda: check(user, password, True), self._signed_in, self._failed)

    def done(self, result: int) -> None:
        if self._task is not None:  # closed while the check runs: its answer is for nobody
            self._task.cancel()
        super().done(result)

    def _signed_in(self, unlocked: Unlocked) -> None:
        self._task = None
        self.unlocked = unlocked
        self.password.clear()
        self.signed_in.emit(unlocked)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self._set_busy(False)
        self.password.clear()
        self.password.setFocus()
        on_user_error(self, "sign-in", self._refused)(exc)

    def _refused(self, exc: UserError) -> None:
        self.message.setText(user_message(exc))
        self.refused.emit()

    def _set_busy(self, busy: bool) -> None:
        self.sign_in_button.setText(self.tr("正在登录…") if busy else self.tr("登录"))
        for widget in (self.sign_in_button, self.user, self.password):
            widget.setEnabled(not busy)
