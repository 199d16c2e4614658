"""The main window: search box, status filter, the case list and a status bar with counts.

It also holds who is signed in: the status bar names them, the window locks itself when
nobody has touched it for ``signin.idle_minutes``, and 「切换用户」 lets the next person sign in
without closing it (:meth:`MainWindow.set_context` hands every part the new person's context).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Sequence
from typing import Any

from app.core.case_list import DEFAULT_SORT, CaseFilter, Sort, SortKey
from app.core.errors import UserError
from app.core.permissions import Role, parse_role
from app.services import audit, case_actions, drafts, queries, signed_in, sync_run
from app.services.context import AppContext
from app.services.signin import Unlocked
from app.ui.case_actions_menu import CaseMenu, watch_detail
from app.ui.case_detail import CaseDetailDialog, awaits_review
from app.ui.case_filters import CaseFilterBar
from app.ui.case_model import SORT_KEYS, CaseTableModel, Column
from app.ui.devices_page import DevicesPage
from app.ui.figures_page import FiguresPage
from app.ui.intake_dialog import IntakeDialog
from app.ui.labels import person_label
from app.ui.messages import user_message
from app.ui.qt import (
    QAbstractItemView,
    QAction,
    QCloseEvent,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QModelIndex,
    QPushButton,
    QShortcut,
    Qt,
    QTableView,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    isValid,
)
from app.ui.review_view import ReviewView
from app.ui.session_guard import SessionGuard
from app.ui.signin_dialog import CheckPassword, password_check
from app.ui.supervision_page import SupervisionPage
from app.ui.sync_status import SyncEngine, SyncStatusBar
from app.ui.tasks import Pool, Task, run_in_background

log = logging.getLogger("ui.main_window")
SEARCH_DELAY_MS = 250
CELL_PADDING = 20


class MainWindow(QMainWindow):
    """The clerk's window over one :class:`AppContext` (passed in, never global).

    ``check_password`` checks a password for the lock and the switch of user (the real sign-in on
    the context's folder by default); ``idle_ms`` overrides ``signin.idle_minutes`` (tests).
    """

    #: A list of ids is in the table (after start-up, a search or a filter change).
    list_loaded = Signal()
    #: The status bar's 临近/超期 counts match the shown list.
    summary_updated = Signal()
    #: Another person signed in: the new :class:`AppContext`, for every part that holds one.
    context_changed = Signal(object)
    #: The list was turned to the reviewer's queue (待我审查) for the person signed in.
    queue_shown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 check_password: CheckPassword | None = None, idle_ms: int | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._idle_ms = idle_ms
        #: contexts opened on a switch of user (a store of their own): closed by release_contexts
        self._opened: list[AppContext] = []
        self._generation = 0
        self._search_task: Task[list[str]] | None = None
        self._counts: queries.LightCounts | None = None
        #: the list's order: kept for the whole session (a search, a filter, a switch of user)
        self._sort: Sort = DEFAULT_SORT
        self.model = CaseTableModel(functools.partial(queries.case_rows, ctx), self)
        self._show_title()

        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText(self.tr("受理编号、姓名、事项或证件号码"))
        self.search_box.setToolTip(self.tr("按受理编号、申请人姓名、事项名称搜索；"
                                           "输入完整的身份证号码或统一社会信用代码，查找该申请人的办件"))
        self.search_box.setClearButtonEnabled(True)
        self.filters = CaseFilterBar()
        self.status_filter = self.filters.status
        self.table = self._make_table()
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.who = QLabel()
        self.who.setObjectName("signedIn")
        self.who.setContentsMargins(0, 0, 16, 0)
        self.statusBar().addWidget(self.who)
        self.statusBar().addWidget(self.summary, 1)
        self.sync_engine = SyncEngine(ctx, self)
        self.sync_status = SyncStatusBar(ctx, self.sync_engine)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.sync_engine.finished.connect(self._after_sync)

        self.intake_button = QPushButton(self.tr("收件"))
        self.intake_button.setToolTip(self.tr("新建办件：读身份证、扫描材料、收件（Ctrl+N）"))
        self.intake_button.clicked.connect(self.new_intake)
        #: the signed-in person's unfinished intakes (a crash, a closed screen): offered here
        self.drafts_button = QPushButton()
        self.drafts_button.setObjectName("draftsButton")
        self.drafts_button.setStyleSheet("color: #8a5300")
        self.drafts_button.hide()
        self.drafts_menu = QMenu(self)
        self.drafts_menu.triggered.connect(self._draft_chosen)  # bound methods only: no reference cycle
        self.drafts_button.setMenu(self.drafts_menu)
        top = QHBoxLayout()
        top.addWidget(self.intake_button)
        top.addWidget(self.drafts_button)
        top.addSpacing(12)
        find_label = QLabel(self.tr("查找(&F)"))
        find_label.setBuddy(self.search_box)
        top.addWidget(find_label)
        top.addWidget(self.search_box, 1)
        # The filters take a row of their own: beside the search box and the drafts button they
        # squeezed the search box to nothing at 1024 px (and in English).
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filters)
        filter_row.addStretch(1)
        cases_page = QWidget()
        layout = QVBoxLayout(cases_page)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(top)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        self.devices_page = DevicesPage(ctx)
        self.devices_page.context_updated.connect(self.set_context)  # a device chosen: a new setting
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pages")
        self.tabs.addTab(cases_page, self.tr("办件"))
        self.tabs.addTab(self.devices_page, self.tr("设备"))
        #: 效能监察: shown to supervisors only
        self.supervision_page = SupervisionPage(ctx)
        self.tabs.addTab(self.supervision_page, self.tr("效能监察"))
        self.figures_page = FiguresPage(ctx)
        self.tabs.addTab(self.figures_page, self.tr("月报"))
        self._show_supervision(ctx)
        self.tabs.currentChanged.connect(self._page_shown)
        #: locking, unlocking, switching user; the tabs are covered while locked
        self.guard = SessionGuard(self, self.tabs, ctx, check_password or password_check(ctx.data_dir, ctx.clock),
                                  self._idle_interval(ctx))
        self.tabs.setCornerWidget(self.guard.buttons(), Qt.Corner.TopRightCorner)
        self.guard.switched.connect(self._switch_to)
        self.guard.locked_changed.connect(self._lock_changed)
        for holder in (self.guard, self.sync_engine, self.sync_status, self.devices_page, self.supervision_page,
                       self.figures_page):
            self.context_changed.connect(holder.set_context)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.reload)
        self.search_box.textChanged.connect(self._debounce.start)
        self.search_box.returnPressed.connect(self.reload)
        self.filters.changed.connect(self.reload)
        self.table.activated.connect(self._open_case)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_search)
        new = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        new.activated.connect(self.new_intake)
        self._shortcuts = (find, new)
        #: the intake dialog last opened (for the tests)
        self.intake: IntakeDialog | None = None
        #: the side-by-side review last opened (for the tests)
        self.review: ReviewView | None = None
        #: the unfinished intakes offered now
        self.open_drafts: list[drafts.DraftSummary] = []
        self.search_box.setFocus()
        self._show_who()
        self._show_summary()
        self._queue_first(ctx)
        self.reload()
        self.refresh_items()
        self.refresh_drafts()
        self.sync_engine.start()
        self.guard.start()

    @property
    def context(self) -> AppContext:
        """The signed-in person's context (a switch of user replaces it)."""
        return self._ctx

    def new_intake(self) -> None:
        self.open_intake()

    def _draft_chosen(self, action: QAction) -> None:
        self.open_intake(str(action.data()))

    def open_intake(self, draft_id: str | None = None) -> None:
        """The intake screen: a new intake, or the unfinished one ``draft_id``."""
        self.intake = IntakeDialog(self._ctx, self, draft_id=draft_id)
        self.intake.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.intake.received.connect(self._intake_received)
        self.intake.finished.connect(lambda _result: self.refresh_drafts())
        self.context_changed.connect(self.intake.set_context)
        self.intake.open_case.connect(self.show_case)
        self.intake.open()

    def _intake_received(self, case_no: str) -> None:
        intake = self.intake
        case = intake.case if intake is not None and isValid(intake) else None
        if case is not None and case.case_no == case_no:
            self.refresh_cases([case.case_id])
        else:
            self.reload()

    def refresh_drafts(self) -> None:
        """Offer the signed-in person's unfinished intakes (after a restart, a closed screen)."""
        ctx = self._ctx
        run_in_background(self, lambda: drafts.open_drafts(ctx), self._show_drafts, pool=Pool.SEARCH)

    def _show_drafts(self, found: list[drafts.DraftSummary]) -> None:
        self.open_drafts = found
        self.drafts_menu.clear()
        for d in found:
            what = " · ".join(x for x in (d.item_name or self.tr("未选事项"), d.applicant_name,
                                          self.tr("{n} 页").format(n=d.pages), d.updated_at[5:16].replace("T", " "))
                              if x)
            self.drafts_menu.addAction(what).setData(d.id)
        self.drafts_button.setText(self.tr("未完成的收件（{n}）").format(n=len(found)))
        self.drafts_button.setVisible(bool(found))

    def _page_shown(self, index: int) -> None:
        # Devices are looked for when the clerk first opens the page, not at start-up: discovery
        # may wait on a slow driver, and most sessions never open it.
        if self.tabs.widget(index) is self.devices_page and not self.devices_page.devices:
            self.devices_page.refresh()
        if self.tabs.widget(index) is self.supervision_page and self.supervision_page.view is None:
            self.supervision_page.refresh()

    def _show_supervision(self, ctx: AppContext) -> None:
        """The 效能监察 page for a supervisor (opened first: it is their work), hidden for anyone else."""
        index = self.tabs.indexOf(self.supervision_page)
        mine = parse_role(ctx.session.role) is Role.SUPERVISOR
        self.tabs.setTabVisible(index, mine)
        if mine:
            self.tabs.setCurrentIndex(index)
            self._page_shown(index)
        elif self.tabs.currentIndex() == index:
            self.tabs.setCurrentIndex(0)

    def _after_sync(self, outcome: object) -> None:
        if not isinstance(outcome, sync_run.SyncReport):
            return
        if outcome.catalog is not None or outcome.calendar is not None:
            # The platform published a catalogue or holiday years: a new context, made here on the
            # GUI thread (the run only reported them), for every part of the window.
            self.set_context(dataclasses.replace(self._ctx, catalog=outcome.catalog or self._ctx.catalog,
                                                 calendar=outcome.calendar or self._ctx.calendar))
        elif outcome.pulled or outcome.pushed:
            # Forwarded cases arrived, or states changed: the report does not say which cases,
            # so the list is run again (the same ids keep the scroll position).
            self.reload()
            self.refresh_items()

    def _show_title(self) -> None:
        unit = self._ctx.settings.get("unit.name") or self._ctx.settings.get("unit.org")
        title = self.tr("窗口 — 政务服务受理")
        self.setWindowTitle(f"{title} — {unit}" if unit else title)

    def _show_who(self) -> None:
        session = self._ctx.session
        how = self.tr("在线登录") if session.online else self.tr("离线登录")
        self.who.setText(self.tr("{person}· {how}").format(person=person_label(session), how=how))

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("caseTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.verticalHeader().hide()
        # Fixed row heights and explicit column widths: nothing may measure all 100 000 rows.
        metrics = table.fontMetrics()
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        # Widths from sample texts in the current font and language (so they follow DPI too).
        for column in Column:
            if column != Column.ITEM:
                width = max(metrics.horizontalAdvance(t) for t in self.model.sample_texts(column))
                table.setColumnWidth(column, width + CELL_PADDING)
        header.setSectionResizeMode(Column.ITEM, QHeaderView.ResizeMode.Stretch)
        # Right-click, the Menu key or Shift+F10: the lifecycle actions of the row's case.
        self.case_menu = CaseMenu(table, self._ctx, self.model.case_id)
        self.case_menu.changed.connect(self.refresh_cases)
        self.context_changed.connect(self.case_menu.set_context)
        # A click on a title sorts by it (again: the other way); the query sorts, not the model.
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(Column.RECEIVED, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._sort_chosen)
        return table

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    # -- loading the list ------------------------------------------------------------------
    @property
    def search_text(self) -> str:
        return self.search_box.text().strip()

    @property
    def status_value(self) -> str | None:
        value: str = self.status_filter.currentData() or ""
        return value or None

    @property
    def case_filter(self) -> CaseFilter:
        """What the search box and the filter row ask for."""
        return self.filters.value(self.search_text)

    @property
    def sort(self) -> Sort:
        """The list's order (a click on a column title changes it)."""
        return self._sort

    def _sort_chosen(self, section: int, order: Qt.SortOrder) -> None:
        key = SORT_KEYS.get(Column(section))
        if key is None:  # a column the list does not sort by (报送单位): the indicator stays where it was
            self._show_sort()
            return
        self._sort = Sort(key, order == Qt.SortOrder.DescendingOrder)
        self.reload()

    def _show_sort(self) -> None:
        """The header's indicator on the list's order."""
        column = next(c for c, k in SORT_KEYS.items() if k is self._sort.key)
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        try:
            header.setSortIndicator(column, Qt.SortOrder.DescendingOrder if self._sort.descending
                                    else Qt.SortOrder.AscendingOrder)
        finally:
            header.blockSignals(False)

    def _queue_first(self, ctx: AppContext) -> None:
        """A reviewer or approver of a unit lower units report to starts on their queue (待我审查),
        the nearest deadline first (the list is run again once that is known)."""
        run_in_background(self, lambda: queries.opens_on_queue(ctx),
                          functools.partial(self._open_on_queue, ctx), pool=Pool.SEARCH)

    def _open_on_queue(self, ctx: AppContext, queue: bool) -> None:
        if not queue or ctx is not self._ctx:
            return
        self._sort = Sort(SortKey.DUE, descending=False)
        self._show_sort()
        self.filters.to_review.setChecked(True)  # runs the list again
        self.queue_shown.emit()

    def reload(self) -> None:
        """Run the current search, filters and sort on a worker; the newest request wins."""
        self._debounce.stop()
        self._generation += 1
        if self._search_task is not None:
            self._search_task.cancel()
        ctx, where, order = self._ctx, self.case_filter, self._sort

        def find() -> list[str]:
            # A returned case's clock is paused up to today: its stored deadline follows first.
            case_actions.refresh_paused_deadlines(ctx)
            return queries.case_ids(ctx, where, order)

        self._search_task = run_in_background(
            self, find, functools.partial(self._show_ids, self._generation), pool=Pool.SEARCH)

    def _show_ids(self, generation: int, ids: list[str]) -> None:
        if generation != self._generation:
            return
        log.debug("list: %d cases (%s, %s)", len(ids), self.case_filter, self._sort)
        selected = self.current_case_id()
        self.model.refresh_ids(ids)  # the same list again keeps its scroll position
        row = self.model.row_of(selected) if selected is not None else None
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self._start_counting()
        self.list_loaded.emit()

    def _start_counting(self, *, keep_shown: bool = False) -> None:
        if not keep_shown:  # a new list: its counts are not known yet (a refresh keeps the old ones meanwhile)
            self._counts = None
        self._show_summary()
        ctx, generation, where = self._ctx, self._generation, self.case_filter
        run_in_background(
            self, lambda: queries.light_counts(ctx, where),
            functools.partial(self._show_counts, generation), pool=Pool.SEARCH)

    def refresh_cases(self, ids: Sequence[str]) -> None:
        """Cases ``ids`` changed (an operation says which): re-read their rows and the counts,
        without running the list query again.

        A listed case stays listed even if it no longer matches the filters (it does not vanish
        under the clerk's eyes; the next search or filter change drops it). A case new to the
        list (just received) is added when it matches: at the top when the list is newest first
        (at the end oldest first); under another order, where it goes needs the query, which runs.
        """
        ids = list(dict.fromkeys(ids))
        listed = [i for i in ids if self.model.row_of(i) is not None]
        self.model.refresh_rows(listed)
        new = [i for i in ids if self.model.row_of(i) is None]
        if new:
            self.refresh_items()
            if self._sort.key is not SortKey.RECEIVED:
                self.reload()
                return
            ctx, where, order = self._ctx, self.case_filter, self._sort
            run_in_background(self, lambda: queries.case_ids(ctx, where, order, among=new),
                              functools.partial(self._add_cases, self._generation), pool=Pool.SEARCH)
        self._start_counting(keep_shown=True)

    def _add_cases(self, generation: int, ids: list[str]) -> None:
        if generation != self._generation or not ids:
            return
        self.model.insert_ids(0 if self._sort.descending else self.model.rowCount(), ids)
        self._show_summary()

    def refresh_items(self) -> None:
        """Offer the items the cases are for in the item filter."""
        ctx = self._ctx
        run_in_background(self, lambda: queries.listed_items(ctx), self.filters.set_items, pool=Pool.SEARCH)

    def _show_counts(self, generation: int, counts: queries.LightCounts) -> None:
        if generation != self._generation:
            return
        self._counts = counts
        self._show_summary()
        self.summary_updated.emit()

    def _show_summary(self) -> None:
        sep = self.tr("｜")
        parts = [self.tr("共 {count} 件办件").format(count=self.model.rowCount())]
        if self._counts is None:
            parts.append(self.tr("时限统计中…"))
        else:
            parts.append(self.tr("临近 {count} 件").format(count=self._counts.yellow))
            parts.append(self.tr("超期 {count} 件").format(count=self._counts.red))
            parts.append(self.tr("退回 {count} 件").format(count=self._counts.returned))
        self.summary.setText(sep.join(parts))

    # -- one case ----------------------------------------------------------------------------
    def current_case_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.case_id(index.row())

    def _open_case(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        ctx, case_id = self._ctx, self.model.case_id(index.row())
        run_in_background(self, lambda: audit.open_case(ctx, case_id), functools.partial(self._show_case, ctx))

    def show_case(self, case_id: str) -> None:
        """Open the detail of ``case_id`` (recorded as a view of personal data)."""
        ctx = self._ctx
        run_in_background(self, lambda: audit.open_case(ctx, case_id), functools.partial(self._show_case, ctx))

    def _show_case(self, ctx: AppContext, case: dict[str, Any]) -> None:
        if ctx is not self._ctx:
            return  # asked for by the person before the switch
        over = self.intake if self.intake is not None and isValid(self.intake) and self.intake.isVisible() else None
        if over is None and awaits_review(case, ctx):
            # Forwarded here for an opinion: the pages beside the fields and the opinion buttons.
            self.review = ReviewView(case, ctx, self)
            self.review.changed.connect(self.refresh_cases)
            self.review.open()
            return
        dialog = CaseDetailDialog(case, over or self, ctx=ctx)  # above the intake when it asked (it is modal)
        watch_detail(dialog, self.refresh_cases)
        dialog.open()

    # -- who is signed in ------------------------------------------------------------------------
    def _idle_interval(self, ctx: AppContext) -> int:
        if self._idle_ms is not None:
            return self._idle_ms
        return max(int(ctx.settings.get("signin.idle_minutes")), 1) * 60_000

    def _lock_changed(self, locked: bool) -> None:
        for shortcut in self._shortcuts:  # no 收件 nor 查找 behind the lock
            shortcut.setEnabled(not locked)

    def _switch_to(self, unlocked: Unlocked) -> None:
        try:
            ctx = signed_in.switch_person(self._ctx, unlocked)
        except UserError as e:
            self.guard.refuse(user_message(e))
            return
        self.set_context(ctx)
        self.guard.unlock()

    def set_context(self, ctx: AppContext) -> None:
        """Work for the person of ``ctx`` from now on.

        Every part holding a context takes it through :attr:`context_changed`; work already
        started finishes under the previous one (and its results for the list are dropped). The
        case details the previous person opened are closed; an intake in progress stays.
        """
        previous, self._ctx = self._ctx, ctx
        if ctx.store is not previous.store:
            self._opened.append(ctx)
        self.model.set_fetch_rows(functools.partial(queries.case_rows, ctx))
        if ctx.session != previous.session:  # not for a new setting, catalogue or calendar of the same person
            for dialog in self.findChildren(CaseDetailDialog):
                self.guard.forget(dialog)
                dialog.close()
        self.guard.idle.interval_ms = self._idle_interval(ctx)
        if ctx.session != previous.session:
            self._queue_first(ctx)
        self._show_title()
        self._show_who()
        self.context_changed.emit(ctx)
        if ctx.session != previous.session:
            self.supervision_page.view = None
            self._show_supervision(ctx)
        self.reload()
        self.refresh_items()
        self.refresh_drafts()

    def release_contexts(self) -> None:
        """Close the stores opened on a switch of user; call once background work has finished."""
        opened, self._opened = self._opened, []
        for ctx in opened:
            ctx.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.guard.stop()
        self.sync_engine.stop()
        self.sync_status.stop()
        if self._search_task is not None:
            self._search_task.cancel()
            self._search_task = None  # it refers back to the window: freed with its last reference
        super().closeEvent(event)
