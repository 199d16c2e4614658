"""What the locked window shows in place of its pages: who is signed in, 口令, 解锁 and 切换用户."""

from __future__ import annotations

from app.ui.qt import (
    QFont,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.signin_dialog import password_and_message

BOX_WIDTH = 440


class LockPanel(QWidget):
    """Asks the signed-in person's password (:attr:`unlock_requested`), or offers 「切换用户」."""

    #: the password typed to unlock
    unlock_requested = Signal(str)
    switch_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockPanel")
        box = QFrame()
        box.setObjectName("lockBox")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setFixedWidth(BOX_WIDTH)
        title = QLabel(self.tr("窗口已锁定"))
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        self.who = QLabel()
        self.who.setObjectName("lockWho")
        self.who.setWordWrap(True)
        hint = QLabel(self.tr("为保护申请人的个人信息，窗口已锁定。正在办理的收件不会丢失，输入口令即可继续。"))
        hint.setWordWrap(True)
        self.password, self.message = password_and_message(self, "lock", self.tr("口令"))
        self.unlock_button = QPushButton(self.tr("解锁"))
        self.unlock_button.setObjectName("unlockButton")
        self.switch_button = QPushButton(self.tr("切换用户"))
        self.switch_button.setObjectName("lockSwitchUser")

        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(28, 24, 28, 20)
        inner.setSpacing(12)
        inner.addWidget(title)
        inner.addWidget(self.who)
        inner.addWidget(hint)
        inner.addWidget(self.password)
        inner.addWidget(self.message)
        inner.addLayout(buttons)
        # Centred by stretches, not by an alignment: an aligned widget gets its size hint, which
        # is too short for the wrapped hint; stretches let the layout ask for its height at this width.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(row)
        layout.addStretch(3)

        self.password.returnPressed.connect(self._unlock)
        self.unlock_button.clicked.connect(self._unlock)
        self.switch_button.clicked.connect(self.switch_requested)

    def show_for(self, person: str) -> None:
        """Start over for ``person`` (the signed-in person's label): empty password, no message."""
        self.who.setText(self.tr("当前登录：{person}").format(person=person))
        self.password.clear()
        self.message.clear()
        self.set_busy(False)
        self.password.setFocus()

    def show_message(self, text: str) -> None:
        self.set_busy(False)
        self.message.setText(text)
        self.password.clear()
        self.password.setFocus()

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setText(self.tr("正在验证…") if busy else self.tr("解锁"))
        for widget in (self.unlock_button, self.switch_button, self.password):
            widget.setEnabled(not busy)

    def _unlock(self) -> None:
        if self.unlock_button.isEnabled() and self.password.text():
            self.unlock_requested.emit(self.password.text())
