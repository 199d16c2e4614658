"""Who may do what (岗位权限): roles, the lifecycle actions each may take in each case state, the
AB posts (AB岗) of an item, and the permissions outside casework.

One table, read by the platform (which enforces it) and by the client (which offers only what
the signed-in person may do, and says why not in words the clerk understands). Pure: no I/O.

The platform serves a unit's data to the unit's installations whoever is signed in there (the
installation's copy is the unit's, encrypted at rest): :attr:`Permission.READ_CASE` decides
whether a person may fetch it at all; :attr:`Permission.READ_PERSONAL_DATA` and
:attr:`Permission.LIST_VIEWERS` govern what the client shows, and every view is logged there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from app.core.errors import N_, Message
from app.core.lifecycle import OPEN_STATES, RECORD_ONLY, TRANSITIONS, ActionType, CaseState, Status


class Role(StrEnum):
    """A person's role (岗位) in their unit; each account has exactly one."""

    CLERK = "clerk"
    REVIEWER = "reviewer"
    APPROVER = "approver"
    SUPERVISOR = "supervisor"
    ARCHIVIST = "archivist"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]

    @property
    def staff(self) -> str:
        """The people of this role, as a reason names them (「请由审批人员办理」)."""
        return self.label if self is Role.ADMIN else f"{self.label}人员"

    @property
    def holds_posts(self) -> bool:
        """True for the roles whose casework is assigned item by item to an A and a B post."""
        return self in POST_ROLES


_ROLE_LABELS = {
    Role.CLERK: "窗口受理",
    Role.REVIEWER: "审核",
    Role.APPROVER: "审批",
    Role.SUPERVISOR: "效能监察",
    Role.ARCHIVIST: "档案管理",
    Role.ADMIN: "单位管理员",
}

#: the roles whose work on an item goes to its A post (主岗), or to its B post (备岗) while the A post
#: is away: the window staff. Reviewers and approvers take the cases of every item of their unit.
POST_ROLES: Final = frozenset({Role.CLERK})


class Post(StrEnum):
    """Which of an item's two posts a person holds (AB岗工作制)."""

    A = "A"
    B = "B"

    @property
    def label(self) -> str:
        return "A岗（主岗）" if self is Post.A else "B岗（备岗）"


class Permission(StrEnum):
    """What a role may do outside the lifecycle actions."""

    READ_CASE = "read_case"
    READ_PERSONAL_DATA = "read_personal_data"
    UPLOAD_MATERIALS = "upload_materials"
    LIST_VIEWERS = "list_viewers"
    MANAGE_USERS = "manage_users"
    MANAGE_POSTS = "manage_posts"
    MANAGE_DEVICES = "manage_devices"
    MANAGE_SETTINGS = "manage_settings"
    MARK_SELF_AWAY = "mark_self_away"
    MARK_OTHERS_AWAY = "mark_others_away"
    #: the text messages the platform recorded for the unit's applicants (phones masked)
    READ_SMS_LOG = "read_sms_log"

    @property
    def label(self) -> str:
        return _PERMISSION_LABELS[self]


_PERMISSION_LABELS = {
    Permission.READ_CASE: "查看办件",
    Permission.READ_PERSONAL_DATA: "查看申请人个人信息和材料",
    Permission.UPLOAD_MATERIALS: "上传材料",
    Permission.LIST_VIEWERS: "查看办件的查阅记录",
    Permission.MANAGE_USERS: "管理本单位账号",
    Permission.MANAGE_POSTS: "设置AB岗",
    Permission.MANAGE_DEVICES: "管理设备",
    Permission.MANAGE_SETTINGS: "修改单位设置",
    Permission.MARK_SELF_AWAY: "登记本人不在岗",
    Permission.MARK_OTHERS_AWAY: "登记他人不在岗",
    Permission.READ_SMS_LOG: "查看短信发送记录",
}

_P = Permission
_CASEWORKERS = frozenset({_P.READ_CASE, _P.READ_PERSONAL_DATA, _P.UPLOAD_MATERIALS, _P.MARK_SELF_AWAY})
#: role → permissions outside casework
GRANTS: Final[Mapping[Role, frozenset[Permission]]] = {
    Role.CLERK: _CASEWORKERS,
    Role.REVIEWER: _CASEWORKERS,
    Role.APPROVER: _CASEWORKERS,
    # Supervision watches deadlines and who looked at what, not the applicants themselves.
    Role.SUPERVISOR: frozenset({_P.READ_CASE, _P.LIST_VIEWERS, _P.MARK_SELF_AWAY, _P.READ_SMS_LOG}),
    Role.ARCHIVIST: frozenset({_P.READ_CASE, _P.READ_PERSONAL_DATA, _P.MARK_SELF_AWAY}),
    # The unit's administrator runs accounts, devices and settings, and does no casework at all.
    Role.ADMIN: frozenset({_P.MANAGE_USERS, _P.MANAGE_POSTS, _P.MANAGE_DEVICES, _P.MANAGE_SETTINGS,
                           _P.MARK_SELF_AWAY, _P.MARK_OTHERS_AWAY, _P.READ_SMS_LOG}),
}

