"""Chinese renders with the bundled font; English comes from the .ts; every string is translated."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services.context import AppContext
from app.store.bundled import FONT_FILE
from app.ui import translation
from app.ui.case_model import CaseTableModel, Column
from app.ui.fonts import load_bundled_font
from app.ui.main_window import MainWindow
from app.ui.qt import (
    BINDING_DIR,
    QApplication,
    QFontDatabase,
    QFontMetrics,
    QImage,
    QPainter,
    Qt,
    QTextLayout,
    QTranslator,
)

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "chuangkou_en.ts"


def test_bundled_font_is_the_fallback_for_chinese(qapp: QApplication, bundled_family: str) -> None:
    assert bundled_family in QFontDatabase.families()
    assert bundled_family in qapp.font().families()
    assert QFontMetrics(qapp.font()).inFontUcs4(ord("受"))
    # The glyphs of a Chinese label really come from the bundled font.
    layout = QTextLayout("受理编号 Case", qapp.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    families = {run.rawFont().familyName() for run in layout.glyphRuns()}
    assert bundled_family in families


def test_chinese_text_draws_ink(qapp: QApplication) -> None:
    image = QImage(200, 40, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(qapp.font())
    painter.drawText(5, 30, "受理编号")
    painter.end()
    dark = sum(1 for x in range(200) for y in range(40) if image.pixelColor(x, y).lightness() < 128)
    assert dark > 100


def test_a_missing_font_is_logged_not_fatal(qapp: QApplication, tmp_path: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    fake = tmp_path / "broken.ttf"
    fake.write_bytes(b"not a font")
    before = qapp.font()
    assert load_bundled_font(qapp, fake) is None
    assert qapp.font() == before
    assert "could not load bundled font" in caplog.text
    assert FONT_FILE.is_file()


@pytest.fixture
def english(qapp: QApplication, tmp_path: Path) -> Iterator[list[QTranslator]]:
    translators = translation.install_translators(qapp, "en", tmp_path / "cache")
    yield translators
    translation.remove_translators(qapp, translators)


def test_english_headers(english: list[QTranslator], demo_ctx: AppContext, tmp_path: Path) -> None:
    assert (tmp_path / "cache" / "chuangkou_en.qm").is_file()
    model = CaseTableModel(lambda ids: {})
    assert model.headerData(Column.CASE_NO, Qt.Orientation.Horizontal) == "Case No."
    assert model.titles() == ("Case No.", "Applicant", "Service item", "Status", "Received", "Due", "Deadline",
                              "Sent by")


def test_english_window(qtbot: QtBot, english: list[QTranslator], demo_ctx: AppContext) -> None:
    win = MainWindow(demo_ctx)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.summary_updated, timeout=10_000):
        win.show()
    assert win.windowTitle().startswith("Chuangkou — Government service counter")
    assert win.search_box.placeholderText() == "Case number, name, service item or ID number"
    assert win.status_filter.itemText(0) == "All statuses"
    assert re.fullmatch(r"20 cases \| \d+ due soon \| \d+ overdue \| 0 returned", win.summary.text())
    assert [win.filters.light.itemText(i) for i in range(win.filters.light.count())] == [
        "All time limits", "Due soon", "Overdue", "Due soon or overdue"]
    assert win.filters.returned.text() == "&Returned"
    assert win.sync_status.state.text() == "Working offline (no city platform set)"
    assert win.who.text() == "测试受理员 (Window clerk) · signed in offline"
    assert win.guard.switch_user_action.text() == "Switch user"
    statuses = {win.model.data(win.model.index(r, Column.STATUS)) for r in range(win.model.rowCount())}
    assert "Accepted" in statuses
    win.close()


def test_qm_is_recompiled_when_the_ts_is_newer(tmp_path: Path) -> None:
    qm = translation.compiled_qm("en", tmp_path)
    assert qm is not None
    first = qm.stat().st_mtime_ns
    assert translation.compiled_qm("en", tmp_path) == qm and qm.stat().st_mtime_ns == first
    old = TS.stat().st_mtime - 100
    import os

    os.utime(qm, (old, old))
    translation.compiled_qm("en", tmp_path)
    assert qm.stat().st_mtime > old


def test_unknown_language_falls_back_to_chinese(qapp: QApplication, tmp_path: Path) -> None:
    translators = translation.install_translators(qapp, "fr", tmp_path)
    try:
        assert CaseTableModel(lambda ids: {}).titles()[0] == "受理编号"
    finally:
        translation.remove_translators(qapp, translators)


def _messages(ts: Path) -> list[tuple[str, str, str | None, str | None]]:
    out = []
    for context in ET.parse(ts).getroot():
        name = context.findtext("name") or ""
        for m in context.findall("message"):
            tr = m.find("translation")
            assert tr is not None
            out.append((name, m.findtext("source") or "", tr.text, tr.get("type")))
    return out


def test_every_string_is_translated_and_keeps_its_fields(tmp_path: Path) -> None:
    lupdate = BINDING_DIR / "lupdate"
    if not lupdate.is_file():
        pytest.skip("lupdate not shipped with this PySide6")
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    sources = sorted(str(p) for p in (ROOT / "app" / "ui").glob("*.py"))
    subprocess.run([str(lupdate), *sources, "-locations", "none", "-no-obsolete", "-ts", str(fresh)],
                   check=True, capture_output=True, timeout=120)
    messages = _messages(fresh)
    assert len(messages) > 50
    untranslated = [(c, s) for c, s, text, kind in messages if not text or kind == "unfinished"]
    assert untranslated == [], "run pyside6-lupdate and translate the new strings in " + TS.name
    for context, source, text, _ in messages:
        assert set(re.findall(r"\{\w*\}", source)) == set(re.findall(r"\{\w*\}", text or "")), (context, source)
