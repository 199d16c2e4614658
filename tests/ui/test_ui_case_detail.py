"""What the case detail shows a clerk: the materials as pages (a viewer on Enter, placeholders for
pages not on this PC), the quality-gate overrides with their reasons, every action with the
device's time and the platform's, and the opinions with the units' names — the forwarding
township's own and the county's, after real syncs with the city platform.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.lifecycle import ActionType
from app.services import audit, intake, sync_run, unit_settings
from app.services.case_actions import perform
from app.services.context import AppContext, init_data_dir
from app.sync.retry import RetryPolicy
from app.ui.case_detail import CaseDetailDialog
from app.ui.page_viewer import PageViewer
from app.ui.qt import QApplication, QDialogButtonBox, QPushButton, Qt, QTableWidget
from tests.conftest import PERSON, make_data_folder
from tests.platform_fixture import platform  # noqa: F401
from tests.support import cases, folders
from tests.support import pagegen as g
from tests.support.platform import (
    COUNTY,
    OTHER_COUNTY,
    TOWNSHIP,
    TOWNSHIP_2,
    USERS,
    WINDOWS,
    PlatformProcess,
)
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
DPI = 100
REASON = "申请人仅带来此份复印件，原件字迹即不清晰"
FORWARD_OPINION = "材料齐全，经营场所核实无误，拟同意"
COUNTY_OPINION = "同意，请按程序办理"
#: the units' names as the demo platform seeds them
TOWNSHIP_NAME, COUNTY_NAME = "万秀区城东镇便民服务中心", "万秀区政务服务中心"


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A clean text page and a blurred one (the quality gate flags it)."""
    folder = tmp_path_factory.mktemp("scans")
    return {"text": g.save(folder / "text.png", g.text_page(1, DPI), DPI),
            "blurred": g.save(folder / "blurred.png", g.blur(g.text_page(4, DPI), 1.6), DPI)}


def receive_with_override(ctx: AppContext, scans: dict[str, Path], item: str = cases.ITEM) -> intake.NewCase:
    """A complete case whose first material has a blurred second page, taken in on the clerk's reason."""
    materials = cases.materials((scans["text"], scans["blurred"]), scans["text"], item=item)
    return intake.new_case(ctx, item, PERSON, materials, intake.IntakeOptions(accept_warnings=REASON))


