"""``python -m app documents verify FILE.pdf``: check the e-seals on a PDF.

Part of the command line (:mod:`app.cli`), kept apart to keep each module small. The trust roots
and CRLs come from the data folder (``--data``, :mod:`app.services.seal_trust`), or, for an
archivist with only the file, from ``--trust-root`` and ``--crl``. Reading public certificates
needs no sign-in. Exit 0 when every seal is valid, 3 when one is broken, untrusted or revoked
(or there is none), 2 on a user error.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path
from typing import Any, Protocol

from app.core.errors import UserError

#: a seal is broken, untrusted or revoked: the same code as ``verify`` for a broken chain
EXIT_INVALID = 3


class Output(Protocol):
    as_json: bool

    def emit(self, data: Any, human: Any) -> None: ...


def cmd_documents_verify(args: argparse.Namespace, out: Output) -> int:
    # Here, not at the top: pyHanko adds ~1 s to every command. It imports cryptography's DSA types
    # (to recognise DSA keys, which we never make or accept): that deprecation is not the clerk's.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "DSA is deprecated", UserWarning)
        from app.services import seal_check, seal_trust
    if args.trust_root:
        roots = tuple(c for path in args.trust_root for c in seal_trust.load_certificates(Path(path)))
        trust = seal_trust.TrustMaterial(roots, (), tuple(seal_trust.load_crl(Path(p)) for p in args.crl or []))
    else:
        trust = seal_trust.trust_material_at(Path(args.data))
        if args.crl:
            trust = trust.with_crls(seal_trust.load_crl(Path(p)) for p in args.crl)
        if not trust.roots:
            raise UserError("没有可信的根证书：请先与市级平台同步，或用 --trust-root 指定根证书文件",
                            log=f"verify: no roots under {args.data}/{seal_trust.PKI_DIR}")
    check = seal_check.check_file(Path(args.file), trust)
    out.emit({"file": str(args.file), **check.report.to_dict()}, lambda _: "\n".join(check.lines))
    return 0 if check.report.all_valid else EXIT_INVALID


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``documents verify`` as a top-level command group."""
    docs = sub.add_parser("documents", parents=[common], help="电子文件（电子印章、签名）").add_subparsers(
        dest="sub", required=True)
    v = docs.add_parser("verify", parents=[common], help="校验 PDF 文件上的电子印章（有无效印章时退出码为3）")
    v.add_argument("file", help="PDF 文件")
    v.add_argument("--trust-root", action="append", metavar="根证书文件",
                   help="受信任的根证书（PEM 或 DER，可多次）；不给出时使用数据目录中同步的证书")
    v.add_argument("--crl", action="append", metavar="吊销列表文件", help="证书吊销列表（CRL，可多次）")
    v.set_defaults(run=cmd_documents_verify, needs_ctx=False)
