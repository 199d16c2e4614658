"""The case desk: what each person is offered on a case as it moves through its states, and taking it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import UserError
from app.core.lifecycle import ActionType, Status
from app.services import case_desk, counter
from app.services.context import AppContext
from app.services.intake import MaterialInput, new_case
from app.store import sync_state
from tests.conftest import ORG, PERSON, snapshot
from tests.support import cases, folders

A = ActionType
COUNTY = "11450400MB0011223X"


def offers(ctx: AppContext, case_id: str) -> dict[ActionType, str]:
    """Each offered action → "" when enabled, else the reason why not."""
    return {o.kind: o.why_not for o in case_desk.offered_actions(ctx, case_id)}


def enabled(ctx: AppContext, case_id: str) -> list[ActionType]:
    return [o.kind for o in case_desk.offered_actions(ctx, case_id) if o.enabled]


def save_units(ctx: AppContext) -> None:
    ctx.store.write(lambda db: sync_state.save_units(db, [
        {"code": COUNTY, "name": "梧州市长洲区行政审批局", "tier": "county", "parent": None},
        {"code": ORG, "name": "大塘街道便民服务中心", "tier": "township", "parent": COUNTY},
    ]))


@pytest.fixture
def accepted(ctx: AppContext, pages: dict[str, Path]) -> str:
    made = new_case(ctx, cases.ITEM, PERSON, cases.materials(pages["text"]))
    case_desk.take(ctx, made.id, A.ACCEPT)
    return made.id


def test_a_received_case_offers_the_counters_decisions_in_order(ctx: AppContext, pages: dict[str, Path]) -> None:
    complete = new_case(ctx, cases.ITEM, PERSON, cases.materials(pages["text"])).id
    got = case_desk.offered_actions(ctx, complete)
    assert [o.kind for o in got] == [A.ACCEPT, A.NOTIFY_MISSING, A.REJECT, A.EVALUATE, A.WITHDRAW]
    assert all(o.enabled for o in got) and got[0].label == "受理"

    # Without the household register, 受理 is shown with the reason, and the one-time notice comes pre-filled.
    lacking = new_case(ctx, cases.ITEM, PERSON, cases.materials(pages["text"], without=[cases.HOUSEHOLD])).id
    assert "缺少必要材料" in offers(ctx, lacking)[A.ACCEPT] and cases.HOUSEHOLD in offers(ctx, lacking)[A.ACCEPT]
    defects, names = case_desk.defects_of(ctx, lacking)
    assert [(d.material, d.problem) for d in defects] == [(cases.HOUSEHOLD, "未提供")]
    assert names[:3] == list(cases.REQUIRED[cases.ITEM])
    done = case_desk.take(ctx, lacking, A.NOTIFY_MISSING, counter.missing_payload(defects))
    assert done.case_ids == (lacking,) and done.status is Status.AWAITING_MATERIALS


def test_each_role_is_offered_its_own_steps_and_told_why_not_the_others(ctx: AppContext, accepted: str) -> None:
    clerk = offers(ctx, accepted)
    assert "请由审核人员、审批人员办理" in clerk[A.START_REVIEW]
    assert "审批人员" in clerk[A.DECIDE] and "窗口受理" in clerk[A.DECIDE]
    assert enabled(ctx, accepted) == [A.EVALUATE, A.WITHDRAW]  # 上报 waits for the units (see below)
    assert "同步" in clerk[A.FORWARD]

    supervisor = offers(folders.as_role(ctx, "supervisor"), accepted)
    assert supervisor and all("效能监察" in why for why in supervisor.values())

    approver = folders.as_role(ctx, "approver")
    assert enabled(approver, accepted) == [A.START_REVIEW, A.SUSPEND, A.DECIDE]
    case_desk.take(approver, accepted, A.START_REVIEW)
    case_desk.take(approver, accepted, A.DECIDE, {"result": "准予"})
    assert enabled(approver, accepted) == [A.ISSUE]
    done = case_desk.take(approver, accepted, A.ISSUE)
    assert done.status is Status.ISSUED
    assert enabled(ctx, accepted) == [A.DELIVER, A.EVALUATE]


def test_report_upward_goes_to_the_parent_unit_by_name(ctx: AppContext, accepted: str) -> None:
    save_units(ctx)
    assert offers(ctx, accepted)[A.FORWARD] == ""
    (county,) = case_desk.forward_targets(ctx)
    assert county == case_desk.Unit(COUNTY, "梧州市长洲区行政审批局")
    done = case_desk.take(ctx, accepted, A.FORWARD, {"to": county.code, "text": "本级无权审批"})
    assert done.status is Status.FORWARDED
    # Held by the county now: the township's window may still withdraw, its reviewer gives no opinion.
    assert offers(ctx, accepted)[A.WITHDRAW] == ""
    assert "已上报至梧州市长洲区行政审批局" not in offers(ctx, accepted)[A.OPINION]  # the clerk hears about the role
    assert "已上报至" in offers(folders.as_role(ctx, "reviewer"), accepted)[A.OPINION]


def test_the_top_unit_is_not_offered_a_report(ctx: AppContext, accepted: str) -> None:
    ctx.store.write(lambda db: sync_state.save_units(db, [{"code": ORG, "name": "市行政审批局", "tier": "city"}]))
    assert offers(ctx, accepted)[A.FORWARD] == "本单位已是最高一级，不能再上报"
    assert case_desk.forward_targets(ctx) == []


def test_mail_and_the_terminal_need_their_number_and_nothing_is_written_without(
        ctx: AppContext, accepted: str, data_dir: Path) -> None:
    approver = folders.as_role(ctx, "approver")
    for kind, payload in ((A.START_REVIEW, {}), (A.DECIDE, {"result": "准予"}), (A.ISSUE, {})):
        case_desk.take(approver, accepted, kind, payload)
    before = snapshot(data_dir)
    with pytest.raises(UserError, match="请填写邮寄单号"):
        case_desk.take(ctx, accepted, A.DELIVER, {"method": "邮寄", "tracking": "  "})
    with pytest.raises(UserError, match="请填写自助终端取件码"):
        case_desk.take(ctx, accepted, A.DELIVER, {"method": "自助终端"})
    assert snapshot(data_dir) == before
    done = case_desk.take(ctx, accepted, A.DELIVER, {"method": "邮寄", "tracking": "SF1234567890"})
    assert done.status is Status.DELIVERED
    archivist = folders.as_role(ctx, "archivist")
    assert enabled(archivist, accepted) == [A.ARCHIVE]
    assert case_desk.take(archivist, accepted, A.ARCHIVE).status is Status.ARCHIVED
    # An archived file's licence may still be revoked (by the approver): the only step left.
    assert [o.kind for o in case_desk.offered_actions(ctx, accepted)] == [A.REVOKE_LICENCE]


def test_a_fee_is_offered_only_where_the_item_charges_one(ctx: AppContext, pages: dict[str, Path]) -> None:
    paid = new_case(ctx, "QR00203000", PERSON, [MaterialInput("不动产登记申请书", (pages["text"],))]).id
    assert offers(ctx, paid)[A.RECORD_FEE] == ""
    case_desk.take(ctx, paid, A.RECORD_FEE, {"amount_fen": 8000, "basis": "按件收取", "reference": "ZF20251120001"})
    case_desk.take(ctx, paid, A.EVALUATE, {"level": "满意"})
    assert "已评价" in offers(ctx, paid)[A.EVALUATE]
    with pytest.raises(ValueError):
        case_desk.take(ctx, paid, A.NOTICE, {})


def test_the_clerk_is_offered_the_decision_on_a_zero_day_case_only(ctx: AppContext, accepted: str,
                                                                   pages: dict[str, Path]) -> None:
    assert "审批人员" in offers(ctx, accepted)[A.DECIDE]  # promised in working days: the approver decides
    materials = [MaterialInput(name, (pages["text"],)) for name in ctx.catalog.get("GG00412000").required_materials]
    on_the_spot = new_case(ctx, "GG00412000", PERSON, materials).id  # 生育登记: 即办件
    case_desk.take(ctx, on_the_spot, A.ACCEPT)
    assert A.DECIDE in enabled(ctx, on_the_spot)
    case_desk.take(ctx, on_the_spot, A.DECIDE, {"result": "准予", "text": "当场办结"})
    assert enabled(ctx, on_the_spot)[:1] == [A.ISSUE]


def test_the_approver_is_offered_注销_once_a_licence_was_issued(ctx: AppContext, accepted: str) -> None:
    approver = folders.as_role(ctx, "approver")
    for kind, payload in ((A.START_REVIEW, {}), (A.DECIDE, {"result": "准予"}), (A.ISSUE, {})):
        case_desk.take(approver, accepted, kind, payload)
    assert A.REVOKE_LICENCE in enabled(approver, accepted)
    assert "请由审批人员办理" in offers(ctx, accepted)[A.REVOKE_LICENCE]
    with pytest.raises(UserError, match="请填写注销的理由"):
        case_desk.take(approver, accepted, A.REVOKE_LICENCE, {})
    case_desk.take(approver, accepted, A.REVOKE_LICENCE, {"reason": "许可被依法撤销"})
    assert offers(approver, accepted)[A.REVOKE_LICENCE] == "该办件的电子证照已注销"
