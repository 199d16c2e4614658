"""The lifecycle rules on their own: every sequence of actions folds consistently."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import InvalidTransition, UserError
from app.core.lifecycle import (
    RECORD_ONLY,
    TRANSITIONS,
    Action,
    ActionType,
    CaseState,
    Status,
    apply,
    check_new_payload,
    fold,
    start,
)

T0 = dt.datetime(2026, 9, 28, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
LICENCE_ID = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"
LICENCE = {"id": LICENCE_ID, "kind": "licence", "type_code": "11100000000013338W011", "name": "许可证",
           "holder_name": "韦秀英", "holder_id": "11010519491231002X", "holder_kind": "person",
           "valid_from": "2026-09-28", "valid_until": None, "pdf_sha256": "d" * 64}
PAYLOADS = {
    ActionType.ACCEPT: {"promised_days": 5},
    ActionType.REJECT: {"reason": "不属于受理范围"},
    ActionType.NOTIFY_MISSING: {"missing": ["户口簿"]},
    ActionType.SUSPEND: {"reason": "专家评审"},
    ActionType.FORWARD: {"to": "450403"},
    ActionType.OPINION: {"result": "退回", "text": "请补充现场照片"},
    ActionType.DECIDE: {"result": "准予"},
    ActionType.DELIVER: {"method": "窗口自取"},
    ActionType.EVALUATE: {"level": "满意"},
    ActionType.RECORD_FEE: {"amount_fen": 8000, "basis": "发改价格规〔2016〕2559号", "reference": "FZ2026092800001"},
    ActionType.AMEND_MATERIALS: {"materials": [{"name": "申请表", "pdf_sha256": "a" * 64,
                                                "pages": [{"sha256": "b" * 64, "rotation": 90}]}]},
    ActionType.NOTICE: {"kind": "受理通知书", "pdf_sha256": "c" * 64},
    ActionType.ISSUE: {"licence": LICENCE},
    ActionType.REVOKE_LICENCE: {"reason": "申请人申请注销", "licence_id": LICENCE_ID},
    ActionType.SUPERVISE: {"text": "该件已超期，请说明情况", "answer_due": "2026-12-31",
                           "unit": "12450403MB1904031X", "to": "12450403MB1904102K"},
    ActionType.SUPERVISION_REPLY: {"text": "专家评审延误，已于本周办结", "supervise_id": "none"},
}
#: a joint review's actions depend on who was asked and what they said: tests/test_joint_review.py
KINDS = [k for k in ActionType if k not in (ActionType.RECEIVE, ActionType.JOINT_REVIEW, ActionType.JOINT_OPINION)]


def act(kind: ActionType, n: int, payload: dict[str, object] | None = None) -> Action:
    if payload is None:
        payload = dict(PAYLOADS.get(kind, {}))
        if kind is ActionType.RECORD_FEE:  # each payment has its own order number
            payload["reference"] = f"FZ{n:012d}"
    return Action(f"a{n}", "c", kind, "clerk", T0 + dt.timedelta(days=n), payload)


@given(st.lists(st.sampled_from(KINDS), max_size=25))
def test_any_sequence_either_applies_by_the_table_or_is_refused(kinds: list[ActionType]) -> None:
    state: CaseState = start(act(ActionType.RECEIVE, 0))
    applied = [act(ActionType.RECEIVE, 0)]
    for n, kind in enumerate(kinds, 1):
        allowed, target = TRANSITIONS[kind]
        action = act(kind, n)
        if kind is ActionType.SUPERVISION_REPLY and state.supervisions:  # it answers the latest notice
            action = act(kind, n, {**PAYLOADS[kind], "supervise_id": state.supervisions[-1].id})
        once_only = (kind is ActionType.EVALUATE and state.evaluation is not None) or (
            kind is ActionType.REVOKE_LICENCE and (not state.licence_id or bool(state.licence_revoked))) or (
            kind is ActionType.SUPERVISION_REPLY and (not state.supervisions or state.supervisions[-1].answered)) or (
            # after acceptance, only a case returned to the window that received it is amended
            kind is ActionType.AMEND_MATERIALS and state.status is Status.IN_REVIEW
            and (state.returned_on is None or bool(state.holder)))
        if state.status in allowed and not once_only:
            new = apply(state, action)
            assert target is None or new.status is target
            if kind in RECORD_ONLY:
                assert new.status is state.status
            applied.append(action)
            state = new
        else:
            with pytest.raises(InvalidTransition) as refused:
                apply(state, action)
            assert refused.value.message  # a reason the clerk can read
    assert fold(applied) == state  # the state is exactly the fold of what was accepted
    if state.status in (Status.SUSPENDED,):
        assert state.pauses[-1].end is None


def test_a_notice_leaves_the_state_as_it_is_and_names_its_pdf() -> None:
    received = start(act(ActionType.RECEIVE, 0))
    for status in Status:
        before = replace(received, status=status)
        assert apply(before, act(ActionType.NOTICE, 1)) == before
    with pytest.raises(UserError, match="通知书"):
        apply(received, act(ActionType.NOTICE, 1, {"kind": "通知", "pdf_sha256": "c" * 64}))
    with pytest.raises(UserError, match="通知书"):
        apply(received, act(ActionType.NOTICE, 1, {"kind": "受理通知书", "pdf_sha256": "../x"}))


def test_accepting_twice_and_deciding_unaccepted_are_refused() -> None:
    received = start(act(ActionType.RECEIVE, 0))
    with pytest.raises(InvalidTransition, match="尚未受理"):
        apply(received, act(ActionType.DECIDE, 1))
    accepted = apply(received, act(ActionType.ACCEPT, 1))
    with pytest.raises(InvalidTransition, match="不能重复受理"):
        apply(accepted, act(ActionType.ACCEPT, 2))


@pytest.mark.parametrize(("kind", "payload", "fragment"), [
    (ActionType.REJECT, {}, "理由"),
    (ActionType.NOTIFY_MISSING, {"missing": []}, "一次性告知"),
    (ActionType.DECIDE, {"result": "同意"}, "准予"),
    (ActionType.DECIDE, {"result": "不予"}, "理由"),
    (ActionType.OPINION, {"result": "同意"}, "意见内容"),
])
def test_payload_rules(kind: ActionType, payload: dict[str, object], fragment: str) -> None:
    state = start(act(ActionType.RECEIVE, 0))
    if kind in (ActionType.DECIDE,):
        state = apply(state, act(ActionType.ACCEPT, 1))
    if kind is ActionType.OPINION:
        state = apply(apply(state, act(ActionType.ACCEPT, 1)), act(ActionType.FORWARD, 2))
    with pytest.raises(UserError, match=fragment):
        apply(state, act(kind, 3, payload))


def test_suspension_records_a_pause_closed_by_resume() -> None:
    s = apply(start(act(ActionType.RECEIVE, 0)), act(ActionType.ACCEPT, 1))
    s = apply(s, act(ActionType.SUSPEND, 2))
    assert s.status is Status.SUSPENDED and s.pauses[-1].end is None
    s = apply(s, act(ActionType.RESUME, 5))
    assert s.status is Status.IN_REVIEW and s.pauses[-1] == type(s.pauses[-1])(
        (T0 + dt.timedelta(days=2)).date(), (T0 + dt.timedelta(days=5)).date())


def test_a_rule_for_new_deliveries_does_not_unmake_one_recorded_before_it() -> None:
    """A 邮寄 delivery needs a tracking number now; one recorded without it still counts on replay."""
    kinds = [ActionType.ACCEPT, ActionType.DECIDE, ActionType.ISSUE]
    state = fold([act(ActionType.RECEIVE, 0), *(act(k, n) for n, k in enumerate(kinds, 1))])
    by_post = act(ActionType.DELIVER, 4, {"method": "邮寄"})
    assert apply(state, by_post).status is Status.DELIVERED
    with pytest.raises(UserError, match="邮寄单号"):
        check_new_payload(ActionType.DELIVER, by_post.payload)
    check_new_payload(ActionType.DELIVER, {"method": "邮寄", "tracking": "SF1234567890"})
    with pytest.raises(UserError, match="取件码"):
        check_new_payload(ActionType.DELIVER, {"method": "自助终端", "pickup_code": "  "})
