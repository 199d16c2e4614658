"""The ids-only case model: Qt's model contract, formatting, and fetching only what is shown."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.deadlines import Light
from app.core.lifecycle import ActionType
from app.services import queries
from app.services.case_actions import perform
from app.services.context import AppContext
from app.services.queries import CaseRow
from app.ui.case_model import LIGHT_COLOURS, CaseTableModel, Column
from app.ui.qt import QColor, QIcon, Qt, QTableView
from tests.support import folders

pytestmark = pytest.mark.ui
ROLE = Qt.ItemDataRole


class CountingFetch:
    """``queries.case_rows`` bound to a context, counting calls and rows asked for."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.calls = 0
        self.rows = 0

    def __call__(self, ids: Sequence[str]) -> Mapping[str, CaseRow]:
        self.calls += 1
        self.rows += len(ids)
        return queries.case_rows(self.ctx, ids)


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester, demo_ctx: AppContext) -> None:
    model = CaseTableModel(CountingFetch(demo_ctx))
    model.set_ids(queries.case_ids(demo_ctx))
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_columns_show_the_rows(demo_ctx: AppContext, demo_rows: list[CaseRow]) -> None:
    model = CaseTableModel(CountingFetch(demo_ctx))
    model.set_ids(r.id for r in demo_rows)
    assert model.rowCount() == len(demo_rows)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in Column] == [
        "受理编号", "申请人", "事项", "状态", "收件时间", "办结时限", "时限状态", "报送单位"]
    for n, row in enumerate(demo_rows):
        def text(column: Column, n: int = n) -> object:
            return model.data(model.index(n, column))

        assert model.case_id(n) == row.id
        assert text(Column.CASE_NO) == row.case_no
        assert text(Column.APPLICANT) == row.applicant
        assert text(Column.ITEM) == row.item_name
        assert text(Column.STATUS) == row.status.label
        assert text(Column.RECEIVED) == f"{row.received_at.astimezone():%Y-%m-%d %H:%M}"
        if row.due is None:
            assert text(Column.DUE) == ""
        else:
            assert text(Column.DUE) == row.due.isoformat() + ("（暂定）" if row.provisional else "")
        assert text(Column.SENT_BY) == row.sent_by  # this unit's own cases name no sender


def test_traffic_lights_are_coloured(demo_ctx: AppContext, demo_rows: list[CaseRow]) -> None:
    model = CaseTableModel(CountingFetch(demo_ctx))
    model.set_ids(r.id for r in demo_rows)
    seen = set()
    for n, row in enumerate(demo_rows):
        index = model.index(n, Column.LIGHT)
        if row.light is None:
            assert model.data(index) == "—"
            assert model.data(index, ROLE.DecorationRole) is None
            assert model.data(index, ROLE.ForegroundRole).color() == QColor("#9e9e9e")
        else:
            seen.add(row.light)
            assert model.data(index) == row.light.label
            assert isinstance(model.data(index, ROLE.DecorationRole), QIcon)
            assert model.data(index, ROLE.BackgroundRole).color() == QColor(LIGHT_COLOURS[row.light][1])
    assert seen, "the demo data should have open cases with a light"
    assert any(r.light is None for r in demo_rows)


def test_reset_fetches_only_a_screenful_at_10000_cases(qtbot: QtBot, bulk_ctx: AppContext) -> None:
    fetch = CountingFetch(bulk_ctx)
    model = CaseTableModel(fetch)
    ids = queries.case_ids(bulk_ctx)
    assert len(ids) == 10_000
    model.set_ids(ids)
    assert (fetch.calls, model.cached_rows) == (0, 0)  # a reset fetches nothing

    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1000, 600)
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # paints what a screen would show
    assert 0 < fetch.calls <= 2
    assert model.cached_rows <= 2 * CaseTableModel.BLOCK
    assert model.data(model.index(0, Column.CASE_NO)) == queries.case_rows(bulk_ctx, ids[:1])[ids[0]].case_no

    view.scrollToBottom()
    view.grab()  # paints what a screen would show
    assert model.cached_rows <= 4 * CaseTableModel.BLOCK
    assert fetch.rows <= 4 * CaseTableModel.BLOCK


