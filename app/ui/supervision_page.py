"""The 「效能监察」 page: the supervisor's red and yellow lists, counts per unit and item, 差评
follow-ups coming due, and the 挂号督办 notices sent — with 挂号督办 on a red case.

The lists come from :func:`app.services.supervision.lists` in the background (the platform for the
unit and its child units; offline this unit's own, with a line saying so). The page holds no rule:
what is listed and why is :mod:`app.core.supervision`'s.
"""

from __future__ import annotations

import datetime as dt

from app.core.deadlines import Light
from app.core.errors import UserError
from app.core.supervision import Count, FollowUp, NoticeRow, Section, SupervisionLists, Watched
from app.services import supervision
from app.services.context import AppContext
from app.ui.case_model import LIGHT_COLOURS
from app.ui.messages import translated, user_message
from app.ui.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import Pool, on_user_error, run_in_background

# the colour of the page's notes (offline, a notice sent or refused)
NOTE_COLOUR = "#8a5300"


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], colours: list[str | None] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if colours and colours[r]:
                item.setBackground(QBrush(QColor(colours[r])))
            table.setItem(r, c, item)


class SuperviseDialog(QDialog):
    """The text of a 挂号督办 notice and its answer day (default: the unit's setting, in working days)."""

    def __init__(self, case: Watched, answer_due: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("superviseDialog")
        self.setWindowTitle(self.tr("挂号督办 — {case_no}").format(case_no=case.case_no))
        self.text = QPlainTextEdit()
        self.text.setObjectName("superviseText")
        self.text.setPlaceholderText(self.tr("督办事由和要求，如：该件已超期，请说明原因并加快办理"))
        self.answer_due = QDateEdit(QDate(answer_due.year, answer_due.month, answer_due.day))
        self.answer_due.setObjectName("answerDue")
        self.answer_due.setCalendarPopup(True)
        self.answer_due.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout()
        form.addRow(self.tr("办件"), QLabel(f"{case.case_no}　{case.item_name}"))
        form.addRow(self.tr("被督办单位"), QLabel(case.unit_name))
        form.addRow(self.tr("超期"), QLabel(self.tr("{days} 个工作日").format(days=case.days_over)))
        form.addRow(self.tr("督办内容"), self.text)
        form.addRow(self.tr("回复期限"), self.answer_due)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("发出督办"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str, dt.date]:
        d = self.answer_due.date()
        return self.text.toPlainText(), dt.date(d.year(), d.month(), d.day())


class SupervisionPage(QWidget):
    """The supervisor's lists, refreshed on 刷新 (and when shown), and 挂号督办 on a red case."""

    #: The lists were (re)loaded.
    refreshed = Signal()
    #: A notice was sent (its id), or refused (the reason is in :attr:`message`).
    supervised = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisionPage")
        self._ctx = ctx
        self.view: supervision.SupervisionView | None = None
        #: the dialog of the last 挂号督办 (for the tests)
        self.dialog: SuperviseDialog | None = None
        self.scope = QLabel()
        self.scope.setObjectName("supervisionScope")
        self.scope.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("supervisionMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {NOTE_COLOUR}")
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh)
        self.supervise_button = QPushButton(self.tr("挂号督办…"))
        self.supervise_button.setObjectName("superviseButton")
        self.supervise_button.setToolTip(self.tr("对选中的超期办件发出督办通知，被督办单位须在期限内回复"))
        self.supervise_button.setEnabled(False)
        self.supervise_button.clicked.connect(self.open_supervise)

        where, item, due = self.tr("办理单位"), self.tr("事项"), self.tr("承诺办结日期")
        self.red = _table("redList", [self.tr("受理编号"), item, where, due, self.tr("超期（工作日）"),
                                      self.tr("督办")])
        self.yellow = _table("yellowList", [self.tr("受理编号"), item, where, due, self.tr("剩余（工作日）")])
        self.per_unit = _table("perUnit", [self.tr("单位"), self.tr("临近"), self.tr("超期")])
        self.per_item = _table("perItem", [self.tr("事项"), self.tr("临近"), self.tr("超期")])
        self.follow_ups = _table("followUps", [self.tr("受理编号"), item, where, self.tr("评价"),
                                               self.tr("回访期限"), self.tr("状态")])
        self.notices = _table("notices", [self.tr("受理编号"), self.tr("被督办单位"), self.tr("回复期限"),
                                          self.tr("状态"), self.tr("督办内容"), self.tr("回复")])
        self.red.itemSelectionChanged.connect(self._selection_changed)
        self.red.itemDoubleClicked.connect(lambda _item: self.open_supervise())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("supervisionTabs")
        counts = QWidget()
        count_layout = QHBoxLayout(counts)
        count_layout.addWidget(self.per_unit)
        count_layout.addWidget(self.per_item)
        for widget, title in ((self.red, self.tr("红灯（超期）")), (self.yellow, self.tr("黄灯（临近）")),
                              (counts, self.tr("超期统计")), (self.follow_ups, self.tr("差评回访")),
                              (self.notices, self.tr("挂号督办"))):
            self.tabs.addTab(widget, title)
        self._section_tabs: list[QWidget] = []

        top = QHBoxLayout()
        top.addWidget(self.scope, 1)
        top.addWidget(self.supervise_button)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

    def set_context(self, ctx: AppContext) -> None:
        self._ctx = ctx

    def refresh(self) -> None:
        """Load the lists in the background (the platform may take a moment)."""
        ctx = self._ctx
        self.refresh_button.setEnabled(False)
        self.message.setText(self.tr("正在读取名单…"))
        run_in_background(self, lambda: supervision.lists(ctx), self._show,
                          on_user_error(self, "supervision lists", self._failed, self._idle), pool=Pool.SYNC)

    def _idle(self) -> None:
        self.refresh_button.setEnabled(True)

    def _failed(self, e: UserError) -> None:
        self._idle()
        self.message.setText(user_message(e))

    def _show(self, view: supervision.SupervisionView) -> None:
        self._idle()
        self.view = view
        lists = view.lists
        self.scope.setText(self.tr("{day} · 范围：{units}").format(day=lists.today.isoformat(),
                                                                 units="、".join(lists.units)))
        notes = [translated(view.note)] if view.note else []
        if not lists.complete:
            notes.append(self.tr("名单过长，仅显示前 {n} 件").format(n=len(lists.red) + len(lists.yellow)))
        self.message.setText("；".join(notes))
        self._fill_lists(lists)
        self.tabs.setTabText(0, self.tr("红灯（超期） {n}").format(n=len(lists.red)))
        self.tabs.setTabText(1, self.tr("黄灯（临近） {n}").format(n=len(lists.yellow)))
        late = sum(n.late for n in lists.notices)
        self.tabs.setTabText(4, self.tr("挂号督办 {n}").format(n=len(lists.notices)) +
                             (self.tr("（{late} 件逾期未回复）").format(late=late) if late else ""))
        self._selection_changed()
        self.refreshed.emit()

    def _fill_lists(self, lists: SupervisionLists) -> None:
        red_bg, yellow_bg = LIGHT_COLOURS[Light.RED][1], LIGHT_COLOURS[Light.YELLOW][1]
        _fill(self.red, [[w.case_no, w.item_name, w.unit_name, self._due(w.due, w.provisional), str(w.days_over),
                          self.tr("已督办") if w.supervised else ""] for w in lists.red], [red_bg] * len(lists.red))
        _fill(self.yellow, [[w.case_no, w.item_name, w.unit_name, self._due(w.due, w.provisional),
                             str(w.workdays_left)] for w in lists.yellow], [yellow_bg] * len(lists.yellow))
        _fill(self.per_unit, self._counts(lists.per_unit))
        _fill(self.per_item, self._counts(lists.per_item))
        _fill(self.follow_ups, [self._follow_up(f) for f in lists.follow_ups],
              [LIGHT_COLOURS[f.light][1] for f in lists.follow_ups])
        _fill(self.notices, [self._notice(n) for n in lists.notices],
              [LIGHT_COLOURS[Light.RED][1] if n.late else None for n in lists.notices])
        self._show_sections(lists.sections)

    def _due(self, due: dt.date, provisional: bool) -> str:
        return due.isoformat() + (self.tr("（暂定）") if provisional else "")

    def _counts(self, counts: tuple[Count, ...]) -> list[list[str]]:
        rows = [[c.name, str(c.yellow), str(c.red)] for c in counts]
        return [*rows, [self.tr("合计"), str(sum(c.yellow for c in counts)), str(sum(c.red for c in counts))]]

    def _follow_up(self, f: FollowUp) -> list[str]:
        state = (self.tr("逾期 {n} 个工作日").format(n=-f.workdays_left) if f.light is Light.RED
                 else self.tr("剩余 {n} 个工作日").format(n=f.workdays_left))
        return [f.case_no, f.item_name, f.unit_name, f.level, f.due.isoformat(), state]

    def _notice(self, n: NoticeRow) -> list[str]:
        state = (self.tr("已回复") if n.answered else self.tr("逾期未回复") if n.late else self.tr("待回复"))
        return [n.case_no, n.to_name, n.answer_due.isoformat(), state, n.text, n.reply_text]

    def _show_sections(self, sections: tuple[Section, ...]) -> None:
        for widget in self._section_tabs:
            self.tabs.removeTab(self.tabs.indexOf(widget))
            widget.deleteLater()
        self._section_tabs = []
        for s in sections:
            table = _table(f"section_{s.key}", [self.tr("受理编号"), self.tr("事项"), self.tr("办理单位"),
                                                self.tr("期限"), self.tr("超期（工作日）"), self.tr("说明")])
            _fill(table, [[r.case_no, r.item_name, r.unit_name, r.due.isoformat(), str(r.days_over), translated(r.note)]
                          for r in s.rows])
            self.tabs.addTab(table, f"{translated(s.title)} {len(s.rows)}")
            self._section_tabs.append(table)

    def selected_red(self) -> Watched | None:
        rows = self.red.selectionModel().selectedRows()
        if self.view is None or not rows or rows[0].row() >= len(self.view.lists.red):
            return None
        return self.view.lists.red[rows[0].row()]

    def _selection_changed(self) -> None:
        online = self.view is not None and self.view.online
        self.supervise_button.setEnabled(online and self.selected_red() is not None)
        if self.view is not None and not online:
            self.supervise_button.setToolTip(self.tr("挂号督办须连接市级平台"))

    def open_supervise(self) -> None:
        """Ask for the notice's text and answer day, then send it (in the background)."""
        case = self.selected_red()
        if case is None or self.view is None or not self.view.online:
            return
        self.dialog = SuperviseDialog(case, supervision.default_answer_due(self._ctx), self)
        self.dialog.accepted.connect(lambda: self._send(case))
        self.dialog.open()

    def _send(self, case: Watched) -> None:
        assert self.dialog is not None
        text, due = self.dialog.chosen()
        ctx = self._ctx
        self.supervise_button.setEnabled(False)
        run_in_background(self, lambda: supervision.supervise(ctx, case, text, due), self._sent,
                          on_user_error(self, "supervise", self._refused, self._selection_changed), pool=Pool.SYNC)

    def _sent(self, notice_id: str) -> None:
        self.message.setText(self.tr("督办通知已发出，被督办单位同步后即可看到"))
        self.supervised.emit(notice_id)
        self.refresh()

    def _refused(self, e: UserError) -> None:
        self._selection_changed()
        self.message.setText(user_message(e))
        self.supervised.emit("")
