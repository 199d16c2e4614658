"""挂号督办: a supervisor's notice on an overdue case, and the late unit's answer (督办回复).

Seed 004 §24(二): a case past its promised limit shows red; unless the unit has explained itself,
the supervisor 挂号督办, and the unit supervised must answer within a set time. Both are record-only
actions on the case (its state stays as it is): the notice names the unit that holds the case
(``to``) and the day the answer is due; the answer names the notice it answers.

Pure: the payloads come from the window, the command line and the platform's feed alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from app.core.errors import N_, UserError

MAX_TEXT = 500
#: the latest answer day a notice may set, in calendar days after it is sent
MAX_ANSWER_SPAN = 90


@dataclass(frozen=True, slots=True)
class Supervision:
    """One 挂号督办 notice on a case, and its answer once given."""

    #: the SUPERVISE action's id: the answer names it
    id: str
    #: the supervising unit, and the unit that must answer (the holder when it was sent)
    unit: str
    to: str
    text: str
    answer_due: dt.date
    at: dt.datetime
    reply_text: str = ""
    reply_at: dt.datetime | None = None

    @property
    def answered(self) -> bool:
        return self.reply_at is not None

    def late(self, today: dt.date) -> bool:
        """Unanswered past its answer day (逾期未回复)."""
        return not self.answered and today > self.answer_due


def _text(payload: Mapping[str, Any], what: str) -> str:
    value = payload.get("text")
    if not isinstance(value, str) or not value.strip():
        raise UserError("请填写{what}", what=what, log="supervision text missing")
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise UserError("{what}不能超过{max_text}个字，现为{length}个字", what=what, max_text=MAX_TEXT,
                        length=len(text), log=f"supervision text of {len(text)} chars")
    if any((ord(ch) < 32 and ch != "\n") or ord(ch) == 127 for ch in text):
        raise UserError("{what}含有无法显示的控制字符，请重新填写", what=what, log="control character in supervision")
    return text


def _answer_due(payload: Mapping[str, Any]) -> dt.date:
    raw = payload.get("answer_due")
    try:
        if isinstance(raw, str) and len(raw) == 10:
            return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    raise UserError("督办回复期限应为日期（年-月-日）", log=f"bad answer_due {str(raw)[:40]!r}")


def _unit(payload: Mapping[str, Any], key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or len(value) != 18 or not value.isalnum():
        raise UserError("督办通知须注明督办单位和被督办单位", log=f"supervise payload {key!r} not a unit code")
    return value


def check_supervise(payload: Mapping[str, Any]) -> None:
    """Refuse a 挂号督办 payload that lacks its text, answer day or units (UserError)."""
    _text(payload, N_("督办内容"))
    _answer_due(payload)
    _unit(payload, "unit")
    _unit(payload, "to")


def check_new_supervise(payload: Mapping[str, Any], sent_on: dt.date) -> None:
    """:func:`check_supervise`, and an answer day from the day sent up to :data:`MAX_ANSWER_SPAN` after."""
    check_supervise(payload)
    due = _answer_due(payload)
    if not sent_on <= due <= sent_on + dt.timedelta(days=MAX_ANSWER_SPAN):
        raise UserError("督办回复期限应在督办当日至其后{days}天之内", days=MAX_ANSWER_SPAN,
                        log=f"answer_due {due} for a notice sent {sent_on}")


def check_reply(payload: Mapping[str, Any]) -> None:
    """Refuse a 督办回复 payload without its text or the notice it answers (UserError)."""
    _text(payload, N_("回复内容"))
    sid = payload.get("supervise_id")
    if not isinstance(sid, str) or not 1 <= len(sid) <= 64:
        raise UserError("督办回复须注明所回复的督办通知", log="reply without supervise_id")


def supervision_of(action_id: str, payload: Mapping[str, Any], at: dt.datetime) -> Supervision:
    """The notice a checked SUPERVISE payload records."""
    check_supervise(payload)
    return Supervision(id=action_id, unit=_unit(payload, "unit"), to=_unit(payload, "to"),
                       text=_text(payload, N_("督办内容")), answer_due=_answer_due(payload), at=at)


def answered(notices: tuple[Supervision, ...], payload: Mapping[str, Any], at: dt.datetime
             ) -> tuple[Supervision, ...]:
    """``notices`` with the one a checked reply names answered; UserError if it names none, or one answered."""
    check_reply(payload)
    sid = payload["supervise_id"]
    for n, notice in enumerate(notices):
        if notice.id == sid:
            if notice.answered:
                raise UserError("该督办通知已回复", log=f"second reply to {sid}")
            done = replace(notice, reply_text=_text(payload, N_("回复内容")), reply_at=at)
            return (*notices[:n], done, *notices[n + 1:])
    raise UserError("该办件没有所回复的督办通知", log=f"reply to unknown notice {str(sid)[:64]!r}")
