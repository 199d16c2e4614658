"""The guide of one item (办事指南), shown beside the item search while the clerk picks.

What the counter tells the applicant before taking the papers: the conditions, the promised time
and the day it gives if accepted today (marked when the year's holidays are not published yet),
the fee and its basis, the tier and department, the phones, and the checklist with the required
materials marked. It only shows an :class:`~app.services.items.ItemGuide`; services make it.
"""

from __future__ import annotations

import datetime as dt
import html

from app.services.items import ItemGuide
from app.ui.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QFrame,
    QLabel,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)

#: the catalogue's words for 办理层级 and 材料形式, for lupdate (the label is the source text)
TIER_LABELS = (
    QT_TRANSLATE_NOOP("Tier", "乡镇（街道）"),
    QT_TRANSLATE_NOOP("Tier", "县（区）"),
    QT_TRANSLATE_NOOP("Tier", "市"),
)
FORM_LABELS = (
    QT_TRANSLATE_NOOP("MaterialForm", "原件"),
    QT_TRANSLATE_NOOP("MaterialForm", "复印件"),
    QT_TRANSLATE_NOOP("MaterialForm", "原件和复印件"),
    QT_TRANSLATE_NOOP("MaterialForm", "电子"),
)


def tier_label(label: str) -> str:
    return QCoreApplication.translate("Tier", label)


class ItemGuidePanel(QScrollArea):
    """Read-only; :meth:`show_guide` fills it, ``None`` empties it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemGuide")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # read, never typed into: Tab skips it
        self._guide: ItemGuide | None = None

        self.title = QLabel()
        self.title.setObjectName("itemGuideTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 15px; font-weight: bold")
        self.conditions, self.promise, self.deadline = QLabel(), QLabel(), QLabel()
        self.fee, self.tier, self.phones = QLabel(), QLabel(), QLabel()
        self.materials_heading = QLabel(self.tr("申请材料（★为必需）："))
        self.materials_heading.setStyleSheet("font-weight: bold")
        # one label per material (a single label of many lines is cut short in a scroll area)
        self.materials: list[QLabel] = []
        # One label per line, heading included: a QFormLayout in a scroll area clips wrapped values.
        lines = (self.conditions, self.promise, self.deadline, self.fee, self.tier, self.phones)
        for label in lines:
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadline.setObjectName("itemGuideDeadline")
        self.placeholder = QLabel(self.tr("选中一个事项，这里显示它的办事指南"))
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #5f6368")

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        for label in lines:
            details.addWidget(label)
        details.addWidget(self.materials_heading)
        self._checklist = QVBoxLayout()
        self._checklist.setSpacing(2)
        details.addLayout(self._checklist)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.title)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self.setWidget(body)
        self.show_guide(None)

    @property
    def guide(self) -> ItemGuide | None:
        return self._guide

    def show_guide(self, guide: ItemGuide | None) -> None:
        self._guide = guide
        self.placeholder.setVisible(guide is None)
        self.details.setVisible(guide is not None)
        if guide is None:
            self.title.clear()
            return
        self.title.setText(self.tr("{name}（{code}）").format(name=guide.name, code=guide.code))
        _line(self.conditions, self.tr("受理条件："), guide.conditions)
        if guide.immediate:
            promise = self.tr("即办件，当场办结")
        else:
            promise = self.tr("{days}个工作日（法定{legal}个工作日）").format(days=guide.promised_days,
                                                                       legal=guide.legal_days)
        if guide.commitment:
            promise += self.tr("；告知承诺：凭申请人书面承诺先行审批，准予后{days}个工作日内核查纸质材料").format(
                days=guide.check_days)
        _line(self.promise, self.tr("承诺时限："), promise)
        due = self.tr("{date}（{weekday}）").format(date=guide.deadline.isoformat(),
                                                  weekday=self._weekday(guide.deadline))
        if guide.provisional:
            due += self.tr("，暂定：该年节假日安排尚未公布，按周一至周五计算")
        _line(self.deadline, self.tr("今日受理办结期限："), due, colour="#b06000" if guide.provisional else "")
        if guide.charged:
            fee = self.tr("{amount}（依据：{basis}）").format(amount=guide.fee_amount, basis=guide.fee_basis)
        else:
            fee = self.tr("不收费")
        _line(self.fee, self.tr("收费："), fee)
        _line(self.tier, self.tr("办理层级："), self.tr("{tier}，{department}").format(
            tier=tier_label(guide.tier_label), department=guide.department))
        _line(self.phones, self.tr("咨询/投诉电话："), self.tr("咨询 {consult}，投诉 {complaint}").format(
            consult=guide.consult_phone, complaint=guide.complaint_phone))
        while len(self.materials) > len(guide.materials):
            self.materials.pop().deleteLater()
        while len(self.materials) < len(guide.materials):
            label = QLabel()
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            self._checklist.addWidget(label)
            self.materials.append(label)
        for label, m in zip(self.materials, guide.materials, strict=True):
            detail = self.tr("{form}，{copies}份").format(form=QCoreApplication.translate("MaterialForm", m.form),
                                                         copies=m.copies)
            if m.note:
                detail += self.tr("；{note}").format(note=m.note)
            name = f"<b>★ {html.escape(m.name)}</b>" if m.required else f"☆ {html.escape(m.name)}"
            label.setText(f"{name}（{html.escape(detail)}）")

    def _weekday(self, day: dt.date) -> str:
        names = (self.tr("星期一"), self.tr("星期二"), self.tr("星期三"), self.tr("星期四"), self.tr("星期五"),
                 self.tr("星期六"), self.tr("星期日"))
        return names[day.weekday()]


def _line(label: QLabel, heading: str, value: str, colour: str = "") -> None:
    text = html.escape(value)
    if colour:
        text = f'<span style="color: {colour}">{text}</span>'
    label.setText(f"<b>{html.escape(heading)}</b>{text}")
