"""Judging pushed actions: idempotent by device UUID, checked with the lifecycle rules.

The platform is where conflicts are decided. An action is taken only if the case's state
in the platform's order allows it and the sending unit holds the case; otherwise it is
refused with the reason the clerk will read. Every answer is kept, so a resend after a
lost reply gets the same answer and never a second case.

Every unit is a stranger to the others. A new case is checked with the rules the windows
apply themselves (``app.core``: applicant, item code, materials), its number must be one
of the sending unit's, and it may name only blobs that unit uploaded itself.

The actor is a person: the signed-in user, acting in their role (``app.core.permissions``)
and, for the window staff, under the A or B post of the case's item. An action that names
someone else, claims another role or post, or is not the role's to take is refused (a client
from before sign-in named the OS account: its actions are refused too, and its clerk signs in
and works on). The device's time is kept as sent (windows work offline for days)
unless it lies in the future, beside the platform's own receipt time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.applicants import parse_applicant
from app.core.catalog import item_code_problem
from app.core.chain import GENESIS, action_digest, canonical_json
from app.core.errors import UserError
from app.core.joint_review import DEFAULT_RULE, JOINT_RULES
from app.core.licences import licence_of
from app.core.lifecycle import (
    Action,
    ActionType,
    CaseState,
    apply,
    authority_refusal,
    check_materials,
    check_new_payload,
    check_payload,
    fold,
    start,
)
from app.core.notice_kinds import notice_blobs
from app.core.permissions import NEW_CASE, ItemPosts, Post, Role, acting_post, on_the_spot, parse_role, role_refusal
from city_platform import licences, sms
from city_platform.feed import publish
from city_platform.models import (
    BlobHolder,
    Case,
    CaseAccess,
    CaseAction,
    CaseBlob,
    ChainRecord,
    FeedEntry,
    ItemPost,
    Refusal,
    Unit,
    User,
    utcnow,
)
from city_platform.schemas import IDENTITY_FIELDS, ActionIn, ActionResult, CaseEnvelope, MaterialIn
from city_platform.windows import check_case_no

log = logging.getLogger("platform.actions")
ID_REUSED = "同一操作编号已用于另一项内容不同的操作，平台未予接收"


#: hashes looked up per query: SQLite and PostgreSQL both cap the parameters of one statement
_LOOKUP_BATCH = 500


#: how far ahead of the platform's clock a device's time may be (clocks drift; offline
#: windows' times far in the past are legitimate and kept)
MAX_SKEW = dt.timedelta(minutes=10)


def held_blobs(session: Session, unit: str, hashes: Iterable[str]) -> set[str]:
    """Which of ``hashes`` (any number of them) ``unit`` uploaded itself."""
    wanted, have = sorted(set(hashes)), set[str]()
    for first in range(0, len(wanted), _LOOKUP_BATCH):
        batch = wanted[first:first + _LOOKUP_BATCH]
        have.update(session.scalars(select(BlobHolder.sha256)
                                    .where(BlobHolder.unit == unit, BlobHolder.sha256.in_(batch))))
    return have


#: what the clerk reads for the fields of a case envelope that do not have the right shape
_ENVELOPE_LABELS = {"case_no": "受理编号", "item_code": "事项编码", "item_name": "事项名称", "applicant": "申请人信息",
                    "materials": "材料清单"}


def check_envelope(raw: Any, today: dt.date) -> CaseEnvelope:
    """A case envelope checked whole, with the rules a window applies when it receives a case
    (and when the feed brings it one); UserError with the clerk's reason otherwise."""
    try:
        env = CaseEnvelope.model_validate(raw)
    except ValidationError as e:
        loc = e.errors()[0]["loc"]
        label = _ENVELOPE_LABELS.get(str(loc[0]), "办件信息") if loc else "办件信息"
        raise UserError(f"新办件的{label}格式错误，平台未接收",
                        log=f"bad case envelope at {'.'.join(map(str, loc))}: {e.errors()[0]['type']}") from None
    problem = item_code_problem(env.item_code)
    if problem:
        raise UserError(problem, log=f"bad item code {env.item_code[:40]!r}")
    parse_applicant(env.applicant, today)
    check_materials([m.model_dump(mode="json") for m in env.materials], amended=False)
    return env


