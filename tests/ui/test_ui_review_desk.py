"""The reviewer's desk in the window, end to end with the real platform and two data folders.

A township forwards a case; the county reviewer's window opens on 待我审查, the case names the
township by name; it opens side by side, the reviewer reads its pages and gives a sealed 退回
listing two materials. The township's window shows the return standing out (the list, the red box
in the detail); the township amends the materials and forwards the case again; the county agrees
(sealed again) and decides; the township issues the result. Every step is in both timelines.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.case_list import SortKey
from app.core.lifecycle import ActionType, Status
from app.services import queries, seal_keys, sync_run, unit_settings
from app.services.amend import amend_materials, parse_edits
from app.services.context import AppContext, init_data_dir
from app.services.demo import render_page
from app.services.intake import new_case
from app.services.review_sheets import current_sheet
from app.services.review_sheets import perform as perform_with_sheet
from app.ui.case_detail import CaseDetailDialog
from app.ui.case_model import Column
from app.ui.main_window import MainWindow
from app.ui.opinion_dialog import ReviewOpinionDialog
from app.ui.qt import QApplication, QPushButton, QWidget
from app.ui.review_view import ReviewView
from tests.conftest import PERSON
from tests.platform_fixture import platform  # noqa: F401
from tests.support import cases, folders
from tests.support.platform import COUNTY, TOWNSHIP, WINDOWS, PlatformProcess, user_of
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
TOWNSHIP_NAME, COUNTY_NAME = "万秀区城东镇便民服务中心", "万秀区政务服务中心"
RETURN_TEXT = "申请材料不符合要求，请按所列事项补正后重新上报。"
AGREED_TEXT = "经复核，补正后的材料齐全，符合法定条件，同意。"
HOUSEHOLD_FIX, ID_FIX = "缺户主页，请补充户主页", "身份证反面不清晰，请重新扫描"
#: where the screenshots go (docs/screens holds the ones chosen): a folder named by the environment, else none
SCREENS = os.environ.get("CHUANGKOU_SCREENS", "")


def _online(folder: Path, unit: str, role: str) -> AppContext:
    """``role`` of ``unit`` signed in online on the unit's PC (the unit's own window number)."""
    ctx = folders.online(folder, user_of(unit, role))
    return unit_settings.set_setting(ctx, "unit.window_no", str(WINDOWS[unit]))


def _synced(ctx: AppContext) -> None:
    report = sync_run.sync_once(ctx, lock_wait=60)
    assert report.refused == [], report


def _as(folder: Path, unit: str, role: str, step: object) -> None:
    """One step by another person of the unit on its PC (signed in online, then out), synced before and after."""
    ctx = _online(folder, unit, role)
    try:
        assert callable(step)
        _synced(ctx)
        step(ctx)
        _synced(ctx)
    finally:
        ctx.close()


@pytest.fixture
def pcs(tmp_path: Path, platform: PlatformProcess) -> Iterator[tuple[Path, Path]]:  # noqa: F811
    """The township's and the county's data folders; the county's approver has its seal certificate."""
    township, county = tmp_path / "township", tmp_path / "county"
    init_data_dir(township, TOWNSHIP, platform.url)
    init_data_dir(county, COUNTY, platform.url)

    def certificate(ctx: AppContext) -> None:
        with sync_run.make_client(ctx) as client:
            seal_keys.request_certificate(ctx, client)

    _as(county, COUNTY, "approver", certificate)
    yield township, county
    drain_background()


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.sync_engine.stop()  # the test syncs when the story needs it
    with qtbot.waitSignal(window.summary_updated, timeout=15_000):
        window.resize(1366, 720)
        window.show()
    return window


def _review(qtbot: QtBot, window: MainWindow) -> ReviewView:
    """The queue's first case opened from the list: the side-by-side view."""
    window.table.selectRow(0)
    window.table.activated.emit(window.model.index(0, 0))
    qtbot.waitUntil(lambda: window.review is not None and window.review.isVisible(), timeout=15_000)
    assert window.review is not None
    return window.review


def _opinion(qtbot: QtBot, view: ReviewView, result: str) -> ReviewOpinionDialog:
    view.opinion_buttons[result].click()
    qtbot.waitUntil(lambda: isinstance(view.desk.dialog, ReviewOpinionDialog) and view.desk.dialog.isVisible(),
                    timeout=15_000)
    dialog = view.desk.dialog
    assert isinstance(dialog, ReviewOpinionDialog)
    qtbot.waitUntil(lambda: dialog.phrases.count() > 1, timeout=10_000)  # the 常用意见 came
    return dialog


def _timeline(qtbot: QtBot, ctx: AppContext, case_id: str) -> list[str]:
    detail = CaseDetailDialog(queries.show_case(ctx, case_id), None, ctx=ctx)
    qtbot.addWidget(detail)
    labels = [detail.timeline.item(r, 2).text() for r in range(detail.timeline.rowCount())]  # type: ignore[union-attr]
    platform_times = [detail.timeline.item(r, 1).text()  # type: ignore[union-attr]
                      for r in range(detail.timeline.rowCount())]
    assert not [t for t in platform_times if t.startswith(("待同步", "被拒"))], platform_times
    detail.close()
    return [label for label in labels if label != "出具通知书"]  # the sealed sheets ride along as notices


