"""``python -m app figures --month 2026-11 [--unit CODE] [--platform] [--xlsx F] [--csv F]``: 月报.

Part of the command line (:mod:`app.cli`), kept apart to keep each module small; a thin layer over
:mod:`app.services.figures` and :mod:`app.services.figures_export`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Protocol

from app.core.errors import UserError
from app.core.monthly_figures import MonthlyFigures
from app.services import figures, figures_export
from app.services.context import AppContext


class Output(Protocol):
    as_json: bool

    def emit(self, data: Any, human: Any) -> None: ...


def _human(data: dict[str, Any], rows: list[tuple[int | str, ...]]) -> str:
    header = "\t".join(figures_export.UNIT_HEADER)
    lines = [f"{data['month']} 月报", header, *("\t".join(map(str, r)) for r in rows)]
    lines += [f"已写入：{f}" for f in data["files"]]
    return "\n".join(lines)


def cmd_figures(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    if args.unit and not args.platform:
        raise UserError("查看其他单位的月报须从市级平台取得，请加上 --platform",
                        log="figures --unit without --platform")
    result: MonthlyFigures = (figures.from_platform(ctx, args.month, args.unit or "") if args.platform
                              else figures.local(ctx, args.month))
    written = figures_export.export(result, xlsx=Path(args.xlsx) if args.xlsx else None,
                                    csv_path=Path(args.csv) if args.csv else None)
    data = {**result.to_dict(), "source": "platform" if args.platform else "local", "files": [str(f) for f in written]}
    rows = list(figures_export.unit_rows(result))
    out.emit(data, lambda d: _human(d, rows))


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``figures``."""
    p = sub.add_parser("figures", parents=[common], help="月报：办件量、快递送达件数、超期、用时、好差评")
    p.add_argument("--month", required=True, help="月份，如 2026-11")
    p.add_argument("--platform", action="store_true", help="由市级平台统计本单位及下级单位（默认：本机离线统计本单位）")
    p.add_argument("--unit", help="平台统计时的单位代码（本单位或下级单位；默认本单位）")
    p.add_argument("--xlsx", help="导出为 Excel 文件（.xlsx）")
    p.add_argument("--csv", help="导出为 CSV 文件（UTF-8，Excel 可直接打开）")
    p.set_defaults(run=cmd_figures)
