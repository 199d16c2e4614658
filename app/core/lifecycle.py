"""Case lifecycle (办件): states, actions, and the fold that derives a case from its actions.

Every transition is an :class:`Action` (append-only, hash-chained in the store). The case
row is never edited by hand: :func:`apply` folds the actions into a :class:`CaseState`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from app.core.chain import is_sha256
from app.core.deadlines import Pause
from app.core.errors import N_, InvalidTransition, Message, UserError
from app.core.evaluation import Evaluation, check_evaluation, evaluation_of
from app.core.fees import FeePayment, check_fee, fee_of
from app.core.joint_review import JointReview, answered, check_opinion_payload, check_start_payload, started
from app.core.joint_review import authority as joint_authority
from app.core.licence_ids import parse as parse_licence_id
from app.core.licences import licence_of
from app.core.notice_kinds import check_notice_payload
from app.core.paper import PAGE_ROTATIONS
from app.core.supervision_notices import Supervision, check_reply, check_supervise, supervision_of
from app.core.supervision_notices import answered as supervision_answered


class Status(StrEnum):
    """Where a case stands."""

    RECEIVED = "received"
    AWAITING_MATERIALS = "awaiting_materials"
    ACCEPTED = "accepted"
    IN_REVIEW = "in_review"
    FORWARDED = "forwarded"
    SUSPENDED = "suspended"
    APPROVED = "approved"
    DENIED = "denied"
    REJECTED = "rejected"
    ISSUED = "issued"
    DELIVERED = "delivered"
    ARCHIVED = "archived"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def clock_running(self) -> bool:
        """True while the promised time limit is being counted (accepted, undecided)."""
        return self in {Status.ACCEPTED, Status.IN_REVIEW, Status.FORWARDED, Status.SUSPENDED}

    @property
    def shows_light(self) -> bool:
        """True where the traffic light applies: the clock runs and is not paused."""
        return self.clock_running and self is not Status.SUSPENDED


_STATUS_LABELS = {
    Status.RECEIVED: "已收件",
    Status.AWAITING_MATERIALS: "待补齐材料",
    Status.ACCEPTED: "已受理",
    Status.IN_REVIEW: "审查中",
    Status.FORWARDED: "已上报",
    Status.SUSPENDED: "已中止计时",
    Status.APPROVED: "准予",
    Status.DENIED: "不予",
    Status.REJECTED: "不予受理",
    Status.ISSUED: "已出件",
    Status.DELIVERED: "已送达",
    Status.ARCHIVED: "已归档",
    Status.WITHDRAWN: "已撤回",
}


class ActionType(StrEnum):
    """The kinds of lifecycle action; each moves a case between states, or records something on it
    and leaves its state as it is (:data:`RECORD_ONLY`)."""

    RECEIVE = "receive"
    AMEND_MATERIALS = "amend_materials"
    ACCEPT = "accept"
    REJECT = "reject"
    NOTIFY_MISSING = "notify_missing"
    START_REVIEW = "start_review"
    FORWARD = "forward"
    OPINION = "opinion"
    SUSPEND = "suspend"
    RESUME = "resume"
    DECIDE = "decide"
    ISSUE = "issue"
    DELIVER = "deliver"
    ARCHIVE = "archive"
    WITHDRAW = "withdraw"
    EVALUATE = "evaluate"
    RECORD_FEE = "record_fee"
    #: a notice issued or signed (受理通知书 …): recorded with the case, the state stays as it is
    NOTICE = "notice"
    #: 注销: the e-licence (or 批文) issued on the case is revoked; the case's state stays as it is
    REVOKE_LICENCE = "revoke_licence"
    #: 核查结果: the paper materials of a 告知承诺 case checked after its approval (属实 / 不属实)
    PAPER_CHECK = "paper_check"
    #: 发起联审: the holding window asks several departments for their opinions at once
    JOINT_REVIEW = "joint_review"
    #: 联审意见: one department's answer; the window keeps holding the case, its state stays
    JOINT_OPINION = "joint_opinion"
    #: 挂号督办: a supervisor's notice to the unit holding an overdue case, which must answer
    SUPERVISE = "supervise"
    #: 督办回复: the supervised unit's answer to one notice
    SUPERVISION_REPLY = "supervision_reply"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    ActionType.RECEIVE: "收件",
    ActionType.AMEND_MATERIALS: "补正材料",
    ActionType.ACCEPT: "受理",
    ActionType.REJECT: "不予受理",
    ActionType.NOTIFY_MISSING: "一次性告知",
    ActionType.START_REVIEW: "开始审查",
    ActionType.FORWARD: "上报",
    ActionType.OPINION: "上级意见",
    ActionType.SUSPEND: "中止计时",
    ActionType.RESUME: "恢复计时",
    ActionType.DECIDE: "作出决定",
    ActionType.ISSUE: "出件",
    ActionType.DELIVER: "送达",
    ActionType.ARCHIVE: "归档",
    ActionType.WITHDRAW: "撤回",
    ActionType.EVALUATE: "好差评",
    ActionType.RECORD_FEE: "登记缴费",
    ActionType.NOTICE: "出具通知书",
    ActionType.REVOKE_LICENCE: "注销证照",
    ActionType.PAPER_CHECK: "核查结果",
    ActionType.JOINT_REVIEW: "发起联审",
    ActionType.JOINT_OPINION: "联审意见",
    ActionType.SUPERVISE: "挂号督办",
    ActionType.SUPERVISION_REPLY: "督办回复",
}

OPEN_STATES = frozenset({
    Status.RECEIVED, Status.AWAITING_MATERIALS, Status.ACCEPTED, Status.IN_REVIEW,
    Status.FORWARDED, Status.SUSPENDED,
})
_S = Status
_A = ActionType
#: actions that record something on a case and leave its state as it is → the states they may be
#: recorded in. The applicant rates the service whatever came of it, before the file is archived;
#: a fee is paid while the case is open, or before the result is handed over.
RECORD_ONLY: Mapping[ActionType, frozenset[Status]] = {
    _A.EVALUATE: frozenset(set(Status) - {_S.ARCHIVED}),
    _A.RECORD_FEE: OPEN_STATES | {_S.APPROVED, _S.ISSUED},
    # A notice can be issued, signed or reissued at any time after receipt; it changes nothing.
    _A.NOTICE: frozenset(Status),
    # A licence is revoked (注销) once issued, however long ago: an archived file's licence too.
    _A.REVOKE_LICENCE: frozenset({_S.ISSUED, _S.DELIVERED, _S.ARCHIVED}),
    # 告知承诺: the paper is checked once the case is approved, before the file is archived.
    _A.PAPER_CHECK: frozenset({_S.APPROVED, _S.ISSUED, _S.DELIVERED}),
    # 挂号督办 on a case still open (the platform also wants it overdue); the answer is owed whatever
    # became of the case since, until it is archived.
    _A.SUPERVISE: OPEN_STATES,
    _A.SUPERVISION_REPLY: frozenset(set(Status) - {_S.ARCHIVED}),
}
#: action → (states it may start from, state it leads to; None = decided by the payload, or
#: for a material amendment and a record-only action the state it started from)
TRANSITIONS: Mapping[ActionType, tuple[frozenset[Status], Status | None]] = {
    # Materials change before acceptance (补正 after the one-time notice, a page rescanned), and
    # once accepted only when a higher unit returned the case (退回) to the window that received it:
    # :func:`refusal` holds that second rule, which the state alone does not tell.
    _A.AMEND_MATERIALS: (frozenset({_S.RECEIVED, _S.AWAITING_MATERIALS, _S.IN_REVIEW}), None),
    _A.ACCEPT: (frozenset({_S.RECEIVED, _S.AWAITING_MATERIALS}), _S.ACCEPTED),
    _A.REJECT: (frozenset({_S.RECEIVED, _S.AWAITING_MATERIALS}), _S.REJECTED),
    _A.NOTIFY_MISSING: (frozenset({_S.RECEIVED}), _S.AWAITING_MATERIALS),
    _A.START_REVIEW: (frozenset({_S.ACCEPTED}), _S.IN_REVIEW),
    _A.FORWARD: (frozenset({_S.ACCEPTED, _S.IN_REVIEW}), _S.FORWARDED),
    _A.OPINION: (frozenset({_S.FORWARDED}), _S.IN_REVIEW),
    _A.SUSPEND: (frozenset({_S.ACCEPTED, _S.IN_REVIEW}), _S.SUSPENDED),
    _A.RESUME: (frozenset({_S.SUSPENDED}), _S.IN_REVIEW),
    _A.DECIDE: (frozenset({_S.ACCEPTED, _S.IN_REVIEW}), None),
    _A.ISSUE: (frozenset({_S.APPROVED}), _S.ISSUED),
    _A.DELIVER: (frozenset({_S.ISSUED}), _S.DELIVERED),
    _A.ARCHIVE: (frozenset({_S.DELIVERED, _S.DENIED, _S.REJECTED, _S.WITHDRAWN}), _S.ARCHIVED),
    _A.WITHDRAW: (OPEN_STATES, _S.WITHDRAWN),
    **{kind: (states, None) for kind, states in RECORD_ONLY.items()},
    _A.JOINT_REVIEW: (frozenset({_S.ACCEPTED, _S.IN_REVIEW}), _S.IN_REVIEW),
    # A department answers while the window holds the case (its clock paused or not); the state stays.
    _A.JOINT_OPINION: (frozenset({_S.IN_REVIEW, _S.SUSPENDED}), None),
}
#: actions other than the record-only ones that leave the case's state as it is
_STAYS = frozenset({_A.AMEND_MATERIALS, _A.JOINT_OPINION})

OPINION_RESULTS = ("同意", "退回", "不同意")
#: the opinion that hands a forwarded case back to the unit that forwarded it
RETURN_RESULT = "退回"
DECISION_RESULTS = {"准予": Status.APPROVED, "不予": Status.DENIED}
DELIVERY_METHODS = ("窗口自取", "邮寄", "自助终端")
#: where an application came in (the receive action's optional ``channel``; none means 窗口):
#: handed in at this unit's window, or submitted online (网上申报) and taken in by the window
RECEIVE_CHANNELS = ("窗口", "网上")
#: delivery method → the payload field it needs and what the clerk calls it: the result goes out
#: under a tracking number, or waits in the terminal behind a pick-up code
DELIVERY_DETAILS = {"邮寄": ("tracking", N_("邮寄单号")), "自助终端": ("pickup_code", N_("自助终端取件码"))}
#: 核查结果 of a 告知承诺 case's paper materials; the second asks the window to revoke the licence
PAPER_CHECK_RESULTS = ("属实", "不属实")
PAPER_UNTRUE = "不属实"


@dataclass(frozen=True, slots=True)
class Action:
    """One lifecycle event, made on the device: the unit of the audit chain and of sync."""

    id: str
    case_id: str
    type: ActionType
    actor: str
    at: dt.datetime
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReturnItem:
    """One line of a 退回: a material of the case and what must be corrected in it."""

    material: str
    what: str


@dataclass(frozen=True, slots=True)
class Opinion:
    """An opinion (意见) given by a higher tier on a forwarded case."""

    unit: str
    result: str
    text: str
    at: dt.datetime
    #: a 退回's list of what to correct, per material (empty for 同意/不同意, and for a 退回
    #: recorded before the list was required)
    returns: tuple[ReturnItem, ...] = ()


@dataclass(frozen=True, slots=True)
class PaperCheck:
    """告知承诺: the paper materials owed after an approval on the applicant's promise, and their check.

    ``due`` is fixed by the decision (its payload's ``paper_check_due``), so every unit and the platform
    agree on it; ``result`` is "" until the check (核查结果) is recorded.
    """

    due: dt.date
    #: the unit that approved on the promise: it may record the check as well as the receiving window
    unit: str = ""
    result: str = ""
    text: str = ""
    at: dt.datetime | None = None

    @property
    def open(self) -> bool:
        return not self.result

    @property
    def untrue(self) -> bool:
        return self.result == PAPER_UNTRUE


@dataclass(frozen=True, slots=True)
class CaseState:
    """What the actions of one case add up to."""

    status: Status
    received_at: dt.datetime
    accepted_on: dt.date | None = None
    promised_days: int = 0
    pauses: tuple[Pause, ...] = ()
    closed_on: dt.date | None = None
    opinions: tuple[Opinion, ...] = ()
    missing: tuple[str, ...] = ()
    reason: str = ""
    forwarded_to: str = ""
    #: the unit that handles the case now; "" means the unit that received it
    holder: str = ""
    #: the units that forwarded it up, nearest last: a 退回 opinion hands it back to the last one
    forwarded_from: tuple[str, ...] = ()
    #: the applicant's evaluation (好差评): one per case
    evaluation: Evaluation | None = None
    fees: tuple[FeePayment, ...] = ()
    #: the identifier of the e-licence or 批文 issued at 出件 ("" before, or for an issue without one)
    licence_id: str = ""
    #: 注销: the licence was revoked, and why
    licence_revoked: str = ""
    #: 告知承诺: the paper check the approval opened (None for any other case)
    paper_check: PaperCheck | None = None
    #: the joint review (网上联审), once started: who was asked, by when, and their answers
    joint: JointReview | None = None
    #: 挂号督办 notices, oldest first, each with its answer once given
    supervisions: tuple[Supervision, ...] = ()
    #: the day a higher unit returned the case (退回) while it has not been forwarded again, decided
    #: or withdrawn since: the clock is paused from then (see :func:`apply`), and the window that
    #: received it may amend its materials (补正)
    returned_on: dt.date | None = None

    @property
    def returns(self) -> tuple[ReturnItem, ...]:
        """What the open 退回 asks to correct, per material (empty when the case is not returned)."""
        if self.returned_on is None or not self.opinions:
            return ()
        return self.opinions[-1].returns

    def holder_or(self, owner: str) -> str:
        """The unit handling the case, given the unit that received it."""
        return self.holder or owner


def _require_text(payload: Mapping[str, Any], key: str, label: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not value.strip():
        raise UserError("请填写{label}", label=label, log=f"payload field {key!r} missing or empty")
    return value.strip()


def check_payload(kind: ActionType, payload: Mapping[str, Any]) -> None:
    """Refuse an action whose payload lacks what the rules demand (UserError)."""
    if kind is _A.RECEIVE:
        if payload.get("channel", RECEIVE_CHANNELS[0]) not in RECEIVE_CHANNELS:
            raise UserError("收件渠道应为：{channels}", channels="、".join(RECEIVE_CHANNELS),
                            log=f"bad receive channel {str(payload.get('channel'))[:40]!r}")
    elif kind in (_A.REJECT, _A.SUSPEND):
        _require_text(payload, "reason", N_("不予受理的理由") if kind is _A.REJECT else N_("中止计时的原因"))
    elif kind is _A.NOTIFY_MISSING:
        missing = payload.get("missing")
        if not isinstance(missing, list) or not missing or not all(
            isinstance(m, str) and m.strip() for m in missing
        ):
            raise UserError("一次性告知须列出全部缺少或需补正的材料", log="notify_missing without a list of materials")
    elif kind is _A.FORWARD:
        _require_text(payload, "to", N_("上报的单位"))
        # The forwarding unit's own opinion (本级意见) is optional; when given it is shown as text.
        if not isinstance(payload.get("text", ""), str):
            raise UserError("上报时的本级意见应为文字", log=f"forward text not a string: {payload.get('text')!r:.80}")
    elif kind is _A.OPINION:
        if payload.get("result") not in OPINION_RESULTS:
            raise UserError("意见结论应为：{opinion_results}", opinion_results="、".join(OPINION_RESULTS),
                            log=f"bad opinion result {payload.get('result')!r}")
        _require_text(payload, "text", N_("意见内容"))
    elif kind is _A.DECIDE:
        if payload.get("result") not in DECISION_RESULTS:
            raise UserError("决定结果应为：准予 或 不予", log=f"bad decision result {payload.get('result')!r}")
        if payload["result"] == "不予":
            _require_text(payload, "text", N_("不予许可的理由"))
        if "paper_check_due" in payload:
            _paper_check_due(payload)
    elif kind is _A.DELIVER:
        method = payload.get("method")
        if method not in DELIVERY_METHODS:
            raise UserError("送达方式应为：{delivery_methods}", delivery_methods="、".join(DELIVERY_METHODS),
                            log=f"bad delivery method {method!r}")
    elif kind is _A.AMEND_MATERIALS:
        check_materials(payload.get("materials"))
    elif kind is _A.NOTICE:
        check_notice_payload(payload)
    elif kind is _A.ACCEPT:
        days = payload.get("promised_days")
        if not isinstance(days, int) or days < 0:
            raise UserError("受理时须给出承诺时限（工作日）", log=f"bad promised_days {days!r}")
    elif kind is _A.EVALUATE:
        check_evaluation(payload)
    elif kind is _A.RECORD_FEE:
        check_fee(payload)
    elif kind is _A.ISSUE:
        licence_of(payload)
    elif kind is _A.REVOKE_LICENCE:
        _require_text(payload, "reason", N_("注销的理由"))
        _require_text(payload, "licence_id", N_("注销的证照标识"))
    elif kind is _A.PAPER_CHECK:
        if payload.get("result") not in PAPER_CHECK_RESULTS:
            raise UserError("核查结果应为：属实 或 不属实", log=f"bad paper check result {payload.get('result')!r}")
        if not isinstance(payload.get("text", ""), str):
            raise UserError("核查情况应为文字", log="paper check text not a string")
        if payload["result"] == PAPER_UNTRUE:
            _require_text(payload, "text", N_("核查发现的问题"))
    elif kind is _A.JOINT_REVIEW:
        check_start_payload(payload)
    elif kind is _A.JOINT_OPINION:
        check_opinion_payload(payload)
        _require_text(payload, "unit", N_("反馈联审意见的单位"))
    elif kind is _A.SUPERVISE:
        check_supervise(payload)
    elif kind is _A.SUPERVISION_REPLY:
        check_reply(payload)


def _paper_check_due(payload: Mapping[str, Any]) -> dt.date:
    """The day a 告知承诺 approval's paper materials must be checked by (its payload's ``paper_check_due``)."""
    if payload.get("result") != "准予":
        raise UserError("只有准予的告知承诺件需要核查纸质材料", log="paper_check_due on a decision other than 准予")
    value = payload.get("paper_check_due")
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise UserError("纸质材料核查期限格式错误", log="paper_check_due is not a YYYY-MM-DD date")


def check_new_payload(kind: ActionType, payload: Mapping[str, Any],
                      materials: Collection[str] | None = None) -> None:
    """:func:`check_payload`, and the rules an action taken now must also meet.

    These stay out of the fold (:func:`apply`): a rule added later must not unmake an action
    recorded before it, or a case delivered by post before tracking numbers were required would
    fall back to 已出件 on every replay, here and on the platform. ``materials``: the names of
    the case's materials, which a 退回 must name (None where the case is not at hand yet: the
    caller checks again with them).
    """
    check_payload(kind, payload)
    if kind is _A.DELIVER and payload.get("method") in DELIVERY_DETAILS:
        _require_text(payload, *DELIVERY_DETAILS[str(payload["method"])])
    if kind is _A.OPINION and payload.get("result") == RETURN_RESULT:
        check_returns(payload.get("returns"), materials)


def check_returns(returns: object, materials: Collection[str] | None = None) -> None:
    """A 退回 lists, per material of the case, what must be corrected: at least one line, each
    naming one of ``materials`` (when given) once, with what to correct."""
    if not isinstance(returns, list) or not returns:
        raise UserError("退回时须逐项列出需补正的材料及补正内容", log="return opinion without a returns list")
    seen: set[str] = set()
    for line in returns:
        if not isinstance(line, dict) or not isinstance(line.get("material"), str) or \
                not line["material"].strip() or not isinstance(line.get("what"), str) or not line["what"].strip():
            raise UserError("退回的每一项都须写明材料名称和需补正的内容", log=f"bad return line {line!r:.120}")
        name = line["material"].strip()
        if materials is not None and name not in materials:
            raise UserError("退回意见中的“{material}”不是该办件的材料，请从办件的材料中选择",
                            material=name[:80], log="return names a material the case lacks")
        if name in seen:
            raise UserError("退回意见中材料“{material}”列了多次，请合并为一项", material=name[:80],
                            log="return names a material twice")
        seen.add(name)


def returns_of(payload: Mapping[str, Any]) -> tuple[ReturnItem, ...]:
    """The 退回 list of an opinion's payload as recorded (lenient: lines without both fields are left out)."""
    lines = payload.get("returns")
    if not isinstance(lines, list):
        return ()
    return tuple(ReturnItem(str(x["material"]), str(x["what"])) for x in lines
                 if isinstance(x, dict) and isinstance(x.get("material"), str) and isinstance(x.get("what"), str))


