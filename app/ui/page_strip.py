"""The pages of one material as thumbnails, with what the quality checks found on each.

Thumbnails are made in the background (decoding a 300 dpi page takes tens of milliseconds)
and kept by page hash and turn, so a page scanned once is never decoded twice. The strip is
one tab stop: the arrow keys move between pages, Enter opens the viewer, and the page
operations (turn, delete, move) have shortcuts and a context menu.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from app.core.errors import UserError
from app.services import drafts, intake
from app.services.context import AppContext
from app.ui.messages import translated, user_message
from app.ui.qt import (
    QAbstractItemView,
    QAction,
    QColor,
    QIcon,
    QImage,
    QKeySequence,
    QListWidget,
    QListWidgetItem,
    QPainter,
    QPixmap,
    QSize,
    Qt,
    QWidget,
    Signal,
)
from app.ui.tasks import on_user_error, run_in_background

THUMB = 132
WARNING_COLOR = "#b3261e"
#: how a page's pixels are made (on a worker): the page and the longest side; UserError if unreadable
Render = Callable[[drafts.DraftPage, int], npt.NDArray[np.uint8]]


def image_to_qimage(pixels: npt.NDArray[np.uint8]) -> QImage:
    """RGB pixels as a QImage that owns its memory (safe off the GUI thread)."""
    h, w = pixels.shape[:2]
    return QImage(pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def warning_text(page: drafts.DraftPage, page_no: int) -> str:
    """What the quality checks said about the page, in the clerk's words ("" if nothing)."""
    codes = [str(w.get("code")) for w in page.meta.get("warnings", ()) if isinstance(w, dict)]
    return "；".join(translated(intake.page_message(c, page_no)) for c in codes)