def open_detail(qtbot: QtBot, ctx: AppContext, ref: str) -> CaseDetailDialog:
    dialog = CaseDetailDialog(audit.open_case(ctx, ref), None, ctx=ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()  # the tabs' Alt shortcuts reach the active window only
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    return dialog


def cells(table: QTableWidget, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]  # type: ignore[union-attr]


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    opened = folders.open_signed_in(make_data_folder(tmp_path))
    yield opened
    drain_background()
    opened.close()


def test_the_pages_show_as_thumbnails_the_override_with_its_reason_and_enter_opens_the_viewer(
        qtbot: QtBot, ctx: AppContext, scans: dict[str, Path]) -> None:
    made = receive_with_override(ctx, scans)
    dialog = open_detail(qtbot, ctx, made.case_no)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "材料(&L)"
    assert dialog.overrides is not None
    assert cells(dialog.overrides, 2) == [cases.FORM] and cells(dialog.overrides, 4) == [REASON]
    assert cells(dialog.overrides, 3) == ["第2页模糊，请重新扫描"]
    assert "测试受理员" in cells(dialog.overrides, 1)[0]

    strips = dialog.pages.strips
    assert list(strips) == list(cases.REQUIRED[cases.ITEM])
    qtbot.waitUntil(lambda: all(s.thumbnails_shown() == s.count() for s in strips.values()), timeout=20_000)
    first = strips[cases.FORM]
    assert first.count() == 2 and first.item(1).text() == "第2页 ⚠ 请检查"
    assert first.item(1).toolTip() == "第2页模糊，请重新扫描"

    # Enter on the second page opens it at full size; read-only: no turning, no deleting.
    first.setFocus()
    first.setCurrentRow(1)
    qtbot.keyClick(first, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.pages.viewer is not None and dialog.pages.viewer.isVisible(), timeout=5000)
    viewer = dialog.pages.viewer
    assert isinstance(viewer, PageViewer) and viewer.page_no == 2
    qtbot.waitUntil(lambda: viewer.picture.pixmap() is not None and not viewer.picture.pixmap().isNull(),
                    timeout=20_000)
    shown = {b.text() for b in viewer.findChildren(QPushButton)}
    assert "放大(&+)" in shown and not shown & {"向右旋转(&R)", "删除此页(&D)"}
    assert "第 2 / 2 页" in viewer.caption.text() and "模糊" in viewer.caption.text()
    # Looking at a page at full size is recorded as a view of personal data.
    seen = [v["what"] for v in audit.viewers(folders.as_role(ctx, "supervisor"), made.case_no)]
    assert seen.count("view_page") == 1
    viewer.close()
    dialog.close()


def test_pages_not_on_this_pc_show_placeholders_that_say_so(qtbot: QtBot, ctx: AppContext,
                                                            scans: dict[str, Path]) -> None:
    made = receive_with_override(ctx, scans)
    shown = audit.open_case(ctx, made.case_no)
    hashes = {p["sha256"] for m in shown["materials"] for p in m["pages"]}
    for sha in hashes:  # as for a case forwarded here whose page files have not come down yet
        folders.blob_path(ctx.data_dir, sha).unlink()
    dialog = open_detail(qtbot, ctx, made.case_no)
    strips = list(dialog.pages.strips.values())
    qtbot.waitUntil(lambda: all("尚未从平台下载" in s.item(r).toolTip() for s in strips for r in range(s.count())),
                    timeout=20_000)
    assert all(s.thumbnails_shown() == 0 for s in strips)
    # The viewer says the same, in place of the picture; nothing crashed.
    strips[0].setCurrentRow(0)
    strips[0].open_page.emit(1)
    qtbot.waitUntil(lambda: dialog.pages.viewer is not None
                    and "尚未从平台下载" in dialog.pages.viewer.picture.text(), timeout=10_000)
    dialog.pages.viewer.close()  # type: ignore[union-attr]
    dialog.close()


def test_the_tabs_are_reached_by_keyboard_and_the_dialog_fits_a_small_screen(
        qtbot: QtBot, ctx: AppContext, scans: dict[str, Path]) -> None:
    made = receive_with_override(ctx, scans)
    dialog = open_detail(qtbot, ctx, made.case_no)
    assert dialog.width() <= 1024 and dialog.height() <= 700
    assert dialog.minimumSizeHint().height() <= 640 and dialog.minimumSizeHint().width() <= 1000
    qtbot.keyClick(dialog, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert dialog.tabs.currentWidget() is dialog.timeline
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert dialog.tabs.currentIndex() == 3
    # The button box stays the layout's last item: a row of case actions goes in right before it.
    layout = dialog.layout()
    assert layout is not None and isinstance(layout.itemAt(layout.count() - 1).widget(), QDialogButtonBox)
    dialog.close()


# -- with the city platform: the platform's time, and the units' names ---------------------------------
def unit_folder(root: Path, unit: str, url: str, role: str) -> AppContext:
    """A unit's PC after its first online sign-in: the platform gave it its window number (the
    units' case numbers stay apart on the one platform this module shares)."""
    init_data_dir(root, unit, url)
    folders.enrol(root, USERS[unit], role=role, name=folders.NAMES[role])
    return unit_settings.set_setting(folders.open_signed_in(root), "unit.window_no", str(WINDOWS[unit]))


@pytest.fixture
def township_and_county(tmp_path: Path, platform: PlatformProcess,  # noqa: F811
                        monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AppContext, AppContext]]:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=2, base=0.05, cap=0.1))
    township = unit_folder(tmp_path / "township", TOWNSHIP, platform.url, "clerk")
    county = unit_folder(tmp_path / "county", COUNTY, platform.url, "reviewer")
    yield township, county
    drain_background()
    township.close()
    county.close()


