"""``python -m app catalog search|guide``: find an item as the window does, and print its guide.

Part of the command line (:mod:`app.cli`), kept apart to keep each module small; the same thin
layer over :mod:`app.services.items`.
"""

from __future__ import annotations

import argparse
from typing import Any, Protocol

from app.services import items
from app.services.context import AppContext


class Output(Protocol):
    as_json: bool

    def emit(self, data: Any, human: Any) -> None: ...


def cmd_catalog_search(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    found = [hit.to_dict() for hit in items.search(ctx, args.text, args.limit)]

    def human(rows: list[dict[str, Any]]) -> str:
        if not rows:
            return f"没有找到与“{args.text}”相符的事项"
        return "\n".join(f"{r['code']}  {r['name']}  {r['tier_label']}  "
                         + (f"承诺{r['promised_days']}个工作日" if r["promised_days"] else "即办件") for r in rows)

    out.emit(found, human)


def _human_guide(d: dict[str, Any]) -> str:
    deadline = d["deadline"]
    promise = ("即办件（当场办结）" if d["immediate"]
               else f"{d['promised_days']}个工作日（法定{d['legal_days']}个工作日）")
    due = deadline["date"] + ("（节假日安排尚未公布，暂按周一至周五计算）" if deadline["provisional"] else "")
    fee = d["fee"]
    lines = [
        f"{d['name']}（{d['code']}）",
        f"事项类型：{d['item_type']}    办理层级：{d['tier_label']}    办理科室：{d['department']}",
        f"受理条件：{d['conditions']}",
        f"承诺时限：{promise}",
        f"今日受理的办结期限：{due}",
        f"收费：{fee['amount']}" + (f"（依据：{fee['basis']}）" if fee["charged"] else ""),
        f"咨询电话：{d['consult_phone']}    投诉电话：{d['complaint_phone']}",
        "申请材料：",
    ]
    for i, m in enumerate(d["materials"], 1):
        mark = "必需" if m["required"] else "可选"
        note = f"；{m['note']}" if m["note"] else ""
        lines.append(f"  {i}. {m['name']}（{mark}，{m['form']}{m['copies']}份{note}）")
    return "\n".join(lines)


def cmd_catalog_guide(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    out.emit(items.guide(ctx, args.code).to_dict(), _human_guide)


def add_parsers(catalog: Any, common: argparse.ArgumentParser) -> None:
    """``search`` and ``guide`` under the ``catalog`` command."""
    search = catalog.add_parser("search", parents=[common], help="查找事项：名称、编码、全拼或首字母（如 gtgs）")
    search.add_argument("text", help="名称的一部分、基本编码或实施编码、拼音或拼音首字母")
    search.add_argument("--limit", type=int, default=items.LIMIT, help=f"最多列出几项（默认{items.LIMIT}）")
    search.set_defaults(run=cmd_catalog_search)
    guide = catalog.add_parser("guide", parents=[common], help="事项的办事指南：受理条件、时限、收费、材料")
    guide.add_argument("code", help="事项基本编码")
    guide.set_defaults(run=cmd_catalog_guide)