class PageStrip(QListWidget):
    """Thumbnails of a material's pages; emits what the clerk asks to do with one."""

    #: page number (from 1) to open in the viewer
    open_page = Signal(int)
    #: page number, quarter turns clockwise
    rotate_page = Signal(int, int)
    delete_page = Signal(int)
    #: page number, where it goes (page number)
    move_page = Signal(int, int)
    #: page number to scan again (the new sheet takes its place)
    rescan_page = Signal(int)
    #: page number to scan new sheets in front of
    insert_before = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, editable: bool = True, render: Render | None = None) -> None:
        """``editable``: offer turning, moving and deleting pages (a draft's); else only viewing
        (a received case's). ``render``: how thumbnails are made; a draft's pages by default."""
        super().__init__(parent)
        self.setObjectName("pageStrip")
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setSpacing(6)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._ctx: AppContext | None = None
        self._render = render
        self._pages: tuple[drafts.DraftPage, ...] = ()
        self._cache: dict[tuple[str, int], QPixmap] = {}
        self._wanted: set[tuple[str, int]] = set()
        self.thumbnails_made = 0
        operations: list[tuple[str, str, Callable[[int], None]]] = [
            (self.tr("查看(&V)"), "Return", lambda n: self.open_page.emit(n))]
        if editable:
            operations += [
                (self.tr("向右旋转(&R)"), "Ctrl+R", lambda n: self.rotate_page.emit(n, 90)),
                (self.tr("向左旋转(&L)"), "Ctrl+Shift+R", lambda n: self.rotate_page.emit(n, 270)),
                (self.tr("前移(&B)"), "Ctrl+Left", lambda n: self.move_page.emit(n, max(1, n - 1))),
                (self.tr("后移(&F)"), "Ctrl+Right", lambda n: self.move_page.emit(n, min(len(self._pages), n + 1))),
                (self.tr("删除此页(&D)"), "Delete", lambda n: self.delete_page.emit(n)),
                (self.tr("重新扫描此页(&S)"), "Ctrl+F5", lambda n: self.rescan_page.emit(n)),
                (self.tr("在此页前插入扫描(&I)"), "Insert", lambda n: self.insert_before.emit(n))]
        for text, keys, handler in operations:
            self.addAction(self._action(text, keys, handler))
        self.itemActivated.connect(lambda item: self.open_page.emit(self.row(item) + 1))

    def _action(self, text: str, keys: str, handler: Callable[[int], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda: self._on_current(handler))
        return action

    def _on_current(self, handler: Callable[[int], None]) -> None:
        row = self.currentRow()
        if 0 <= row < len(self._pages):
            handler(row + 1)

    def show_pages(self, ctx: AppContext, pages: Sequence[drafts.DraftPage], *, current: int | None = None) -> None:
        """Show ``pages`` (a material's, in order); thumbnails not made yet follow in the background.

        Only the rows whose page changed are redone: during a feeder scan the strip is shown
        again after every page, and rebuilding all of it each time stalls the window.
        """
        self._ctx = ctx
        keep = self.currentRow() if current is None else current - 1
        before, self._pages = self._pages, tuple(pages)
        while self.count() > len(self._pages):
            self.takeItem(self.count() - 1)
        for n, page in enumerate(self._pages, 1):
            if n <= len(before) and before[n - 1] == page and self.item(n - 1) is not None:
                continue
            item = self.item(n - 1)
            if item is None:
                item = QListWidgetItem()
                self.addItem(item)
            self._fill(item, page, n)
        if self._pages:
            self.setCurrentRow(min(max(keep, 0), len(self._pages) - 1))

    def _fill(self, item: QListWidgetItem, page: drafts.DraftPage, n: int) -> None:
        item.setText(self._caption(page, n))
        warning = warning_text(page, n)
        item.setToolTip(warning)
        item.setData(Qt.ItemDataRole.ForegroundRole, QColor(WARNING_COLOR) if warning else None)
        pixmap = self._cache.get((page.sha256, page.rotation))
        item.setIcon(QIcon(pixmap) if pixmap is not None else QIcon(self._placeholder()))
        if pixmap is None:
            self._make(page)

    def pages(self) -> tuple[drafts.DraftPage, ...]:
        return self._pages

    def thumbnails_shown(self) -> int:
        """How many of the pages show their thumbnail (not the grey placeholder) now."""
        return sum((p.sha256, p.rotation) in self._cache for p in self._pages)

    def _caption(self, page: drafts.DraftPage, n: int) -> str:
        warning = warning_text(page, n)
        flag = self.tr("⚠ 请检查") if warning else ""
        return (self.tr("第{n}页").format(n=n) + " " + flag).strip()

    def _placeholder(self, *, unreadable: bool = False) -> QPixmap:
        """A grey page while its thumbnail is made; crossed out when it cannot be (not on this PC)."""
        pixmap = QPixmap(THUMB * 3 // 4, THUMB)
        pixmap.fill(QColor("#eeeeee"))
        painter = QPainter(pixmap)
        painter.setPen(QColor("#999999"))
        painter.drawRect(0, 0, pixmap.width() - 1, pixmap.height() - 1)
        if unreadable:
            painter.drawLine(0, 0, pixmap.width() - 1, pixmap.height() - 1)
            painter.drawLine(0, pixmap.height() - 1, pixmap.width() - 1, 0)
        painter.end()
        return pixmap

    def _make(self, page: drafts.DraftPage) -> None:
        key = (page.sha256, page.rotation)
        if key in self._wanted or self._ctx is None:
            return
        self._wanted.add(key)
        ctx, render = self._ctx, self._render

        def make() -> QImage:
            return image_to_qimage(render(page, THUMB) if render else drafts.thumbnail(ctx, page, THUMB))

        def made(image: QImage) -> None:
            self._wanted.discard(key)
            self._cache[key] = QPixmap.fromImage(image)
            self.thumbnails_made += 1
            for row, p in enumerate(self._pages):
                if (p.sha256, p.rotation) == key and self.item(row) is not None:
                    self.item(row).setIcon(QIcon(self._cache[key]))

        def unreadable(exc: UserError) -> None:  # the placeholder stays; the tooltip says why
            self._wanted.discard(key)
            for row, p in enumerate(self._pages):
                if (p.sha256, p.rotation) == key and self.item(row) is not None:
                    self.item(row).setToolTip(user_message(exc))
                    self.item(row).setIcon(QIcon(self._placeholder(unreadable=True)))

        run_in_background(self, make, made, on_user_error(self, "thumbnail", unreadable,
                                                           lambda: self._wanted.discard(key)))
