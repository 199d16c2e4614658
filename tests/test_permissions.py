"""The permission table (app.core.permissions): roles × lifecycle actions × case states, AB posts,
and the permissions outside casework."""

from __future__ import annotations

import re

import pytest

from app.core.lifecycle import OPEN_STATES, TRANSITIONS, ActionType, Status
from app.core.permissions import (
    CASEWORK,
    GRANTS,
    NEW_CASE,
    ON_THE_SPOT,
    ItemPosts,
    Permission,
    Post,
    Role,
    acting_post,
    granted,
    may,
    parse_role,
    role_refusal,
    roles_that_may,
    why_not,
    why_not_granted,
)

A, S = ActionType, Status
CHINESE = re.compile(r"[\u4e00-\u9fff]")
STATES: list[Status | None] = [NEW_CASE, *Status]


def test_every_role_has_a_row_and_a_chinese_label() -> None:
    assert set(CASEWORK) == set(Role) == set(GRANTS)
    assert [r.label for r in Role] == ["窗口受理", "审核", "审批", "效能监察", "档案管理", "单位管理员"]
    assert all(CHINESE.search(p.label) for p in Permission)


def test_the_table_allows_nothing_the_lifecycle_forbids() -> None:
    for role, actions in CASEWORK.items():
        for action, states in actions.items():
            allowed = {NEW_CASE} if action is A.RECEIVE else set(TRANSITIONS[action][0])
            assert states <= allowed, (role, action, states - allowed)


def test_a_zero_day_case_lets_the_clerk_decide_and_issue_it_and_nothing_more() -> None:
    for actions in ON_THE_SPOT.values():
        for action, states in actions.items():
            assert states <= set(TRANSITIONS[action][0]), (action, states)
    assert may(Role.CLERK, A.DECIDE, S.ACCEPTED, immediate=True)
    assert may(Role.CLERK, A.ISSUE, S.APPROVED, immediate=True)
    assert not may(Role.CLERK, A.DECIDE, S.ACCEPTED)
    assert not may(Role.CLERK, A.DECIDE, S.IN_REVIEW, immediate=True)  # taken up for review: no longer on the spot
    assert not may(Role.REVIEWER, A.DECIDE, S.ACCEPTED, immediate=True)
    assert role_refusal(Role.CLERK, A.DECIDE, S.ACCEPTED) == (
        "您的岗位（窗口受理）不能办理“作出决定”，请由审批人员办理")
    assert "窗口受理人员" in (role_refusal(Role.REVIEWER, A.DECIDE, S.ACCEPTED, immediate=True) or "")


def test_every_lifecycle_step_has_someone_who_may_take_it() -> None:
    """Work never stops for want of a role: each transition the lifecycle allows, some role may take."""
    for action, (states, _) in TRANSITIONS.items():
        for state in states:
            assert roles_that_may(action, state), (action, state)
    assert roles_that_may(A.RECEIVE, NEW_CASE) == (Role.CLERK,)


@pytest.mark.parametrize(("role", "actions"), [
    (Role.CLERK, {A.RECEIVE, A.AMEND_MATERIALS, A.ACCEPT, A.REJECT, A.NOTIFY_MISSING, A.FORWARD, A.WITHDRAW,
                  A.DELIVER, A.EVALUATE, A.RECORD_FEE, A.NOTICE, A.JOINT_REVIEW, A.SUPERVISION_REPLY}),
    # reviewers and approvers: their opinion sealed onto the review sheet is a notice action
    (Role.REVIEWER, {A.START_REVIEW, A.OPINION, A.FORWARD, A.SUSPEND, A.RESUME, A.NOTICE, A.PAPER_CHECK,
                     A.JOINT_OPINION, A.SUPERVISION_REPLY}),
    (Role.APPROVER, {A.START_REVIEW, A.OPINION, A.FORWARD, A.SUSPEND, A.RESUME, A.DECIDE, A.ISSUE,
                     A.REVOKE_LICENCE, A.NOTICE, A.PAPER_CHECK, A.JOINT_OPINION, A.SUPERVISION_REPLY}),
    (Role.ARCHIVIST, {A.ARCHIVE, A.NOTICE}),  # an archived file's seals made long-term (B-LTA)
    (Role.SUPERVISOR, {A.SUPERVISE}),  # 挂号督办 (004 §24)
    (Role.ADMIN, set()),
])
def test_what_each_role_may_do_in_some_state(role: Role, actions: set[ActionType]) -> None:
    assert {a for a in ActionType if any(may(role, a, s) for s in STATES)} == actions


def test_the_states_matter() -> None:
    assert may(Role.CLERK, A.FORWARD, S.ACCEPTED) and not may(Role.CLERK, A.FORWARD, S.IN_REVIEW)
    assert may(Role.REVIEWER, A.FORWARD, S.IN_REVIEW)
    assert all(may(Role.CLERK, A.WITHDRAW, s) for s in OPEN_STATES)
    assert not may(Role.CLERK, A.WITHDRAW, S.APPROVED)
    assert may(Role.APPROVER, A.DECIDE, S.IN_REVIEW) and not may(Role.APPROVER, A.DECIDE, S.FORWARDED)
    assert not may(Role.CLERK, A.RECEIVE, S.RECEIVED) and may(Role.CLERK, A.RECEIVE, NEW_CASE)
    assert not may(None, A.RECEIVE, NEW_CASE)


