"""The applicant's evaluation of the service (好差评): levels, reasons, and the payload's rules.

Five levels as in GB/T 39734-2020; the two lowest are 差评 and must say why, from a fixed list
(国办发〔2019〕51号 asks that every 差评 be verified and followed up within 15 working days).
The older local rule (榕政办〔2018〕212号 §22) had four levels, without 非常不满意: a unit still
bound to it hides that level (setting ``evaluation.four_levels``); a five-level evaluation stays
valid everywhere, since the national standard superseded the local trial rule.

Pure: the payload comes from a touch pad, the command line or the platform's feed, so it is
checked strictly and refused in plain Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.errors import UserError

LEVELS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
#: the level the older four-level rule does not have
FIFTH_LEVEL = "非常不满意"
#: 差评: the levels that need a reason and a follow-up
BAD_LEVELS = frozenset({"不满意", "非常不满意"})
#: working days within which a 差评 is followed up (核实、整改、反馈)
FOLLOW_UP_DAYS = 15

#: Why an applicant is dissatisfied. The usual 好差评 reasons, and what the city's own rules
#: promise the applicant: one trip (002 二, 「零跑腿」), everything missing told at once (004 §15),
#: no material the platform can share asked for again (004 §13), no extra steps online (004 §23),
#: fees through the public payment platform (004 §18), and the promised time limit (004 §24).
REASONS = (
    "服务态度差",
    "办事效率低",
    "等候时间长",
    "多次跑动",
    "材料要求不清",
    "未一次性告知",
    "要求重复提交材料",
    "超时办理",
    "网上与窗口流程不一致",
    "收费不规范",
    "其他",
)
#: where the evaluation was given: the applicant's own pad or screen, or told to the clerk
CHANNELS = ("评价器", "窗口")
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One case's evaluation, as recorded."""

    level: str
    reasons: tuple[str, ...]
    text: str
    channel: str
    at: dt.datetime

    @property
    def bad(self) -> bool:
        """True for a 差评 (it opens a follow-up)."""
        return self.level in BAD_LEVELS


def levels(four_levels: bool) -> tuple[str, ...]:
    """The levels offered: five, or four under the older local rule."""
    return tuple(level for level in LEVELS if not (four_levels and level == FIFTH_LEVEL))


def _text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise UserError("评价内容应为文字", log=f"evaluation text is {type(value).__name__}")
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise UserError("评价内容不能超过{max_text}个字，现为{length}个字", max_text=MAX_TEXT, length=len(text),
                        log=f"evaluation text of {len(text)} chars")
    if any((ord(ch) < 32 and ch != "\n") or ord(ch) == 127 for ch in text):
        raise UserError("评价内容含有无法显示的控制字符，请重新填写", log="control character in evaluation text")
    return text


def check_evaluation(payload: Mapping[str, Any]) -> None:
    """Refuse an evaluation payload that breaks the rules (UserError in plain Chinese)."""
    level = payload.get("level")
    if not isinstance(level, str) or level not in LEVELS:
        raise UserError("评价等级应为：{levels}",
                        levels="、".join(LEVELS), log=f"unknown evaluation level {str(level)[:40]!r}")
    reasons = payload.get("reasons", [])
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise UserError("差评原因应为从列表中选择的一项或多项", log="evaluation reasons not a list of text")
    unknown = [r for r in reasons if r not in REASONS]
    if unknown:
        raise UserError("差评原因“{unknown}”不在可选原因中，请从列表中选择", unknown=unknown[0][:20],
                        log=f"unknown evaluation reason {unknown[0][:40]!r}")
    if len(set(reasons)) != len(reasons):
        raise UserError("差评原因重复", log="duplicate evaluation reason")
    if level in BAD_LEVELS and not reasons:
        raise UserError("评价为“{level}”时，请至少选择一项原因", level=level, log=f"{level} without a reason")
    if level not in BAD_LEVELS and reasons:
        raise UserError("评价为“{level}”时不需选择差评原因", level=level, log=f"reasons given with {level}")
    _text(payload.get("text"))
    channel = payload.get("channel", CHANNELS[0])
    if channel not in CHANNELS:
        raise UserError("评价渠道应为：{channels}",
                        channels="、".join(CHANNELS), log=f"unknown evaluation channel {str(channel)[:40]!r}")


def evaluation_of(payload: Mapping[str, Any], at: dt.datetime) -> Evaluation:
    """The evaluation a checked payload records."""
    check_evaluation(payload)
    return Evaluation(level=str(payload["level"]), reasons=tuple(payload.get("reasons", [])),
                      text=_text(payload.get("text")), channel=str(payload.get("channel", CHANNELS[0])), at=at)


def evaluation_payload(level: str, reasons: list[str] | tuple[str, ...] = (), text: str = "",
                       channel: str = CHANNELS[0]) -> dict[str, Any]:
    """The payload of an evaluation as typed or tapped (checked; the text trimmed)."""
    payload: dict[str, Any] = {"level": level, "reasons": list(reasons), "text": text, "channel": channel}
    check_evaluation(payload)
    payload["text"] = _text(text)
    return payload
