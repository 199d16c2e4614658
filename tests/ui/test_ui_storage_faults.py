"""A storage fault in a background task reaches the clerk as a message box, never the crash dialog."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.lifecycle import ActionType
from app.services import intake
from app.services.case_actions import perform
from app.services.context import AppContext
from app.store import database
from app.ui.crash import CrashHandler, install_crash_handler
from app.ui.qt import QApplication, QMessageBox, QWidget
from app.ui.tasks import run_in_background
from tests.support import cases
from tests.support.faults import fill, tmpfs

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]


@pytest.fixture
def crash(qtbot: QtBot) -> Iterator[CrashHandler]:
    """The crash handler as the app installs it: it must stay silent."""
    handler = install_crash_handler(None)
    yield handler
    handler.uninstall()
    assert handler.dialog is None, "a storage fault reached the crash dialog"


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def user_error_box(qtbot: QtBot) -> QMessageBox:
    def find() -> QMessageBox | None:
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.objectName() == "userErrorBox" and w.isVisible()]
        return boxes[0] if boxes else None

    qtbot.waitUntil(lambda: find() is not None, timeout=20_000)
    box = find()
    assert box is not None
    return box


def test_a_database_locked_by_another_program_during_an_action(
    qtbot: QtBot, crash: CrashHandler, parent: QWidget, ctx: AppContext, pages: dict[str, Path],
    person_file: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT", 0.5)  # the window waits 30 s; the test need not
    made = intake.new_case(ctx, cases.ITEM, json.loads(person_file.read_text(encoding="utf-8")),
                           cases.materials(pages["text"]))
    script = ("import sys\nimport sqlcipher3.dbapi2 as sqlite3\n"
              "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
              "c.execute('PRAGMA key = ' + sys.argv[2])\n"
              "c.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\nsys.stdin.read()\n")
    with subprocess.Popen([sys.executable, "-c", script, str(ctx.store.path), ctx.store.key.sqlcipher_pragma],
                          text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        try:
            run_in_background(parent, lambda: perform(ctx, made.id, ActionType.ACCEPT), lambda _: None)
            box = user_error_box(qtbot)
        finally:
            holder.kill()
    assert box.text().startswith("本地数据库正被其他程序占用，本次操作没有保存")
    box.close()
    assert perform(ctx, made.id, ActionType.ACCEPT).status == "accepted"  # once the other program let go


def test_a_full_disk_under_a_file_a_task_writes(qtbot: QtBot, crash: CrashHandler, parent: QWidget,
                                              tmp_path: Path) -> None:
    """A raw ENOSPC (as under a download's partial file) is turned into the user error on the way out."""
    with tmpfs(tmp_path / "disk", "1m") as disk:
        filler = fill(disk)

        def write() -> None:
            (disk / "part").write_bytes(b"\0" * 65536)

        run_in_background(parent, write, lambda _: None)
        box = user_error_box(qtbot)
        assert box.text().startswith("磁盘空间不足，本次操作没有保存")
        box.close()
        filler.unlink()
