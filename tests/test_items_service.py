"""Each person's recent and favourite items, the item's guide, and ``catalog search|guide``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from app.core.deadlines import compute_deadline
from app.core.errors import UserError
from app.services import items
from app.services.context import AppContext
from tests.support import folders

GTGS = "XK00147000"  # 个体工商户设立登记, 承诺 1 个工作日
PENSION = "GG00231000"  # 城乡居民基本养老保险参保登记, 承诺 3 个工作日
TRANSFER = "QR00203000"  # 转移登记: charged
BIRTH = "GG00412000"  # 生育登记: 即办件
TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ)


def on(ctx: AppContext, when: dt.datetime) -> AppContext:
    return dataclasses.replace(ctx, clock=lambda: when)


def test_recent_and_favourites_are_each_persons_own_and_kept(data_dir: Path) -> None:
    clerk = folders.open_signed_in(data_dir)
    try:
        assert items.recent(clerk) == [] and items.favourites(clerk) == []
        items.note_used(on(clerk, at("2026-03-02")), PENSION)
        items.note_used(on(clerk, at("2026-03-03")), GTGS)
        items.note_used(on(clerk, at("2026-03-04")), PENSION)
        assert items.toggle_favourite(on(clerk, at("2026-03-04")), BIRTH) is True
        assert items.toggle_favourite(on(clerk, at("2026-03-05")), GTGS.lower()) is True
    finally:
        clerk.close()

    reviewer = folders.open_signed_in(data_dir, folders.STAFF["reviewer"])
    try:
        assert reviewer.session.user == folders.STAFF["reviewer"]
        assert items.recent(reviewer) == [] and items.favourites(reviewer) == []
        items.note_used(on(reviewer, at("2026-03-06")), TRANSFER)
        items.toggle_favourite(reviewer, TRANSFER)
    finally:
        reviewer.close()

    clerk = folders.open_signed_in(data_dir, folders.USER)  # the store reopened: all of it is still there
    try:
        assert [i.code for i in items.recent(clerk)] == [PENSION, GTGS]
        assert [i.code for i in items.favourites(clerk)] == [BIRTH, GTGS]
        assert items.recent(clerk)[1].name == "个体工商户设立登记"
        assert items.toggle_favourite(clerk, BIRTH) is False
        assert [i.code for i in items.favourites(clerk)] == [GTGS]
    finally:
        clerk.close()
    reviewer = folders.open_signed_in(data_dir, folders.STAFF["reviewer"])
    try:
        assert [i.code for i in items.recent(reviewer)] == [TRANSFER]
        assert [i.code for i in items.favourites(reviewer)] == [TRANSFER]
    finally:
        reviewer.close()


def test_items_that_left_the_catalogue_are_not_offered(ctx: AppContext) -> None:
    items.note_used(ctx, GTGS)
    items.toggle_favourite(ctx, GTGS)
    smaller = dataclasses.replace(ctx.catalog, items=tuple(i for i in ctx.catalog if i.code != GTGS))
    assert items.recent(dataclasses.replace(ctx, catalog=smaller)) == []
    assert items.favourites(dataclasses.replace(ctx, catalog=smaller)) == []


def test_an_unknown_item_is_a_user_error_that_writes_nothing(ctx: AppContext) -> None:
    for call in (items.note_used, items.toggle_favourite, items.guide):
        with pytest.raises(UserError, match="没有编码为“XK99999000”的事项"):
            call(ctx, "XK99999000")
    assert items.recent(ctx) == [] and items.favourites(ctx) == []


def test_search_uses_the_contexts_catalogue(ctx: AppContext) -> None:
    found = items.search(ctx, "gtgs")
    assert [(i.code, i.name, i.tier, i.promised_days) for i in found] == [(GTGS, "个体工商户设立登记", "county", 1)]
    assert items.index_ready(ctx)
    renamed = dataclasses.replace(ctx.catalog.get(GTGS), name="个人独资企业设立登记")  # type: ignore[arg-type]
    newer = dataclasses.replace(ctx, catalog=dataclasses.replace(
        ctx.catalog, items=tuple(renamed if i.code == GTGS else i for i in ctx.catalog)))
    assert not items.index_ready(newer)
    assert items.search_if_ready(newer, "grdz") is None  # the GUI thread does not wait for a build
    assert items.search(newer, "gtgs") == []
    assert [i.code for i in items.search(newer, "grdz")] == [GTGS]
    assert [i.code for i in items.search_if_ready(ctx, "gtgs") or []] == [GTGS]  # the old one is still kept


def test_the_guides_deadline_is_the_deadline_rule(ctx: AppContext) -> None:
    for day in ("2026-03-04", "2026-09-30", "2026-12-31", "2026-01-30", "2027-02-05"):
        for code in (GTGS, PENSION, "XK00562000", BIRTH):
            guide = items.guide(on(ctx, at(day, 16)), code)
            item = ctx.catalog.get(code)
            assert item is not None
            expected = compute_deadline(ctx.calendar, dt.date.fromisoformat(day), item.promised_days)
            assert (guide.deadline, guide.provisional) == (expected.due, expected.provisional), (day, code)
            assert guide.accepted_on == dt.date.fromisoformat(day)


def test_the_guide_tells_what_the_counter_tells(ctx: AppContext) -> None:
    guide = items.guide(on(ctx, at("2026-09-30")), GTGS)
    assert guide.deadline == dt.date(2026, 10, 8)  # 国庆: 1 to 7 October
    assert guide.tier_label == "县（区）" and guide.promised_days == 1 and not guide.immediate
    assert guide.fee_amount == "不收费" and not guide.charged
    assert guide.consult_phone and guide.complaint_phone == "12345"
    assert guide.conditions
    required = [m.name for m in guide.materials if m.required]
    assert required == list(ctx.catalog.get(GTGS).required_materials)  # type: ignore[union-attr]
    assert 0 < guide.required_count <= len(guide.materials)

    charged = items.guide(ctx, TRANSFER)
    assert charged.charged and "80元" in charged.fee_amount and "2559号" in charged.fee_basis
    assert items.guide(ctx, BIRTH).immediate


def test_a_deadline_through_an_unknown_year_is_provisional(ctx: AppContext) -> None:
    guide = items.guide(on(ctx, at("2041-06-03")), PENSION)
    assert guide.provisional and guide.deadline == dt.date(2041, 6, 6)


def test_cli_search_and_guide(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("--json", "catalog", "search", "gtgs")
    assert code == 0, err
    rows = json.loads(out)
    assert rows[0]["code"] == GTGS and {"code", "name", "tier", "promised_days"} <= rows[0].keys()
    code, out, _ = cli("catalog", "search", "getigongshang")
    assert code == 0 and GTGS in out and "个体工商户设立登记" in out and "承诺1个工作日" in out
    code, out, _ = cli("catalog", "search", "qqqqq")
    assert code == 0 and "没有找到" in out

    code, out, err = cli("--json", "catalog", "guide", GTGS)
    assert code == 0, err
    guide = json.loads(out)
    assert guide["code"] == GTGS and guide["promised_days"] == 1
    assert dt.date.fromisoformat(guide["deadline"]["date"]) > dt.date.fromisoformat(guide["accepted_on"])
    assert guide["fee"] == {"charged": False, "amount": "不收费", "basis": ""}
    assert any(m["required"] for m in guide["materials"])
    code, out, _ = cli("catalog", "guide", TRANSFER)
    assert code == 0 and "收费：住宅每件80元" in out and "依据" in out and "申请材料" in out

    code, out, err = cli("catalog", "guide", "XK99999000")
    assert code == 2 and out == "" and "没有编码为" in err
