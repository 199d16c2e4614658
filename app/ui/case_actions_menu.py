"""The lifecycle actions of one case where the clerk meets it: a row of buttons under the case's
detail, and the context menu of its row in the case list (right-click, the Menu key, Shift+F10).

Both are built from the case desk's offers (:func:`app.services.case_desk.offered_actions`): an
action the person may not take now is shown disabled, its tooltip saying why. Taking one asks for
its fields (:mod:`app.ui.action_dialogs`), takes it in the background and tells the view which cases
changed, so the list refreshes only those rows; the detail shows itself again with the new state.
After 送达 the 送达回证 is issued and printed, and at the window the recipient signs it on the pad.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from app.core.errors import UserError
from app.core.lifecycle import ActionType
from app.services import case_desk, queries, review_desk
from app.services.case_desk import Changed, Offer
from app.services.context import AppContext
from app.ui.action_dialogs import (
    DecideDialog,
    DeliverDialog,
    FeeDialog,
    ForwardDialog,
    NotifyMissingDialog,
    PaperCheckDialog,
    RejectDialog,
    TextDialog,
)
from app.ui.after_decision import AfterDecision
from app.ui.evaluation_window import EvaluationWindow
from app.ui.joint_dialogs import JointOpinionDialog, JointReviewDialog
from app.ui.labels import action_label
from app.ui.messages import show_user_error, translated
from app.ui.opinion_dialog import ReviewOpinionDialog
from app.ui.qt import (
    QAction,
    QDialog,
    QEvent,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QMenu,
    QObject,
    QPoint,
    QPushButton,
    QShortcut,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
    isValid,
)
from app.ui.qt_print import QPrinter
from app.ui.tasks import default_failure, on_user_error, run_in_background

log = logging.getLogger("ui.case_actions")
_A = ActionType
# the Alt key of each action's button and menu entry (the intake's letters where it has the action)
MNEMONICS = {
    _A.ACCEPT: "A", _A.NOTIFY_MISSING: "M", _A.REJECT: "J", _A.START_REVIEW: "S", _A.SUSPEND: "Z",
    _A.RESUME: "H", _A.FORWARD: "U", _A.OPINION: "Y", _A.DECIDE: "D", _A.ISSUE: "I", _A.DELIVER: "T",
    _A.RECORD_FEE: "F", _A.EVALUATE: "E", _A.WITHDRAW: "W", _A.ARCHIVE: "K", _A.REVOKE_LICENCE: "X",
    _A.PAPER_CHECK: "R", _A.JOINT_REVIEW: "B", _A.JOINT_OPINION: "C",
}
# actions taken as they are, without asking for anything
NO_FIELDS = frozenset({_A.ACCEPT, _A.START_REVIEW, _A.RESUME, _A.ARCHIVE})
# who wants to hear which cases changed
Listener = Callable[[tuple[str, ...]], None]


class FieldsDialog(Protocol):
    """What :mod:`app.ui.action_dialogs`'s dialogs do once their action was taken or refused."""

    def refused(self, message: str) -> None: ...

    def done_ok(self) -> None: ...


def action_text(kind: ActionType) -> str:
    """The action's name with its Alt key: 「开始审查(&S)」."""
    return f"{action_label(kind)}(&{MNEMONICS[kind]})"


