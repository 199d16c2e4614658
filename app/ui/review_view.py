"""The reviewer's side-by-side view (并排审查) of a case forwarded to this unit.

Left, the pages: each material's thumbnails (:class:`~app.ui.case_pages.CasePages`) above the
page at full size with zoom (:class:`~app.ui.page_viewer.PageViewer`, embedded); right, the case's
fields, the opinions of the units below by name (the forwarding unit's own, earlier levels') and
the three opinion buttons. An opinion is given through the case desk (sealed onto the review
sheet); the view then says whether the seal went on, or why not, and offers nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from app.core.deadlines import Light
from app.core.lifecycle import OPINION_RESULTS, ActionType, Status
from app.services import case_desk, review_desk
from app.services.context import AppContext
from app.ui import case_timeline
from app.ui.case_actions_menu import CaseActions
from app.ui.case_model import LIGHT_COLOURS
from app.ui.case_pages import STRIP_HEIGHT, CasePages, as_page
from app.ui.labels import light_label, status_label
from app.ui.messages import translated
from app.ui.opinion_dialog import RESULT_KEYS, SEAL_MISSING_STYLE, SEAL_OK_STYLE
from app.ui.page_viewer import PageViewer
from app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import run_in_background

#: the size the view opens at, made smaller where the screen is (a 1366×768 counter PC)
WIDTH, HEIGHT = 1340, 740
#: how much of the width the pages take at first
PAGES_SHARE = 0.58


def _value(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ReviewView(QDialog):
    """Pages on the left, the case's fields, the lower units' opinions and the opinion buttons on the right."""

    #: an opinion was given: the case ids it changed
    changed = Signal(object)

    def __init__(self, case: dict[str, Any], ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ctx, self._case = ctx, case
        self.setWindowTitle(self.tr("并排审查 — {case_no}").format(case_no=case["case_no"]))
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(WIDTH, screen.width() - 24), min(HEIGHT, screen.height() - 48))
        self.desk = CaseActions(self, ctx, str(case["id"]))
        self.desk.opinion_given.connect(self._given)
        self.desk.changed.connect(self.changed)
        #: the opinion given here (None before), as the desk answered
        self.given: review_desk.Given | None = None

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self._pages_side(case))
        self.splitter.addWidget(self._fields_side(case))
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        width = self.width()
        self.splitter.setSizes([round(width * PAGES_SHARE), round(width * (1 - PAGES_SHARE))])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(buttons)
        self._first_page()

    # -- the pages -------------------------------------------------------------------------------
    def _pages_side(self, case: dict[str, Any]) -> QWidget:
        side = QSplitter(Qt.Orientation.Vertical)
        self.pages = CasePages(self._ctx, case, on_open=self.show_page)
        self.viewer = PageViewer(self._ctx, "", (), 1, side, editable=False, closable=False)
        self.viewer.setWindowFlags(Qt.WindowType.Widget)
        side.addWidget(self.pages)
        side.addWidget(self.viewer)
        side.setStretchFactor(0, 1)
        side.setStretchFactor(1, 3)
        # Room for one material's row of thumbnails and its title; the others scroll.
        side.setSizes([STRIP_HEIGHT + 36, max(self.height() - STRIP_HEIGHT - 36, 200)])
        return side

    def _first_page(self) -> None:
        first = next((m for m in self._case["materials"] if m.get("pages")), None)
        if first is not None:
            self.show_page(str(first["name"]), 1)

    def show_page(self, material: str, page_no: int) -> None:
        """Page ``page_no`` (from 1) of ``material`` in the viewer beside the fields (the look is recorded)."""
        m = next(x for x in self._case["materials"] if x["name"] == material)
        pages = [as_page(p) for p in m["pages"]]
        self.viewer.show_material(material, pages, page_no, self.pages.render_page(material))

    # -- the fields, the opinions, the buttons ---------------------------------------------------------
    def _fields_side(self, case: dict[str, Any]) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        form = QFormLayout()
        form.addRow(self.tr("受理编号："), _value(case["case_no"]))
        form.addRow(self.tr("事项："), _value(case["item_name"]))
        applicant = case.get("applicant") or {}
        form.addRow(self.tr("申请人："), _value(str(applicant.get("name", ""))))
        form.addRow(self.tr("报送单位："), _value(self._sender(case)))
        form.addRow(self.tr("收件时间："), _value(case_timeline.when(case["received_at"])))
        form.addRow(self.tr("状态："), _value(status_label(Status(case["status"]))))
        self.deadline_label = _value(self._deadline(case.get("deadline")))
        light = (case.get("deadline") or {}).get("light")
        if light:
            self.deadline_label.setStyleSheet(f"color: {LIGHT_COLOURS[Light(light)][0]}; font-weight: bold;")
        form.addRow(self.tr("办结时限："), self.deadline_label)
        materials = "、".join(f"{m['name']}（{len(m['pages'])}页）" for m in case["materials"])
        form.addRow(self.tr("材料："), _value(materials))
        layout.addLayout(form)
        title = QLabel(self.tr("下级单位意见"))
        title.setStyleSheet("font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(self._opinions(case), 1)
        self.seal = QLabel()
        self.seal.setObjectName("reviewSeal")
        self.seal.setWordWrap(True)
        layout.addWidget(self.seal)
        row = QHBoxLayout()
        self.opinion_buttons: dict[str, QPushButton] = {}
        for result in OPINION_RESULTS:
            button = QPushButton(f"{translated(result)}(&{RESULT_KEYS[result]})")
            button.setObjectName(f"opinion_{RESULT_KEYS[result]}")
            button.clicked.connect(self._asker(result))
            row.addWidget(button)
            self.opinion_buttons[result] = button
        layout.addLayout(row)
        self._show_offer()
        return side

    def _opinions(self, case: dict[str, Any]) -> QScrollArea:
        """Each lower unit's opinion as a short paragraph: who (by name), when, the conclusion, the words."""
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 4, 4)
        #: (unit, conclusion, words) of each opinion shown, oldest first
        self.opinion_rows: list[tuple[str, str, str]] = []
        for when, unit, result, text in case_timeline.opinion_rows(case):
            self.opinion_rows.append((unit, result, text))
            head = QLabel(self.tr("{unit}　{result}　{when}").format(unit=unit, result=result, when=when))
            head.setStyleSheet("font-weight: bold;")
            head.setWordWrap(True)
            words = _value(text)
            words.setObjectName("reviewOpinion")
            column.addWidget(head)
            column.addWidget(words)
        if not self.opinion_rows:
            column.addWidget(QLabel(self.tr("下级单位上报时未填写意见")))
        column.addStretch(1)
        area = QScrollArea()
        area.setObjectName("reviewOpinions")
        area.setWidgetResizable(True)
        area.setWidget(body)
        return area

    def _asker(self, result: str) -> Callable[[], None]:
        return lambda: self.desk.trigger(ActionType.OPINION, result)

    def _sender(self, case: dict[str, Any]) -> str:
        forwards = case.get("forwards") or []
        if not forwards:
            return ""
        last = forwards[-1]
        return str(last.get("unit_name") or case_timeline.unit_name(case, str(last.get("unit", ""))))

    def _show_offer(self) -> None:
        """The opinion buttons as the case desk offers the opinion: the rules say who may give it now."""
        ctx, case_id = self._ctx, str(self._case["id"])

        def shown(offers: list[case_desk.Offer]) -> None:
            offer = next((o for o in offers if o.kind is ActionType.OPINION), None)
            why = offer.why_not if offer is not None else translated(review_desk.NOT_FORWARDED_HERE)
            for button in self.opinion_buttons.values():
                button.setEnabled(self.given is None and not why)
                button.setToolTip(translated(why))
            if why and self.given is None:
                self.seal.setText(translated(why))

        run_in_background(self, lambda: case_desk.offered_actions(ctx, case_id), shown)

    def _given(self, given: review_desk.Given) -> None:
        self.given = given
        for button in self.opinion_buttons.values():
            button.setEnabled(False)
        result = given.changed.status
        if given.sealed:
            self.seal.setText(self.tr("意见已出具（{status}），已盖章：本单位电子印章已加盖在上报审查表上")
                              .format(status=status_label(result)))
            self.seal.setStyleSheet(SEAL_OK_STYLE)
        else:
            self.seal.setText(self.tr("意见已出具（{status}），未盖章：{why}")
                              .format(status=status_label(result), why=translated(given.why_not_sealed)))
            self.seal.setStyleSheet(SEAL_MISSING_STYLE)

    def _deadline(self, deadline: dict[str, Any] | None) -> str:
        if not deadline:
            return self.tr("未开始计时")
        text = dt.date.fromisoformat(str(deadline["date"])).isoformat()
        if deadline["provisional"]:
            text += self.tr("（暂定）")
        if deadline.get("light"):
            text += f"　{light_label(Light(deadline['light']))}"
        return text
