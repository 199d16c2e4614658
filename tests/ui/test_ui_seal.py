"""The e-seal as a clerk sees it in the case detail: which notices bear the unit's seal, and what checking
one says (the signing unit, the timestamp, intact, not revoked), with the platform's CA on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.lifecycle import ActionType
from app.core.notice_kinds import NoticeKind
from app.services import audit, notices, seal_keys, sync_run
from app.services.case_actions import perform
from app.services.context import AppContext, init_data_dir
from app.services.intake import new_case
from app.ui.case_detail import CaseDetailDialog
from app.ui.qt import QApplication, QMessageBox, Qt
from tests.conftest import PERSON
from tests.platform_fixture import platform  # noqa: F401
from tests.support import cases, folders
from tests.support import pagegen as g
from tests.support.platform import TOWNSHIP, PlatformProcess, user_of
from tests.ui.conftest import drain_background

pytestmark = [pytest.mark.ui, pytest.mark.slow,
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def clerk(tmp_path: Path, platform: PlatformProcess) -> Iterator[AppContext]:  # noqa: F811
    """The township's window PC after its approver asked for the seal certificate; the clerk signed in."""
    folder = tmp_path / "township"
    init_data_dir(folder, TOWNSHIP, platform.url)
    approver = folders.online(folder, user_of(TOWNSHIP, "approver"))
    with sync_run.make_client(approver) as client:
        seal_keys.request_certificate(approver, client)
    sync_run.sync_once(approver)
    approver.close()
    ctx = folders.online(folder, user_of(TOWNSHIP, "clerk"))
    yield ctx
    drain_background()
    ctx.close()


def test_the_notices_tab_shows_the_seal_and_checking_it_names_the_unit_and_says_it_is_intact(
        qtbot: QtBot, clerk: AppContext, tmp_path: Path) -> None:
    page = g.save(tmp_path / "page.png", g.text_page(1, 100), 100)
    made = new_case(clerk, cases.ITEM, PERSON, cases.materials(page))
    perform(clerk, made.case_no, ActionType.ACCEPT)
    notices.issue(clerk, made.case_no, NoticeKind.ACCEPTANCE)

    dialog = CaseDetailDialog(audit.open_case(clerk, made.case_no), None, ctx=clerk)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert dialog.notices.item(0, 3).text() == "已盖章（B-T）"  # type: ignore[union-attr]
    qtbot.keyClick(dialog, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)

    def shown() -> QMessageBox | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QMessageBox) and w.objectName() == "sealCheck" and w.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None, timeout=30000)
    box = shown()
    assert box is not None
    text = box.text()
    assert "签章单位：万秀区城东镇便民服务中心" in text and "签章范围内的内容未被改动" in text
    assert "时间戳：" in text and "当前证书状态：未吊销" in text and "结论：全部签章有效" in text
    box.close()
    dialog.close()
