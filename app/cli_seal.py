"""``python -m app seal request|status``: the unit's seal certificate on this PC.

Part of the command line (:mod:`app.cli`), kept apart to keep each module small; a thin layer over
:mod:`app.services.seal_keys`. ``request`` makes a key here and sends its CSR (the certificate
arrives with the next sync); ``status`` shows the certificates this PC holds, in Chinese.
"""

from __future__ import annotations

import argparse
from typing import Any, Protocol

from app.services import seal_keys, sync_run
from app.services.context import AppContext


class Output(Protocol):
    as_json: bool

    def emit(self, data: Any, human: Any) -> None: ...


def cmd_seal_request(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    seal_keys.check_may_request(ctx)  # before anything is asked of the platform
    with sync_run.make_client(ctx) as client:
        answer = seal_keys.request_certificate(ctx, client)
    out.emit(answer, lambda d: f"已向市级平台申请印章证书（证书序列号 {d['serial']}），同步后即可使用")


def _human_status(d: dict[str, Any]) -> str:
    lines = []
    for c in d["certificates"]:
        mark = "（当前使用）" if c["current"] else ""
        revoked = f"，吊销原因：{c['reason']}" if c["revoked"] else ""
        lines.append(f"{c['unit_name']}（{c['unit']}） 序列号 {c['serial']}  有效期 {c['not_before'][:10]} 至 "
                     f"{c['not_after'][:10]}  {c['state']}{revoked}{mark}")
    if not lines:
        lines.append("本机尚无印章证书")
    if d["pending_request"]:
        lines.append("已提交新的证书申请，等待同步取回")
    return "\n".join(lines)


def cmd_seal_status(ctx: AppContext, args: argparse.Namespace, out: Output) -> None:
    out.emit(seal_keys.status(ctx), _human_status)


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``seal request`` and ``seal status``."""
    seal = sub.add_parser("seal", parents=[common], help="单位电子印章证书").add_subparsers(dest="sub", required=True)
    seal.add_parser("request", parents=[common], help="生成印章密钥并向市级平台申请证书").set_defaults(
        run=cmd_seal_request)
    seal.add_parser("status", parents=[common], help="查看本机的印章证书").set_defaults(run=cmd_seal_status)