#: the "state" of a case that does not exist yet: the one a receive action starts from
NEW_CASE: Final = None
State = Status | None

_A, _S = ActionType, Status
_REVIEW: Mapping[ActionType, frozenset[State]] = {
    _A.START_REVIEW: frozenset({_S.ACCEPTED}),
    _A.OPINION: frozenset({_S.FORWARDED}),
    _A.FORWARD: frozenset({_S.ACCEPTED, _S.IN_REVIEW}),
    _A.SUSPEND: frozenset({_S.ACCEPTED, _S.IN_REVIEW}),
    _A.RESUME: frozenset({_S.SUSPENDED}),
    # A reviewer's opinion goes onto the review sheet under the unit's seal (a notice action), and a
    # 补正通知书 is issued during review; a seal made offline gets its timestamp later.
    _A.NOTICE: frozenset({_S.ACCEPTED, _S.IN_REVIEW, _S.FORWARDED, _S.SUSPENDED, _S.APPROVED, _S.DENIED}),
    # 告知承诺: the paper the applicant promised is checked against the file by the unit's review staff.
    _A.PAPER_CHECK: RECORD_ONLY[_A.PAPER_CHECK],
    # A department asked in a joint review (网上联审) answers through its reviewers and approvers.
    _A.JOINT_OPINION: frozenset({_S.IN_REVIEW, _S.SUSPENDED}),
    # The unit a 挂号督办 names answers it through whoever works the case there.
    _A.SUPERVISION_REPLY: RECORD_ONLY[_A.SUPERVISION_REPLY],
}
#: role → lifecycle action → the case states in which the role may take it. Each set lies within
#: the states the lifecycle itself allows the action from (``lifecycle.TRANSITIONS``).
CASEWORK: Final[Mapping[Role, Mapping[ActionType, frozenset[State]]]] = {
    Role.CLERK: {
        _A.RECEIVE: frozenset({NEW_CASE}),
        # 补正 before acceptance, and of a case a higher unit returned (退回) to this window: the
        # lifecycle allows the second only then (``lifecycle.refusal``).
        _A.AMEND_MATERIALS: frozenset({_S.RECEIVED, _S.AWAITING_MATERIALS, _S.IN_REVIEW}),
        _A.ACCEPT: frozenset({_S.RECEIVED, _S.AWAITING_MATERIALS}),
        _A.REJECT: frozenset({_S.RECEIVED, _S.AWAITING_MATERIALS}),
        _A.NOTIFY_MISSING: frozenset({_S.RECEIVED}),
        # The window reports a case it cannot decide upward (上报) once it has accepted it; a case
        # already under review is forwarded by the reviewer.
        _A.FORWARD: frozenset({_S.ACCEPTED}),
        # The joint window (联合受理窗口) sends the case it accepted to several departments at once.
        _A.JOINT_REVIEW: frozenset({_S.ACCEPTED, _S.IN_REVIEW}),
        # The applicant withdraws at the window, wherever the case is.
        _A.WITHDRAW: frozenset(OPEN_STATES),
        _A.DELIVER: frozenset({_S.ISSUED}),
        # The applicant rates the service and pays at the window.
        _A.EVALUATE: RECORD_ONLY[_A.EVALUATE],
        _A.RECORD_FEE: RECORD_ONLY[_A.RECORD_FEE],
        _A.NOTICE: RECORD_ONLY[_A.NOTICE],
        _A.SUPERVISION_REPLY: RECORD_ONLY[_A.SUPERVISION_REPLY],
    },
    Role.REVIEWER: _REVIEW,
    Role.APPROVER: {
        **_REVIEW,
        _A.DECIDE: frozenset({_S.ACCEPTED, _S.IN_REVIEW}),
        _A.ISSUE: frozenset({_S.APPROVED}),
        # 注销 is a decision on the licence, the approver's as issuing it was.
        _A.REVOKE_LICENCE: RECORD_ONLY[_A.REVOKE_LICENCE],
    },
    # 效能监察 does no casework; it sends 挂号督办 on an open case of its unit's tree (seed 004 §24).
    Role.SUPERVISOR: {_A.SUPERVISE: RECORD_ONLY[_A.SUPERVISE]},
    # The archivist makes an archived file's seals long-term (B-LTA): a notice action on the archived case.
    Role.ARCHIVIST: {_A.ARCHIVE: frozenset({_S.DELIVERED, _S.DENIED, _S.REJECTED, _S.WITHDRAWN}),
                     _A.NOTICE: frozenset({_S.ARCHIVED})},
    Role.ADMIN: {},
}


#: role → what it may also do on a 即办件 (an item promised in 0 working days). The window that can
#: decide an application itself "当场出具批准文件或证书" (seed 003 三(一)): the clerk decides and issues
#: it on the spot, rather than leaving the applicant to come back for a result nobody had to weigh.
ON_THE_SPOT: Final[Mapping[Role, Mapping[ActionType, frozenset[State]]]] = {
    Role.CLERK: {
        _A.DECIDE: frozenset({_S.ACCEPTED}),
        _A.ISSUE: frozenset({_S.APPROVED}),
    },
}


