"""Picking an item from the keyboard: 「gtgs」, arrows, Enter; favourites, recent items, the guide."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.services import items
from app.services.context import AppContext
from app.ui import item_picker
from app.ui.item_picker import ItemPicker
from app.ui.qt import Qt
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
GTGS = "XK00147000"  # 个体工商户设立登记, 承诺 1 个工作日
PENSION = "GG00231000"
BIRTH = "GG00412000"
ACCEPTED = dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def make(qtbot: QtBot, ctx: AppContext) -> Iterator[Callable[..., ItemPicker]]:
    def build(context: AppContext = ctx) -> ItemPicker:
        picker = ItemPicker(dataclasses.replace(context, clock=lambda: ACCEPTED))
        qtbot.addWidget(picker)
        picker.resize(1024, 700)
        picker.show()
        qtbot.waitUntil(lambda: picker.caption.text() != "" and drained())
        picker.field.setFocus()
        return picker

    yield build
    drain_background()


def drained() -> bool:
    from app.ui.tasks import tasks_in_flight
    return tasks_in_flight() == 0


def test_gtgs_then_enter_chooses_the_item(qtbot: QtBot, make: Callable[..., ItemPicker]) -> None:
    picker = make()
    qtbot.keyClicks(picker.field, "gtgs")
    with qtbot.waitSignal(picker.chosen, timeout=5000) as chosen:
        qtbot.keyClick(picker.field, Qt.Key.Key_Return)
    assert chosen.args == [GTGS]
    assert picker.shown_codes == [GTGS]


def test_arrows_move_the_highlight_and_the_guide_follows(qtbot: QtBot, make: Callable[..., ItemPicker]) -> None:
    picker = make()
    qtbot.keyClicks(picker.field, "dj")
    qtbot.waitUntil(lambda: len(picker.shown_codes) >= 3)
    first, second = picker.shown_codes[:2]
    assert picker.current_code == first
    qtbot.keyClick(picker.field, Qt.Key.Key_Down)
    assert picker.current_code == second
    assert picker.guide_panel is not None and picker.guide_panel.guide is not None
    assert picker.guide_panel.guide.code == second
    qtbot.keyClick(picker.field, Qt.Key.Key_Up)
    qtbot.keyClick(picker.field, Qt.Key.Key_Up)  # stays on the first
    assert picker.current_code == first
    with qtbot.waitSignal(picker.chosen) as chosen:
        qtbot.keyClick(picker.field, Qt.Key.Key_Enter)
    assert chosen.args == [first]

    qtbot.keyClick(picker.field, Qt.Key.Key_Escape)
    assert picker.field.text() == ""
    qtbot.keyClicks(picker.field, "qqqqq")
    assert picker.shown_codes == [] and "没有找到" in picker.caption.text()
    with qtbot.assertNotEmitted(picker.chosen):
        qtbot.keyClick(picker.field, Qt.Key.Key_Return)


def test_the_guide_shows_the_promise_and_the_day(qtbot: QtBot, make: Callable[..., ItemPicker]) -> None:
    picker = make()
    picker.field.insert("个体工商户")  # typed through an input method: QTest cannot type Chinese
    panel = picker.guide_panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.guide is not None and panel.guide.code == GTGS)
    assert "1个工作日" in panel.promise.text()
    assert "2026-10-08" in panel.deadline.text() and "星期四" in panel.deadline.text()  # after 国庆
    assert "不收费" in panel.fee.text()
    assert "12345" in panel.phones.text()
    assert "★" in panel.materials[0].text() and len(panel.materials) == len(panel.guide.materials)
    assert panel.conditions.text()


def test_an_empty_field_lists_favourites_then_recent_items(
        qtbot: QtBot, make: Callable[..., ItemPicker], ctx: AppContext) -> None:
    items.note_used(ctx, PENSION)
    items.note_used(ctx, GTGS)
    items.toggle_favourite(ctx, BIRTH)
    picker = make()
    assert picker.shown_codes == [BIRTH, GTGS, PENSION]
    assert picker.results.item(0, item_picker.STAR).text() == "★"
    assert picker.results.item(1, item_picker.STAR).text() == ""

    qtbot.keyClick(picker.field, Qt.Key.Key_Down)
    assert picker.current_code == GTGS
    with qtbot.waitSignal(picker.results_shown, timeout=5000):
        qtbot.keyClick(picker.field, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: picker.shown_codes == [BIRTH, GTGS, PENSION] and drained())
    assert [i.code for i in items.favourites(ctx)] == [BIRTH, GTGS]
    assert picker.results.item(1, item_picker.STAR).text() == "★"

    qtbot.keyClicks(picker.field, "gtgs")
    assert picker.results.item(0, item_picker.STAR).text() == "★" and picker.star.text() == "★"
    qtbot.keyClick(picker.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: picker.shown_codes == [BIRTH, GTGS, PENSION])


def test_searches_go_to_the_background_when_the_index_is_not_built_or_slow(
        qtbot: QtBot, make: Callable[..., ItemPicker], ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(item_picker, "GUI_SEARCH_MS", -1.0)  # every search is "slow"
    picker = make()
    qtbot.keyClicks(picker.field, "sy")
    qtbot.waitUntil(lambda: picker.shown_codes != [])
    with qtbot.waitSignal(picker.chosen, timeout=5000) as chosen:
        qtbot.keyClicks(picker.field, "dj")  # 生育登记; the results come later: Enter waits for them
        qtbot.keyClick(picker.field, Qt.Key.Key_Return)
    assert chosen.args == [BIRTH]

    synced = dataclasses.replace(ctx.catalog, items=tuple(  # a new catalogue: its index is not built yet
        dataclasses.replace(i, name="个体工商户开业登记") if i.code == GTGS else i for i in ctx.catalog))
    picker.set_context(dataclasses.replace(ctx, catalog=synced))
    picker.field.setText("gtgshkydj")
    qtbot.waitUntil(lambda: picker.shown_codes == [GTGS])
