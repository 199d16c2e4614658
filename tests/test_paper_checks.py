"""告知承诺: an item marked so is approved first, on the applicant's promise; the approval opens a paper
check due a set number of working days later, listed until a 核查结果 is recorded, and a check found
不属实 stays listed until the licence is revoked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.case_list import CaseFilter
from app.core.catalog import CatalogError, catalog_to_dict, parse_catalog
from app.core.errors import UserError
from app.core.lifecycle import ActionType, Status
from app.services import case_desk, items, paper_checks, queries, supervision, unit_settings
from app.services.context import AppContext
from app.services.intake import MaterialInput, new_case
from app.store.bundled import CATALOG_FILE, load_json
from tests.conftest import PERSON
from tests.support import cases, folders

A = ActionType
COMMITMENT = "XK00924000"  # 户外广告设置许可: 告知承诺, issues the 户外广告设置许可证


def _accepted(ctx: AppContext, item: str, page: Path) -> str:
    found = ctx.catalog.get(item)
    assert found is not None
    made = new_case(ctx, item, PERSON, [MaterialInput(n, (page,)) for n in found.required_materials])
    case_desk.take(ctx, made.id, A.ACCEPT)
    return made.id


def test_the_catalogue_flag_is_validated_and_kept_through_a_round_trip() -> None:
    data = load_json(CATALOG_FILE)
    catalog = parse_catalog(data)
    assert [i.code for i in catalog if i.commitment] == [COMMITMENT]
    assert parse_catalog(catalog_to_dict(catalog)) == catalog
    assert "commitment" not in catalog_to_dict(catalog)["items"][0]  # unmarked items read as before
    bad = catalog_to_dict(catalog)
    bad["items"][0]["commitment"] = "是"
    with pytest.raises(CatalogError, match="告知承诺”应为是或否"):
        parse_catalog(bad)


def test_the_item_guide_tells_the_applicant_of_the_promise(ctx: AppContext) -> None:
    shown = items.guide(ctx, COMMITMENT)
    assert shown.commitment and shown.check_days == 20
    assert not items.guide(ctx, cases.ITEM).commitment


def test_an_approval_on_the_promise_opens_a_check_listed_until_it_is_recorded(
        ctx: AppContext, pages: dict[str, Path]) -> None:
    ctx = unit_settings.set_setting(ctx, "commitment.check_days", "10")
    case_id = _accepted(ctx, COMMITMENT, pages["text"])
    approver = folders.as_role(ctx, "approver")
    assert A.PAPER_CHECK not in [o.kind for o in case_desk.offered_actions(approver, case_id)]
    case_desk.take(approver, case_id, A.DECIDE, {"result": "准予", "text": "申请人已书面承诺，先行准予"})

    due, _ = ctx.calendar.add_workdays(ctx.today(), 10)  # on the unit's calendar
    shown = queries.show_case(ctx, case_id)
    assert shown["paper_check"]["due"] == due.isoformat() and shown["paper_check"]["open"]
    assert shown["paper_check"]["unit"] == ctx.settings.get("unit.org")
    assert queries.case_ids(ctx, CaseFilter(paper_check=True)) == [case_id]  # 「待核查」
    (listed,) = paper_checks.open_checks(ctx)
    assert listed.row.case_id == case_id and listed.row.due == due and not listed.overdue
    late = paper_checks.open_checks(ctx, today=due + dt.timedelta(days=1))
    assert late[0].overdue and late[0].days_left < 0
    # The supervisor's 效能监察 page lists it too (here offline, over this window's own cases).
    supervisor = folders.as_role(ctx, "supervisor")
    (section,) = supervision.local_lists(supervisor).sections
    assert [(r.case_no, r.due, r.note) for r in section.rows] == [(shown["case_no"], due, "待核查")]

    # The window issues and delivers meanwhile; the file is not archived while the check is open.
    case_desk.take(approver, case_id, A.ISSUE)
    case_desk.take(ctx, case_id, A.DELIVER, {"method": "窗口自取"})
    archivist = folders.as_role(ctx, "archivist")
    assert "纸质材料尚未核查" in {o.kind: o.why_not for o in case_desk.offered_actions(archivist, case_id)}[A.ARCHIVE]
    # The check is the review staff's, and 不属实 says what was found.
    assert "审核人员、审批人员" in {o.kind: o.why_not for o in case_desk.offered_actions(ctx, case_id)}[A.PAPER_CHECK]
    reviewer = folders.as_role(ctx, "reviewer")
    with pytest.raises(UserError, match="请填写核查发现的问题"):
        case_desk.take(reviewer, case_id, A.PAPER_CHECK, {"result": "不属实"})
    case_desk.take(reviewer, case_id, A.PAPER_CHECK, {"result": "不属实", "text": "场地使用权证明与原件不符"})

    assert queries.case_ids(ctx, CaseFilter(paper_check=True)) == []
    (owed,) = paper_checks.open_checks(ctx)
    assert owed.needs_revocation  # the window is told to revoke
    (section,) = supervision.local_lists(supervisor).sections
    assert [r.note for r in section.rows] == ["核查不属实，待注销证照"]
    shown = queries.show_case(ctx, case_id)["paper_check"]
    assert (shown["result"], shown["text"], shown["revoke_owed"]) == ("不属实", "场地使用权证明与原件不符", True)
    with pytest.raises(UserError, match="纸质材料已核查"):
        case_desk.take(reviewer, case_id, A.PAPER_CHECK, {"result": "属实"})
    case_desk.take(approver, case_id, A.REVOKE_LICENCE, {"reason": "告知承诺核查不属实，撤销许可"})
    assert paper_checks.open_checks(ctx) == []
    assert case_desk.take(archivist, case_id, A.ARCHIVE).status is Status.ARCHIVED


def test_an_item_without_the_flag_opens_no_check_and_takes_none(ctx: AppContext, pages: dict[str, Path]) -> None:
    case_id = _accepted(ctx, cases.ITEM, pages["text"])
    approver = folders.as_role(ctx, "approver")
    case_desk.take(approver, case_id, A.DECIDE, {"result": "准予"})
    assert queries.show_case(ctx, case_id)["paper_check"] is None
    assert A.PAPER_CHECK not in [o.kind for o in case_desk.offered_actions(approver, case_id)]
    with pytest.raises(UserError, match="不是告知承诺件"):
        case_desk.take(approver, case_id, A.PAPER_CHECK, {"result": "属实"})
    assert paper_checks.open_checks(ctx) == []


def test_a_denial_of_a_commitment_item_opens_no_check(ctx: AppContext, pages: dict[str, Path]) -> None:
    case_id = _accepted(ctx, COMMITMENT, pages["text"])
    approver = folders.as_role(ctx, "approver")
    case_desk.take(approver, case_id, A.DECIDE, {"result": "不予", "text": "设置位置不符合规划"})
    assert queries.show_case(ctx, case_id)["paper_check"] is None
