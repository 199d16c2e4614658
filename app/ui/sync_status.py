"""Background sync for the window, and its part of the status bar.

:class:`SyncEngine` runs :func:`app.services.sync_run.sync_once` on a worker every few
seconds (never on the GUI thread); progress arrives through a queued signal. A failed run
is not a dialog: the status bar says what is wrong in words a clerk understands, and the
engine tries again at the next tick.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from app.services import sync_run
from app.services.context import AppContext
from app.ui.messages import user_message
from app.ui.qt import QHBoxLayout, QLabel, QMouseEvent, QObject, QProgressBar, Qt, QTimer, QWidget, Signal
from app.ui.sync_queue import SyncQueueDialog
from app.ui.tasks import Pool, Task, on_user_error, run_in_background

log = logging.getLogger("ui.sync")


def human_bytes(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


class SyncEngine(QObject):
    """Runs sync in the background at the unit's interval; publishes progress and outcomes."""

    progress = Signal(object)  # SyncProgress, emitted from the worker, delivered queued
    finished = Signal(object)  # SyncReport or UserError

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._task: Task[sync_run.SyncReport] | None = None
        self._stopping = threading.Event()
        self._timer = QTimer(self)
        self._timer.setInterval(max(int(ctx.settings.get("sync.interval")), 5) * 1000)
        self._timer.timeout.connect(self.run_now)

    @property
    def context(self) -> AppContext:
        return self._ctx

    def set_context(self, ctx: AppContext) -> None:
        """Sync for another signed-in person (with their tokens) from the next run on; a run under
        way finishes as the person who started it. Their own steps go up at once."""
        self._ctx = ctx
        self._timer.setInterval(max(int(ctx.settings.get("sync.interval")), 5) * 1000)
        if self._timer.isActive():
            self.run_now()

    @property
    def enabled(self) -> bool:
        return bool(self._ctx.settings.get("platform.url"))

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done

    def start(self) -> None:
        self._stopping.clear()
        if self.enabled:
            self._timer.start()
            self.run_now()

    def stop(self) -> None:
        """Stop the timer and make a running sync end at its next step (before the window closes)."""
        self._timer.stop()
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()

    def run_now(self) -> None:
        if not self.enabled or self.running:
            return
        if sync_run.retry_at(self._ctx) is not None:
            return  # the platform asked us to come back later; the status bar says when
        ctx, emit, stopping = self._ctx, self.progress.emit, self._stopping

        def progress(p: sync_run.SyncProgress) -> None:
            if stopping.is_set():
                raise sync_run.SyncCancelled
            emit(p)

        self._task = run_in_background(self, lambda: sync_run.sync_once(ctx, on_progress=progress),
                                       self.finished.emit, on_user_error(self, "sync", self.finished.emit),
                                       pool=Pool.SYNC)


