"""A read-only view of one case (the dict of ``queries.show_case``), laid out for a clerk.

The header says what the case is and where it stands (number, item, applicant, status, deadline
with its light, the unit handling it by name); four tabs hold the rest: 材料 (each material's
pages as thumbnails, a viewer on Enter), 办理过程 (every action with the device's time and the
platform's), 意见 (the forwarding unit's own opinion and the higher tiers'), 通知书 (reprint).
Alt with a tab's letter, or Ctrl+Tab, moves between the tabs. It fits a 1024×700 screen: the
tabs scroll, the header and the buttons stay.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.core.deadlines import Light
from app.core.lifecycle import Status
from app.services import notices, seal_check
from app.services.context import AppContext
from app.services.notice_records import NoticeRecord
from app.services.seal_check import SealCheck
from app.ui import case_timeline
from app.ui.case_actions_menu import CaseActionsBar, case_actions_bar
from app.ui.case_model import LIGHT_COLOURS
from app.ui.case_pages import CasePages
from app.ui.joint_panel import JointPanel
from app.ui.labels import light_label, status_label
from app.ui.messages import translated
from app.ui.printing import print_notice
from app.ui.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QMessageBox,
    QPushButton,
    Qt,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from app.ui.review_view import ReviewView
from app.ui.supervision_banner import SupervisionBanner
from app.ui.tasks import default_failure, run_in_background

#: the size the dialog opens at, made smaller where the screen is (a 1024×700 counter PC)
WIDTH, HEIGHT = 1000, 680
#: the box of a 退回: what to correct, per material
RETURN_BOX_STYLE = ("QFrame#returnBox { border: 2px solid #d32f2f; border-radius: 4px; background: #fdecea; }"
                    " QLabel { color: #b71c1c; }")


def awaits_review(case: dict[str, Any], ctx: AppContext | None) -> bool:
    """Whether ``case`` was forwarded (上报) to this PC's unit and waits for its opinion."""
    return ctx is not None and case.get("status") == str(Status.FORWARDED) and \
        case.get("holder") == ctx.settings.get("unit.org")


def _when(iso: str) -> str:
    return f"{dt.datetime.fromisoformat(iso).astimezone():%Y-%m-%d %H:%M}"


