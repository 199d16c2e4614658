"""Who is at the open window: the idle lock, unlocking with the password, and 「切换用户」.

:class:`SessionGuard` gives the main window its 锁定 and 切换用户 actions, locks it after
``signin.idle_minutes`` without input, unlocks it for the signed-in person's password (checked on
this PC as any sign-in, wrong ones counted), and shows the sign-in screen for the next person.
It decides nothing about contexts: a successful switch is announced (:attr:`switched`) and the
window takes the new person's context.
"""

from __future__ import annotations

from app.core.errors import UserError
from app.services import signed_in
from app.services.context import AppContext
from app.services.signin import Unlocked
from app.ui.labels import person_label
from app.ui.lock_panel import LockPanel
from app.ui.messages import show_user_error, user_message
from app.ui.qt import QAction, QHBoxLayout, QKeySequence, QMainWindow, QObject, Qt, QToolButton, QWidget, Signal
from app.ui.screen_lock import IdleWatcher, ScreenLock
from app.ui.signin_dialog import CheckPassword, SignInDialog
from app.ui.tasks import on_user_error, run_in_background


class SessionGuard(QObject):
    """Locks ``window`` (covering ``pages``) and hands it to the next person of ``ctx``'s folder.

    It keeps no reference to the window beyond Qt's parent link (a Python reference cycle would
    leave the window to the garbage collector, which tears it down half-gone).
    """

    #: True when the window locked (personal data hidden), False when it unlocked
    locked_changed = Signal(bool)
    #: another person signed in at the switch of user: their :class:`~app.services.signin.Unlocked`
    switched = Signal(object)

    def __init__(self, window: QMainWindow, pages: QWidget, ctx: AppContext, check: CheckPassword,
                 idle_ms: int) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._check = check
        self.lock_action = QAction(self.tr("锁定"), window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip(self.tr("离开窗口时锁定，以免他人看到申请人信息（Ctrl+L）"))
        self.lock_action.triggered.connect(self.lock)
        self.switch_user_action = QAction(self.tr("切换用户"), window)
        self.switch_user_action.setToolTip(self.tr("换另一位工作人员登录，不必关闭窗口"))
        self.switch_user_action.triggered.connect(self.switch_user)
        for action in (self.lock_action, self.switch_user_action):
            window.addAction(action)  # the shortcut works wherever the focus is in the window
        self.panel = LockPanel()
        self.screen = ScreenLock(window, pages, self.panel)  # becomes the window's central widget
        self.idle = IdleWatcher(idle_ms, self)
        #: the sign-in screen of the last switch of user (for the tests)
        self.sign_in_dialog: SignInDialog | None = None

        self.idle.idle.connect(self.lock)
        self.panel.unlock_requested.connect(self._unlock)
        self.panel.switch_requested.connect(self.switch_user)
        self.screen.changed.connect(self._changed)

    @property
    def locked(self) -> bool:
        return self.screen.locked

    def set_context(self, ctx: AppContext) -> None:
        """Guard for another signed-in person (the window's switch of user)."""
        self._ctx = ctx

    def buttons(self) -> QWidget:
        """锁定 and 切换用户 as buttons (the window puts them at the right end of its page tabs)."""
        corner = QWidget()
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 4, 0)
        for action in (self.lock_action, self.switch_user_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            row.addWidget(button)
        return corner

    def start(self) -> None:
        self.idle.start()

    def stop(self) -> None:
        """The window is closing: no more locking, nothing more hidden."""
        self.idle.stop()
        self.screen.stop_watching()

    def lock(self) -> None:
        """Hide the personal data (pages and dialogs, kept as they are) until a password is given."""
        if self.screen.locked:
            return
        self.panel.show_for(person_label(self._ctx.session))
        self.screen.lock()

    def unlock(self) -> None:
        """Show the window again (after the password, or another person's sign-in)."""
        self.panel.show_for(person_label(self._ctx.session))  # empty for the next lock
        self.screen.unlock()

    def refuse(self, message: str) -> None:
        """Say on the lock panel why the window stays locked."""
        self.panel.show_message(message)

    def forget(self, widget: QWidget) -> None:
        """``widget`` is being closed: it is not to be shown again at the unlock."""
        self.screen.forget(widget)

    def switch_user(self) -> None:
        """Lock, then let another person sign in; the window stays locked if they cancel."""
        try:
            people = signed_in.people_here(self._ctx.data_dir)
        except UserError as e:
            show_user_error(self.parent(), user_message(e))
            return
        self.lock()
        window = self.parent()
        assert isinstance(window, QWidget)
        dialog = SignInDialog(people, self._check, window, switching=True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.screen.allow(dialog)
        dialog.signed_in.connect(self.switched)
        self.sign_in_dialog = dialog
        dialog.open()

    def _changed(self, locked: bool) -> None:
        self.lock_action.setEnabled(not locked)
        self.switch_user_action.setEnabled(not locked)
        if locked:
            self.idle.stop()
        else:
            self.idle.start()
        self.locked_changed.emit(locked)

    def _unlock(self, password: str) -> None:
        check, user = self._check, self._ctx.session.user
        self.panel.set_busy(True)
        run_in_background(self, lambda: check(user, password, False), self._unlocked, self._refused)

    def _unlocked(self, unlocked: Unlocked) -> None:
        if unlocked.session.user == self._ctx.session.user:
            self.unlock()
        else:  # the person changed while the password was checked (cannot happen from the panel)
            self.panel.show_for(person_label(self._ctx.session))

    def _refused(self, exc: BaseException) -> None:
        on_user_error(self, "unlock", lambda e: self.panel.show_message(user_message(e)),
                      lambda: self.panel.set_busy(False))(exc)