class CaseActions(QObject):
    """Takes the actions of one case for a view (the detail, the case list): asks for the fields, takes
    the action in the background, runs what follows it; ``changed(case ids)`` once it is all done."""

    changed = Signal(object)
    # what is happening now, for the clerk
    progress = Signal(str)
    # an opinion was given: the review_desk.Given (sealed or why not), before ``changed``
    opinion_given = Signal(object)

    def __init__(self, view: QWidget, ctx: AppContext, case_id: str) -> None:
        super().__init__(view)
        self._view, self._ctx, self.case_id = view, ctx, case_id
        # where notices print (None: the unit's printer; tests set Qt's PDF output)
        self.printer: QPrinter | None = None
        # the open field dialog, the evaluation screen and the steps after 送达 (also for the tests)
        self.dialog: QDialog | None = None
        self.evaluation: EvaluationWindow | None = None
        self.after: AfterDecision | None = None
        # background work started and not called back yet (the menu drops an idle desk)
        self._running = 0

    @property
    def idle(self) -> bool:
        """Nothing started here is still open or running."""
        open_windows = [w for w in (self.dialog, self.evaluation) if w is not None and isValid(w) and w.isVisible()]
        return not self._running and self.after is None and not open_windows

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None],
             failed: Callable[[BaseException], None] | None = None) -> None:
        """``fn`` in the background, counted until it is called back."""
        self._running += 1

        def ok(value: Any) -> None:
            self._running -= 1
            done(value)

        def not_ok(exc: BaseException) -> None:
            self._running -= 1
            if failed is not None:
                failed(exc)
            else:
                default_failure(self._view, "case action", exc)  # a user error in a box, a bug to the crash handler

        run_in_background(self, fn, ok, not_ok)

    def trigger(self, kind: ActionType, result: str = "同意") -> None:
        """Ask for ``kind``'s fields, then take it (at once if it has none); ``result``: the conclusion
        an opinion starts with."""
        ctx, case_id, view, send = self._ctx, self.case_id, self._view, self._sender(kind)
        if kind in NO_FIELDS:
            self._take(kind, {})
        elif kind is _A.EVALUATE:
            self._evaluate()
        elif kind is _A.NOTIFY_MISSING:
            self._run(lambda: case_desk.defects_of(ctx, case_id),
                      lambda found: self._ask(NotifyMissingDialog(view, send, *found)))
        elif kind is _A.FORWARD:
            self._run(lambda: case_desk.forward_targets(ctx), lambda units: self._ask(ForwardDialog(view, send, units)))
        elif kind is _A.RECORD_FEE:
            self._run(lambda: case_desk.fee_of(ctx, case_id), lambda fee: self._ask(FeeDialog(view, send, fee)))
        elif kind is _A.REJECT:
            self._ask(RejectDialog(view, send))
        elif kind is _A.SUSPEND:
            self._ask(TextDialog(view, kind, send, self.tr("中止计时的原因（现场踏勘、专家评审、补正…）："), "reason"))
        elif kind is _A.WITHDRAW:
            self._ask(TextDialog(view, kind, send, self.tr("撤回原因（申请人提出撤回，可不填）："), "reason"))
        elif kind is _A.ISSUE:
            self._ask(TextDialog(view, kind, send, self.tr("结果文书说明（可不填）："), "text"))
        elif kind is _A.REVOKE_LICENCE:
            prompt = self.tr("注销证照的理由（申请人申请注销、许可被撤销…）：")
            self._ask(TextDialog(view, kind, send, prompt, "reason"))
        elif kind is _A.OPINION:
            def ask_opinion(found: tuple[list[str], str]) -> None:
                self._ask(ReviewOpinionDialog(view, send, ctx, found[0], found[1], conclusion=result))

            self._run(lambda: (review_desk.material_names(ctx, case_id), review_desk.seal_refusal(ctx, case_id)),
                      ask_opinion)
        elif kind is _A.DECIDE:
            self._ask(DecideDialog(view, send))
        elif kind is _A.DELIVER:
            self._ask(DeliverDialog(view, send))
        elif kind is _A.PAPER_CHECK:
            self._ask(PaperCheckDialog(view, send))
        elif kind is _A.JOINT_REVIEW:
            self._run(lambda: case_desk.joint_departments(ctx),
                      lambda units: self._ask(JointReviewDialog(view, send, units, ctx.today())))
        elif kind is _A.JOINT_OPINION:
            self._ask(JointOpinionDialog(view, send))
        else:
            raise ValueError(f"{kind} is not taken from the case desk")

    def _sender(self, kind: ActionType) -> Callable[[dict[str, Any]], None]:
        return lambda payload: self._take(kind, payload)

    def _ask(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _fields(self) -> FieldsDialog | None:
        dialog = self.dialog
        if dialog is None or not isValid(dialog) or not dialog.isVisible():
            return None
        assert hasattr(dialog, "refused") and hasattr(dialog, "done_ok")
        return dialog  # every dialog _ask opens is one of action_dialogs'

    def _take(self, kind: ActionType, payload: dict[str, Any]) -> None:
        ctx, case_id = self._ctx, self.case_id

        def taken(changed: Changed) -> None:
            fields = self._fields()
            if fields is not None:
                fields.done_ok()
            log.info("case %s: %s taken from the case desk -> %s", changed.case_no, kind, changed.status)
            if kind is _A.DELIVER:
                self._serve(changed, payload.get("method") == "窗口自取")
            else:
                self.changed.emit(changed.case_ids)

        def refused(e: UserError) -> None:
            fields = self._fields()
            if fields is not None:
                fields.refused(e.message)  # beside the fields, the focus back in them
            else:
                show_user_error(self._view, e.message)

        def bug() -> None:
            if self.dialog is not None and isValid(self.dialog):
                self.dialog.reject()

        def given(done: review_desk.Given) -> None:
            self.opinion_given.emit(done)
            taken(done.changed)

        if kind is _A.OPINION:  # sealed onto the review sheet: the window hears whether it was
            self._run(lambda: review_desk.give_opinion(ctx, case_id, str(payload.get("result", "")),
                                                       str(payload.get("text", "")), payload.get("returns") or ()),
                      given, on_user_error(self._view, f"case action {kind}", refused, bug))
            return
        self._run(lambda: case_desk.take(ctx, case_id, kind, payload), taken,
                  on_user_error(self._view, f"case action {kind}", refused, bug))

    def _serve(self, changed: Changed, at_window: bool) -> None:
        """The 送达回证: issued, printed, and signed on the pad when the recipient is at the window."""
        after = AfterDecision(self._view, self._ctx, changed, self.printer, signed_here=at_window, rated=False)
        self.after = after
        after.progress.connect(self.progress)
        after.failed.connect(self._serve_failed)
        after.finished.connect(self._served)
        after.start()

    def _serve_failed(self, message: str) -> None:
        show_user_error(self._view, message)
        self._served()

    def _served(self) -> None:
        self.after = None
        self.progress.emit("")
        self.changed.emit((self.case_id,))

    def _evaluate(self) -> None:
        window = EvaluationWindow(self._ctx, self.case_id)
        window.evaluated.connect(self._evaluated)
        self.evaluation = window
        window.open_for_applicant()

    def _evaluated(self, _level: str) -> None:
        if isValid(self):
            self.changed.emit((self.case_id,))


class CaseActionsBar(QWidget):
    """A row of buttons under a case's detail, one per offered action; after an action the detail is
    shown again with the case as it now stands (the same place on the screen)."""

    # the buttons show the offers (for the tests, and whoever waits for them)
    offers_shown = Signal()
    # an action changed these cases (the detail's own case first)
    changed = Signal(object)

    def __init__(self, detail: QDialog, ctx: AppContext, case: dict[str, Any]) -> None:
        super().__init__(detail)
        self.setObjectName("caseActions")
        self._detail, self._ctx, self.case_id = detail, ctx, str(case["id"])
        self.desk = CaseActions(detail, ctx, self.case_id)
        self.desk.changed.connect(self._changed)
        self.buttons: dict[ActionType, QPushButton] = {}
        self.offers: list[Offer] = []
        # told of every change, here and in the detail shown after it (the main window's list); held
        # weakly, so no window is kept alive by a detail
        self.watchers: list[weakref.WeakMethod[Listener]] = []
        # put the focus on the first action that can be taken once shown (a detail shown again)
        self.focus_first = False
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addWidget(QLabel(self.tr("办理：")))
        self._row.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("caseActionsStatus")
        self.status.setWordWrap(True)
        self.desk.progress.connect(self.status.setText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(self._row)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        """Ask again what may be done (in the background)."""
        ctx, case_id = self._ctx, self.case_id
        run_in_background(self, lambda: case_desk.offered_actions(ctx, case_id), self._show)

    def _show(self, offers: list[Offer]) -> None:
        for button in self.buttons.values():
            self._row.removeWidget(button)
            button.deleteLater()
        self.buttons, self.offers = {}, offers
        for n, offer in enumerate(offers, 1):
            button = QPushButton(action_text(offer.kind), self)
            button.setObjectName(f"action_{offer.kind}")
            button.setEnabled(offer.enabled)
            button.setToolTip(translated(offer.why_not))
            button.clicked.connect(lambda _=False, k=offer.kind: self.desk.trigger(k))
            self._row.insertWidget(n, button)
            self.buttons[offer.kind] = button
        if not offers:
            self.status.setText(self.tr("该办件当前没有可办理的操作"))
        first = next((b for b in self.buttons.values() if b.isEnabled()), None)
        if self.focus_first and first is not None:
            first.setFocus()
        self.offers_shown.emit()

    def _changed(self, ids: tuple[str, ...]) -> None:
        for ref in self.watchers:
            watcher = ref()
            if watcher is not None:
                watcher(ids)
        self.changed.emit(ids)
        ctx, case_id = self._ctx, self.case_id
        run_in_background(self, lambda: queries.show_case(ctx, case_id), self._show_again)

    def _show_again(self, case: dict[str, Any]) -> None:
        """The detail again, with the case as it now stands, where the old one was."""
        old = self._detail
        if not old.isVisible():
            return  # closed meanwhile: the clerk has moved on
        detail_class: Any = type(old)  # the case's detail dialog: (case, parent, *, ctx)
        new = detail_class(case, old.parentWidget(), ctx=self._ctx)
        new.setGeometry(old.geometry())
        bar = new.findChild(CaseActionsBar)
        if bar is not None:
            bar.watchers.extend(self.watchers)
            bar.desk.printer = self.desk.printer
            bar.focus_first = True
        new.open()
        old.close()


def case_actions_bar(detail: QDialog, ctx: AppContext, case: dict[str, Any]) -> CaseActionsBar:
    """The row of action buttons for the detail ``detail`` of ``case``."""
    return CaseActionsBar(detail, ctx, case)


def watch_detail(detail: QWidget, watcher: Listener) -> None:
    """Tell ``watcher`` (a bound method, held weakly) of the cases every action taken from ``detail``, and
    from the details shown after it, changes."""
    bar = detail.findChild(CaseActionsBar)
    if bar is not None:
        bar.watchers.append(weakref.WeakMethod(watcher))


class CaseMenu(QObject):
    """The context menu of the case list's rows: right-click, the Menu key or Shift+F10 on the current row."""

    # an action changed these cases
    changed = Signal(object)
    # the menu is showing (for the tests)
    shown = Signal(object)

    def __init__(self, table: QTableView, ctx: AppContext, case_id_of: Callable[[int], str]) -> None:
        super().__init__(table)
        self._table, self._ctx, self._case_id_of = table, ctx, case_id_of
        self.menu: QMenu | None = None
        self.desk: CaseActions | None = None
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._requested)  # the mouse: a point in the viewport
        table.installEventFilter(self)  # the keyboard's context menu comes to the table itself
        self._shortcut = QShortcut(QKeySequence("Shift+F10"), table)
        self._shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._shortcut.activated.connect(self.open_at_current)

    def set_context(self, ctx: AppContext) -> None:
        """Offer and take actions as the person of ``ctx`` from now on (another person signed in)."""
        self._ctx = ctx

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._table:
            if event.type() == QEvent.Type.ContextMenu:
                self.open_at_current()
                return True
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                    and event.key() == Qt.Key.Key_Menu:
                self.open_at_current()
                return True
        return super().eventFilter(watched, event)

    def _requested(self, pos: QPoint) -> None:
        index = self._table.indexAt(pos)
        if index.isValid():
            self._table.selectRow(index.row())
            self._open(index.row(), self._table.viewport().mapToGlobal(pos))

    def open_at_current(self) -> None:
        """The menu of the selected row, under it."""
        index = self._table.currentIndex()
        if not index.isValid():
            return
        rect = self._table.visualRect(index)
        self._open(index.row(), self._table.viewport().mapToGlobal(rect.bottomLeft()))

    def _open(self, row: int, where: QPoint) -> None:
        ctx, case_id = self._ctx, self._case_id_of(row)
        run_in_background(self, lambda: case_desk.offered_actions(ctx, case_id),
                          lambda offers: self._popup(ctx, case_id, offers, where))

    def _popup(self, ctx: AppContext, case_id: str, offers: Sequence[Offer], where: QPoint) -> None:
        if self.menu is not None and isValid(self.menu):
            self.menu.close()
        if self.desk is not None and isValid(self.desk) and self.desk.idle:
            self.desk.deleteLater()  # the last menu's: nothing of it is open or running
        actions = CaseActions(self._table, ctx, case_id)
        actions.changed.connect(self.changed)
        self.desk = actions
        menu = QMenu(self._table)
        menu.setObjectName("caseMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setToolTipsVisible(True)  # a disabled entry says why
        for offer in offers:
            entry = QAction(action_text(offer.kind), menu)
            entry.setData(str(offer.kind))
            entry.setEnabled(offer.enabled)
            entry.setToolTip(translated(offer.why_not) if offer.why_not else action_label(offer.kind))
            entry.triggered.connect(lambda _=False, k=offer.kind: actions.trigger(k))
            menu.addAction(entry)
        if not offers:
            menu.addAction(self.tr("该办件当前没有可办理的操作")).setEnabled(False)
        self.menu = menu
        menu.popup(where)
        self.shown.emit(menu)
