"""The 材料 tab of the case detail: each material's pages as thumbnails, a viewer on Enter.

Each material is one row of thumbnails (one tab stop; the arrow keys move along it, Enter or a
double click opens the page at full size). The pages are read-only here: the case is received.
``on_open`` takes the place of the viewer (the reviewer's view shows the page beside the fields).
Thumbnails are made on a worker; a page whose image is not on this PC yet (a case forwarded from
another unit, its files still to download) stays a crossed-out placeholder whose tooltip says so.
A material that is a licence the applicant holds (免证) has no pages: it is listed as
「电子证照（免证）」 with the licence's identifier.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from app.services import case_pages
from app.services.context import AppContext
from app.store.drafts import DraftPage
from app.ui.page_strip import THUMB, PageStrip
from app.ui.page_viewer import PageViewer
from app.ui.qt import QFrame, QLabel, QScrollArea, Qt, QVBoxLayout, QWidget

#: a strip's height: one row of thumbnails, their captions, and a horizontal scroll bar
STRIP_HEIGHT = THUMB + 56


def as_page(page: Mapping[str, Any]) -> DraftPage:
    """A stored page of ``case show`` in the shape the strip and the viewer take (hash, checks, turn)."""
    return DraftPage(str(page["sha256"]), {"warnings": [{"code": c} for c in page.get("warnings", ())]},
                     int(page.get("rotation", 0)))


class CasePages(QScrollArea):
    """The materials of one case, each as a row of page thumbnails; Enter opens the viewer."""

    def __init__(self, ctx: AppContext | None, case: Mapping[str, Any], parent: QWidget | None = None, *,
                 on_open: Callable[[str, int], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("casePages")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._ctx, self._case_id = ctx, str(case["id"])
        self.viewer: PageViewer | None = None
        #: material name → its strip, in the order of the case
        self.strips: dict[str, PageStrip] = {}
        #: material name → the label of a material that is a held licence (免证)
        self.held: dict[str, QLabel] = {}
        body = QWidget()
        layout = QVBoxLayout(body)
        for m in case["materials"]:
            if m.get("licence_id"):
                layout.addWidget(self._held_licence(m))
                continue
            name, pages = str(m["name"]), [as_page(p) for p in m["pages"]]
            title = QLabel(self.tr("{name}（{count} 页）").format(name=name, count=len(pages)))
            title.setWordWrap(True)
            strip = PageStrip(editable=False, render=self._thumbnail)
            strip.setAccessibleName(name)
            strip.setWrapping(False)  # one row per material; a long one scrolls sideways
            strip.setFixedHeight(STRIP_HEIGHT)
            strip.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            strip.open_page.connect(functools.partial(on_open or self.open_viewer, name))
            title.setBuddy(strip)
            layout.addWidget(title)
            layout.addWidget(strip)
            self.strips[name] = strip
            if ctx is not None:
                strip.show_pages(ctx, pages, current=1)
        if not self.strips and not self.held:
            layout.addWidget(QLabel(self.tr("该办件没有电子材料")))
        layout.addStretch(1)
        self.setWidget(body)

    def _held_licence(self, m: Mapping[str, Any]) -> QLabel:
        """A material that is a licence the applicant holds (免证): named with its identifier, no pages."""
        text = self.tr("{name}：电子证照（免证）\n证照标识 {id}").format(name=m["name"], id=m["licence_id"])
        if not m.get("present", True):
            text += "\n" + self.tr("证照文件尚未下载到本机，同步后可导出查看")
        label = QLabel(text)
        label.setObjectName("heldLicence")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.held[str(m["name"])] = label
        return label

    def render_page(self, material: str) -> Callable[[int, DraftPage, int], npt.NDArray[np.uint8]]:
        """How the viewer reads ``material``'s pages as this case's (the look is recorded)."""
        assert self._ctx is not None
        ctx, case_id = self._ctx, self._case_id

        def render(n: int, page: DraftPage, side: int) -> npt.NDArray[np.uint8]:
            return case_pages.view(ctx, case_id, material, n, page.sha256, page.rotation, side)

        return render

    def _thumbnail(self, page: DraftPage, side: int) -> npt.NDArray[np.uint8]:
        assert self._ctx is not None  # strips are filled only with a context
        return case_pages.thumbnail(self._ctx, page.sha256, page.rotation, side)

    def open_viewer(self, material: str, page_no: int) -> None:
        """Page ``page_no`` (from 1) of ``material`` at full size (the look is recorded)."""
        if self._ctx is None:
            return
        ctx, render = self._ctx, self.render_page(material)
        if self.viewer is not None:  # one viewer at a time: the last page asked for
            self.viewer.close()
            self.viewer.deleteLater()
        self.viewer = PageViewer(ctx, material, self.strips[material].pages(), page_no, self,
                                 editable=False, render=render)
        self.viewer.open()

    def strip_of(self, material: str) -> PageStrip:
        return self.strips[material]

    def materials(self) -> Sequence[str]:
        return list(self.strips)
