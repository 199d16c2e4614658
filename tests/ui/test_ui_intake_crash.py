"""SIGKILL the window in the middle of an intake: after a restart the draft is offered with every page
scanned before the kill, byte for byte.

The window runs in a process of its own (offscreen), scans two of the three materials of
个体工商户设立登记 with the simulated scanner and starts on the third; it is killed with SIGKILL
inside the writing of the third material's first page (its kill point: blob in place, row not
yet committed). A new window on the same data folder
offers the draft; the first two materials' pages are exactly those the pipeline gave.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services import drafts
from app.store.blobs import sha256_hex
from app.store.kill_points import ENV
from app.ui.main_window import MainWindow
from tests.support import folders
from tests.ui.conftest import drain_background

OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
pytestmark = [pytest.mark.ui, pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)]
ITEM = "XK00147000"
MATERIALS = ["个体工商户登记（备案）申请书", "经营者居民身份证", "经营场所使用证明"]

WINDOW = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from app.imaging.pipeline import ProcessedPage
    from app.services import devices, drafts
    from app.store.blobs import sha256_hex
    from app.ui.app import application
    from app.ui.intake_dialog import IntakeDialog
    from tests.support import folders

    data_dir, log_path, materials = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    log = log_path.open("a", encoding="utf-8")
    real_add = drafts.add_page

    def add_page(ctx, draft_id, material, page: ProcessedPage):  # what the pipeline gave, noted before it is stored
        log.write(json.dumps({"material": material, "sha256": sha256_hex(page.data)}, ensure_ascii=False) + "\\n")
        log.flush()
        return real_add(ctx, draft_id, material, page)

    drafts.add_page = add_page
    app = application(["chuangkou"])
    dialog = IntakeDialog(devices.use_simulated_devices(folders.open_signed_in(data_dir)))
    dialog.show()

    def wait(cond):
        end = time.monotonic() + 60
        while not cond() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.005)

    wait(lambda: dialog.draft_id is not None and not dialog._busy)
    dialog.choose_item(sys.argv[4])
    wait(lambda: dialog.item_code and dialog.materials.current() is not None and not dialog._busy)
    for n, name in enumerate(materials):
        dialog.select_material(name)
        dialog.scan_buttons["adf"].click()
        if n == len(materials) - 1:
            log.write(json.dumps({"third": True}) + "\\n")
            log.flush()
        wait(lambda: not dialog._busy)
    time.sleep(60)  # killed before this
""")


def test_a_window_killed_during_the_third_material_keeps_the_first_two(qtbot: QtBot, data_dir: Path,
                                                                         tmp_path: Path) -> None:
    log = tmp_path / "pages.jsonl"
    log.touch()
    # Six pages stored (two materials of three), then the third material's first page: the window
    # dies once its blob is in place and before its row is committed, inside the write.
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2]), "QT_QPA_PLATFORM": "offscreen",
           ENV: "blob.stored#7"}
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as err:
        window = subprocess.run([sys.executable, "-c", WINDOW, str(data_dir), str(log), json.dumps(MATERIALS),
                                 ITEM], env=env, stdout=subprocess.DEVNULL, stderr=err, timeout=180)
    assert window.returncode == -signal.SIGKILL, errors.read_text(errors="replace")
    noted = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    before = {m: [x["sha256"] for x in noted if x.get("material") == m] for m in MATERIALS[:2]}
    assert all(len(v) == 3 for v in before.values()), noted

    ctx = folders.open_signed_in(data_dir)
    try:
        win = MainWindow(ctx)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: win.drafts_button.isVisible(), timeout=20_000)
        (offered,) = win.open_drafts
        win.drafts_menu.actions()[0].trigger()
        dialog = win.intake
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.materials.current() is not None, timeout=20_000)
        assert dialog.item_code == ITEM
        for name in MATERIALS[:2]:
            dialog.select_material(name)
            qtbot.waitUntil(lambda: dialog.pages.count() == 3, timeout=20_000)
        draft = drafts.load(ctx, offered.id)
        for name in MATERIALS[:2]:
            stored = draft.materials[name]
            assert [p.sha256 for p in stored] == before[name]
            assert [sha256_hex(drafts.page_bytes(ctx, p)) for p in stored] == before[name]  # byte-identical
        assert drafts.check_pages(ctx, draft) == []  # the third's pages stored before the kill are whole too
        dialog.reject()
        win.close()
    finally:
        drain_background()
        ctx.close()
