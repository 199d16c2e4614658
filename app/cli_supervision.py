"""``python -m app supervision lists|send|reply``: the supervisor's lists, 挂号督办 and 督办回复.

Part of the command line (:mod:`app.cli`), kept apart to keep each module small; a thin layer over
:mod:`app.services.supervision`, the use cases the 「效能监察」 page runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from typing import Any, Protocol

from app.core.errors import UserError
from app.services import supervision
from app.services.context import AppContext


class Output(Protocol):
    as_json: bool

    def emit(self, data: Any, human: Any) -> None: ...


def _plain(value: Any) -> Any:
    """Dataclasses, dates and enums as JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if hasattr(value, "label") else value


def _human_lists(d: dict[str, Any]) -> str:
    lines = [f"{d['today']} 范围：{'、'.join(d['units'])}" + ("" if d["online"] else f"\n{d['note']}")]
    for key, title in (("red", "红灯（超期）"), ("yellow", "黄灯（临近）")):
        lines.append(f"{title} {len(d[key])} 件")
        for w in d[key]:
            days = f"超期 {-w['workdays_left']} 个工作日" if key == "red" else f"剩余 {w['workdays_left']} 个工作日"
            lines.append(f"  {w['case_no']}  {w['item_name']}  {w['unit_name']}  {w['due']}  {days}"
                         + ("  已督办" if w["supervised"] else ""))
    for n in d["notices"]:
        state = "已回复" if n["answered"] else "逾期未回复" if n["late"] else "待回复"
        lines.append(f"挂号督办 {n['case_no']} → {n['to_name']}  回复期限 {n['answer_due']}  {state}")
    return "\n".join(lines)


def cmd_lists(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    view = supervision.lists(ctx)
    out.emit({**_plain(view.lists), "online": view.online, "note": view.note}, _human_lists)


def cmd_send(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    red = supervision.lists(ctx)
    case = next((w for w in red.lists.red if args.case in (w.case_no, w.id)), None)
    if case is None:
        raise UserError("办件“{ref}”不在本单位及下级单位的超期（红灯）名单中，不能挂号督办", ref=args.case,
                        log=f"supervise {args.case!r}: not on the red list")
    due = dt.date.fromisoformat(args.answer_due) if args.answer_due else None
    notice = supervision.supervise(ctx, case, args.text, due)
    out.emit({"id": notice, "case_no": case.case_no, "to": case.unit},
             lambda d: f"已向{case.unit_name}发出挂号督办（{d['case_no']}）")


def cmd_reply(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    res = supervision.reply(ctx, args.case, args.notice, args.text)
    out.emit({"id": res.case_id, "case_no": res.case_no, "action_id": res.action_id, "status": str(res.status)},
             lambda d: f"{d['case_no']}：已回复督办，同步后督办单位即可看到")


def _day(text: str) -> str:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("应为日期，如 2026-10-19") from None
    return text


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``supervision lists``, ``supervision send`` and ``supervision reply``."""
    group = sub.add_parser("supervision", parents=[common], help="效能监察：超期名单、挂号督办、督办回复"
                           ).add_subparsers(dest="sub", required=True)
    group.add_parser("lists", parents=[common], help="本单位及下级单位的红灯、黄灯名单和督办情况（效能监察人员）"
                     ).set_defaults(run=cmd_lists)
    send = group.add_parser("send", parents=[common], help="对超期办件挂号督办（须连接市级平台）")
    send.add_argument("case", help="受理编号或办件 ID（须在红灯名单中）")
    send.add_argument("--text", required=True, help="督办内容")
    send.add_argument("--answer-due", type=_day, help="回复期限（默认：按 supervision.answer_days 个工作日计算）")
    send.set_defaults(run=cmd_send)
    reply = group.add_parser("reply", parents=[common], help="被督办单位回复督办")
    reply.add_argument("case", help="受理编号或办件 ID")
    reply.add_argument("--notice", required=True, help="所回复的督办通知编号（case show 的 supervisions[].id）")
    reply.add_argument("--text", required=True, help="回复内容")
    reply.set_defaults(run=cmd_reply)