def _shot(widget: QWidget, name: str) -> None:
    """A screenshot of ``widget`` (docs/screens/review-*.zh_CN.png were made so), when asked for one."""
    image = widget.grab()
    assert not image.isNull()
    if SCREENS:
        Path(SCREENS).mkdir(parents=True, exist_ok=True)
        assert image.save(str(Path(SCREENS) / name))


def test_a_county_reviewer_returns_a_case_with_its_seal_the_township_amends_and_the_county_agrees(
        qtbot: QtBot, pcs: tuple[Path, Path], tmp_path: Path) -> None:
    township_pc, county_pc = pcs
    pages = {name: tmp_path / f"{n}.png" for n, name in enumerate(cases.REQUIRED[cases.ITEM])}
    for name, path in pages.items():
        path.write_bytes(render_page(name, ["申请人 韦秀英", "样例材料"]))
    fixed = tmp_path / "fixed.png"
    fixed.write_bytes(render_page(cases.HOUSEHOLD, ["户主 韦秀英", "常住人口登记卡 户主页"]))

    # The township receives, accepts and reports the case up.
    made: list[str] = []

    def receive_and_forward(ctx: AppContext) -> None:
        case = new_case(ctx, cases.ITEM, PERSON, cases.materials(*pages.values()))
        perform_with_sheet(ctx, case.case_no, ActionType.ACCEPT)
        _synced(ctx)  # the units' names and the parent come with the feed
        perform_with_sheet(ctx, case.case_no, ActionType.FORWARD, {"to": COUNTY, "text": "材料齐全，拟同意，请审批"})
        made.append(case.id)

    _as(township_pc, TOWNSHIP, "clerk", receive_and_forward)
    case_id = made[0]

    # -- the county reviewer's window: the queue, the side-by-side view, a sealed 退回 ---------------
    county = _online(county_pc, COUNTY, "reviewer")
    try:
        _synced(county)  # the case and its pages
        window = _window(qtbot, county)
        # A reviewer of a unit townships report to: the window turns to the queue, nearest deadline first.
        qtbot.waitUntil(lambda: window.filters.to_review.isChecked() and window.model.rowCount() == 1, timeout=15_000)
        assert window.sort.key is SortKey.DUE and window.model.case_id(0) == case_id
        assert window.model.data(window.model.index(0, Column.SENT_BY)) == TOWNSHIP_NAME
        assert window.model.data(window.model.index(0, Column.LIGHT)) in ("正常", "临近", "超期")
        _shot(window, "review-queue.zh_CN.png")
        view = _review(qtbot, window)
        # the township's own opinion, by its name
        assert view.opinion_rows == [(TOWNSHIP_NAME, f"上报意见（报{COUNTY_NAME}）", "材料齐全，拟同意，请审批")]
        # The pages: the first material's first page beside the fields; another material's on a click.
        qtbot.waitUntil(lambda: view.viewer.picture.pixmap() is not None
                        and not view.viewer.picture.pixmap().isNull(), timeout=15_000)
        assert cases.FORM in view.viewer.caption.text()
        view.resize(1280, 720)
        _shot(view, "review-side-by-side.zh_CN.png")
        view.pages.strips[cases.HOUSEHOLD].open_page.emit(1)
        assert cases.HOUSEHOLD in view.viewer.caption.text()
        qtbot.waitUntil(lambda: not view.viewer.picture.pixmap().isNull(), timeout=15_000)
        view.viewer._step(1)  # zoom in, as 「放大」 does
        assert view.viewer.zoom() is not None

        dialog = _opinion(qtbot, view, "退回")
        assert dialog.returns.isVisible()
        assert "将加盖本单位电子印章" in dialog.seal.text()
        _shot(dialog, "review-opinion.zh_CN.png")
        dialog.text.setPlainText(RETURN_TEXT)
        dialog.ok_button.click()  # no material ticked: the rules refuse, in Chinese, beside the fields
        qtbot.waitUntil(lambda: "逐项列出" in dialog.message.text(), timeout=15_000)
        dialog.set_return(cases.HOUSEHOLD, HOUSEHOLD_FIX)
        dialog.set_return(cases.ID_CARD, ID_FIX)
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: view.given is not None, timeout=30_000)
        assert view.given is not None and view.given.sealed, view.given
        assert "已盖章" in view.seal.text()
        assert not any(b.isEnabled() for b in view.opinion_buttons.values())
        view.close()
        _synced(county)
        window.close()
        drain_background()
    finally:
        county.close()

    # -- the township: the return stands out; the clerk amends; the reviewer forwards again ----------
    township = _online(township_pc, TOWNSHIP, "clerk")
    try:
        _synced(township)
        window = _window(qtbot, township)
        assert not window.filters.to_review.isChecked()  # nobody reports to a township: its list as ever
        window.filters.returned.setChecked(True)
        qtbot.waitUntil(lambda: window.model.rowCount() == 1 and window.model.case_id(0) == case_id, timeout=15_000)
        assert "已盖章" in _return_box_and_sheet(qtbot, window, township, case_id)
        amend_materials(township, case_id, parse_edits([["rescan", cases.HOUSEHOLD, "1", str(fixed)]]))
        _synced(township)
        window.close()
        drain_background()
    finally:
        township.close()
    _as(township_pc, TOWNSHIP, "reviewer", lambda ctx: perform_with_sheet(
        ctx, case_id, ActionType.FORWARD, {"to": COUNTY, "text": "已按要求补正，请审批"}))

    # -- the county agrees (sealed) in the window, and its approver decides ----------------------------
    county = _online(county_pc, COUNTY, "reviewer")
    try:
        _synced(county)
        window = _window(qtbot, county)
        qtbot.waitUntil(lambda: window.filters.to_review.isChecked() and window.model.rowCount() == 1, timeout=15_000)
        view = _review(qtbot, window)
        dialog = _opinion(qtbot, view, "同意")
        assert not dialog.returns.isVisible() and dialog.text.toPlainText()  # a 常用意见 is filled in
        # The reviewer keeps their own words for next time: first in their library from now on.
        dialog.text.setPlainText(AGREED_TEXT)
        dialog.keep_button.click()
        qtbot.waitUntil(lambda: dialog.phrases.itemData(1) == AGREED_TEXT, timeout=10_000)
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: view.given is not None, timeout=30_000)
        assert view.given is not None and view.given.sealed
        view.close()
        _synced(county)
        window.close()
        drain_background()
    finally:
        county.close()
    _as(county_pc, COUNTY, "approver", lambda ctx: perform_with_sheet(ctx, case_id, ActionType.DECIDE,
                                                                         {"result": "准予"}))
    # -- the township issues the result --------------------------------------------------------------
    _as(township_pc, TOWNSHIP, "approver", lambda ctx: perform_with_sheet(ctx, case_id, ActionType.ISSUE, {}))

    # -- every step in both timelines ---------------------------------------------------------------
    steps = ["收件", "受理", "上报", "上级意见", "补正材料", "上报", "上级意见", "作出决定", "出件"]
    materials: dict[str, list[str]] = {}
    for folder, unit in ((township_pc, TOWNSHIP), (county_pc, COUNTY)):
        ctx = _online(folder, unit, "clerk" if unit == TOWNSHIP else "reviewer")
        try:
            _synced(ctx)
            assert _timeline(qtbot, ctx, case_id) == steps, unit
            shown = queries.show_case(ctx, case_id)
            assert shown["status"] == str(Status.ISSUED)
            assert [(o["result"], o["text"]) for o in shown["opinions"]] == [("退回", RETURN_TEXT),
                                                                             ("同意", AGREED_TEXT)]
            assert shown["opinions"][0]["returns"] == [{"material": cases.ID_CARD, "what": ID_FIX},
                                                       {"material": cases.HOUSEHOLD, "what": HOUSEHOLD_FIX}]
            assert {o["unit_name"] for o in shown["opinions"]} == {COUNTY_NAME}
            materials[unit] = [m["pdf_sha256"] for m in shown["materials"]]
            sheet = current_sheet(ctx.store.reader(), case_id)
            assert sheet is not None and sheet.sealed is not None  # the county's 同意 sealed onto the new sheet
        finally:
            drain_background()
            ctx.close()
    assert materials[COUNTY] == materials[TOWNSHIP]  # the county reviewed the materials as amended
    QApplication.processEvents()


