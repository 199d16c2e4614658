"""``python -m app case notice CASE --kind KIND [--out FILE]``: write a case's notice to a PDF file.

Part of the command line (:mod:`app.cli`), kept apart to keep each module small; a thin layer over
:mod:`app.services.notices`. A notice already issued is written again as stored (a reprint);
otherwise it is issued first.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Protocol

from app.core.errors import UserError
from app.core.notice_kinds import NoticeKind, parse_kind
from app.services import notices
from app.services.context import AppContext


class Output(Protocol):
    as_json: bool

    def emit(self, data: Any, human: Any) -> None: ...


def _problems(items: list[str] | None) -> dict[str, str]:
    out = {}
    for text in items or []:
        name, sep, problem = text.partition("=")
        if not sep or not name.strip() or not problem.strip():
            raise UserError("“{text}”应写成 材料名称=需补正的内容", text=text, log=f"bad --problem {text!r}")
        out[name.strip()] = problem.strip()
    return out


def cmd_case_notice(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    kind = parse_kind(args.kind)
    notice = notices.latest(ctx, args.case, kind)
    issued = notice is None
    if notice is None:
        request = notices.NoticeRequest(problems=_problems(args.problem), reason=args.reason or "",
                                        note=args.note or "")
        notice = notices.issue(ctx, args.case, kind, request)
    pdf = notices.pdf_of(ctx, notice)
    case_no = notices.case_number(ctx, notice)
    target = Path(args.out) if args.out else Path(f"{case_no}-{kind.value}.pdf")
    notices.printed(ctx, notice, f"file:{target.name}")
    try:
        target.write_bytes(pdf)
    except OSError as e:
        raise UserError("无法写入“{target}”：{reason}",
                        target=target, reason=e.strerror or e, log=f"notice not written to {target}: {e!r}") from e
    out.emit({**notice.to_dict(), "case_no": case_no, "out": str(target), "issued": issued, "bytes": len(pdf)},
             lambda d: f"{d['case_no']}：{d['kind']}{'已出具' if d['issued'] else '已重新打印'}，写入 {d['out']}")


def add_parser(case: Any, common: argparse.ArgumentParser) -> None:
    """``case notice`` under the ``case`` subcommands."""
    p = case.add_parser("notice", parents=[common], help="出具或重新打印通知书（写入 PDF 文件）")
    p.add_argument("case", help="受理编号或办件 ID")
    p.add_argument("--kind", required=True, help="通知书种类：" + "、".join(k.value for k in NoticeKind))
    p.add_argument("--out", help="写入的 PDF 文件（默认：受理编号-种类.pdf）")
    p.add_argument("--problem", action="append", metavar="材料=内容",
                   help="一次性告知书、补正通知书：某份材料需补齐补正的内容（可多次）")
    p.add_argument("--reason", help="补正通知书：补正的原因")
    p.add_argument("--note", help="送达回证：备注")
    p.set_defaults(run=cmd_case_notice)