def _value(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CaseDetailDialog(QDialog):
    """One case: a header that says where it stands, and tabs for its materials, history,
    opinions and notices.

    The buttons at the bottom sit in ``self.layout()`` (a QVBoxLayout): its last item is the
    button box, so a row of case actions goes in right before it.
    """

    def __init__(self, case: dict[str, Any], parent: QWidget | None = None, *, ctx: AppContext | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._case = ctx, case
        self.setObjectName("caseDetail")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("办件详情 — {case_no}").format(case_no=case["case_no"]))
        self._fit_screen(parent)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("caseTabs")
        self.pages = CasePages(ctx, case)
        self.timeline = case_timeline.timeline(case)
        self.opinions = case_timeline.opinions(case)
        # The tabs' Alt keys leave the action row's letters free (case_actions_menu.MNEMONICS).
        self.tabs.addTab(self._materials_tab(), self.tr("材料(&L)"))
        self.tabs.addTab(self.timeline, self.tr("办理过程(&G)"))
        self.tabs.addTab(self._opinions_tab(), self._counted(self.tr("意见(&O)"), self.opinions.rowCount()))
        self.tabs.addTab(self._notices_tab(), self._counted(self.tr("通知书(&N)"), len(case.get("notices", ()))))
        # the 联审 panel, when the case went to a joint review (网上联审); open first while it is undecided
        self.joint: JointPanel | None = None
        if case.get("joint"):
            self.joint = JointPanel(case["joint"])
            self.tabs.addTab(self.joint, self.tr("联审(&Q)"))
            if case["joint"]["waiting"]:
                self.tabs.setCurrentWidget(self.joint)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._header(case))
        #: 挂号督办 waiting for an answer: above everything else (None when there is none)
        self.supervision: SupervisionBanner | None = None
        if any(not s["answered"] for s in case.get("supervisions", ())):
            self.supervision = SupervisionBanner(case, ctx, self)
            layout.addWidget(self.supervision)
        #: the open 退回's box (None when the case is not returned)
        self.return_box = self._return_box(case) if case.get("returns") else None
        if self.return_box is not None:
            layout.addWidget(self.return_box)
        layout.addWidget(self.tabs, 1)
        #: 并排审查 of a case waiting for this unit's opinion
        self.review_button: QPushButton | None = None
        self.review: ReviewView | None = None
        if awaits_review(case, ctx):
            # F4, not an Alt letter: the actions, tabs and buttons of this dialog hold all 26 already
            # (Alt+V is the notices tab's 验证电子印章).
            self.review_button = QPushButton(self.tr("并排审查（F4）"))
            self.review_button.setShortcut(QKeySequence("F4"))
            self.review_button.setObjectName("openReview")
            self.review_button.clicked.connect(self.open_review)
            buttons.addButton(self.review_button, QDialogButtonBox.ButtonRole.ActionRole)
        if ctx is not None:  # the actions the signed-in person may take on the case now
            layout.addWidget(case_actions_bar(self, ctx, case))
        layout.addWidget(buttons)

    def open_review(self) -> None:
        """The side-by-side view of this case, in place of the detail (the opinion is given there)."""
        assert self._ctx is not None
        self.review = ReviewView(self._case, self._ctx, self.parentWidget())
        bar = self.findChild(CaseActionsBar)
        if bar is not None:  # whoever watched the detail hears of the opinion
            for ref in bar.watchers:
                watcher = ref()
                if watcher is not None:
                    self.review.changed.connect(watcher)
        self.review.open()
        self.close()

    def _return_box(self, case: dict[str, Any]) -> QFrame:
        """A red box: the higher unit returned the case, and what each material must correct."""
        opinion = case["opinions"][-1] if case.get("opinions") else {}
        unit = opinion.get("unit_name") or case_timeline.unit_name(case, str(opinion.get("unit", "")))
        box = QFrame()
        box.setObjectName("returnBox")
        box.setStyleSheet(RETURN_BOX_STYLE)
        layout = QVBoxLayout(box)
        title = QLabel(self.tr("{unit}退回，请按下列要求补正材料后重新上报：").format(unit=unit or self.tr("上级单位")))
        title.setStyleSheet("font-weight: bold;")
        title.setWordWrap(True)
        layout.addWidget(title)
        for line in case["returns"]:
            label = _value(self.tr("· {material}：{what}").format(material=line["material"], what=line["what"]))
            label.setObjectName("returnLine")
            layout.addWidget(label)
        if opinion.get("text"):
            layout.addWidget(_value(self.tr("意见：{text}").format(text=opinion["text"])))
        return box

    # -- layout -------------------------------------------------------------------------------
    def _fit_screen(self, parent: QWidget | None) -> None:
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(WIDTH, screen.width() - 24), min(HEIGHT, screen.height() - 48))

    def _counted(self, title: str, n: int) -> str:
        """A tab's title with how many things it holds, when it holds any."""
        return self.tr("{title}（{count}）").format(title=title, count=n) if n else title

    def _header(self, case: dict[str, Any]) -> QFrame:
        applicant = case.get("applicant") or {}
        left, right = QFormLayout(), QFormLayout()
        self.case_no_label = _value(case["case_no"])
        left.addRow(self.tr("受理编号："), self.case_no_label)
        left.addRow(self.tr("事项："), _value(f"{case['item_name']}（{case['item_code']}）"))
        who = applicant.get("name", "")
        if applicant.get("phone"):
            who += f"　{applicant['phone']}"
        left.addRow(self.tr("申请人："), _value(who))
        left.addRow(self.tr("收件时间："), _value(_when(case["received_at"])))
        self.status_label = _value(status_label(Status(case["status"])))
        right.addRow(self.tr("状态："), self.status_label)
        self.deadline_label = _value(self._deadline(case.get("deadline")))
        light = (case.get("deadline") or {}).get("light")
        if light:
            colour = LIGHT_COLOURS[Light(light)][0]
            self.deadline_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        right.addRow(self.tr("办结时限："), self.deadline_label)
        holder = case.get("holder") or case.get("org", "")
        self.holder_label = _value(case.get("holder_name") or case_timeline.unit_name(case, holder))
        right.addRow(self.tr("办理单位："), self.holder_label)
        check = case.get("paper_check")
        if check:
            self.paper_check_label = _value(self._paper_check(check))
            if check.get("light") or check.get("revoke_owed"):
                colour = LIGHT_COLOURS[Light(check.get("light") or "red")][0]
                self.paper_check_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
            right.addRow(self.tr("告知承诺核查："), self.paper_check_label)
        if case.get("missing"):
            right.addRow(self.tr("需补齐材料："), _value("、".join(case["missing"])))
        if case.get("reason"):
            right.addRow(self.tr("理由："), _value(case["reason"]))
        refused = case.get("refused") or []
        if refused:
            why = "；".join(f"{r['label']}：{r['reason']}" for r in refused)
            note = _value(self.tr("平台未接收：{why}").format(why=why))
            note.setStyleSheet(f"color: {case_timeline.REFUSED_COLOUR};")
            right.addRow(note)
        frame = QFrame()
        frame.setObjectName("caseHeader")
        row = QHBoxLayout(frame)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        return frame

    def _materials_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        rows = case_timeline.override_rows(self._case)
        self.overrides: QTableWidget | None = None
        if rows:
            # Pages taken in despite the quality checks are the first thing a reviewer should see.
            title = QLabel(self.tr("质检放行（{count} 页）：以下页面未通过质量检查，经办人注明理由后收取")
                           .format(count=len(rows)))
            title.setWordWrap(True)
            self.overrides = case_timeline.overrides(self._case)
            layout.addWidget(title)
            layout.addWidget(self.overrides)
        layout.addWidget(self.pages, 1)
        return tab

    def _opinions_tab(self) -> QWidget:
        if self.opinions.rowCount():
            return self.opinions
        return self._empty(self.tr("暂无意见。上报时的本级意见和上级单位的意见会显示在这里。"))

    def _notices_tab(self) -> QWidget:
        case, ctx = self._case, self._ctx
        self.notices = case_timeline.table(
            [self.tr("时间"), self.tr("通知书"), self.tr("签名"), self.tr("电子印章")],
            [[_when(n["at"]), n["kind"], self.tr("已签名") if n["signed"] else "", self._seal_state(n)]
             for n in case.get("notices", ())])
        self.notices.setObjectName("caseNotices")
        self.notices.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        if not case.get("notices"):
            return self._empty(self.tr("该办件暂无通知书。"))
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.notices, 1)
        if ctx is not None:
            self.reprint_button = QPushButton(self.tr("重新打印所选通知书(&P)"))
            self.reprint_button.clicked.connect(self.reprint)
            self.verify_button = QPushButton(self.tr("验证电子印章(&V)"))
            self.verify_button.setObjectName("verifySeal")
            self.verify_button.clicked.connect(self.verify_seal)
            self.notices.selectRow(len(case["notices"]) - 1)
            row = QHBoxLayout()
            row.addWidget(self.reprint_button)
            row.addWidget(self.verify_button)
            row.addStretch(1)
            layout.addLayout(row)
        return tab

    def _seal_state(self, notice: dict[str, Any]) -> str:
        signed, sealed = notice.get("signed") or {}, notice.get("sealed") or {}
        level = signed.get("level") or sealed.get("level") or ""
        if not level:
            return self.tr("未盖章")
        seals = int(sealed.get("seals", 1)) if not signed else 1
        text = self.tr("已盖章（%1）").replace("%1", level)
        if seals > 1:
            text += self.tr("，共%1枚").replace("%1", str(seals))
        if level == "B-B":
            text += self.tr("，待加时间戳")
        return text

    def _empty(self, text: str) -> QWidget:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    # -- what the clerk does here -------------------------------------------------------------
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

    def verify_seal(self) -> None:
        """Check the seals on the selected notice and show the result (who sealed, when, intact, revoked?)."""
        rows = self.notices.selectionModel().selectedRows()
        if not rows or self._ctx is None:
            return
        wanted = self._case["notices"][rows[0].row()]["action_id"]
        ctx, case_id = self._ctx, self._case["id"]
        self.verify_button.setEnabled(False)

        def shown(check: SealCheck) -> None:
            self.verify_button.setEnabled(True)
            box = QMessageBox(QMessageBox.Icon.Information if check.report.all_valid else QMessageBox.Icon.Warning,
                              self.tr("电子印章验证结果"), "\n".join(translated(line) for line in check.lines),
                              parent=self)
            box.setObjectName("sealCheck")
            box.open()

        def failed(error: BaseException) -> None:
            self.verify_button.setEnabled(True)
            default_failure(self, "verify seal", error)

        run_in_background(self, lambda: seal_check.check_notice(ctx, case_id, wanted), shown, failed)

    def _paper_check(self, check: dict[str, Any]) -> str:
        """告知承诺: the paper check's task while open (due day and light), its result once recorded."""
        if check["open"]:
            text = self.tr("待核查纸质材料，须于 {due} 前完成").format(due=check["due"])
            if check.get("light"):
                text += f"　{light_label(Light(check['light']))}"
            return text
        text = self.tr("核查结果：{result}").format(result=check["result"])
        if check.get("text"):
            text += f"（{check['text']}）"
        if check.get("revoke_owed"):
            text += self.tr("　请注销已出具的证照")
        return text

    def _deadline(self, deadline: dict[str, Any] | None) -> str:
        if not deadline:
            return self.tr("未开始计时")
        text = str(deadline["date"])
        if deadline["provisional"]:
            text += self.tr("（暂定）")
        if deadline.get("light"):
            text += f"　{light_label(Light(deadline['light']))}"
        return text