def test_the_role_refusal_says_whose_it_is_in_plain_chinese() -> None:
    assert why_not(Role.REVIEWER, A.RECEIVE, NEW_CASE) == "您的岗位（审核）不能办理“收件”，请由窗口受理人员办理"
    assert why_not(Role.CLERK, A.DECIDE, S.IN_REVIEW) == "您的岗位（窗口受理）不能办理“作出决定”，请由审批人员办理"
    assert why_not(Role.ADMIN, A.ACCEPT, S.RECEIVED) == "您的岗位（单位管理员）不能办理“受理”，请由窗口受理人员办理"
    assert why_not(Role.CLERK, A.FORWARD, S.IN_REVIEW) == (
        "您的岗位（窗口受理）不能在办件“审查中”时办理“上报”，请由审核人员、审批人员办理")
    assert why_not(Role.SUPERVISOR, A.ARCHIVE, S.DELIVERED) == \
        "您的岗位（效能监察）不能办理“归档”，请由档案管理人员办理"
    assert "单位管理员" in str(why_not(None, A.ACCEPT, S.RECEIVED))


def test_where_the_state_is_the_reason_the_role_is_not_blamed() -> None:
    # Nobody may accept an accepted case: the lifecycle's reason, not the role's.
    assert role_refusal(Role.REVIEWER, A.ACCEPT, S.ACCEPTED) is None
    assert why_not(Role.CLERK, A.ACCEPT, S.ACCEPTED) == "该办件当前状态为“已受理”，不能受理"
    assert why_not(Role.CLERK, A.ACCEPT, NEW_CASE) == "该办件尚未收件，不能受理"
    assert why_not(Role.CLERK, A.RECEIVE, S.RECEIVED) == "该办件已收件"
    for role in Role:
        for action in ActionType:
            for state in STATES:
                reason = why_not(role, action, state)
                assert (reason is None) == may(role, action, state), (role, action, state)
                assert reason is None or CHINESE.search(reason)


def test_permissions_outside_casework() -> None:
    assert granted(Role.ADMIN, Permission.MANAGE_USERS) and not granted(Role.ADMIN, Permission.READ_CASE)
    assert not any(granted(r, Permission.MANAGE_USERS) for r in Role if r is not Role.ADMIN)
    assert granted(Role.SUPERVISOR, Permission.LIST_VIEWERS) and granted(Role.SUPERVISOR, Permission.READ_CASE)
    assert not granted(Role.SUPERVISOR, Permission.READ_PERSONAL_DATA)
    assert all(granted(r, Permission.MARK_SELF_AWAY) for r in Role)
    assert [r for r in Role if granted(r, Permission.MARK_OTHERS_AWAY)] == [Role.ADMIN]
    assert {r for r in Role if granted(r, Permission.UPLOAD_MATERIALS)} == {Role.CLERK, Role.REVIEWER, Role.APPROVER}
    assert why_not_granted(Role.REVIEWER, Permission.MARK_OTHERS_AWAY) == \
        "您的岗位（审核）不能登记他人不在岗，请由单位管理员办理"
    assert why_not_granted(Role.ADMIN, Permission.MANAGE_USERS) is None
    assert not granted(None, Permission.READ_CASE)


def test_parse_role() -> None:
    assert parse_role("approver") is Role.APPROVER
    assert parse_role("county-head") is None and parse_role(None) is None


POSTS = ItemPosts(item="生育登记", a="clerk-1", b="clerk2-1", a_name="张三")


@pytest.mark.parametrize(("role", "user", "posts", "expected", "refused"), [
    (Role.CLERK, "clerk-1", POSTS, Post.A, None),
    (Role.CLERK, "clerk2-1", POSTS, Post.B, "A岗张三"),
    (Role.CLERK, "clerk2-1", ItemPosts("生育登记", "clerk-1", "clerk2-1", "张三", a_away=True), Post.B, None),
    (Role.CLERK, "clerk2-1", ItemPosts("生育登记", None, "clerk2-1"), Post.B, None),  # no A post: B acts
    (Role.CLERK, "clerk3-1", POSTS, None, "不是本单位“生育登记”的A岗或B岗"),
    (Role.CLERK, "clerk3-1", None, None, None),  # the unit gave the item no posts: work goes on
    (Role.CLERK, "clerk3-1", ItemPosts("生育登记", None, None), None, None),
    (Role.REVIEWER, "reviewer-1", POSTS, None, None),  # roles without posts
    (Role.APPROVER, "clerk-1", POSTS, None, None),
    (None, "clerk-1", POSTS, None, None),
])
def test_the_a_post_acts_and_the_b_post_only_while_the_a_post_is_away(
        role: Role | None, user: str, posts: ItemPosts | None, expected: Post | None, refused: str | None) -> None:
    post, why = acting_post(role, user, posts)
    assert post == expected
    if refused is None:
        assert why is None
    else:
        assert why is not None and refused in why


def test_only_window_staff_hold_posts() -> None:
    assert [r for r in Role if r.holds_posts] == [Role.CLERK]
    assert Post.A.label == "A岗（主岗）" and Post.B.label == "B岗（备岗）"