def _holder_id(case: Case) -> str:
    """The case applicant's identifying number (ID number or credit code), as its envelope holds it."""
    return _applicant_number(json.loads(case.envelope).get("applicant") or {})


def _material_names(case: Case) -> list[str]:
    """The names of the case's materials, as its envelope holds them (as last amended)."""
    return [str(m.get("name", "")) for m in json.loads(case.envelope).get("materials") or [] if isinstance(m, dict)]


def _applicant_number(applicant: dict[str, Any]) -> str:
    key = "id_number" if applicant.get("kind") == "person" else "credit_code"
    return str(applicant.get(key) or "")


def _held_pdfs(session: Session, materials: Iterable[MaterialIn], holder_id: str, today: dt.date) -> set[str]:
    """The PDFs of the materials that are licences the applicant holds (免证), each checked against
    the licence library (UserError with the reason otherwise): the sending unit need not have
    uploaded them, the library holds them."""
    out = set()
    for m in materials:
        if m.licence_id is not None:
            licences.check_held(session, m.licence_id, m.pdf_sha256, holder_id, today)
            out.add(m.pdf_sha256)
    return out


def _device_today(at: dt.datetime) -> dt.date:
    """Today on the platform's clock, in the device's time zone (a birth date of "today" is valid)."""
    return utcnow().astimezone(at.tzinfo).date()


def sent_digest(item: ActionIn) -> str:
    """What a resend must match: the action as the device sent it, with its envelope."""
    # The chain links are the sender's bookkeeping, not the action: a resend with or without them is the same.
    # Identity fields count only when sent, so an action from a client that predates them hashes as it did.
    unsent = {f for f in IDENTITY_FIELDS if f not in item.model_fields_set}
    body = item.model_dump(mode="json", exclude={"chain", *unsent})
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


#: payload fields the lifecycle rules look up in their tables: anything but text there is refused
#: here, with a reason, rather than failing inside the rules
_TEXT_FIELDS = ("result", "method", "to", "unit")
#: no statutory time limit comes near this; a larger promise would break every client's deadline sums
MAX_PROMISED_DAYS = 999


def _check_shape(action: Action) -> None:
    """Refuse payload values of the wrong JSON type, which the lifecycle rules do not expect."""
    for key in _TEXT_FIELDS:
        if key in action.payload and not isinstance(action.payload[key], str):
            raise UserError(f"操作内容格式错误：“{key}”应为文字",
                            log=f"payload field {key!r} is {type(action.payload[key]).__name__}")
    if action.type is ActionType.ACCEPT:
        days = action.payload.get("promised_days")
        if isinstance(days, bool) or (isinstance(days, int) and days > MAX_PROMISED_DAYS):
            raise UserError(f"承诺时限应为 0 至 {MAX_PROMISED_DAYS} 个工作日之间的整数",
                            log=f"bad promised_days {days!r}")


def _as_action(item: ActionIn, username: str) -> Action:
    """The action as the platform records it: by the signed-in user, at a device time not in the future.

    Whether the device may name another actor is the Judge's to decide (:meth:`Judge._identify`).
    """
    try:
        kind = ActionType(item.type)
    except ValueError:
        raise UserError(f"未知的操作类型“{item.type}”", log=f"unknown action type {item.type!r}") from None
    try:
        at = dt.datetime.fromisoformat(item.at)
    except ValueError:
        raise UserError("操作时间格式错误", log=f"bad action time {item.at!r}") from None
    if at.tzinfo is None:
        raise UserError("操作时间缺少时区", log=f"action time without offset {item.at!r}")
    if at - utcnow() > MAX_SKEW:
        raise UserError(f"操作时间 {at:%Y-%m-%d %H:%M} 晚于平台当前时间超过 10 分钟，平台未接收；"
                        "请核对本机的日期和时间", log=f"device time {item.at} is in the future")
    return Action(id=item.id, case_id=item.case_id, type=kind, actor=username, at=at, payload=item.payload)


