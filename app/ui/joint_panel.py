"""The 联审 panel of a case's detail: each department asked, its due date, whether it answered and
what it said; a department whose due date has passed without an answer is shown in red (逾期).

Built from ``show_case``'s ``joint`` (``app.services.joint_desk.panel_view``): lateness is counted
there, from the window's "today"; this only lays it out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.ui.case_timeline import table, when
from app.ui.qt import QBrush, QColor, QCoreApplication, QFont, QLabel, QVBoxLayout, QWidget

# the red of a late department (the deadline lights' red)
LATE_COLOUR = "#c62828"


class JointPanel(QWidget):
    """One case's joint review: what holds the decision, and a row per department."""

    def __init__(self, joint: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jointPanel")
        departments = list(joint["departments"])
        answered = sum(1 for d in departments if d["result"])
        late = [d for d in departments if d["late"]]
        rules = {"all_required_agree": self.tr("必须参加的部门均同意"), "all_agree": self.tr("全部联审部门均同意")}
        summary = self.tr("联审规则：{rule}。已反馈 {answered}/{total} 个部门").format(
            rule=rules.get(joint["rule"], joint.get("rule_label", "")), answered=answered, total=len(departments))
        if late:
            summary += self.tr("，逾期未反馈：{names}").format(names="、".join(d["name"] for d in late))
        self.summary = QLabel(summary)
        self.summary.setObjectName("jointSummary")
        self.summary.setWordWrap(True)
        self.waiting = QLabel(joint["waiting"])
        self.waiting.setObjectName("jointWaiting")
        self.waiting.setWordWrap(True)
        self.waiting.setStyleSheet(f"color: {LATE_COLOUR};")
        self.waiting.setVisible(bool(joint["waiting"]))
        headers = [self.tr("部门"), self.tr("反馈期限"), self.tr("必须参加"), self.tr("反馈情况"), self.tr("结论"),
                   self.tr("意见"), self.tr("反馈时间")]
        rows = [[d["name"], d["due"], self.tr("是") if d["required"] else self.tr("否"), self._answer_state(d),
                 QCoreApplication.translate("ActionDialog", d["result"]) if d["result"] else "", d["text"],
                 when(d["at"]) if d["at"] else ""]
                for d in departments]
        self.table = table(headers, rows, object_name="jointDepartments")
        for row, d in enumerate(departments):
            if d["late"]:
                self._mark_late(row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.waiting)
        layout.addWidget(self.table, 1)
        # the departments shown as late, in order (what the clerk sees in red)
        self.late_names = [d["name"] for d in late]

    def _answer_state(self, d: Mapping[str, Any]) -> str:
        if d["result"]:
            return self.tr("已反馈")
        return self.tr("逾期未反馈") if d["late"] else self.tr("未反馈")

    def _mark_late(self, row: int) -> None:
        red = QBrush(QColor(LATE_COLOUR))
        for column in range(self.table.columnCount()):
            item = self.table.item(row, column)
            if item is None:
                continue
            item.setForeground(red)
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
        due = self.table.item(row, 1)
        if due is not None:
            due.setToolTip(self.tr("反馈期限已过，该部门尚未反馈意见"))
