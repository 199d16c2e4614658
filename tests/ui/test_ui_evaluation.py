"""The applicant's evaluation window and the fee form, driven as an applicant and a clerk would."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.settings import Settings
from app.services import intake, queries
from app.services.context import AppContext
from app.services.demo import render_page
from app.ui.evaluation_window import EvaluationWindow
from app.ui.fee_panel import FeePanel
from app.ui.qt import Qt
from tests.conftest import PERSON, make_data_folder, snapshot
from tests.support import folders
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
FEE_ITEM = "QR00203000"  # 国有建设用地使用权及房屋所有权转移登记: 收费


@pytest.fixture(scope="module")
def one_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rated")

    def fill(ctx: AppContext, root: Path) -> None:
        page = root / "p.png"
        page.write_bytes(render_page("申请表", ["申请人：韦秀英"]))
        made = intake.new_case(ctx, "GG00231000", PERSON, [intake.MaterialInput("申请表", (page,))])
        (root / "case.json").write_text(json.dumps(made.case_no))

    return make_data_folder(root, fill)


@pytest.fixture
def case(one_case: Path, tmp_path: Path) -> Iterator[tuple[AppContext, Path, str]]:
    """A fresh copy of a folder with one received case, signed in."""
    data = tmp_path / "data"
    shutil.copytree(one_case, data)
    ctx = folders.open_signed_in(data)
    yield ctx, data, json.loads((one_case.parent / "case.json").read_text())
    drain_background()
    ctx.close()


def _window(qtbot: QtBot, ctx: AppContext, case_no: str) -> EvaluationWindow:
    win = EvaluationWindow(ctx, case_no, thanks_ms=50)
    win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # the test looks at it after it closes
    qtbot.addWidget(win)
    win.open_for_applicant()
    qtbot.waitExposed(win)
    return win


def test_a_tap_on_a_good_level_records_it_thanks_and_closes(qtbot: QtBot, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx, _, case_no = case
    win = _window(qtbot, ctx, case_no)
    assert not win.isFullScreen()  # one screen: the clerk's; an ordinary window
    assert list(win.level_buttons) == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert not win.reasons_box.isVisible()
    shot = tmp_path / "evaluation.png"
    assert win.grab().save(str(shot))
    with qtbot.waitSignal(win.evaluated, timeout=10_000) as signal:
        qtbot.mouseClick(win.level_buttons["满意"], Qt.MouseButton.LeftButton)
    assert signal.args == ["满意"]
    assert win.pages.currentWidget() is win.thanks
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=5_000)
    shown = queries.show_case(ctx, case_no)
    assert shown["evaluation"]["level"] == "满意" and shown["evaluation"]["follow_up_due"] is None
    assert shown["actions"][-1]["type"] == "evaluate"


def test_a_bad_level_needs_a_reason_and_writes_nothing_without_one(qtbot: QtBot, case) -> None:  # type: ignore[no-untyped-def]
    ctx, data, case_no = case
    win = _window(qtbot, ctx, case_no)
    before = snapshot(data)
    with qtbot.assertNotEmitted(win.evaluated, wait=200):
        qtbot.mouseClick(win.level_buttons["不满意"], Qt.MouseButton.LeftButton)
        assert win.reasons_box.isVisible() and win.submit_button.isVisible()
        qtbot.mouseClick(win.submit_button, Qt.MouseButton.LeftButton)
        assert win.message.text() == "请至少选择一项不满意的原因"
    drain_background()
    assert snapshot(data) == before
    assert queries.show_case(ctx, case_no)["evaluation"] is None

    qtbot.mouseClick(win.reason_buttons["多次跑动"], Qt.MouseButton.LeftButton)
    assert win.message.text() == ""
    win.remark.setText("跑了三趟")
    with qtbot.waitSignal(win.evaluated, timeout=10_000):
        qtbot.mouseClick(win.submit_button, Qt.MouseButton.LeftButton)
    e = queries.show_case(ctx, case_no)["evaluation"]
    assert (e["level"], e["reasons"], e["text"]) == ("不满意", ["多次跑动"], "跑了三趟")
    assert e["follow_up_due"] is not None


def test_the_keyboard_works_too(qtbot: QtBot, case) -> None:  # type: ignore[no-untyped-def]
    ctx, _, case_no = case
    win = _window(qtbot, ctx, case_no)
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_5)  # 非常不满意
    assert win.level_buttons["非常不满意"].isChecked() and win.reasons_box.isVisible()
    win.reason_buttons["服务态度差"].setChecked(True)
    with qtbot.waitSignal(win.evaluated, timeout=10_000) as signal:
        qtbot.keyClick(win, Qt.Key.Key_Return)
    assert signal.args == ["非常不满意"]
    assert queries.show_case(ctx, case_no)["evaluation"]["reasons"] == ["服务态度差"]


def test_four_levels_where_the_unit_says_so(qtbot: QtBot, case) -> None:  # type: ignore[no-untyped-def]
    ctx, _, case_no = case
    four = dataclasses.replace(ctx, settings=Settings({"unit.org": ctx.settings.get("unit.org"),
                                                       "evaluation.four_levels": True}))
    win = _window(qtbot, four, case_no)
    assert list(win.level_buttons) == ["非常满意", "满意", "基本满意", "不满意"]
    qtbot.keyClick(win, Qt.Key.Key_5)  # no fifth level: nothing happens
    assert not any(b.isChecked() for b in win.level_buttons.values())


def test_the_fee_form(qtbot: QtBot, case) -> None:  # type: ignore[no-untyped-def]
    ctx, _, _ = case
    panel = FeePanel()
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.form.isVisible() and panel.standard.text() == "本事项不收费"
    item = ctx.catalog.get(FEE_ITEM)
    assert item is not None
    panel.show_fee(item.fee)
    assert panel.form.isVisible() and "2559号" in panel.basis.text() and "80元" in panel.standard.text()
    with qtbot.assertNotEmitted(panel.entered):
        qtbot.keyClicks(panel.amount, "80.001")
        qtbot.keyClicks(panel.reference, "FZ20260928000001")
        qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    assert "两位小数" in panel.message.text()
    panel.amount.clear()
    panel.amount.insert("８０")  # typed with a Chinese input method: full-width digits
    with qtbot.waitSignal(panel.entered) as signal:
        qtbot.keyClick(panel.reference, Qt.Key.Key_Return)
    assert signal.args[0] == 8000 and signal.args[2] == "FZ20260928000001" and "2559号" in signal.args[1]