def _amended_materials(action: Action) -> list[MaterialIn]:
    """The material list an amendment leaves, in the envelope's format (UserError if malformed)."""
    try:
        return [MaterialIn.model_validate(m) for m in action.payload["materials"]]
    except (ValidationError, TypeError) as e:
        raise UserError("补正后的材料清单格式错误", log=f"bad amend_materials payload: {e}") from None


def _material_hashes(materials: Iterable[MaterialIn]) -> set[str]:
    return {h for m in materials for h in (m.pdf_sha256, *(p.sha256 for p in m.pages))}


def action_body(row: CaseAction) -> dict[str, Any]:
    """An accepted action as the feed and the clients see it."""
    return {
        "id": row.id, "case_id": row.case_id, "seq": row.seq, "type": row.type, "actor": row.actor,
        "actor_name": row.actor_name, "role": row.role, "post": row.post, "device": row.device,
        "at": row.at, "payload": json.loads(row.payload), "unit": row.unit,
        "received_at": _iso(row.received_at),
    }


def _given_to(action: Action) -> set[str]:
    """The units an accepted action gives the case to: the one it is forwarded to, the departments of a
    joint review, the unit that sent a 挂号督办."""
    if action.type is ActionType.FORWARD:
        return {str(action.payload["to"])}
    if action.type is ActionType.SUPERVISE:
        return {str(action.payload["unit"])}
    if action.type is ActionType.JOINT_REVIEW:
        return {str(d["unit"]) for d in action.payload["departments"]}
    return set()


def _iso(moment: dt.datetime) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).isoformat()


def case_actions(session: Session, case_id: str) -> list[CaseAction]:
    return list(session.scalars(select(CaseAction).where(CaseAction.case_id == case_id).order_by(CaseAction.seq)))


def state_actions(rows: list[CaseAction]) -> list[Action]:
    return [Action(id=r.id, case_id=r.case_id, type=ActionType(r.type), actor=r.actor,
                   at=dt.datetime.fromisoformat(r.at), payload=json.loads(r.payload)) for r in rows]


def _state(rows: list[CaseAction]) -> CaseState:
    return fold(state_actions(rows))


def case_body(session: Session, case: Case) -> dict[str, Any]:
    """A whole case for a unit that has just been given it: envelope, owner and all actions."""
    return {
        "id": case.id, "owner": case.owner, "envelope": json.loads(case.envelope),
        "actions": [action_body(r) for r in case_actions(session, case.id)],
    }


def item_posts(session: Session, unit: str, item_code: str, item: str) -> ItemPosts | None:
    """Who holds the A and B posts of ``item_code`` at ``unit`` (None if the unit gave it none)."""
    holders = {p.post: p.username for p in session.scalars(
        select(ItemPost).where(ItemPost.unit == unit, ItemPost.item_code == item_code))}
    if not holders:
        return None
    a = session.get(User, holders["A"]) if "A" in holders else None
    return ItemPosts(item=item, a=holders.get("A"), b=holders.get("B"), a_name=a.display_name if a else "",
                     a_away=bool(a and a.away))