def _return_box_and_sheet(qtbot: QtBot, window: MainWindow, ctx: AppContext, case_id: str) -> str:
    """The returned case's detail: its red box lists both materials; the notices tab says the sheet is sealed."""
    row = queries.case_rows(ctx, [case_id])[case_id]
    assert row.returned == RETURN_TEXT and row.returned_by == COUNTY_NAME and row.status is Status.IN_REVIEW
    window.show_case(case_id)
    qtbot.waitUntil(lambda: bool(window.findChildren(CaseDetailDialog)), timeout=15_000)
    detail = window.findChildren(CaseDetailDialog)[0]
    assert detail.return_box is not None
    labels = detail.return_box.findChildren(type(detail.case_no_label))
    lines = [w.text() for w in labels if w.objectName() == "returnLine"]
    # in the order of the case's materials
    assert lines == [f"· {cases.ID_CARD}：{ID_FIX}", f"· {cases.HOUSEHOLD}：{HOUSEHOLD_FIX}"]
    assert COUNTY_NAME in labels[0].text()
    _shot(detail, "review-returned-case.zh_CN.png")
    assert detail.findChild(QPushButton, "openReview") is None  # the township gives no opinion on it
    seals = [detail.notices.item(r, 3).text() for r in range(detail.notices.rowCount())]  # type: ignore[union-attr]
    detail.close()
    return seals[-1]