class SyncStatusBar(QWidget):
    """Online/offline, what waits, what uploads now, the last good sync, the last error."""

    #: the labels show the store's current sync state
    refreshed = Signal()

    def __init__(self, ctx: AppContext, engine: SyncEngine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.state = QLabel()
        self.state.setObjectName("syncState")
        self.waiting = QLabel()
        self.waiting.setObjectName("syncWaiting")
        # What moves now ("上传 办件 4504…0001") beside a bar that holds only the byte counts:
        # a case number does not fit inside a status-bar-sized progress bar.
        self.current_label = QLabel()
        self.current_label.setObjectName("syncCurrent")
        self.current_label.hide()
        self.current = QProgressBar()
        self.current.setObjectName("syncProgress")
        self.current.setFixedWidth(170)
        self.current.setTextVisible(True)
        self.current.hide()
        self.last = QLabel()
        self.last.setObjectName("syncLast")
        self.error = QLabel()
        self.error.setObjectName("syncError")
        self.error.setStyleSheet("color: #b3261e")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.state, self.waiting, self.current_label, self.current, self.last, self.error):
            layout.addWidget(w)
        engine.progress.connect(self._show_progress)
        engine.finished.connect(self._finished)
        self._engine = engine
        #: looks whether the platform answers between sync runs, and re-reads the counts
        self._probe = QTimer(self)
        self._probe.setInterval(max(int(ctx.settings.get("sync.probe_seconds")), 2) * 1000)
        self._probe.timeout.connect(self.check_link)
        self._probing = False
        self.queue_dialog: SyncQueueDialog | None = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("点击查看待上传的办件"))
        self.refresh()
        self._probe.start()

    def set_context(self, ctx: AppContext) -> None:
        """Show the sync state as another signed-in person's context reads it."""
        self._ctx = ctx
        self._probe.setInterval(max(int(ctx.settings.get("sync.probe_seconds")), 2) * 1000)
        self.refresh()

    def check_link(self) -> None:
        """Ask whether the platform answers (in its own pool: a sync run may be waiting on the link)."""
        if self._probing or not self._ctx.settings.get("platform.url"):
            return
        self._probing = True
        ctx = self._ctx

        def done(s: sync_run.SyncStatus) -> None:
            self._probing = False
            self._show(s)

        def failed(exc: BaseException) -> None:
            self._probing = False
            on_user_error(self, "link check", lambda e: self.error.setText(user_message(e)))(exc)

        run_in_background(self, lambda: sync_run.check_link(ctx), done, failed, pool=Pool.LINK)

    def stop(self) -> None:
        self._probe.stop()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.open_queue()
        event.accept()

    def open_queue(self) -> SyncQueueDialog:
        """The cases waiting to go up, what is uploading now, what the platform refused; 立即同步."""
        dialog = SyncQueueDialog(self._ctx, self._engine.run_now, self)
        self._engine.progress.connect(dialog.show_progress)
        self._engine.finished.connect(dialog.sync_finished)
        dialog.show()
        self.queue_dialog = dialog
        return dialog

    def refresh(self) -> None:
        """Re-read the counts and the last outcome, on a worker: at 100 000 cases they take ~1 s."""
        if not self._ctx.settings.get("platform.url"):
            self.state.setText(self.tr("离线工作（未设置市级平台）"))
            for label in (self.waiting, self.last, self.error):
                label.clear()
            self.refreshed.emit()
            return
        ctx = self._ctx
        run_in_background(self, lambda: sync_run.status(ctx), self._show)

    def _show(self, s: sync_run.SyncStatus) -> None:
        self.state.setText(self.tr("● 在线") if s.online else self.tr("○ 离线") if s.online is False
                           else self.tr("尚未同步"))
        self.waiting.setText(self.tr("待上传 {cases} 件（{size}）").format(
            cases=s.pending_cases, size=human_bytes(s.pending_bytes)))
        if s.last_success:
            when = dt.datetime.fromisoformat(s.last_success)
            self.last.setText(self.tr("上次同步 {time}").format(time=f"{when:%m-%d %H:%M}"))
        else:
            self.last.setText(self.tr("从未同步成功"))
        problems = [s.last_error] if s.last_error else []
        if s.refused:
            problems.append(self.tr("平台未接收 {n} 项操作（理由见办件）").format(n=s.refused))
        if s.set_aside:
            problems.append(self.tr("{n} 项平台变更暂时无法处理，已暂存待重试").format(n=s.set_aside))
        self.error.setText("；".join(problems))
        self.error.setToolTip("\n".join(problems))
        self.refreshed.emit()

    def _show_progress(self, p: sync_run.SyncProgress) -> None:
        if p.phase in ("upload", "download") and p.total:
            self.current.setMaximum(1000)
            self.current.setValue(int(p.done * 1000 / p.total))
            verb = self.tr("上传") if p.phase == "upload" else self.tr("下载")
            self.current_label.setText(f"{verb} {p.label}")
            self.current.setFormat(f"{human_bytes(p.done)} / {human_bytes(p.total)}")
            self.current_label.show()
            self.current.show()

    def _finished(self, _outcome: object) -> None:
        self.current_label.hide()
        self.current.hide()
        self.refresh()
