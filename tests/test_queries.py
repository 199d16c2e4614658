"""Read-side queries over demo data: counts agree with the rows a clerk sees."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.case_list import DEFAULT_SORT, STATUS_ORDER, CaseFilter, LightFilter, Sort, SortKey
from app.core.deadlines import Light
from app.core.lifecycle import ActionType, Status
from app.core.settings import Settings
from app.services import intake, queries
from app.services.case_actions import perform
from app.services.context import AppContext
from app.services.demo import make_demo_data, render_page
from app.store import case_list
from tests.conftest import ORG, PERSON, make_data_folder
from tests.support import cases, folders
from tests.support.returns import RETURN_TEXT, return_case

#: an organisation applicant (the unit's own credit code is a valid one)
COMPANY = {"kind": "org", "name": "梧州市长洲区某某商行", "credit_code": ORG, "legal_rep": PERSON}


def _fill(ctx: AppContext, root: Path) -> None:
    make_demo_data(ctx, root / "pages", 40, staff=folders.staff(ctx))
    page = root / "page.png"
    page.write_bytes(render_page("申请表", ["样例"]))
    for applicant in (PERSON, COMPANY):  # an ID number ending in X; a credit code
        intake.new_case(ctx, cases.ITEM, applicant, cases.materials(page))
    # The county hands one forwarded case back; it is held here again.
    return_case(ctx, queries.case_ids(ctx, status=str(Status.FORWARDED))[0], RETURN_TEXT)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    folder = make_data_folder(tmp_path_factory.mktemp("demo"), _fill)
    ctx = folders.open_signed_in(folder)
    yield ctx
    ctx.close()


def _rows(ctx: AppContext, where: CaseFilter | None = None, order: Sort = DEFAULT_SORT) -> list[queries.CaseRow]:
    ids = queries.case_ids(ctx, where, order)
    rows = queries.case_rows(ctx, ids)
    return [rows[i] for i in ids]


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


#: what each column sorts by, as the clerk reads the rows: ascending order, cases without a value last
_URGENCY = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2}
SORTED_BY: dict[SortKey, Callable[[queries.CaseRow], Any]] = {
    SortKey.CASE_NO: lambda r: r.case_no,
    SortKey.APPLICANT: lambda r: r.applicant,
    SortKey.ITEM: lambda r: r.item_name,
    SortKey.STATUS: lambda r: STATUS_ORDER.index(r.status),
    SortKey.RECEIVED: lambda r: r.received_at,
    SortKey.DUE: lambda r: r.due,
    SortKey.LIGHT: lambda r: (_URGENCY[r.light], r.due) if r.light is not None else None,
}


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("key", list(SortKey))
def test_the_list_sorts_by_each_column(demo: AppContext, key: SortKey, descending: bool) -> None:
    rows = _rows(demo, order=Sort(key, descending))
    assert sorted(r.id for r in rows) == sorted(queries.case_ids(demo))
    values = [SORTED_BY[key](r) for r in rows]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=descending)
    if key in (SortKey.DUE, SortKey.LIGHT):  # no deadline, no light: last ascending, first descending
        blanks = [None] * (len(values) - len(present))
        assert blanks and values == (blanks + present if descending else present + blanks)
    if key is SortKey.LIGHT and not descending:
        assert [r.light for r in rows][:2] == [Light.RED, Light.RED]  # 超期 first
    # Ties by time received, the same way round.
    for a, b in itertools.pairwise(rows):
        if SORTED_BY[key](a) == SORTED_BY[key](b):
            assert (a.received_at >= b.received_at) if descending else (a.received_at <= b.received_at)
    # Descending is the ascending list read from the end.
    assert [r.id for r in _rows(demo, order=Sort(key, not descending))] == [r.id for r in reversed(rows)]


@pytest.mark.parametrize("key", list(SortKey))
def test_every_sort_walks_an_index(demo: AppContext, key: SortKey) -> None:
    # At 100 000 cases a sort of all rows costs several times an index walk (bench/case_list.py):
    # a new status, or a changed sort expression, needs its index in a migration.
    for descending in (False, True):
        plan = case_list.query_plan(demo.store.reader(), CaseFilter(), Sort(key, descending),
                                    queries.viewpoint(demo))
        assert not any("TEMP B-TREE" in step for step in plan), plan
        assert any(step.startswith("SCAN c USING") and "INDEX" in step for step in plan), plan


@pytest.mark.parametrize("light", [LightFilter.YELLOW, LightFilter.RED, LightFilter.YELLOW_OR_RED])
def test_the_light_filter(demo: AppContext, light: LightFilter) -> None:
    wanted = {LightFilter.YELLOW: {Light.YELLOW}, LightFilter.RED: {Light.RED},
              LightFilter.YELLOW_OR_RED: {Light.YELLOW, Light.RED}}[light]
    expected = [r.id for r in _rows(demo) if r.light in wanted]
    assert expected
    assert [r.id for r in _rows(demo, CaseFilter(light=light))] == expected
    counts = queries.light_counts(demo, CaseFilter(light=light))
    assert counts.yellow == (sum(r.light is Light.YELLOW for r in _rows(demo)) if Light.YELLOW in wanted else 0)
    assert counts.red == (sum(r.light is Light.RED for r in _rows(demo)) if Light.RED in wanted else 0)


def test_today_is_the_units_calendar_day(demo: AppContext) -> None:
    every = _rows(demo)
    day = every[len(every) // 2].received_at.date()
    # Late in the evening of that day, and just after midnight of the next one.
    for moment, expected_day in ((dt.time(23, 59), day), (dt.time(0, 1), day + dt.timedelta(days=1))):
        on = day if expected_day == day else expected_day
        clock = dt.datetime.combine(on, moment).astimezone()
        ctx = dataclasses.replace(demo, clock=lambda clock=clock: clock)
        expected = [r.id for r in every if r.received_at.astimezone().date() == expected_day]
        assert [r.id for r in _rows(ctx, CaseFilter(today=True))] == expected
    assert [r.id for r in _rows(demo, CaseFilter(today=True)) if r.received_at.date() != demo.today()] == []


def test_mine_is_what_the_signed_in_person_took_a_step_on(demo: AppContext) -> None:
    assert [r.id for r in _rows(demo, CaseFilter(mine=True))] == queries.case_ids(demo)  # the clerk received all
    reviewer = folders.as_role(demo, "reviewer")
    theirs = [r.id for r in _rows(reviewer, CaseFilter(mine=True))]
    assert 0 < len(theirs) < len(queries.case_ids(demo))
    for case_id in queries.case_ids(demo):
        actors = {a["actor"] for a in queries.show_case(demo, case_id)["actions"]}
        assert (case_id in theirs) == (reviewer.session.user in actors)


def test_the_item_filter_offers_the_items_of_the_cases(demo: AppContext) -> None:
    items = queries.listed_items(demo)
    assert sum(n for _, _, n in items) == len(queries.case_ids(demo))
    assert [n for _, _, n in items] == sorted((n for _, _, n in items), reverse=True)
    code, name, count = items[0]
    rows = _rows(demo, CaseFilter(item_code=code))
    assert len(rows) == count and {r.item_name for r in rows} == {name}
    both = _rows(demo, CaseFilter(item_code=code, status=str(rows[0].status)))
    assert both and all(r.status is rows[0].status for r in both)


@pytest.mark.parametrize("typed", [PERSON["id_number"].lower(), PERSON["id_number"], f" {ORG.lower()} "])
def test_an_id_number_or_credit_code_finds_the_applicants_cases(demo: AppContext, typed: str) -> None:
    found = _rows(demo, CaseFilter(search=typed))
    name = PERSON["name"] if typed.strip().upper() == PERSON["id_number"] else COMPANY["name"]
    assert len(found) == 1 and found[0].applicant == name
    assert _rows(demo, CaseFilter(search=typed.strip()[:-1] + "0")) == []  # another number finds nothing


def test_a_returned_case_is_marked_counted_and_filtered(demo: AppContext) -> None:
    rows = _rows(demo)
    returned = [r for r in rows if r.returned is not None]
    assert len(returned) == 1
    assert returned[0].returned == RETURN_TEXT and returned[0].returned_by == "450403"
    assert returned[0].status is Status.IN_REVIEW
    assert [r.id for r in _rows(demo, CaseFilter(returned=True))] == [returned[0].id]
    assert queries.light_counts(demo).returned == 1
    assert queries.light_counts(demo, CaseFilter(status=str(Status.ACCEPTED))).returned == 0
    # Another unit (the county that returned it) does not hold it: nothing is returned to it.
    county = dataclasses.replace(demo, settings=demo.settings.with_value("unit.org", "450403"))
    assert queries.light_counts(county).returned == 0
    assert all(r.returned is None for r in queries.case_rows(county, queries.case_ids(county)).values())


def test_a_returned_case_forwarded_again_is_no_longer_marked(tmp_path: Path) -> None:
    def fill(ctx: AppContext, root: Path) -> None:
        make_demo_data(ctx, root / "pages", 6, staff=folders.staff(ctx))

    folder = make_data_folder(tmp_path, fill)
    ctx = folders.open_signed_in(folder)
    try:
        case_id = queries.case_ids(ctx, status=str(Status.FORWARDED))[0]
        return_case(ctx, case_id, RETURN_TEXT)
        assert queries.case_ids(ctx, CaseFilter(returned=True)) == [case_id]
        perform(folders.as_role(ctx, "reviewer"), case_id, ActionType.FORWARD, {"to": "450403", "text": "已补充"})
        assert queries.case_ids(ctx, CaseFilter(returned=True)) == []
        assert queries.case_rows(ctx, [case_id])[case_id].returned is None
    finally:
        ctx.close()
