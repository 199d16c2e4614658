"""One page at full size: zoom (Ctrl+wheel, +/−, 0 fits), turn and delete, page by page.

A draft's pages by default; a received case's pages (read-only) with ``editable=False`` and a
``render`` that reads them as that case's (see :mod:`app.ui.case_pages`); with ``closable=False``
it is a widget inside another window (the reviewer's side-by-side view).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from app.services import drafts
from app.services.context import AppContext
from app.ui.messages import user_message
from app.ui.page_strip import image_to_qimage, warning_text
from app.ui.qt import (
    QDialog,
    QHBoxLayout,
    QImage,
    QKeySequence,
    QLabel,
    QPixmap,
    QPushButton,
    QScrollArea,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWheelEvent,
    QWidget,
    Signal,
)
from app.ui.tasks import on_user_error, run_in_background

#: the longest side the viewer decodes a page to (a 300 dpi A4 page is 3508 px)
FULL_SIDE = 2480
ZOOMS = (0.25, 0.33, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0)
#: how a page's pixels are made (on a worker): page number (from 1), the page, the longest side
Render = Callable[[int, drafts.DraftPage, int], npt.NDArray[np.uint8]]


class PageViewer(QDialog):
    """Shows page ``current`` of ``pages``; PgUp/PgDn go through them."""

    rotate_page = Signal(int, int)
    delete_page = Signal(int)

    def __init__(self, ctx: AppContext, title: str, pages: Sequence[drafts.DraftPage], current: int,
                 parent: QWidget | None = None, *, editable: bool = True, render: Render | None = None,
                 closable: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("pageViewer")
        self.setWindowTitle(title)
        self.resize(900, 680)
        self._ctx, self._title, self._source = ctx, title, render
        self._pages = tuple(pages)
        self._n = current
        self._image: QImage | None = None
        self._zoom: float | None = None  # None: fit to the window
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area = QScrollArea()
        self.area.setWidget(self.picture)
        self.area.setWidgetResizable(True)
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        buttons = QHBoxLayout()
        edits = ((self.tr("向右旋转(&R)"), lambda: self.rotate_page.emit(self._n, 90)),
                 (self.tr("删除此页(&D)"), lambda: self.delete_page.emit(self._n))) if editable else ()
        for text, handler in ((self.tr("上一页(&P)"), lambda: self.show_page(self._n - 1)),
                              (self.tr("下一页(&N)"), lambda: self.show_page(self._n + 1)),
                              (self.tr("放大(&+)"), lambda: self._step(1)),
                              (self.tr("缩小(&-)"), lambda: self._step(-1)),
                              (self.tr("适合窗口(&W)"), self._fit),
                              *edits,
                              *(((self.tr("关闭"), self.accept),) if closable else ())):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(handler)
            buttons.addWidget(button)
        for keys, handler in (("PgUp", lambda: self.show_page(self._n - 1)),
                              ("PgDown", lambda: self.show_page(self._n + 1)),
                              ("Ctrl+=", lambda: self._step(1)), ("+", lambda: self._step(1)),
                              ("-", lambda: self._step(-1)), ("0", self._fit)):
            QShortcut(QKeySequence(keys), self, handler)
        layout = QVBoxLayout(self)
        layout.addWidget(self.area, 1)
        layout.addWidget(self.caption)
        layout.addLayout(buttons)
        self.show_page(current)

    @property
    def page_no(self) -> int:
        return self._n

    def show_material(self, title: str, pages: Sequence[drafts.DraftPage], current: int,
                      render: Render | None = None) -> None:
        """Show page ``current`` of another material (a viewer embedded beside the case's fields),
        its pages read by ``render``."""
        self._title, self._source = title, render or self._source
        self.setWindowTitle(title)
        self._pages = tuple(pages)
        self.show_page(current)

    def set_pages(self, pages: Sequence[drafts.DraftPage], current: int) -> None:
        """The material changed (a page turned or deleted): show it again."""
        self._pages = tuple(pages)
        if not self._pages:
            self.accept()
            return
        self.show_page(min(current, len(self._pages)))

    def show_page(self, n: int) -> None:
        if not 1 <= n <= len(self._pages):
            return
        self._n = n
        page = self._pages[n - 1]
        warning = warning_text(page, n)
        self.caption.setText(self.tr("{title} — 第 {n} / {total} 页").format(title=self._title, n=n,
                                                                           total=len(self._pages))
                             + (f"　⚠ {warning}" if warning else ""))
        ctx, render = self._ctx, self._source
        self.picture.setText(self.tr("正在打开…"))
        run_in_background(self, lambda: image_to_qimage(
                              render(n, page, FULL_SIDE) if render else drafts.thumbnail(ctx, page, FULL_SIDE)),
                          lambda image: self._shown(n, image),
                          on_user_error(self, "page viewer", lambda e: self.picture.setText(user_message(e))))

    def _shown(self, n: int, image: QImage) -> None:
        if n != self._n:
            return  # the clerk moved on meanwhile
        self._image = image
        self._render()

    def _render(self) -> None:
        if self._image is None:
            return
        if self._zoom is None:
            room = self.area.viewport().size()
            scale = min(room.width() / self._image.width(), room.height() / self._image.height(), 1.0)
        else:
            scale = self._zoom
        self.picture.setPixmap(QPixmap.fromImage(self._image).scaled(
            max(1, round(self._image.width() * scale)), max(1, round(self._image.height() * scale)),
            Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def zoom(self) -> float | None:
        return self._zoom

    def _step(self, direction: int) -> None:
        current = self._zoom or 0.5
        bigger = [z for z in ZOOMS if z > current + 1e-6]
        smaller = [z for z in ZOOMS if z < current - 1e-6]
        self._zoom = (bigger[0] if bigger else ZOOMS[-1]) if direction > 0 else (smaller[-1] if smaller else ZOOMS[0])
        self._render()

    def _fit(self) -> None:
        self._zoom = None
        self._render()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._step(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)
