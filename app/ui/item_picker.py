"""Picking the item of a new case from the keyboard: type, arrow to it, Enter.

The field takes any part of the name, a code, full pinyin or initials (「gtgs」); the list below
follows each key press, and the guide of the highlighted item shows beside it. Down/Up move,
PageDown/PageUp jump, Enter chooses (emits :attr:`ItemPicker.chosen` with the code), Esc clears
the field. An empty field lists the person's favourite items (★) and then their recent ones.
Ctrl+D (or the star button) marks or unmarks the highlighted item as a favourite.

The search itself is in memory and takes a few milliseconds over 2 000 items, so it runs on the
GUI thread; until the catalogue's index is built (in the background when the widget starts or
the catalogue changes), or if a search ever takes longer than :data:`GUI_SEARCH_MS`, searches go
through :func:`~app.ui.tasks.run_in_background` and only the newest one's results are shown.
Favourites and recent items are read and written in the background (the database).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from app.services import items
from app.services.context import AppContext
from app.services.items import ItemSummary
from app.ui.item_guide import ItemGuidePanel, tier_label
from app.ui.qt import (
    QAbstractItemView,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QObject,
    QShortcut,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import Task, run_in_background

log = logging.getLogger("ui.items")
#: a search slower than this (ms) on the GUI thread moves the next ones to the background
GUI_SEARCH_MS = 30.0
#: how many results the list shows
RESULTS = 50
STAR, NAME, CODE, TIER, DAYS = range(5)
FAVOURITE_KEYS = QKeySequence("Ctrl+D")


class ItemPicker(QWidget):
    """Item search with its result list and (unless ``with_guide`` is False) the guide beside it."""

    #: the clerk chose an item (Enter or a double click): its 基本编码
    chosen = Signal(str)
    #: the highlighted item changed: its code, "" when the list is empty
    highlighted = Signal(str)
    #: the list shows the results for the field's current text (or the short list when it is empty)
    results_shown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, with_guide: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("itemPicker")
        self._ctx = ctx
        self._rows: list[ItemSummary] = []
        self._favourites: set[str] = set()
        self._shortlist: list[tuple[ItemSummary, bool]] = []
        self._search_task: Task[Any] | None = None
        self._shown_for: str | None = None
        self._choose_when_shown = False
        self._in_background = False
        self._highlighted: tuple[AppContext, str] | None = None

        self.field = QLineEdit()
        self.field.setObjectName("itemSearch")
        self.field.setPlaceholderText(self.tr("事项名称、编码或拼音首字母，如 gtgs"))
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.caption = QLabel()
        self.caption.setObjectName("itemCaption")
        self.star = QToolButton()
        self.star.setObjectName("itemStar")
        self.star.setText("☆")
        self.star.setToolTip(self.tr("收藏或取消收藏所选事项（Ctrl+D）"))
        self.star.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+D from the field does the same

        self.results = QTableWidget(0, 5)
        self.results.setObjectName("itemResults")
        self.results.setHorizontalHeaderLabels(
            ["", self.tr("事项名称"), self.tr("基本编码"), self.tr("办理层级"), self.tr("承诺时限")])
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the field; Tab leaves the picker
        self.results.setWordWrap(False)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (STAR, CODE, TIER, DAYS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        top = QHBoxLayout()
        top.addWidget(self.field, 1)
        top.addWidget(self.star)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(top)
        left.addWidget(self.caption)
        left.addWidget(self.results, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        self.guide_panel: ItemGuidePanel | None = None
        if with_guide:
            self.guide_panel = ItemGuidePanel()
            layout.addWidget(self.guide_panel, 2)
        self.setFocusProxy(self.field)

        self.field.textChanged.connect(self._search)
        self.results.itemSelectionChanged.connect(self._highlight)
        self.results.itemDoubleClicked.connect(lambda _: self.choose())
        self.star.clicked.connect(self.toggle_favourite)
        favourite = QShortcut(FAVOURITE_KEYS, self)
        favourite.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        favourite.activated.connect(self.toggle_favourite)
        self.set_context(ctx)

    # -- what the owner uses -------------------------------------------------------------------
    @property
    def current_code(self) -> str:
        """The highlighted item's code, "" when none."""
        row = self.results.currentRow()
        return self._rows[row].code if 0 <= row < len(self._rows) else ""

    @property
    def shown_codes(self) -> list[str]:
        return [r.code for r in self._rows]

    def set_context(self, ctx: AppContext) -> None:
        """A new context (a new catalogue after a sync, another person): rebuild, reload, search again."""
        self._ctx = ctx
        self._in_background = False
        if not items.index_ready(ctx):
            run_in_background(self, lambda: items.prepare(ctx), lambda _: None)
        self.refresh_shortlist()
        self._search(self.field.text())

    def refresh_shortlist(self) -> None:
        """Read the person's favourites and recent items again (e.g. after a case was received)."""
        ctx = self._ctx

        def load() -> tuple[list[ItemSummary], list[ItemSummary]]:
            return items.favourites(ctx), items.recent(ctx)

        run_in_background(self, load, self._shortlist_loaded)

    def choose(self) -> None:
        """Emit :attr:`chosen` for the highlighted item (once the newest search's results are in)."""
        if self._shown_for != self._query():
            self._choose_when_shown = True
            return
        code = self.current_code
        if code:
            self.chosen.emit(code)

    def toggle_favourite(self) -> None:
        code = self.current_code
        if not code:
            return
        ctx = self._ctx
        run_in_background(self, lambda: items.toggle_favourite(ctx, code),
                          lambda on: self._favourite_changed(code, on))

    # -- keys ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        count = self.results.rowCount()
        page = max(1, self.results.viewport().height() // max(1, self.results.verticalHeader().defaultSectionSize()))
        steps: dict[int, int] = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: page,
                                 Qt.Key.Key_PageUp: -page}
        if key in steps:
            if count:
                row = min(max(self.results.currentRow() + steps[key], 0), count - 1)
                self.results.setCurrentCell(row, NAME)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose()
            return True
        if key == Qt.Key.Key_Escape and self.field.text():
            self.field.clear()
            return True
        return False

    # -- searching -----------------------------------------------------------------------------
    def _query(self) -> str:
        return self.field.text().strip()

    def _search(self, _text: str = "") -> None:
        query = self._query()
        self._choose_when_shown = False  # an Enter waits for the results of the text it was pressed on
        if self._search_task is not None:
            self._search_task.cancel()
            self._search_task = None
        if not query:
            self._show(query, [entry for entry, _ in self._shortlist], shortlist=True)
            return
        ctx = self._ctx
        if not self._in_background:
            started = time.perf_counter()
            found = items.search_if_ready(ctx, query, RESULTS)
            took = (time.perf_counter() - started) * 1000
            if took > GUI_SEARCH_MS:
                log.warning("item search took %.0f ms on the GUI thread: searching in the background from now", took)
                self._in_background = True
            if found is not None:
                self._show(query, found)
                return
        self._search_task = run_in_background(self, lambda: items.search(ctx, query, RESULTS),
                                              lambda found: self._show(query, found))

    def _shortlist_loaded(self, lists: tuple[list[ItemSummary], list[ItemSummary]]) -> None:
        favourites, recent = lists
        self._favourites = {i.code for i in favourites}
        seen = set(self._favourites)
        self._shortlist = [(i, True) for i in favourites]
        self._shortlist += [(i, False) for i in recent if i.code not in seen]
        if not self._query():
            self._show("", [entry for entry, _ in self._shortlist], shortlist=True)
        else:
            self._paint_stars()

    def _favourite_changed(self, code: str, on: bool) -> None:
        if on:
            self._favourites.add(code)
        else:
            self._favourites.discard(code)
        self._paint_stars()
        self.refresh_shortlist()

    def _show(self, query: str, rows: list[ItemSummary], *, shortlist: bool = False) -> None:
        if query != self._query():
            return  # a newer search is on its way
        keep = self.current_code
        self._rows = rows
        self._shown_for = query
        self.results.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = ["", row.name, row.code, tier_label(row.tier_label), self._days(row.promised_days)]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == NAME:
                    cell.setToolTip(row.name)
                self.results.setItem(r, column, cell)
        self._paint_stars()
        if shortlist:
            self.caption.setText(self.tr("收藏（★）和最近使用的事项") if rows else
                                 self.tr("输入事项名称、编码或拼音查找；常用事项可按 Ctrl+D 收藏"))
        elif rows:
            self.caption.setText(self.tr("找到 {count} 项").format(count=len(rows)) if len(rows) < RESULTS
                                 else self.tr("前 {count} 项，请输入更多文字缩小范围").format(count=len(rows)))
        else:
            self.caption.setText(self.tr("没有找到“{text}”，可换用名称中的字、编码或拼音首字母").format(text=query))
        codes = [r.code for r in rows]
        self.results.setCurrentCell(codes.index(keep) if keep in codes and not query else (0 if rows else -1), NAME)
        self._highlight()
        self.results_shown.emit()
        if self._choose_when_shown:
            self._choose_when_shown = False
            self.choose()

    def _paint_stars(self) -> None:
        for r, row in enumerate(self._rows):
            cell = self.results.item(r, STAR)
            if cell is not None:
                cell.setText("★" if row.code in self._favourites else "")
        self.star.setText("★" if self.current_code in self._favourites else "☆")

    def _days(self, days: int) -> str:
        return self.tr("即办") if days == 0 else self.tr("{days}个工作日").format(days=days)

    def _highlight(self) -> None:
        code = self.current_code
        self.star.setText("★" if code in self._favourites else "☆")
        self.star.setEnabled(bool(code))
        if self._highlighted == (self._ctx, code):
            return
        self._highlighted = (self._ctx, code)
        if self.guide_panel is not None:
            known = code and self._ctx.catalog.get(code) is not None  # rows of a catalogue just replaced: none
            self.guide_panel.show_guide(items.guide(self._ctx, code) if known else None)
        self.highlighted.emit(code)