def test_cache_stays_bounded(bulk_ctx: AppContext) -> None:
    fetch = CountingFetch(bulk_ctx)
    model = CaseTableModel(fetch)
    model.set_ids(queries.case_ids(bulk_ctx))
    for row in range(0, model.rowCount(), 97):
        assert model.data(model.index(row, Column.CASE_NO))
    assert model.cached_rows <= CaseTableModel.CACHE_LIMIT
    calls = fetch.calls
    model.data(model.index(model.rowCount() - 1, 0))  # recently used: still cached
    assert fetch.calls == calls


def test_refresh_with_same_ids_keeps_the_list_and_rereads_rows(qtbot: QtBot, demo_ctx: AppContext) -> None:
    fetch = CountingFetch(demo_ctx)
    model = CaseTableModel(fetch)
    ids = queries.case_ids(demo_ctx)
    model.set_ids(ids)
    model.data(model.index(0, 0))
    calls = fetch.calls
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.refresh_ids(list(ids))
    assert model.cached_rows == 0
    model.data(model.index(0, 0))
    assert fetch.calls == calls + 1
    with qtbot.waitSignal(model.modelReset):
        model.refresh_ids(ids[:3])
    assert model.rowCount() == 3
    assert model.row_of(ids[2]) == 2
    assert model.row_of(ids[5]) is None


def test_rows_missing_from_the_store_show_empty(demo_ctx: AppContext) -> None:
    model = CaseTableModel(CountingFetch(demo_ctx))
    model.set_ids(["no-such-case", *queries.case_ids(demo_ctx)[:2]])
    assert model.data(model.index(0, Column.CASE_NO)) is None
    assert model.data(model.index(1, Column.CASE_NO))


def test_light_labels_cover_core(demo_ctx: AppContext) -> None:
    from app.core.lifecycle import ActionType, Status
    from app.ui import labels

    assert {s.label for s in Status} == set(labels.STATUS_LABELS)
    assert {a.label for a in ActionType} == set(labels.ACTION_LABELS)
    assert {light.label for light in Light} == set(labels.LIGHT_LABELS)


def test_refresh_rows_rereads_only_those_rows(qtbot: QtBot, demo_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(demo_dir, tmp_path / "data")
    ctx = folders.open_signed_in(tmp_path / "data")
    try:
        fetch = CountingFetch(ctx)
        model = CaseTableModel(fetch)
        ids = queries.case_ids(ctx)
        model.set_ids(ids)
        before = [model.data(model.index(r, Column.STATUS)) for r in range(model.rowCount())]  # all cached
        row = before.index("已收件")
        perform(ctx, ids[row], ActionType.ACCEPT)
        calls, cached = fetch.calls, model.cached_rows

        changed: list[tuple[int, int, int, int]] = []
        model.dataChanged.connect(lambda a, b, _roles=(): changed.append((a.row(), a.column(), b.row(), b.column())))
        with qtbot.assertNotEmitted(model.modelReset), qtbot.assertNotEmitted(model.layoutChanged):
            model.refresh_rows([ids[row], "not-listed"])
        assert changed == [(row, 0, row, len(Column) - 1)]
        assert model.cached_rows == cached - 1  # every other row is still held
        after = [model.data(model.index(r, Column.STATUS)) for r in range(model.rowCount())]
        assert after[row] == "已受理"
        assert after[:row] + after[row + 1:] == before[:row] + before[row + 1:]
        assert fetch.calls == calls + 1  # one fetch, for that row
    finally:
        ctx.close()


def test_insert_ids_adds_rows_without_a_reset(qtmodeltester: ModelTester, qtbot: QtBot, demo_ctx: AppContext) -> None:
    model = CaseTableModel(CountingFetch(demo_ctx))
    ids = queries.case_ids(demo_ctx)
    model.set_ids(ids[2:])
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted) as inserted:
        model.insert_ids(0, [ids[0], ids[1], ids[3]])  # one already listed: not twice
    assert inserted.args[1:] == [0, 1]
    assert [model.case_id(r) for r in range(model.rowCount())] == ids
    assert model.row_of(ids[-1]) == len(ids) - 1
    qtmodeltester.check(model)