def on_the_spot(state: CaseState | None) -> bool:
    """Whether the case is a 即办件: accepted with a promise of 0 working days."""
    return state is not None and state.accepted_on is not None and state.promised_days == 0


def parse_role(text: str | None) -> Role | None:
    """The role named ``text``, or None for anything else (an account without a known role may do nothing)."""
    try:
        return Role(text) if text is not None else None
    except ValueError:
        return None


def lifecycle_allows(action: ActionType, state: State) -> bool:
    """Whether the lifecycle lets anyone take ``action`` in ``state`` (receive: only a new case)."""
    if action is ActionType.RECEIVE:
        return state is None
    return state is not None and state in TRANSITIONS[action][0]


def may(role: Role | None, action: ActionType, state: State, *, immediate: bool = False) -> bool:
    """Whether ``role`` may take ``action`` on a case in ``state`` (:data:`NEW_CASE` for receive);
    ``immediate`` for a 即办件 (:func:`on_the_spot`)."""
    if role is None:
        return False
    if state in CASEWORK[role].get(action, frozenset()):
        return True
    return immediate and state in ON_THE_SPOT.get(role, {}).get(action, frozenset())


def roles_that_may(action: ActionType, state: State, *, immediate: bool = False) -> tuple[Role, ...]:
    """The roles that may take ``action`` in ``state``, in the table's order."""
    return tuple(r for r in Role if may(r, action, state, immediate=immediate))


def role_refusal(role: Role | None, action: ActionType, state: State, *, immediate: bool = False) -> str | None:
    """Why ``role`` may not take ``action`` in ``state`` when the role is the reason, else None.

    None also when the lifecycle forbids the action in this state to everyone: then the case's
    state is the reason, which the lifecycle's own rules say best (``lifecycle.refusal``).
    """
    if may(role, action, state, immediate=immediate) or not lifecycle_allows(action, state):
        return None
    who = "、".join(r.staff for r in roles_that_may(action, state, immediate=immediate))
    ask = Message("，请由{who}办理", who=who) if who else ""
    if role is None:
        return Message("您的账号没有登记岗位，不能办理“{action}”{ask}；请联系单位管理员", action=action, ask=ask)
    if action in CASEWORK[role] and state is not None:
        return Message("您的岗位（{role}）不能在办件“{state}”时办理“{action}”{ask}",
                       role=role, state=state, action=action, ask=ask)
    return Message("您的岗位（{role}）不能办理“{action}”{ask}", role=role, action=action, ask=ask)


def why_not(role: Role | None, action: ActionType, state: State, *, immediate: bool = False) -> str | None:
    """The clerk's reason ``role`` may not take ``action`` in ``state``, or None if it may."""
    reason = role_refusal(role, action, state, immediate=immediate)
    if reason or may(role, action, state, immediate=immediate):
        return reason
    if state is None:
        return Message("该办件尚未收件，不能{action}", action=action)
    if action is ActionType.RECEIVE:
        return N_("该办件已收件")
    return Message("该办件当前状态为“{state}”，不能{action}", state=state, action=action)


def granted(role: Role | None, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``."""
    return role is not None and permission in GRANTS[role]


def why_not_granted(role: Role | None, permission: Permission) -> str | None:
    """The reason ``role`` lacks ``permission`` (who has it instead), or None if it holds it."""
    if granted(role, permission):
        return None
    who = "、".join(r.staff for r in Role if granted(r, permission))
    ask = Message("，请由{who}办理", who=who) if who else ""
    if role is None:
        return Message("您的账号没有登记岗位，不能{permission}；请联系单位管理员", permission=permission)
    return Message("您的岗位（{role}）不能{permission}{ask}", role=role, permission=permission, ask=ask)


@dataclass(frozen=True, slots=True)
class ItemPosts:
    """Who holds the A and the B post of one item at one unit, and whether the A post is away."""

    #: the item as the clerk knows it (name, or code)
    item: str
    a: str | None
    b: str | None
    #: the A post's name as shown to people
    a_name: str = ""
    a_away: bool = False


def acting_post(role: Role | None, username: str, posts: ItemPosts | None) -> tuple[Post | None, str | None]:
    """The post ``username`` acts under on a case of the item, and the reason if they may not act.

    Roles without posts act under none. Where the unit has given the item no posts, nobody is
    stopped (work never stops for want of a setting). Otherwise the A post acts; the B post
    only while the A post is away; anyone else in a post role not at all.
    """
    if role is None or not role.holds_posts or posts is None or (posts.a is None and posts.b is None):
        return None, None
    a_named = f"A岗{posts.a_name or posts.a or ''}"
    if username == posts.a:
        return Post.A, None
    if username == posts.b:
        if posts.a is None or posts.a_away:
            return Post.B, None
        return Post.B, (f"“{posts.item}”由{a_named}办理；A岗不在岗时B岗方可办理。"
                        "如A岗确不在岗，请由其本人或单位管理员在平台登记不在岗后再办理")
    holder = f"，该事项由{a_named}办理" if posts.a else ""
    return None, f"您不是本单位“{posts.item}”的A岗或B岗，不能办理{holder}"
