"""Joint review (网上联审) in the lifecycle: who may answer, who is late, and when the window may decide."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.catalog import CatalogError, catalog_to_dict, parse_catalog
from app.core.errors import InvalidTransition, UserError
from app.core.lifecycle import Action, ActionType, CaseState, Status, apply, authority_refusal, refusal, start
from app.store.bundled import CATALOG_FILE, load_json

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
WINDOW = "12450400MB1904001F"
FGW, ZJJ, ZRJ = "11450400MB1904701A", "11450400MB1904702D", "11450400MB1904703G"
A = ActionType


def act(kind: ActionType, n: int, payload: dict[str, object], actor: str = "clerk") -> Action:
    return Action(f"a{n}", "c", kind, actor, T0 + dt.timedelta(days=n), payload)


def departments(*, third_required: bool = True) -> list[dict[str, object]]:
    return [{"unit": FGW, "name": "市发展改革委", "due": "2026-11-06", "required": True},
            {"unit": ZJJ, "name": "市住房城乡建设局", "due": "2026-11-09", "required": True},
            {"unit": ZRJ, "name": "市自然资源局", "due": "2026-11-05", "required": third_required}]


def joint(rule: str | None = None, *, third_required: bool = True) -> CaseState:
    state = apply(start(act(A.RECEIVE, 0, {})), act(A.ACCEPT, 0, {"promised_days": 10}))
    payload: dict[str, object] = {"departments": departments(third_required=third_required)}
    if rule:
        payload["rule"] = rule
    return apply(state, act(A.JOINT_REVIEW, 1, payload))


def answer(state: CaseState, unit: str, result: str, n: int = 2) -> CaseState:
    return apply(state, act(A.JOINT_OPINION, n, {"unit": unit, "result": result, "text": f"{result}。"}, "reviewer"))


def test_starting_keeps_who_was_asked_and_by_when() -> None:
    state = joint()
    assert state.status is Status.IN_REVIEW and state.joint is not None
    assert [(d.name, d.due.isoformat(), d.required) for d in state.joint.departments] == [
        ("市发展改革委", "2026-11-06", True), ("市住房城乡建设局", "2026-11-09", True),
        ("市自然资源局", "2026-11-05", True)]
    assert state.joint.rule == "all_required_agree"
    assert refusal(state, A.JOINT_REVIEW) == "该办件已发起联审，不能重复发起"


@pytest.mark.parametrize(("payload", "words"), [
    ({"departments": departments()[:1]}, "联审须选择2至20个部门"),
    ({"departments": [departments()[0], departments()[0]]}, "同一部门出现了多次"),
    ({"departments": [{**d, "due": "下周"} for d in departments()]}, "请为市发展改革委填写反馈期限"),
    ({"departments": [{**d, "unit": "12345"} for d in departments()]}, "统一社会信用代码不正确"),
    ({"departments": [{**d, "required": False} for d in departments()]}, "至少应有一个必须参加的部门"),
    ({"departments": departments(), "rule": "majority"}, "联审规则应为"),
])
def test_a_bad_department_list_is_refused_in_chinese(payload: dict[str, object], words: str) -> None:
    accepted = apply(start(act(A.RECEIVE, 0, {})), act(A.ACCEPT, 0, {"promised_days": 10}))
    with pytest.raises(UserError, match=words):
        apply(accepted, act(A.JOINT_REVIEW, 1, payload))


def test_a_due_date_before_the_start_is_refused() -> None:
    accepted = apply(start(act(A.RECEIVE, 0, {})), act(A.ACCEPT, 0, {"promised_days": 10}))
    early = [{**d, "due": "2026-11-01"} if d["unit"] == ZRJ else d for d in departments()]
    with pytest.raises(InvalidTransition, match="市自然资源局的反馈期限2026-11-01早于发起联审的日期"):
        apply(accepted, act(A.JOINT_REVIEW, 1, {"departments": early}))


def test_only_an_asked_department_answers_and_only_once() -> None:
    state = joint()
    assert authority_refusal(state, WINDOW, FGW, A.JOINT_OPINION) == ""
    assert "不在该办件的联审部门之列" in authority_refusal(state, WINDOW, WINDOW, A.JOINT_OPINION)
    state = answer(state, FGW, "同意")
    assert authority_refusal(state, WINDOW, FGW, A.JOINT_OPINION) == "市发展改革委已反馈联审意见，不能重复反馈"
    with pytest.raises(InvalidTransition, match="不能重复反馈"):
        answer(state, FGW, "不同意", 3)
    assert state.holder_or(WINDOW) == WINDOW  # the window keeps holding the case
    # A department may answer; it may not take the window's actions.
    assert "本单位不能" in authority_refusal(state, WINDOW, FGW, A.DECIDE)
    given = state.joint.answer_of(FGW) if state.joint else None
    assert given is not None and (given.result, given.actor) == ("同意", "reviewer")


def test_late_is_due_passed_without_an_answer() -> None:
    state = answer(joint(), FGW, "同意")
    assert state.joint is not None
    assert [d.name for d in state.joint.late(dt.date(2026, 11, 5))] == []
    assert [d.name for d in state.joint.late(dt.date(2026, 11, 6))] == ["市自然资源局"]
    assert [d.name for d in state.joint.late(dt.date(2026, 11, 10))] == ["市住房城乡建设局", "市自然资源局"]


def test_the_decision_waits_for_every_required_department() -> None:
    state = answer(answer(joint(), FGW, "同意"), ZJJ, "同意", 3)
    assert refusal(state, A.DECIDE) == "联审意见未齐，不能作出决定：市自然资源局尚未反馈意见"
    for result in ("准予", "不予"):
        with pytest.raises(InvalidTransition, match="市自然资源局尚未反馈意见"):
            apply(state, act(A.DECIDE, 4, {"result": result, "text": "理由"}, "approver"))
    state = answer(state, ZRJ, "同意", 4)
    assert refusal(state, A.DECIDE) == ""
    assert apply(state, act(A.DECIDE, 5, {"result": "准予"}, "approver")).status is Status.APPROVED


def test_a_required_no_allows_only_a_denial_at_once() -> None:
    state = answer(joint(), ZRJ, "不同意")
    assert refusal(state, A.DECIDE) == ""
    with pytest.raises(InvalidTransition, match="联审部门市自然资源局不同意，不能准予"):
        apply(state, act(A.DECIDE, 3, {"result": "准予"}, "approver"))
    assert apply(state, act(A.DECIDE, 3, {"result": "不予", "text": "规划不符"}, "approver")).status is Status.DENIED


def test_an_optional_department_does_not_hold_the_decision_unless_the_rule_counts_everyone() -> None:
    state = answer(answer(joint(third_required=False), FGW, "同意"), ZJJ, "同意", 3)
    assert apply(state, act(A.DECIDE, 4, {"result": "准予"}, "approver")).status is Status.APPROVED
    strict = answer(answer(joint("all_agree", third_required=False), FGW, "同意"), ZJJ, "同意", 3)
    assert "市自然资源局尚未反馈意见" in refusal(strict, A.DECIDE)
    strict = answer(strict, ZRJ, "不同意", 4)
    with pytest.raises(InvalidTransition, match="市自然资源局不同意"):
        apply(strict, act(A.DECIDE, 5, {"result": "准予"}, "approver"))


def test_an_opinion_needs_a_result_and_text() -> None:
    state = joint()
    with pytest.raises(UserError, match="联审意见结论应为：同意、不同意"):
        apply(state, act(A.JOINT_OPINION, 2, {"unit": FGW, "result": "退回", "text": "x"}))
    with pytest.raises(UserError, match="请填写联审意见内容"):
        apply(state, act(A.JOINT_OPINION, 2, {"unit": FGW, "result": "同意", "text": " "}))


def test_the_catalogue_says_which_items_go_to_joint_review_and_by_which_rule() -> None:
    data = load_json(CATALOG_FILE)
    catalog = parse_catalog(data)
    planning = catalog.get("XK00631000")
    assert planning is not None and planning.joint_rule == "all_required_agree"
    assert all(i.joint_rule is None for i in catalog if i.code != "XK00631000")
    assert parse_catalog(catalog_to_dict(catalog)) == catalog
    item = next(i for i in data["items"] if i["code"] == "XK00631000")
    item["joint_rule"] = "majority"
    with pytest.raises(CatalogError, match="联审规则"):
        parse_catalog(data)
