"""The 「设备」 page: what is attached, whether it is ready, a test per device, which one is used.

Discovery and tests run in the background (a device may take its whole timeout to answer);
the page stays usable meanwhile, and a device problem is shown on the page in plain Chinese
rather than in a dialog, since checking devices is what the clerk is doing here.
"""

from __future__ import annotations

import dataclasses

from app.core.errors import UserError
from app.services import camera, devices
from app.services.context import AppContext
from app.services.devices import DeviceInfo
from app.ui.camera_dialog import CameraDialog
from app.ui.messages import user_message
from app.ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QHideEvent,
    QLabel,
    QPushButton,
    QShowEvent,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tasks import Pool, on_user_error, run_in_background

COLUMNS = 5
#: While the page is shown it looks again this often, so a device plugged in (or pulled) shows
#: up without the clerk pressing 刷新.
REFRESH_MS = 10_000


class DevicesPage(QWidget):
    """Lists the devices of :func:`app.services.devices.list_devices`, with 刷新, 测试 and 使用此设备."""

    #: The list was (re)loaded.
    refreshed = Signal()
    #: A test or a choice finished; its text is in :attr:`result`.
    finished = Signal()
    #: A device was chosen: the context with the new setting, for the window to hand to every part.
    context_updated = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, refresh_ms: int = REFRESH_MS) -> None:
        super().__init__(parent)
        self.setObjectName("devicesPage")
        self._ctx = ctx
        self._devices: list[DeviceInfo] = []
        #: the preview opened by the last camera test (for the tests)
        self.camera_dialog: CameraDialog | None = None

        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("devicesTable")
        self.table.setHorizontalHeaderLabels([self.tr("类型"), self.tr("名称"), self.tr("状态"), self.tr("使用中"),
                                              self.tr("设备标识")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.refresh_button = QPushButton(self.tr("刷新"))
        self.test_button = QPushButton(self.tr("测试所选设备"))
        self.use_button = QPushButton(self.tr("使用此设备"))
        self.result = QLabel(self.tr("选择一台设备后可点击「测试所选设备」。"))
        self.result.setObjectName("deviceResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)

        self.refresh_button.clicked.connect(self.refresh)
        self.test_button.clicked.connect(self.test_selected)
        self.use_button.clicked.connect(self.use_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()
        self._refreshing = False
        self._working = False  # a test or a choice is under way
        self._announce = True
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self._refresh_quietly)

    @property
    def context(self) -> AppContext:
        return self._ctx

    def set_context(self, ctx: AppContext) -> None:
        """Work for another signed-in person from now on (a test under way finishes as it began)."""
        self._ctx = ctx
        self._update_buttons()

    @property
    def devices(self) -> list[DeviceInfo]:
        return list(self._devices)

    def refresh(self) -> None:
        self.result.setText(self.tr("正在查找设备…"))
        self._refresh(announce=True)

    def _refresh_quietly(self) -> None:
        # Not while a test runs (the reader or scanner is busy with it); an automatic look
        # leaves the last result on screen.
        if not self._refreshing and not self._working:
            self._refresh(announce=False)

    def _refresh(self, *, announce: bool) -> None:
        self._refreshing = True
        self._announce = announce
        self.refresh_button.setEnabled(False)
        ctx = self._ctx
        run_in_background(self, lambda: devices.list_devices(ctx), self._show, self._failed, pool=Pool.DEVICE)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def select(self, name: str) -> None:
        """Select the row of the device named ``name`` (as the clerk would click it)."""
        for row, info in enumerate(self._devices):
            if info.name == name:
                self.table.selectRow(row)
                return
        raise KeyError(name)

    def selected(self) -> DeviceInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._devices[rows[0].row()] if rows else None

    def test_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        self._busy(self.tr("正在测试“{label}”…").format(label=info.label))
        ctx = self._ctx
        if info.kind == "camera":  # a camera is tried by looking through it
            self._open_camera(info)
            return
        run_in_background(self, lambda: devices.try_device(ctx, info), self._tested, self._failed,
                          pool=Pool.DEVICE)

    def _open_camera(self, info: DeviceInfo) -> None:
        settings = self._ctx.settings
        self.camera_dialog = CameraDialog(lambda: camera.open_named_camera(settings, info.name),
                                          self.tr("高拍仪预览 — {label}").format(label=info.label), self)
        dialog = self.camera_dialog

        def closed() -> None:
            self._tested(devices.shot_summary(dialog.shot) if dialog.shot is not None else self.tr("已关闭预览。"))

        dialog.finished.connect(closed)
        dialog.open()

    def use_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        self._busy(self.tr("正在保存设置…"))
        ctx = self._ctx
        run_in_background(self, lambda: devices.use_device(ctx, info), lambda new: self._used(info, new), self._failed)

    # -- callbacks on the GUI thread --------------------------------------------------------------

    def _show(self, found: list[DeviceInfo]) -> None:
        was = self.selected()
        self._refreshing = False
        self._devices = found
        self.table.setRowCount(len(found))
        for row, info in enumerate(found):
            status = devices.status_label(info.status)
            values = (devices.kind_label(info.kind), info.label + (self.tr("（模拟）") if info.simulated else ""),
                      f"{status}：{info.detail}" if info.detail and info.status != "ready" else status,
                      "✔" if devices.chosen(self._ctx, info) else "", info.name)
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.refresh_button.setEnabled(True)
        if was is not None and was.name in [d.name for d in found]:
            self.select(was.name)
        if self._announce:
            self.result.setText(self.tr("找到 {n} 台设备。").format(n=len(found)))
        self._update_buttons()
        self.refreshed.emit()

    def _tested(self, text: str) -> None:
        self.result.setText(text)
        self._idle()

    def _used(self, info: DeviceInfo, updated: AppContext) -> None:
        # Every holder of the context (sync engine, intake, this page) takes the new one from the
        # window, on this thread: the context is never changed in place.
        new = dataclasses.replace(self._ctx, settings=updated.settings)
        self.set_context(new)
        self.context_updated.emit(new)
        self.result.setText(self.tr("已设为使用的{kind}：{label}").format(kind=devices.kind_label(info.kind),
                                                                       label=info.label))
        for row, other in enumerate(self._devices):
            self.table.setItem(row, 3, QTableWidgetItem("✔" if devices.chosen(self._ctx, other) else ""))
        self._idle()

    def _failed(self, exc: BaseException) -> None:
        self._refreshing = False
        self._idle()
        self.refresh_button.setEnabled(True)
        on_user_error(self, "devices page", self._tell)(exc)

    def _tell(self, exc: UserError) -> None:
        self.result.setText(user_message(exc))
        self.finished.emit()

    def _busy(self, text: str) -> None:
        self._working = True
        self.result.setText(text)
        self.test_button.setEnabled(False)
        self.use_button.setEnabled(False)

    def _idle(self) -> None:
        self._working = False
        self._update_buttons()
        self.finished.emit()

    def _update_buttons(self) -> None:
        info = self.selected()
        self.test_button.setEnabled(info is not None and info.status == "ready")
        self.use_button.setEnabled(info is not None and info.status == "ready" and not devices.chosen(self._ctx, info))