def check_materials(materials: object, *, amended: bool = True) -> None:
    """A material list (what an amendment leaves, or a new case's with ``amended=False``): named
    once each, each with pages or else a held licence's identifier (免证) and no pages, every PDF
    and page named by its blob's SHA-256 (lower-case hex)."""
    what = N_("补正后的材料清单") if amended else N_("材料清单")
    bad = UserError("{what}格式错误", what=what, log=f"bad material list: {materials!r:.200}")
    if not isinstance(materials, list) or not materials:
        raise UserError(N_("补正后至少应保留一份材料") if amended else N_("请至少提交一份材料"),
                        log="material list empty")
    names = set()
    for m in materials:
        if not isinstance(m, dict) or not isinstance(m.get("name"), str) or not m["name"].strip():
            raise bad
        if not is_sha256(m.get("pdf_sha256")) or not isinstance(m.get("pages"), list):
            raise bad
        if m.get("licence_id") is not None:
            # 免证: a licence the applicant holds stands in for pages; its PDF is the licence's own
            parse_licence_id(m["licence_id"])
            if m["pages"]:
                raise bad
        elif not m["pages"]:
            raise bad
        for p in m["pages"]:
            if not isinstance(p, dict) or not is_sha256(p.get("sha256")) or \
                    p.get("rotation", 0) not in PAGE_ROTATIONS or isinstance(p.get("rotation"), bool):
                raise bad
        names.add(m["name"])
    if len(names) != len(materials):
        raise UserError("同一材料名称出现了多次", log="material list with duplicate names")


