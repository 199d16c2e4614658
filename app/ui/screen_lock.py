"""Locking the window when nobody is at it: the idle timer, and what hides the personal data.

:class:`IdleWatcher` watches the whole application's keyboard, mouse, touch and pen input and
says when there has been none for a while. :class:`ScreenLock` puts a panel in place of the
window's pages and hides its other windows (an intake, a case's details, a message) until it is
unlocked: hidden, not closed, so the work in them is still there afterwards.
"""

from __future__ import annotations

import logging

from app.ui.qt import (
    QApplication,
    QCoreApplication,
    QEvent,
    QMainWindow,
    QObject,
    QStackedWidget,
    QTimer,
    QWidget,
    Signal,
    isValid,
)

log = logging.getLogger("ui.screen_lock")

#: what counts as somebody at the window
INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.InputMethod,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress, QEvent.Type.TabletMove,
})


class IdleWatcher(QObject):
    """Emits :attr:`idle` once ``interval_ms`` pass without input anywhere in the application."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._expired)
        self._filtering = False

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    @interval_ms.setter
    def interval_ms(self, value: int) -> None:
        self._timer.setInterval(value)
        if self._timer.isActive():
            self._timer.start()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Count from now (the filter is installed only while counting: no cost while locked)."""
        app = QCoreApplication.instance()
        if not self._filtering and app is not None:
            app.installEventFilter(self)
            self._filtering = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QCoreApplication.instance()
        if self._filtering and app is not None:
            app.removeEventFilter(self)
        self._filtering = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._timer.start()
        return False

    def _expired(self) -> None:
        self.stop()
        log.info("no input for %d s", self.interval_ms // 1000)
        self.idle.emit()


class ScreenLock(QObject):
    """Shows ``panel`` instead of ``pages`` as ``window``'s central widget, and hides its other windows.

    A window of ``window`` that opens while locked (a background task's result) is hidden as it
    opens, and shown with the others at :meth:`unlock`. :meth:`allow` exempts one (the sign-in
    screen of a switch of user).
    """

    #: True when locked, False when unlocked
    changed = Signal(bool)

    def __init__(self, window: QMainWindow, pages: QWidget, panel: QWidget) -> None:
        super().__init__(window)  # the window only through Qt's parent link: no Python reference cycle
        self._pages, self._panel = pages, panel
        self._stack = QStackedWidget()
        self._stack.setObjectName("lockStack")
        self._stack.addWidget(pages)
        self._stack.addWidget(panel)
        window.setCentralWidget(self._stack)
        self._hidden: list[QWidget] = []
        self._allowed: list[QWidget] = []

    @property
    def locked(self) -> bool:
        return self._stack.currentWidget() is self._panel

    def lock(self) -> None:
        if self.locked:
            return
        while (popup := QApplication.activePopupWidget()) is not None:  # a combo's list, a menu
            popup.close()
        self._stack.setCurrentWidget(self._panel)
        for widget in self._window().findChildren(QWidget):
            if widget.isWindow() and widget.isVisible() and not self._is_allowed(widget):
                self._hide(widget)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        log.info("window locked")
        self.changed.emit(True)

    def unlock(self) -> None:
        if not self.locked:
            return
        self.stop_watching()
        self._stack.setCurrentWidget(self._pages)
        hidden, self._hidden = self._hidden, []
        for widget in hidden:
            if isValid(widget):
                widget.show()
        log.info("window unlocked")
        self.changed.emit(False)

    def stop_watching(self) -> None:
        """Stop hiding windows that open (the main window is closing)."""
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def allow(self, widget: QWidget) -> None:
        """Let ``widget`` (a window of the main window) show while locked."""
        self._allowed = [w for w in self._allowed if isValid(w)]
        self._allowed.append(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow()
                and self._belongs(watched) and not self._is_allowed(watched)):
            # Hidden after it has finished showing: hiding it halfway would leave it mapped.
            QTimer.singleShot(0, self, lambda: self._hide_late(watched))
        return False

    def _hide_late(self, widget: QWidget) -> None:
        if self.locked and isValid(widget) and widget.isVisible():
            self._hide(widget)

    def _hide(self, widget: QWidget) -> None:
        widget.hide()
        if widget not in self._hidden:
            self._hidden.append(widget)

    def forget(self, widget: QWidget) -> None:
        """Do not show ``widget`` again at :meth:`unlock` (it is being closed)."""
        self._hidden = [w for w in self._hidden if w is not widget]

    def _window(self) -> QWidget:
        window = self.parent()
        assert isinstance(window, QWidget)
        return window

    def _belongs(self, widget: QWidget) -> bool:
        return _descends(widget, self._window())

    def _is_allowed(self, widget: QWidget) -> bool:
        return any(isValid(w) and (w is widget or _descends(widget, w)) for w in self._allowed)


def _descends(widget: QWidget, ancestor: QWidget) -> bool:
    """True if ``ancestor`` is a parent of ``widget`` at any level, across windows (unlike ``isAncestorOf``)."""
    parent = widget.parentWidget()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parentWidget()
    return False
