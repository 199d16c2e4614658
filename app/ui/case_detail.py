"""A read-only view of one case (the dict of ``queries.show_case``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from app.core.deadlines import Light
from app.core.lifecycle import ActionType, Status
from app.services import notices
from app.services.context import AppContext
from app.services.notice_records import NoticeRecord
from app.ui.case_actions_menu import case_actions_bar
from app.ui.labels import action_label, light_label, status_label
from app.ui.printing import print_notice
from app.ui.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.tasks import run_in_background


def _when(iso: str) -> str:
    return f"{dt.datetime.fromisoformat(iso).astimezone():%Y-%m-%d %H:%M}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    return table


class CaseDetailDialog(QDialog):
    """Case number, applicant, item, deadline, materials and the history of actions."""

    def __init__(self, case: dict[str, Any], parent: QWidget | None = None, *, ctx: AppContext | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._case = ctx, case
        self.setObjectName("caseDetail")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("办件详情 — {case_no}").format(case_no=case["case_no"]))
        self.resize(760, 560)

        form = QFormLayout()
        applicant = case.get("applicant") or {}
        form.addRow(self.tr("受理编号："), QLabel(case["case_no"]))
        form.addRow(self.tr("事项："), QLabel(f"{case['item_name']}（{case['item_code']}）"))
        form.addRow(self.tr("申请人："), QLabel(applicant.get("name", "")))
        if applicant.get("phone"):
            form.addRow(self.tr("联系电话："), QLabel(applicant["phone"]))
        form.addRow(self.tr("状态："), QLabel(status_label(Status(case["status"]))))
        form.addRow(self.tr("收件时间："), QLabel(_when(case["received_at"])))
        form.addRow(self.tr("办结时限："), QLabel(self._deadline(case.get("deadline"))))
        if case.get("missing"):
            form.addRow(self.tr("需补齐材料："), QLabel("、".join(case["missing"])))
        if case.get("reason"):
            form.addRow(self.tr("理由："), QLabel(case["reason"]))

        materials = _table(
            [self.tr("材料名称"), self.tr("页数")],
            [[m["name"], str(len(m["pages"]))] for m in case["materials"]])
        actions = _table(
            [self.tr("时间"), self.tr("操作"), self.tr("经办人")],
            [[_when(a["at"]), action_label(ActionType(a["type"])), a["actor_label"]] for a in case["actions"]])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("电子材料")))
        layout.addWidget(materials, 1)
        layout.addWidget(QLabel(self.tr("办理过程")))
        layout.addWidget(actions, 1)
        if case.get("opinions"):
            layout.addWidget(QLabel(self.tr("上级意见")))
            layout.addWidget(_table(
                [self.tr("时间"), self.tr("单位"), self.tr("意见"), self.tr("说明")],
                [[_when(o["at"]), o["unit"], o["result"], o["text"]] for o in case["opinions"]]), 1)
        if case.get("notices"):
            layout.addWidget(QLabel(self.tr("通知书")))
            self.notices = _table(
                [self.tr("时间"), self.tr("通知书"), self.tr("签名")],
                [[_when(n["at"]), n["kind"], self.tr("已签名") if n["signed"] else ""] for n in case["notices"]])
            self.notices.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            layout.addWidget(self.notices, 1)
            if ctx is not None:
                self.reprint_button = QPushButton(self.tr("重新打印所选通知书(&P)"))
                self.reprint_button.clicked.connect(self.reprint)
                self.notices.selectRow(len(case["notices"]) - 1)
                layout.addWidget(self.reprint_button)
        if ctx is not None:  # the actions the signed-in person may take on the case now
            layout.addWidget(case_actions_bar(self, ctx, case))
        layout.addWidget(buttons)

    def reprint(self) -> None:
        """Print the selected notice again (its stored copy, signed if it was signed)."""
        rows = self.notices.selectionModel().selectedRows()
        if not rows or self._ctx is None:
            return
        wanted = self._case["notices"][rows[0].row()]["action_id"]
        ctx, case_id = self._ctx, self._case["id"]

        def found(records: list[NoticeRecord]) -> None:
            record = next((r for r in records if r.action_id == wanted), None)
            if record is not None:
                print_notice(self, ctx, record)

        run_in_background(self, lambda: notices.notices_of(ctx, case_id), found)

    def _deadline(self, deadline: dict[str, Any] | None) -> str:
        if not deadline:
            return self.tr("未开始计时")
        text = str(deadline["date"])
        if deadline["provisional"]:
            text += self.tr("（暂定）")
        if deadline.get("light"):
            text += f"　{light_label(Light(deadline['light']))}"
        return text
