"""收件 in the window: the ID card fills the applicant, the scanner fills the materials."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services import devices, queries, unit_settings
from app.services.context import AppContext
from app.ui.intake_dialog import PAGES_COLUMN, IntakeDialog
from app.ui.main_window import MainWindow
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
ITEM = "GG00231000"  # 城乡居民基本养老保险参保登记


@pytest.fixture
def dialog(qtbot: QtBot, ctx: AppContext) -> Iterator[IntakeDialog]:
    d = IntakeDialog(devices.use_simulated_devices(ctx))
    qtbot.addWidget(d)
    d.item.setCurrentIndex(d.item.findData(ITEM))
    d.show()
    yield d
    drain_background()


def step(qtbot: QtBot, dialog: IntakeDialog, action: object) -> str:
    with qtbot.waitSignal(dialog.finished_step, timeout=60_000):
        action()  # type: ignore[operator]
    return dialog.message.text()


def test_the_card_fills_the_applicant_and_the_scanner_the_material_then_the_case_is_received(
        qtbot: QtBot, dialog: IntakeDialog, ctx: AppContext) -> None:
    assert step(qtbot, dialog, dialog.read_card_button.click).startswith("已读取身份证：")
    card = devices.read_id_card(dialog._ctx)
    assert (dialog.name.text(), dialog.id_number.text()) == (card["name"], card["id_number"])

    material = dialog.materials.item(0, 0).text()
    dialog.select_material(material)
    counts: list[int] = []
    dialog.page_scanned.connect(lambda _row, n: counts.append(n))
    assert step(qtbot, dialog, dialog.scan_button.click) == f"“{material}”已扫描 3 页"
    assert counts == [1, 2, 3]  # each page showed as it came
    assert dialog.materials.item(0, PAGES_COLUMN).text() == "3"

    with qtbot.waitSignal(dialog.received, timeout=60_000) as received:
        dialog.receive_button.click()
    case = queries.show_case(ctx, received.args[0])
    assert case["item_code"] == ITEM and case["applicant"]["id_number"] == card["id_number"]
    assert [(m["name"], len(m["pages"])) for m in case["materials"]] == [(material, 3)]


def test_a_scanner_problem_is_said_on_the_dialog_and_nothing_is_lost(qtbot: QtBot, dialog: IntakeDialog,
                                                                    ctx: AppContext, tmp_path: Path) -> None:
    material = dialog.materials.item(0, 0).text()
    dialog.select_material(material)
    step(qtbot, dialog, dialog.scan_button.click)
    # The clerk points the simulated scanner at a folder that is gone: the window hands the dialog the new context.
    dialog.set_context(unit_settings.set_setting(dialog._ctx, "devices.sim_scanner_folder", str(tmp_path / "gone")))
    message = step(qtbot, dialog, dialog.scan_button.click)
    assert "模拟扫描仪的图片文件夹" in message and "不存在" in message
    assert dialog.materials.item(0, PAGES_COLUMN).text() == "3"  # the first scan's pages are still there
    assert dialog.receive_button.isEnabled()


def test_receiving_without_an_applicant_says_what_is_missing(qtbot: QtBot, dialog: IntakeDialog) -> None:
    dialog.select_material(dialog.materials.item(0, 0).text())
    step(qtbot, dialog, dialog.scan_button.click)
    assert "缺少“姓名”" in step(qtbot, dialog, dialog.receive_button.click)
    assert dialog.isVisible()


def test_the_window_opens_intake_from_its_button(qtbot: QtBot, window: MainWindow) -> None:
    window.intake_button.click()
    assert window.intake is not None and window.intake.isVisible()
    window.intake.reject()
