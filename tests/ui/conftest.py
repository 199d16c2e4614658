"""Fixtures for the window's tests: Qt offscreen, demo and bulk data folders, the bundled font."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.services import queries
from app.services.context import AppContext
from app.services.demo import make_demo_data, seed_bulk
from app.services.queries import CaseRow
from tests.conftest import make_data_folder
from tests.support import folders

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from app.ui.main_window import MainWindow

DEMO_COUNT = 20
BULK_COUNT = 10_000


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with DEMO_COUNT demo cases in every state (made once; tests only read)."""
    def fill(ctx: AppContext, root: Path) -> None:  # the unit's reviewer and approver take their own steps
        staff = [folders.as_role(ctx, role).session for role in ("reviewer", "approver")]
        make_demo_data(ctx, root / "pages", DEMO_COUNT, staff=staff)

    return make_data_folder(tmp_path_factory.mktemp("demo"), fill)


def _opened(folder: Path) -> Iterator[AppContext]:
    """A context on ``folder`` that outlives every background task the test started."""
    ctx = folders.open_signed_in(folder)
    yield ctx
    drain_background()
    ctx.close()


@pytest.fixture
def demo_ctx(demo_dir: Path) -> Iterator[AppContext]:
    yield from _opened(demo_dir)


@pytest.fixture
def demo_rows(demo_ctx: AppContext) -> list[CaseRow]:
    """Every demo case's row, newest first (what the window should list)."""
    ids = queries.case_ids(demo_ctx)
    rows = queries.case_rows(demo_ctx, ids)
    return [rows[i] for i in ids]


@pytest.fixture(scope="session")
def bulk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_data_folder(tmp_path_factory.mktemp("bulk"), lambda ctx, _: seed_bulk(ctx, BULK_COUNT))


@pytest.fixture
def bulk_ctx(bulk_dir: Path) -> Iterator[AppContext]:
    yield from _opened(bulk_dir)


@pytest.fixture
def window(qtbot: QtBot, demo_ctx: AppContext) -> Iterator[MainWindow]:
    """The main window over the demo cases, shown, with its first list loaded."""
    from app.ui.main_window import MainWindow

    win = MainWindow(demo_ctx)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.summary_updated, timeout=10_000):
        win.resize(1280, 720)
        win.show()
    yield win
    win.close()
    drain_background()


@pytest.fixture(scope="session")
def bundled_family(qapp: object) -> str:
    """Load the bundled CJK font into the test QApplication, as app.run does."""
    from app.ui.fonts import load_bundled_font
    from app.ui.qt import QApplication

    assert isinstance(qapp, QApplication)
    family = load_bundled_font(qapp)
    assert family is not None
    return family


@pytest.fixture(autouse=True)
def _font(bundled_family: str) -> None:
    """Every UI test runs with the bundled font, like the real window."""


def drain_background() -> None:
    """Let every started task finish and its callbacks run (before a store is closed)."""
    from app.ui.qt import QCoreApplication
    from app.ui.tasks import tasks_in_flight, wait_for_background

    for _ in range(100):
        if not tasks_in_flight():
            return
        assert wait_for_background(30.0), "background work did not finish"
        QCoreApplication.processEvents()
    raise AssertionError("background tasks keep starting new ones")
