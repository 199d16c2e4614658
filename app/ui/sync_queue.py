"""The sync queue: each case waiting to go up, what is uploading now (n/m MB), what the platform
refused and why, and 「立即同步」."""

from __future__ import annotations

from collections.abc import Callable

from app.services import sync_run
from app.services.context import AppContext
from app.ui.messages import user_message
from app.ui.qt import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import on_user_error, run_in_background

CASE_NO, ITEM, STATE = range(3)


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 100 * 1024 else f"{max(n, 0) / 1024:.0f} KB"


class SyncQueueDialog(QDialog):
    """Lists :func:`app.services.sync_run.queue`; ``run_now`` starts a sync at once."""

    #: the list was read again
    loaded = Signal()

    def __init__(self, ctx: AppContext, run_now: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncQueue")
        self.setWindowTitle(self.tr("待上传的办件"))
        self.resize(720, 420)
        self._ctx, self._run_now = ctx, run_now
        self._uploading: tuple[str, int, int] | None = None  # case number, done, total
        self.rows: list[sync_run.QueuedCase] = []
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("受理编号"), self.tr("事项"), self.tr("状态")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(CASE_NO, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.sync_button = QPushButton(self.tr("立即同步(&S)"))
        close = QPushButton(self.tr("关闭"))
        close.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.sync_button.clicked.connect(self.sync_now)
        close.clicked.connect(self.accept)
        self.reload()

    def reload(self) -> None:
        ctx = self._ctx
        run_in_background(self, lambda: sync_run.queue(ctx), self._show,
                          on_user_error(self, "sync queue", lambda e: self.summary.setText(user_message(e))))

    def sync_now(self) -> None:
        self.summary.setText(self.tr("正在同步…"))
        self._run_now()

    def show_progress(self, p: sync_run.SyncProgress) -> None:
        """A sync run's progress: the case uploading now shows n/m MB."""
        if p.phase == "upload" and p.total:
            self._uploading = (p.label, p.done, p.total)
            self._show(self.rows)

    def sync_finished(self, _outcome: object) -> None:
        self._uploading = None
        self.reload()

    def _show(self, rows: list[sync_run.QueuedCase]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for n, r in enumerate(rows):
            self.table.setItem(n, CASE_NO, QTableWidgetItem(r.case_no))
            self.table.setItem(n, ITEM, QTableWidgetItem(r.item_name))
            self.table.setItem(n, STATE, QTableWidgetItem(self.state_text(r)))
        waiting = sum(1 for r in rows if r.waiting)
        refused = sum(1 for r in rows if r.refused)
        self.summary.setText(self.tr("等待上传 {waiting} 件，被平台拒绝 {refused} 件").format(
            waiting=waiting, refused=refused))
        self.loaded.emit()

    def state_text(self, r: sync_run.QueuedCase) -> str:
        if r.refused:
            return self.tr("平台拒绝：{reason}").format(reason=r.reason or self.tr("（未说明理由）"))
        if self._uploading is not None and self._uploading[0].endswith(r.case_no):
            _, done, total = self._uploading
            return self.tr("正在上传 {done} / {total}").format(done=megabytes(done), total=megabytes(total))
        if r.bytes_waiting:
            return self.tr("等待上传（{size}）").format(size=megabytes(r.bytes_waiting))
        return self.tr("等待上传")
