"""``python -m app case evaluate|fee``: the applicant's evaluation (好差评) and a fee paid.

Part of the command line (:mod:`app.cli`), kept apart to keep each module small; the same thin
layer over :mod:`app.services.evaluation` and :mod:`app.services.fees`.
"""

from __future__ import annotations

import argparse
from typing import Any, Protocol

from app.core.evaluation import CHANNELS, LEVELS
from app.core.fees import format_yuan, parse_yuan
from app.services import evaluation, fees
from app.services.case_actions import ActionResult
from app.services.context import AppContext


class Output(Protocol):
    as_json: bool

    def emit(self, data: Any, human: Any) -> None: ...


def _emit(out: Output, res: ActionResult, done: str) -> None:
    out.emit({"id": res.case_id, "case_no": res.case_no, "action_id": res.action_id, "status": str(res.status)},
             lambda d: f"{d['case_no']}：{done}，当前状态：{res.status.label}")


def cmd_case_evaluate(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    res = evaluation.evaluate(ctx, args.case, args.level, args.reason or [], args.text or "", args.channel)
    _emit(out, res, f"已记录评价“{args.level}”")


def cmd_case_fee(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    fen = parse_yuan(args.amount)
    res = fees.record_fee(ctx, args.case, fen, args.basis, args.reference)
    _emit(out, res, f"已登记缴费 {format_yuan(fen)} 元")


def add_parsers(case: Any, common: argparse.ArgumentParser) -> None:
    """``case evaluate`` and ``case fee``."""
    ev = case.add_parser("evaluate", parents=[common], help="好差评：记录申请人对本次服务的评价（每件一次）")
    ev.add_argument("case", help="受理编号或办件 ID")
    ev.add_argument("--level", required=True, choices=LEVELS, help="评价等级")
    ev.add_argument("--reason", action="append",
                    help="差评原因（不满意、非常不满意时必填，可重复）：" + "、".join(evaluation.reasons()))
    ev.add_argument("--text", help="评价内容（可选，不超过200字）")
    ev.add_argument("--channel", choices=CHANNELS, default="窗口", help="评价渠道（默认：窗口，由工作人员代为记录）")
    ev.set_defaults(run=cmd_case_evaluate)
    fee = case.add_parser("fee", parents=[common], help="登记缴费（仅收费事项）")
    fee.add_argument("case", help="受理编号或办件 ID")
    fee.add_argument("--amount", required=True, help="金额（元），如 80 或 80.50")
    fee.add_argument("--basis", required=True, help="收费依据")
    fee.add_argument("--reference", required=True, help="公共支付平台订单号")
    fee.set_defaults(run=cmd_case_fee)
