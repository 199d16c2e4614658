"""免证 at the window's intake, against the real platform: once the applicant's ID number is typed, the
licence the township issued them is offered for the material the checklist ties to its type; chosen
from the keyboard, it stands for that material (no scan), can be undone, and the case accepted names it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from app.services import devices, queries, sync_run, unit_settings
from app.services.context import AppContext, init_data_dir
from app.sync.credentials import MemoryTokens
from app.sync.retry import RetryPolicy
from app.ui.intake_dialog import IntakeDialog
from app.ui.material_list import PAGES
from app.ui.qt import QApplication, QMessageBox, Qt
from tests.platform_fixture import platform  # noqa: F401
from tests.support import folders
from tests.support.held import HELD_FOR, SCANNED, SUBSIDY, issue_licence
from tests.support.platform import TOWNSHIP_2, USERS, PlatformProcess
from tests.support.platform_api import APPLICANT
from tests.ui.conftest import drain_background
from tests.ui.test_ui_intake_dialog import applicant_at_the_counter, choose_item, opened, pdf_printer, scan  # noqa: F401

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
#: an applicant the library holds no licence for
NO_LICENCE = "450403198001010018"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_run, "DEFAULT_POLICY", RetryPolicy(attempts=3, base=0.05, cap=0.2))


@pytest.fixture
def window(platform: PlatformProcess, tmp_path: Path) -> Iterator[AppContext]:  # noqa: F811
    """The township's window, signed in at the platform, with the simulated devices."""
    init_data_dir(tmp_path / "township", TOWNSHIP_2, platform.url)
    ctx = folders.online(tmp_path / "township", USERS[TOWNSHIP_2], tokens=MemoryTokens())
    yield unit_settings.set_setting(devices.use_simulated_devices(ctx), "print.mode", "silent")
    drain_background()
    ctx.close()


def type_applicant(qtbot: QtBot, dialog: IntakeDialog, id_number: str) -> None:
    """The clerk types the applicant, the ID number last, and moves on (the look-up starts then)."""
    form = dialog.applicant
    form.name.setText(APPLICANT["name"])
    form.phone.setText(APPLICANT["phone"])
    form.address.setText(APPLICANT["address"])
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    form.id_number.setFocus()
    qtbot.keyClicks(form.id_number, id_number)
    dialog.materials.table.setFocus()  # leaving the field finishes it


def test_a_held_licence_is_offered_chosen_by_keyboard_and_the_accepted_case_names_it(
        qtbot: QtBot, window: AppContext, platform: PlatformProcess, tmp_path: Path) -> None:  # noqa: F811
    with httpx.Client(base_url=platform.url, timeout=10) as client:
        lid, pdf = issue_licence(client)
    dialog = opened(qtbot, window)
    dialog.printer = pdf_printer(tmp_path / "printed.pdf")
    choose_item(qtbot, dialog, SUBSIDY)
    offer = dialog.held_offer
    assert not offer.isVisible()  # nothing to offer before the applicant is known
    type_applicant(qtbot, dialog, APPLICANT["id_number"])
    qtbot.waitUntil(lambda: HELD_FOR in offer.buttons and offer.isVisible(), timeout=20_000)
    shown = offer.findChildren(type(dialog.message))
    row = next(label.text() for label in shown if HELD_FOR in label.text())
    assert "中华人民共和国残疾人证" in row and lid[-12:] in row and "长期" in row
    assert offer.note.text() == ""  # a fresh answer: no age

    def pages_cell() -> str:
        return dialog.materials.table.item(dialog.materials.names().index(HELD_FOR), PAGES).text()  # type: ignore[union-attr]

    assert HELD_FOR in dialog.materials.missing_required()
    with qtbot.waitSignal(offer.changed, timeout=30_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.AltModifier)
    assert pages_cell() == "电子证照" and HELD_FOR not in dialog.materials.missing_required()
    assert offer.buttons[HELD_FOR].text() == "改为扫描(&Z)"
    # undone, the material wants its scan again; chosen again, it does not
    with qtbot.waitSignal(offer.changed, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.AltModifier)
    assert pages_cell() == "" and HELD_FOR in dialog.materials.missing_required()
    with qtbot.waitSignal(offer.changed, timeout=30_000):
        qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.AltModifier)
    assert dialog.accept_button.isDefault()  # Enter still means 受理

    for material in SCANNED:
        scan(qtbot, dialog, material)
    assert dialog.materials.missing_required() == []
    with qtbot.waitSignal(dialog.received, timeout=60_000) as received:
        dialog.accept_button.click()
    case = queries.show_case(window, received.args[0])
    assert case["status"] == "accepted"
    held = next(m for m in case["materials"] if m["name"] == HELD_FOR)
    assert (held["licence_id"], held["pdf_sha256"], held["pages"]) == (lid, hashlib.sha256(pdf).hexdigest(), [])
    assert all(len(m["pages"]) == 3 for m in case["materials"] if m["name"] in SCANNED)


def test_an_applicant_without_licences_is_offered_nothing_and_told_nothing(
        qtbot: QtBot, window: AppContext) -> None:
    dialog = opened(qtbot, window)
    choose_item(qtbot, dialog, SUBSIDY)
    type_applicant(qtbot, dialog, NO_LICENCE)
    # the look-up ran (its answer is kept for offline use) and offered nothing
    qtbot.waitUntil(lambda: dialog.held_offer._lookup is not None and dialog.held_offer._lookup.done, timeout=20_000)
    assert not dialog.held_offer.isVisible() and dialog.held_offer.buttons == {}
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