def refusal(state: CaseState, kind: ActionType) -> str:
    """The clerk-facing reason ``kind`` is not allowed now, or "" if it is."""
    allowed, _ = TRANSITIONS[kind]
    if kind is _A.AMEND_MATERIALS and state.status is _S.IN_REVIEW and (state.returned_on is None or state.holder):
        return N_("该办件已受理，材料不能再更改；只有上级退回后，受理窗口才能补正")
    if kind is _A.EVALUATE and state.evaluation is not None and state.status in allowed:
        return Message("该办件已评价（{level}），每件只能评价一次", level=state.evaluation.level)
    if kind is _A.PAPER_CHECK and state.status in allowed:
        if state.paper_check is None:
            return N_("该办件不是告知承诺件，无需核查纸质材料")
        if not state.paper_check.open:
            return Message("该办件的纸质材料已核查（{result}）", result=state.paper_check.result)
    if kind is _A.ARCHIVE and state.status in allowed and state.paper_check is not None and state.paper_check.open:
        return N_("该办件为告知承诺件，纸质材料尚未核查，不能归档")
    if kind is _A.REVOKE_LICENCE and state.status in allowed:
        if not state.licence_id:
            return N_("该办件出件时没有生成电子证照，无可注销")
        if state.licence_revoked:
            return N_("该办件的电子证照已注销")
    if kind is _A.JOINT_REVIEW and state.joint is not None and state.status in allowed:
        return N_("该办件已发起联审，不能重复发起")
    if kind is _A.DECIDE and state.joint is not None and state.status in allowed:
        return state.joint.any_decision_refusal()
    if state.status in allowed:
        return ""
    if kind is _A.ACCEPT and state.status is not _S.RECEIVED:
        return Message("该办件已{status}，不能重复受理",
                       status=state.status) if state.status is _S.ACCEPTED else Message("该办件当前状态为“{status}”，"
                                                                                        "不能受理",
                       status=state.status)
    if kind is _A.DECIDE and state.accepted_on is None:
        return N_("该办件尚未受理，不能作出决定")
    return Message("该办件当前状态为“{status}”，不能{kind}", status=state.status, kind=kind)


