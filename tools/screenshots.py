"""Screenshots of the window's screens at 1366×768, in Chinese and English, for docs/screens/.

Builds a throwaway data folder with demo cases and the devices' twins, walks through the
screens a clerk uses (sign-in, the case list, a case's detail, the intake's item search, the
intake with its pages, the one-time notice, the sync queue, the applicant's rating screen) and
saves each as ``docs/screens/<screen>.<language>.png``. Offscreen; run from the repository root:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py [--size 1366x768] [--out docs/screens]

``--scale 1.5`` shows them as on a screen set to 150 % (``QT_SCALE_FACTOR``), on an offscreen
screen of ``--size`` times the scale in pixels (1280x720 → 1920×1080), and names them
``<screen>.<language>@1.5x.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services import devices, unit_settings
from app.services.context import AppContext
from app.services.demo import make_demo_data
from app.services.signed_in import people_here
from app.ui.app import application, cache_dir
from app.ui.case_detail import CaseDetailDialog
from app.ui.decision_dialogs import DefectsDialog
from app.ui.evaluation_window import EvaluationWindow
from app.ui.fonts import load_bundled_font
from app.ui.main_window import MainWindow
from app.ui.qt import QApplication, QTimer, QWidget
from app.ui.signin_dialog import SignInDialog, password_check
from app.ui.translation import install_translators, remove_translators
from tests.conftest import make_data_folder
from tests.support import folders


def wait(app: QApplication, until: Callable[[], object], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not until():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not get there in time")
        app.processEvents()
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()


#: appended to each file name ("@1.5x" at 150 %)
SUFFIX = ""


def save(widget: QWidget, out: Path, name: str, language: str) -> None:
    path = out / f"{name}.{language}{SUFFIX}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    print(path)


def shoot(app: QApplication, data: Path, out: Path, language: str, size: tuple[int, int]) -> None:
    signin = SignInDialog(people_here(data), password_check(data))
    signin.show()
    wait(app, signin.isVisible)
    save(signin, out, "sign-in", language)
    signin.close()

    ctx = unit_settings.set_setting(devices.use_simulated_devices(folders.open_signed_in(data)), "print.mode", "silent")
    window = MainWindow(ctx)
    window.resize(*size)
    window.show()
    wait(app, lambda: window.model.rowCount() > 0)
    save(window, out, "case-list", language)

    window.show_case(window.model.case_id(0))
    wait(app, lambda: bool(window.findChildren(CaseDetailDialog)))
    detail = window.findChildren(CaseDetailDialog)[0]
    wait(app, detail.isVisible)
    save(detail, out, "case-detail", language)
    detail.close()

    window.open_intake()
    dialog = window.intake
    assert dialog is not None
    dialog.resize(min(size[0], 1100), min(size[1] - 60, 700))
    wait(app, lambda: dialog.draft_id is not None and not dialog._busy)
    dialog.picker.field.setText("gtgs")
    wait(app, lambda: dialog.picker.current_code == "XK00147000")
    save(dialog, out, "intake-item-search", language)
    dialog.choose_item("XK00147000")
    wait(app, lambda: dialog.item_code == "XK00147000" and not dialog._busy)
    dialog.applicant.read_card_button.click()
    wait(app, lambda: not dialog._busy and dialog.applicant.name.text())
    dialog.applicant.phone.setText("13807740001")
    for _ in range(2):
        dialog.scan_buttons["adf"].click()
        wait(app, lambda: not dialog._busy)
    dialog.select_material(dialog.materials.names()[0])
    wait(app, lambda: dialog.pages.count() > 0 and dialog.pages.thumbnails_shown() == dialog.pages.count())
    save(dialog, out, "intake-materials", language)
    dialog.side.setCurrentWidget(dialog.guide)
    save(dialog, out, "intake-guide", language)

    def defects() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, DefectsDialog) and w.isVisible():
                wait(app, lambda: True)
                save(w, out, "one-time-notice", language)
                w.reject()
                return
        QTimer.singleShot(50, defects)

    QTimer.singleShot(50, defects)
    dialog.notify_button.click()
    dialog.reject()

    queue = window.sync_status.open_queue()
    wait(app, lambda: queue.table.rowCount() >= 0 and queue.summary.text() != "")
    save(queue, out, "sync-queue", language)
    queue.close()

    rating = EvaluationWindow(ctx, "none")
    rating.resize(1024, 640)
    rating.show()
    wait(app, lambda: rating.isVisible())
    save(rating, out, "evaluation", language)
    rating.close()
    window.close()
    wait(app, lambda: True)
    ctx.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--out", type=Path, default=Path("docs/screens"))
    parser.add_argument("--scale", type=float, default=1.0, help="as a screen set to this scale (1.5 = 150 %%)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    if args.scale != 1.0:
        global SUFFIX
        SUFFIX = f"@{args.scale:g}x"
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
        if os.environ["QT_QPA_PLATFORM"].startswith("offscreen"):  # a screen big enough for the window
            screen = {"name": "screenshots", "x": 0, "y": 0, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1,
                      "width": round(size[0] * args.scale), "height": round(size[1] * args.scale)}
            config = Path(tempfile.mkdtemp(prefix="screens-")) / "offscreen.json"
            config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
            os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    args.out.mkdir(parents=True, exist_ok=True)
    app = application(["screenshots"])
    load_bundled_font(app)  # as the window does: these machines have no CJK font of their own
    def demo(ctx: AppContext, root: Path) -> None:  # the unit's reviewer and approver take their own steps
        staff = [folders.as_role(ctx, role).session for role in ("reviewer", "approver")]
        make_demo_data(ctx, root / "pages", 8, staff=staff)

    data = make_data_folder(Path(tempfile.mkdtemp(prefix="screens-")), demo)
    for language in ("zh_CN", "en"):
        translators = install_translators(app, language, cache_dir())
        try:
            shoot(app, data, args.out, language, (size[0], size[1]))
        finally:
            remove_translators(app, translators)
    return 0


if __name__ == "__main__":
    sys.exit(main())
