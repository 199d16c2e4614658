"""A 即办件 is settled at the window, and a page is scanned again or slipped in where it belongs.

Seed 003 三(一): what the window can decide itself it decides on the spot (当场出具批准文件或证书).
On a real data folder with the simulated scanner: 当场办结 makes the case, accepts it with a
promise of 0 days, grants, issues and hands it over; an item with a time limit, or a missing
required material, is refused with the draft kept; the clerk may decide a 即办件 and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.lifecycle import ActionType, Status
from app.services import case_actions, counter, devices, drafts, queries
from app.services.context import AppContext
from app.services.maintenance import collect_garbage
from tests.support import pagegen as g

IMMEDIATE = "GG00412000"  # 生育登记: promised in 0 working days
TIMED = "XK00147000"  # 个体工商户设立登记: promised in working days
DPI = 100


@pytest.fixture
def sheets(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "sheets"
    folder.mkdir()
    return [g.save(folder / f"{n}.png", g.text_page(n, DPI), dpi=DPI) for n in range(1, 4)]


def filled(ctx: AppContext, item: str, sheets: list[Path], *, leave_out: int = 0) -> str:
    draft_id = drafts.start(ctx, item)
    drafts.save_applicant(ctx, draft_id, {"kind": "person", "name": "韦秀英", "id_type": "resident_id",
                                          "id_number": "11010519491231002X", "phone": "13807740001"})
    required = ctx.catalog.get(item).required_materials
    for name in required[:len(required) - leave_out]:
        drafts.import_files(ctx, draft_id, name, sheets[:1])
    return draft_id


def test_a_zero_day_item_is_accepted_granted_issued_and_handed_over_at_once(ctx: AppContext,
                                                                           sheets: list[Path]) -> None:
    decided = counter.settle(ctx, filled(ctx, IMMEDIATE, sheets))
    assert decided.status is Status.DELIVERED
    case = queries.show_case(ctx, decided.case_no)
    assert [a["type"] for a in case["actions"]] == ["receive", "accept", "decide", "issue", "deliver"]
    decide = case["actions"][2]["payload"]
    assert decide["result"] == "准予" and "当场办结" in decide["text"]
    assert case["actions"][4]["payload"]["method"] == "窗口自取"
    assert drafts.open_drafts(ctx) == []


def test_an_item_with_a_time_limit_is_not_settled_and_the_draft_stays(ctx: AppContext, sheets: list[Path]) -> None:
    draft_id = filled(ctx, TIMED, sheets)
    with pytest.raises(UserError, match="不是即办件"):
        counter.settle(ctx, draft_id)
    assert [d.id for d in drafts.open_drafts(ctx)] == [draft_id]
    assert queries.case_ids(ctx) == []


def test_a_missing_required_material_is_named_and_nothing_is_made(ctx: AppContext, sheets: list[Path]) -> None:
    draft_id = filled(ctx, IMMEDIATE, sheets, leave_out=1)
    with pytest.raises(UserError, match="夫妻双方居民身份证"):
        counter.settle(ctx, draft_id)
    assert queries.case_ids(ctx) == [] and [d.id for d in drafts.open_drafts(ctx)] == [draft_id]


def test_the_clerk_decides_a_zero_day_case_but_not_one_with_a_time_limit(ctx: AppContext,
                                                                         sheets: list[Path]) -> None:
    timed = counter.accept(ctx, filled(ctx, TIMED, sheets))
    with pytest.raises(UserError, match="审批人员"):
        case_actions.perform(ctx, timed.case_id, ActionType.DECIDE, {"result": "准予", "text": "同意"})
    immediate = counter.accept(ctx, filled(ctx, IMMEDIATE, sheets))
    done = case_actions.perform(ctx, immediate.case_id, ActionType.DECIDE, {"result": "不予", "text": "不符合登记条件"})
    assert done.status is Status.DENIED


def test_rescanning_a_page_puts_the_new_sheet_in_its_place(ctx: AppContext, sheets: list[Path]) -> None:
    sim = devices.use_simulated_devices(ctx)
    draft_id = drafts.start(sim, TIMED)
    material = sim.catalog.get(TIMED).required_materials[0]
    drafts.import_files(sim, draft_id, material, sheets)
    before = drafts.load(sim, draft_id).materials[material]
    assert drafts.scan_at(sim, draft_id, material, 2, replace=True, source="flatbed").pages == 1
    after = drafts.load(sim, draft_id).materials[material]
    assert len(after) == 3 and (after[0], after[2]) == (before[0], before[2])
    assert after[1].sha256 not in {p.sha256 for p in before}
    assert collect_garbage(sim).removed == 1  # the page it replaced, which nothing else uses


def test_inserting_puts_the_new_sheets_before_the_page_or_after_the_last(ctx: AppContext, sheets: list[Path]) -> None:
    sim = devices.use_simulated_devices(ctx)
    draft_id = drafts.start(sim, TIMED)
    material = sim.catalog.get(TIMED).required_materials[0]
    drafts.import_files(sim, draft_id, material, sheets[:2])
    first, second = drafts.load(sim, draft_id).materials[material]
    added = drafts.scan_at(sim, draft_id, material, 2, replace=False, source="adf").pages
    pages = drafts.load(sim, draft_id).materials[material]
    assert added >= 2 and len(pages) == 2 + added
    assert pages[0] == first and pages[-1] == second
    drafts.scan_at(sim, draft_id, material, len(pages) + 1, replace=False, source="flatbed")
    assert drafts.load(sim, draft_id).materials[material][:-1] == pages  # one past the end appends
    with pytest.raises(UserError, match="没有第9页"):
        drafts.scan_at(sim, draft_id, material, 9, replace=True, source="flatbed")