def authority_refusal(state: CaseState, owner: str, unit: str, kind: ActionType) -> str:
    """Why ``unit`` may not take action ``kind`` on a case received by ``owner``, or "".

    Only the unit that holds the case acts on it; the receiving window may also record
    that the applicant withdrew, rated the service or paid, wherever the case is.
    """
    holder = state.holder_or(owner)
    if kind is _A.JOINT_OPINION:
        # A department asked in the open joint review answers while the window holds the case.
        return joint_authority(state.joint, unit)
    if kind in (_A.SUPERVISE, _A.SUPERVISION_REPLY):
        # A supervisor watches the cases of its unit's tree, and the answer is owed by the unit the
        # notice names: the platform, which knows the tree and the notices, decides both.
        return ""
    # What happens at the receiving counter (the applicant withdraws, rates the service, pays)
    # is recorded there, wherever the case is.
    if unit == holder or ((kind is _A.WITHDRAW or kind in RECORD_ONLY) and unit == owner):
        return ""
    # 告知承诺: the unit that approved on the promise checks the paper the receiving window sends it.
    if kind is _A.PAPER_CHECK and state.paper_check is not None and unit == state.paper_check.unit:
        return ""
    if state.status not in OPEN_STATES:
        # "already withdrawn / decided" tells a reviewer more than who holds the file now.
        return refusal(state, kind) or Message("该办件由{holder}办理，本单位不能{kind}", holder=holder, kind=kind)
    if state.status is _S.FORWARDED:
        return Message("该办件已上报至{holder}，由其办理，本单位不能{kind}", holder=holder, kind=kind)
    return Message("该办件由{holder}办理，本单位不能{kind}", holder=holder, kind=kind)