def synced(ctx: AppContext) -> None:
    report = sync_run.sync_once(ctx)
    assert report.refused == [] and report.pending == 0, report


@pytest.mark.slow
def test_the_timeline_shows_the_platform_time_and_the_opinions_name_the_units(
        qtbot: QtBot, township_and_county: tuple[AppContext, AppContext], scans: dict[str, Path]) -> None:
    township, county = township_and_county
    made = receive_with_override(township, scans, item=cases.SHOP)
    perform(township, made.case_no, ActionType.ACCEPT)
    perform(township, made.case_no, ActionType.FORWARD, {"to": COUNTY, "text": FORWARD_OPINION})

    # Before any sync: every action waits for the platform.
    before = open_detail(qtbot, township, made.case_no)
    assert cells(before.timeline, 2) == ["收件", "受理", "上报"]
    assert cells(before.timeline, 1) == ["待同步"] * 3
    assert FORWARD_OPINION in cells(before.timeline, 4)[2]
    assert REASON in cells(before.timeline, 4)[0]
    before.close()

    synced(township)
    after = open_detail(qtbot, township, made.case_no)
    device, platform_times = cells(after.timeline, 0), cells(after.timeline, 1)
    assert all(t[:4].isdigit() and t[4] == "-" and len(t) == 16 for t in platform_times), platform_times
    # The platform received them after the device made them (times to the minute).
    assert all(p >= d for d, p in zip(device, platform_times, strict=True))
    assert after.holder_label.text() == COUNTY_NAME  # the feed told the township the units' names
    after.close()

    # The county reviews the case and returns its opinion; the township sees it after its next sync.
    synced(county)
    perform(county, made.case_no, ActionType.OPINION, {"result": "同意", "text": COUNTY_OPINION})
    synced(county)
    synced(township)
    back = open_detail(qtbot, township, made.case_no)
    qtbot.keyClick(back, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert back.tabs.currentWidget() is back.opinions
    assert back.tabs.tabText(2) == "意见(&O)（2）"
    assert cells(back.opinions, 1) == [TOWNSHIP_NAME, COUNTY_NAME]
    assert cells(back.opinions, 2) == [f"上报意见（报{COUNTY_NAME}）", "同意"]
    assert cells(back.opinions, 3) == [FORWARD_OPINION, COUNTY_OPINION]
    assert cells(back.timeline, 2)[-1] == "上级意见" and COUNTY_NAME in cells(back.timeline, 4)[-1]
    assert "待同步" not in cells(back.timeline, 1)
    back.close()
    QApplication.processEvents()


@pytest.mark.slow
def test_an_action_the_platform_refused_shows_its_reason(qtbot: QtBot, tmp_path: Path,
                                                         platform: PlatformProcess,  # noqa: F811
                                                         scans: dict[str, Path]) -> None:
    # Another township than the test above's: its cases on the shared platform are not this PC's.
    township = unit_folder(tmp_path / "township", TOWNSHIP_2, platform.url, "clerk")
    try:
        refused_forward_shows(qtbot, township, scans)
    finally:
        drain_background()
        township.close()


def refused_forward_shows(qtbot: QtBot, township: AppContext, scans: dict[str, Path]) -> None:
    made = receive_with_override(township, scans, item=cases.SHOP)
    perform(township, made.case_no, ActionType.ACCEPT)
    # Before the first sync this window does not know the units yet: the platform checks where it goes.
    perform(township, made.case_no, ActionType.FORWARD, {"to": OTHER_COUNTY, "text": FORWARD_OPINION})
    report = sync_run.sync_once(township)
    assert [r["case_no"] for r in report.refused] == [made.case_no], report
    detail = open_detail(qtbot, township, made.case_no)
    platform_times = cells(detail.timeline, 1)
    assert platform_times[2].startswith("被拒：") and len(platform_times[2]) > len("被拒：")
    assert not platform_times[0].startswith(("被拒", "待同步"))
    assert detail.timeline.item(2, 1).foreground().color().name() == "#b3261e"  # type: ignore[union-attr]
    # A refused forward is no opinion on the case.
    assert detail.opinions.rowCount() == 0
    detail.close()
