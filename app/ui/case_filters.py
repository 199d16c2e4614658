"""The case list's filters in one compact row: status, time limit, item, 待我审查, 今日, 我的, 退回, 待核查,
待联审.

Each control has an Alt mnemonic. The bar only reads its controls into a :class:`CaseFilter`
and says when they changed; the query that applies it runs in the store (SQL), on a worker.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.case_list import CaseFilter, LightFilter
from app.core.lifecycle import Status
from app.ui.labels import status_label
from app.ui.qt import QCheckBox, QComboBox, QHBoxLayout, QLabel, Qt, QWidget, Signal

#: items shown with at least this many characters before the combo box elides them
ITEM_CHARS = 9


class CaseFilterBar(QWidget):
    """Status, 时限 and 事项 combo boxes and the 待我审查, 今日, 我的, 退回, 待核查 and 待联审 check boxes."""

    #: a control changed: the list should be run again
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        self.status.addItem(self.tr("全部状态"), "")
        for status in Status:
            self.status.addItem(status_label(status), str(status))
        self.light = QComboBox()
        self.light.setObjectName("lightFilter")
        for text, value in ((self.tr("全部时限"), LightFilter.ANY), (self.tr("临近"), LightFilter.YELLOW),
                            (self.tr("超期"), LightFilter.RED), (self.tr("临近或超期"), LightFilter.YELLOW_OR_RED)):
            self.light.addItem(text, str(value))
        self.item = QComboBox()
        self.item.setObjectName("itemFilter")
        self.item.addItem(self.tr("全部事项"), "")
        self.item.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.item.setMinimumContentsLength(ITEM_CHARS)
        self.today = QCheckBox(self.tr("今日(&T)"))
        self.today.setObjectName("todayFilter")
        self.today.setToolTip(self.tr("只看今天收件的办件"))
        self.mine = QCheckBox(self.tr("我的(&M)"))
        self.mine.setObjectName("mineFilter")
        self.mine.setToolTip(self.tr("只看我经手的办件（由我收件、受理、审查或办理过）"))
        self.to_review = QCheckBox(self.tr("待我审查(&V)"))
        self.to_review.setObjectName("toReviewFilter")
        self.to_review.setToolTip(self.tr("只看下级单位上报至本单位、等待本单位出具意见的办件"))
        self.returned = QCheckBox(self.tr("退回(&R)"))
        self.returned.setObjectName("returnedFilter")
        self.returned.setToolTip(self.tr("只看上级退回、现由本单位办理的办件"))
        self.paper_check = QCheckBox(self.tr("待核查(&H)"))
        self.paper_check.setObjectName("paperCheckFilter")
        self.paper_check.setToolTip(self.tr("只看已先行准予、纸质材料尚未核查的告知承诺件"))
        self.joint = QCheckBox(self.tr("待联审(&J)"))
        self.joint.setObjectName("jointFilter")
        self.joint.setToolTip(self.tr("只看请本单位参加联审、本单位尚未反馈意见的办件"))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for title, box in ((self.tr("状态(&S)"), self.status), (self.tr("时限(&L)"), self.light),
                           (self.tr("事项(&I)"), self.item)):
            label = QLabel(title)
            label.setBuddy(box)
            layout.addWidget(label)
            layout.addWidget(box)
            layout.addSpacing(6)
        for check in (self.to_review, self.today, self.mine, self.returned, self.paper_check, self.joint):
            layout.addWidget(check)

        for box in (self.status, self.light, self.item):
            box.currentIndexChanged.connect(self.changed)
        self.item.currentIndexChanged.connect(self._show_item_name)  # the box is narrow: the name whole
        for check in (self.to_review, self.today, self.mine, self.returned, self.paper_check, self.joint):
            check.toggled.connect(self.changed)

    def _show_item_name(self, index: int) -> None:
        self.item.setToolTip(self.item.itemData(index, Qt.ItemDataRole.ToolTipRole) or "")

    def value(self, search: str | None) -> CaseFilter:
        """The filter the controls show, with the search box's text."""
        return CaseFilter(
            status=self.status.currentData() or None, search=search or None,
            light=LightFilter(self.light.currentData() or ""), today=self.today.isChecked(),
            mine=self.mine.isChecked(), item_code=self.item.currentData() or None,
            returned=self.returned.isChecked(), to_review=self.to_review.isChecked(),
            paper_check=self.paper_check.isChecked(), joint=self.joint.isChecked(),
        )

    def set_items(self, items: Sequence[tuple[str, str, int]]) -> None:
        """Offer these (code, name, cases) in the item filter; the chosen item stays chosen."""
        chosen = self.item.currentData() or ""
        known = {code for code, _, _ in items}
        self.item.blockSignals(True)  # the same choice again is no change
        try:
            self.item.clear()
            self.item.addItem(self.tr("全部事项"), "")
            for code, name, count in items:
                self.item.addItem(self.tr("{name}（{count}）").format(name=name, count=count), code)
                self.item.setItemData(self.item.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
            if chosen and chosen not in known:  # no case of it any more: keep it, with none
                self.item.addItem(chosen, chosen)
            self.item.setCurrentIndex(max(self.item.findData(chosen), 0))
        finally:
            self.item.blockSignals(False)
        self._show_item_name(self.item.currentIndex())
        view = self.item.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + 24)  # the popup shows names whole