def start(action: Action) -> CaseState:
    """The state a ``receive`` action opens a case in."""
    if action.type is not _A.RECEIVE:
        raise ValueError(f"first action of a case must be receive, got {action.type}")
    return CaseState(status=_S.RECEIVED, received_at=action.at)


def apply(state: CaseState, action: Action) -> CaseState:
    """Fold one action into the state; InvalidTransition if the rules forbid it."""
    kind = action.type
    if kind is _A.RECEIVE:
        raise InvalidTransition("该办件已收件", log="receive on an existing case")
    why = refusal(state, kind)
    if why:
        raise InvalidTransition(why, log=f"{kind} refused in state {state.status}")
    p = action.payload
    check_payload(kind, p)
    if kind is _A.DECIDE and state.joint is not None:
        # The item's joint-review rule: 准予 only once it is met, 不予 once the answers allow it.
        why = state.joint.decision_refusal(str(p["result"]))
        if why:
            raise InvalidTransition(why, log=f"decide {p['result']} refused by the joint review's rule")
    day = action.at.date()
    stays = kind in _STAYS or kind in RECORD_ONLY
    target = TRANSITIONS[kind][1] or (state.status if stays else DECISION_RESULTS[p["result"]])
    new = replace(state, status=target)
    if kind is _A.ACCEPT:
        new = replace(new, accepted_on=day, promised_days=int(p["promised_days"]), missing=())
    elif kind is _A.NOTIFY_MISSING:
        new = replace(new, missing=tuple(p["missing"]))
    elif kind in (_A.REJECT, _A.SUSPEND):
        new = replace(new, reason=str(p["reason"]))
    elif kind is _A.FORWARD:
        new = replace(new, forwarded_to=str(p["to"]), holder=str(p["to"]),
                      forwarded_from=(*state.forwarded_from, state.holder))
    elif kind is _A.OPINION:
        opinion = Opinion(str(p.get("unit", "")), str(p["result"]), str(p["text"]), action.at, returns_of(p))
        new = replace(new, opinions=(*state.opinions, opinion))
        if p["result"] == RETURN_RESULT:
            new = replace(new, holder=state.forwarded_from[-1] if state.forwarded_from else "",
                          forwarded_from=state.forwarded_from[:-1])
    elif kind is _A.JOINT_REVIEW:
        new = replace(new, joint=started(p, action.at))
    elif kind is _A.JOINT_OPINION:
        new = replace(new, joint=answered(state.joint, p, action.actor, action.at))
    elif kind in (_A.DECIDE, _A.WITHDRAW):
        # A decision goes back down to the window that received the application: it issues
        # and delivers the result. A withdrawal ends the review wherever the case is, and
        # the receiving window keeps the file (it archives it).
        new = replace(new, holder="", forwarded_from=())
        if kind is _A.DECIDE and "paper_check_due" in p:
            new = replace(new, paper_check=PaperCheck(_paper_check_due(p), str(p.get("unit") or "")))
    elif kind is _A.PAPER_CHECK:
        assert state.paper_check is not None  # refusal() stops a check on any other case
        new = replace(new, paper_check=replace(state.paper_check, result=str(p["result"]),
                                               text=str(p.get("text") or "").strip(), at=action.at))
    elif kind is _A.EVALUATE:
        new = replace(new, evaluation=evaluation_of(p, action.at))
    elif kind is _A.RECORD_FEE:
        fee = fee_of(p, action.at)
        if any(f.reference == fee.reference for f in state.fees):
            raise InvalidTransition("缴费单号 {reference} 已在该办件登记过", reference=fee.reference,
                                    log="fee reference recorded twice on one case")
        new = replace(new, fees=(*state.fees, fee))
    elif kind is _A.ISSUE:
        issued = licence_of(p)
        new = replace(new, licence_id=str(issued.id) if issued else "")
    elif kind is _A.REVOKE_LICENCE:
        if str(p["licence_id"]).strip() != state.licence_id:
            raise InvalidTransition("要注销的证照（{given}）不是该办件出具的证照（{issued}）",
                                    given=str(p["licence_id"])[:160], issued=state.licence_id,
                                    log="revoke_licence names another licence")
        new = replace(new, licence_revoked=str(p["reason"]).strip())
    elif kind is _A.SUPERVISE:
        new = replace(new, supervisions=(*state.supervisions, supervision_of(action.id, p, action.at)))
    elif kind is _A.SUPERVISION_REPLY:
        try:
            new = replace(new, supervisions=supervision_answered(state.supervisions, p, action.at))
        except UserError as e:
            raise InvalidTransition(e.message, log=e.log) from None
    # The clock rule for 补正 after 退回 (docs/review.md): the promised time limit pauses from the day
    # a higher unit returns the case until the day it is forwarded again (or decided, or withdrawn).
    # Seed 004 第十五条 has the requesting department review the 补正 「在承诺时限内」, and DESIGN.md
    # has 补正 pause the clock: the days the applicant takes to correct are not the reviewer's.
    # Like a suspension, the 退回 day still counts and the re-forward day does not.
    if kind is _A.OPINION and p["result"] == RETURN_RESULT and state.returned_on is None:
        new = replace(new, returned_on=day, pauses=(*new.pauses, Pause(day, None)))
    elif kind in (_A.FORWARD, _A.DECIDE, _A.WITHDRAW) and state.returned_on is not None:
        new = replace(new, returned_on=None, pauses=_close_return_pause(new.pauses, state.returned_on, day))
    if kind is _A.SUSPEND:
        new = replace(new, pauses=(*new.pauses, Pause(day, None)))
    elif kind is _A.RESUME:
        last = state.pauses[-1]
        new = replace(new, pauses=(*state.pauses[:-1], Pause(last.start, day)), reason="")
    if target in {_S.APPROVED, _S.DENIED, _S.REJECTED, _S.WITHDRAWN} and state.closed_on is None and not stays:
        new = replace(new, closed_on=day)
    return new


def _close_return_pause(pauses: tuple[Pause, ...], since: dt.date, day: dt.date) -> tuple[Pause, ...]:
    """``pauses`` with the open pause of the 退回 made on ``since`` closed on ``day``."""
    for i in range(len(pauses) - 1, -1, -1):
        if pauses[i].end is None and pauses[i].start == since:
            return (*pauses[:i], Pause(since, day), *pauses[i + 1:])
    return pauses


def fold(actions: Iterable[Action]) -> CaseState:
    """Derive a case's state from all of its actions, oldest first."""
    it = iter(actions)
    state = start(next(it))
    for action in it:
        state = apply(state, action)
    return state


def fold_lenient(actions: Iterable[Action]) -> tuple[CaseState, list[Action]]:
    """Like :func:`fold`, but skips actions the state no longer allows, returning them too.

    Used where the platform's order of a case's actions has come in ahead of this window's
    own unanswered ones: those may have become invalid (the county already returned the
    case); the platform will refuse them with a reason, and until then they do not count.
    """
    it = iter(actions)
    state = start(next(it))
    skipped = []
    for action in it:
        try:
            state = apply(state, action)
        except UserError:
            skipped.append(action)
    return state, skipped