class Judge:
    """Takes one batch of actions from one signed-in user of ``unit``."""

    def __init__(self, session: Session, unit: Unit, user: User) -> None:
        self.session, self.unit, self.user = session, unit, user
        self.username = user.username
        self.role: Role | None = parse_role(user.role)
        #: the post the current action is taken under, set by :meth:`_check_post`
        self._post: Post | None = None
        self._device: str | None = None

    def take(self, item: ActionIn) -> ActionResult:
        digest = sent_digest(item)
        known = self._known(item, digest)
        if known is not None:
            return known
        try:
            action = _as_action(item, self.username)
            self._identify(item)
            if action.type is ActionType.RECEIVE:
                result = self._receive(item, action, digest)
            else:
                result = self._follow(item, action, digest)
            if result.result == "accepted" and item.chain is not None:
                c = item.chain
                self.session.add(ChainRecord(action_id=item.id, case_id=item.case_id, unit=self.unit.code,
                                             installation=c.installation, seq=c.seq, hash=c.hash, gseq=c.gseq,
                                             ghash=c.ghash))
            return result
        except UserError as e:
            log.info("refused action %s (%s) from %s: %s", item.id, item.type, self.unit.code, e.log)
            return self._refuse(item.id, digest, e.message)

    def _known(self, item: ActionIn, digest: str) -> ActionResult | None:
        row = self.session.get(CaseAction, item.id)
        if row is not None:
            if row.digest != digest:
                return ActionResult(id=item.id, result="refused", reason=ID_REUSED)
            return ActionResult(id=item.id, result="duplicate", seq=row.seq, received_at=_iso(row.received_at))
        refused = self.session.get(Refusal, item.id)
        if refused is not None:
            reason = refused.reason if refused.digest == digest else ID_REUSED
            return ActionResult(id=item.id, result="refused", reason=reason, received_at=_iso(refused.received_at))
        return None

    def _refuse(self, action_id: str, digest: str, reason: str) -> ActionResult:
        now = utcnow()
        self.session.add(Refusal(id=action_id, digest=digest, reason=reason, unit=self.unit.code, received_at=now))
        self.session.flush()
        return ActionResult(id=action_id, result="refused", reason=reason, received_at=now.isoformat())

    def _identify(self, item: ActionIn) -> None:
        """Refuse an action that names another person, or claims a role other than theirs."""
        self._post, self._device = None, item.device
        if item.actor != self.username:
            raise UserError(f"操作记录的办理人“{item.actor}”不是登录平台的账号（{self.username}），平台未接收；"
                            "请由办理人本人登录后办理", log=f"actor {item.actor[:64]!r} is not {self.username}")
        if item.role is not None and item.role != self.user.role:
            claimed = parse_role(item.role)
            said = claimed.label if claimed else item.role
            mine = self.role.label if self.role else self.user.role
            raise UserError(f"本机记录的岗位（{said}）与平台登记的岗位（{mine}）不符，平台未接收；请重新登录后再办理",
                            log=f"role claimed {item.role!r}, user {self.username} is {self.user.role!r}")

    def _check_role(self, kind: ActionType, state: CaseState | None) -> None:
        why = role_refusal(self.role, kind, state.status if state is not None else NEW_CASE,
                           immediate=on_the_spot(state))
        if why:
            raise UserError(why, log=f"{kind} not for role {self.user.role!r} of {self.username}")

    def _check_post(self, item: ActionIn, item_code: str, item_name: str) -> None:
        """Determine the post the user acts under; refuse a B post while the A post is in, or a claim that differs."""
        claimed, claim = "post" in item.model_fields_set, item.post
        posts = item_posts(self.session, self.unit.code, item_code, item_name or item_code)
        post, why = acting_post(self.role, self.username, posts)
        if why:
            raise UserError(why, log=f"{self.username} holds no usable post for {item_code} at {self.unit.code}")
        if claimed and claim != (str(post) if post else None):
            said = Post(claim).label if claim else "无岗位"
            mine = post.label if post else "无岗位"
            raise UserError(f"本机记录的岗位（{said}）与平台确定的岗位（{mine}）不符，平台未接收；请重新登录后再办理",
                            log=f"post claimed {claim!r}, determined {post}")
        self._post = post

    def _receive(self, item: ActionIn, action: Action, digest: str) -> ActionResult:
        self._check_role(action.type, None)
        if item.case is None:
            raise UserError("新办件缺少办件信息", log="receive without a case envelope")
        env = check_envelope(item.case, _device_today(action.at))
        self._check_post(item, env.item_code, env.item_name)
        self._check_receive_payload(action, env)
        if self.session.get(Case, action.case_id) is not None:
            raise UserError("该办件已在平台上，不能重复收件", log=f"case {action.case_id} exists")
        check_case_no(self.unit, env.case_no, action.at)
        if self.session.scalar(select(Case.id).where(Case.case_no == env.case_no)) is not None:
            raise UserError(f"受理编号 {env.case_no} 已被其他窗口使用，请核对本窗口的窗口号设置",
                            log=f"case number {env.case_no} taken")
        hashes = _material_hashes(env.materials)
        held = _held_pdfs(self.session, env.materials, _applicant_number(env.applicant), _device_today(action.at))
        lacking = hashes - held - held_blobs(self.session, self.unit.code, hashes - held)
        if lacking:
            # Not a refusal: the blobs are on their way. The device sends the action again later.
            # Only this unit's own uploads count: a hash copied from another unit's case stays
            # "not uploaded" until this unit uploads the bytes themselves.
            return ActionResult(id=item.id, result="retry", reason=f"{len(lacking)} 份材料尚未上传")
        state = start(action)
        case = Case(id=action.case_id, case_no=env.case_no, owner=self.unit.code, holder=self.unit.code,
                    status=str(state.status), item_code=env.item_code,
                    envelope=canonical_json(env.model_dump(mode="json")), head_seq=0, head_hash=GENESIS)
        self.session.add(case)
        self.session.add(CaseAccess(case_id=case.id, unit=self.unit.code))
        self.session.add_all(CaseBlob(case_id=case.id, sha256=h) for h in sorted(hashes))
        self.session.flush()
        row = self._append(case, action, digest, state)
        publish(self.session, "case", self.unit.code, case.id, case_body(self.session, case))
        return ActionResult(id=item.id, result="accepted", seq=row.seq, received_at=_iso(row.received_at))

    @staticmethod
    def _check_receive_payload(action: Action, env: CaseEnvelope) -> None:
        """The receive action repeats the item and the applicant: they must be the envelope's,
        and as valid (the action is shown with the case and hash-chained as sent)."""
        payload = action.payload
        if "item_code" in payload and payload["item_code"] != env.item_code:
            raise UserError("收件操作中的事项编码与办件信息不符", log="receive payload item_code differs from envelope")
        if "applicant" in payload:
            parse_applicant(payload["applicant"], _device_today(action.at))
        check_payload(ActionType.RECEIVE, payload)  # an optional channel (窗口/网上), counted in the 月报

    def _follow(self, item: ActionIn, action: Action, digest: str) -> ActionResult:
        case = self.session.get(Case, action.case_id)
        if case is None:
            # Its receive action has not been taken yet (blobs still uploading): not final.
            return ActionResult(id=action.id, result="retry", reason="该办件尚未上传到平台")
        # A supervisor's 挂号督办 reaches the cases of the unit's tree, which it need not see yet.
        supervising = action.type is ActionType.SUPERVISE and self.role is Role.SUPERVISOR
        if self.session.get(CaseAccess, (case.id, self.unit.code)) is None and not supervising:
            raise UserError("平台上找不到该办件，或本单位无权办理", log=f"case {action.case_id} not visible to unit")
        state = _state(case_actions(self.session, case.id))
        why = authority_refusal(state, case.owner, self.unit.code, action.type)
        if why:
            holder = state.holder_or(case.owner)
            raise UserError(self._named(why, holder), log=f"{action.type} by {self.unit.code}, holder {holder}")
        self._check_role(action.type, state)
        self._check_post(item, case.item_code, str(json.loads(case.envelope).get("item_name") or case.item_code))
        _check_shape(action)
        if action.type is ActionType.FORWARD:
            self._check_forward_target(action)
        if action.type is ActionType.RECORD_FEE:
            self._check_charged(case)
        if action.type in (ActionType.SUPERVISE, ActionType.SUPERVISION_REPLY):
            # 挂号督办: the unit tree, the holder, overdue; 督办回复: the unit the notice was sent to.
            from city_platform import supervision  # (it folds cases with this module's helpers)
            check = supervision.check_supervise if action.type is ActionType.SUPERVISE else supervision.check_reply
            check(self.session, self.unit, case, action)
        # what only a new action must meet (a 退回 names materials of the case as the platform holds it)
        check_new_payload(action.type, action.payload, materials=_material_names(case))
        if action.type in (ActionType.OPINION, ActionType.JOINT_OPINION) and \
                action.payload.get("unit") != self.unit.code:
            raise UserError("意见须注明出具意见的单位", log="opinion payload unit differs from the sender's unit")
        if action.type is ActionType.DECIDE and action.payload.get("unit", self.unit.code) != self.unit.code:
            # the licence names the deciding unit, and a 告知承诺 check may be recorded by it
            raise UserError("决定所注明的单位不是作出决定的本单位，平台未接收",
                            log="decide payload unit differs from the sender's unit")
        if action.type is ActionType.JOINT_REVIEW:
            self._check_joint_departments(case, action)
        new_state = apply(state, action)  # before the blobs' check: a refusal beats a retry
        if action.type is ActionType.FORWARD:
            self._check_stored_envelope(case, action)
        if action.type is ActionType.NOTICE:
            # A notice's PDF (and once signed, its signed copy and signature record; once sealed, its
            # sealed copy) go with the case. What is already with it need not be this unit's upload:
            # the next level seals the review sheet another unit made.
            notice = set(notice_blobs(action.payload))
            have = set(self.session.scalars(select(CaseBlob.sha256).where(CaseBlob.case_id == case.id)))
            if (notice - have) - held_blobs(self.session, self.unit.code, notice - have):
                return ActionResult(id=action.id, result="retry", reason="通知书尚未上传")
            self.session.add_all(CaseBlob(case_id=case.id, sha256=h) for h in sorted(notice - have))
        issued = licence_of(action.payload) if action.type is ActionType.ISSUE else None
        if issued is not None:
            licences.check_issue(self.session, self.unit, case, issued, item.chain.installation if item.chain else None,
                                 _holder_id(case))
            if issued.pdf_sha256 not in held_blobs(self.session, self.unit.code, [issued.pdf_sha256]):
                return ActionResult(id=action.id, result="retry", reason="证照文件尚未上传")
            if self.session.get(CaseBlob, (case.id, issued.pdf_sha256)) is None:
                self.session.add(CaseBlob(case_id=case.id, sha256=issued.pdf_sha256))
        amended: list[MaterialIn] | None = None
        if action.type is ActionType.AMEND_MATERIALS:
            amended = _amended_materials(action)
            hashes = _material_hashes(amended)
            held = _held_pdfs(self.session, amended, _holder_id(case), _device_today(action.at))
            lacking = hashes - held - held_blobs(self.session, self.unit.code, hashes - held)
            if lacking:
                # Not a refusal: the new pages are on their way; the device sends it again.
                return ActionResult(id=action.id, result="retry", reason=f"{len(lacking)} 份补正材料尚未上传")
        row = self._append(case, action, digest, new_state)
        if amended is not None:
            self._replace_materials(case, amended)
        if issued is not None:
            licences.register(self.session, self.unit, case, issued, action.id)
        if action.type is ActionType.REVOKE_LICENCE:
            licences.revoke(self.session, new_state.licence_id, new_state.licence_revoked)
        sms.record(self.session, self.unit, case, action, new_state)
        body = action_body(row)
        audience = set(self.session.scalars(select(CaseAccess.unit).where(CaseAccess.case_id == case.id)))
        # A unit the case is forwarded to, each department asked in a joint review, and the supervising
        # unit of a 挂号督办 (its timeline, the notice and the answer, on both sides) get the whole case.
        for unit in sorted(_given_to(action) - audience):
            self.session.add(CaseAccess(case_id=case.id, unit=unit))
            self.session.flush()
            publish(self.session, "case", unit, case.id, case_body(self.session, case))
        for unit in sorted(audience):
            publish(self.session, "action", unit, case.id, body)
        return ActionResult(id=action.id, result="accepted", seq=row.seq, received_at=body["received_at"])

    def _replace_materials(self, case: Case, materials: list[MaterialIn]) -> None:
        """The case's envelope lists the materials as amended; units given the case later get those."""
        envelope = json.loads(case.envelope)
        envelope["materials"] = [m.model_dump(mode="json") for m in materials]
        case.envelope = canonical_json(envelope)
        have = set(self.session.scalars(select(CaseBlob.sha256).where(CaseBlob.case_id == case.id)))
        self.session.add_all(CaseBlob(case_id=case.id, sha256=h) for h in sorted(_material_hashes(materials) - have))
        self.session.flush()

    def _check_stored_envelope(self, case: Case, action: Action) -> None:
        """A case stored before the platform checked envelopes may hold one a window cannot take
        (an applicant without an ID number): it is not passed on to a unit that would choke on it."""
        try:
            check_envelope(json.loads(case.envelope), _device_today(action.at))
        except UserError as e:
            raise UserError(f"该办件的收件信息不符合规则（{e.message}），不能上报；请不予受理，"
                            "或由申请人撤回后重新收件", log=f"stored envelope of {case.id} invalid: {e.log}") from None

    def _named(self, reason: str, code: str) -> str:
        """``reason`` with the unit code ``code`` written as the clerk knows it: name (code)."""
        unit = self.session.get(Unit, code)
        return reason.replace(code, f"{unit.name}（{code}）") if unit is not None else reason

    def _published_item(self, case: Case) -> dict[str, Any] | None:
        """The case's item as the catalogue the platform published last has it."""
        body = self.session.scalar(select(FeedEntry.body).where(FeedEntry.kind == "catalog")
                                   .order_by(FeedEntry.seq.desc()).limit(1))
        items = json.loads(body).get("items", []) if body else []
        return next((i for i in items if isinstance(i, dict) and i.get("code") == case.item_code), None)

    def _check_joint_departments(self, case: Case, action: Action) -> None:
        """A joint review asks units the platform knows, other than the window's, under the item's own rule."""
        for d in action.payload["departments"]:
            if d["unit"] in (self.unit.code, case.owner):
                raise UserError("联审部门不能是本单位", log="joint review names the sending unit")
            if self.session.get(Unit, d["unit"]) is None:
                raise UserError("联审部门“{name}”（{code}）不是平台登记的单位", name=d["name"], code=d["unit"],
                                log=f"joint review names unknown unit {d['unit']}")
        item = self._published_item(case)
        if item is not None and item.get("joint_rule") is None:
            raise UserError("事项“{name}”不实行网上联审", name=str(item.get("name") or case.item_code),
                            log=f"joint review of {case.item_code}, which has no joint rule")
        rule = str(item.get("joint_rule")) if item else DEFAULT_RULE
        if action.payload.get("rule", DEFAULT_RULE) != rule:
            raise UserError("联审规则与事项目录规定的不符（应为：{rule}）", rule=JOINT_RULES.get(rule, rule),
                            log=f"joint rule {action.payload.get('rule')!r}, catalogue says {rule!r}")

    def _check_charged(self, case: Case) -> None:
        """A fee only on an item the catalogue the platform published charges for."""
        item = self._published_item(case)
        fee = item.get("fee") if item else None
        if not isinstance(fee, dict) or fee.get("charged") is not True:
            raise UserError("该事项不收费，平台不接收缴费登记", log=f"record_fee on {case.item_code}, not charged")

    def _check_forward_target(self, action: Action) -> None:
        parent = self.unit.parent and self.session.get(Unit, self.unit.parent)
        if not parent:
            raise UserError("本单位已是最高一级，不能再上报", log=f"forward from top unit {self.unit.code}")
        if action.payload.get("to") != parent.code:
            raise UserError(f"只能上报至上一级单位：{parent.name}（{parent.code}）",
                            log=f"forward to {action.payload.get('to')!r}, parent is {parent.code}")

    def _append(self, case: Case, action: Action, digest: str, state: CaseState) -> CaseAction:
        seq = case.head_seq + 1
        fields = {"id": action.id, "case_id": case.id, "seq": seq, "type": str(action.type),
                  "actor": action.actor, "at": action.at.isoformat(), "payload": dict(action.payload)}
        link = action_digest(case.head_hash, fields)
        row = CaseAction(id=action.id, case_id=case.id, seq=seq, type=str(action.type), actor=action.actor,
                         at=fields["at"], payload=canonical_json(fields["payload"]), digest=digest,
                         unit=self.unit.code, username=self.username, received_at=utcnow(),
                         prev_hash=case.head_hash, hash=link, role=self.user.role,
                         post=str(self._post) if self._post else None, actor_name=self.user.display_name,
                         device=self._device)
        self.session.add(row)
        case.head_seq, case.head_hash = seq, link
        case.status, case.holder = str(state.status), state.holder_or(case.owner)
        self.session.flush()
        log.info("case %s: %s accepted as #%d from %s", case.case_no, action.type, seq, self.unit.code)
        return row
