"""Read-side queries over demo data: counts agree with the rows a clerk sees."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from app.core.deadlines import Light
from app.core.settings import Settings
from app.services import queries
from app.services.context import AppContext
from app.services.demo import make_demo_data
from tests.conftest import make_data_folder
from tests.support import folders


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    folder = make_data_folder(tmp_path_factory.mktemp("demo"),
                              lambda ctx, root: make_demo_data(ctx, root / "pages", 40, staff=folders.staff(ctx)))
    ctx = folders.open_signed_in(folder)
    yield ctx
    ctx.close()


@pytest.mark.parametrize("days_later", [0, 1, 3, 7, 20])
@pytest.mark.parametrize(("status", "search"), [(None, None), ("accepted", None), (None, "登记"), (None, "王")])
def test_light_counts_match_the_rows(demo: AppContext, status, search, days_later) -> None:  # type: ignore[no-untyped-def]
    later = demo.clock() + dt.timedelta(days=days_later)
    ctx = dataclasses.replace(demo, clock=lambda: later)
    rows = queries.case_rows(ctx, queries.case_ids(ctx, status=status, search=search)).values()
    seen = collections.Counter(r.light for r in rows)
    counts = queries.light_counts(ctx, status=status, search=search)
    assert (counts.yellow, counts.red) == (seen[Light.YELLOW], seen[Light.RED])


def test_demo_data_covers_every_light_and_no_future_times(demo: AppContext) -> None:
    rows = queries.case_rows(demo, queries.case_ids(demo)).values()
    assert {r.light for r in rows} >= {Light.GREEN, Light.YELLOW, Light.RED, None}
    assert max(r.received_at for r in rows) <= demo.clock()


def test_the_yellow_threshold_is_a_setting(demo: AppContext) -> None:
    def lights(days: int) -> collections.Counter[Light | None]:
        ctx = dataclasses.replace(demo, settings=Settings({"deadline.yellow_days": days}))
        rows = queries.case_rows(ctx, queries.case_ids(ctx)).values()
        counts = queries.light_counts(ctx)
        seen = collections.Counter(r.light for r in rows)
        assert (counts.yellow, counts.red) == (seen[Light.YELLOW], seen[Light.RED])
        return seen

    strict, relaxed = lights(0), lights(10)
    assert relaxed[Light.YELLOW] > lights(2)[Light.YELLOW] > strict[Light.YELLOW]
    assert relaxed[Light.RED] == strict[Light.RED]


def test_settings_are_declared_once() -> None:
    assert Settings({"deadline.yellow_days": "3"}).get("deadline.yellow_days") == 3
    assert Settings().get("deadline.yellow_days") == 2
    with pytest.raises(KeyError, match="undeclared"):
        Settings().get("deadline.yelow_days")
    with pytest.raises(TypeError):
        Settings.coerce("unit.window_no", 1.5)
    # A bad stored value does not stop the app from opening: the default stands in for it.
    assert Settings({"unit.window_no": 1.5}).get("unit.window_no") == 1
