"""Checking the seals on a PDF file: the use case behind ``python -m app documents verify`` and the
window's viewer (a thin layer over :mod:`app.documents.seal_verify`, reading the file warily)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.errors import Message, UserError
from app.documents.seal_verify import MAX_BYTES, VerificationReport, describe, verify
from app.documents.trust_material import TrustMaterial
from app.services import notices
from app.services.context import AppContext
from app.services.seal_trust import trust_material


@dataclass(frozen=True)
class SealCheck:
    """The report, and its lines in Chinese."""

    report: VerificationReport
    #: in Chinese; the window shows each in its language (``app.ui.messages.translated``)
    lines: tuple[Message, ...]


def check_file(path: Path, trust: TrustMaterial) -> SealCheck:
    """Verify every seal in the PDF at ``path`` against ``trust``; UserError if it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UserError("文件过大（{size} MB），无法校验签章", size=size // (1024 * 1024),
                            log=f"verify: {path} has {size} bytes")
        pdf = path.read_bytes()
    except FileNotFoundError:
        raise UserError("找不到文件“{path}”", path=path, log=f"verify: no file {path}") from None
    except OSError as e:
        raise UserError("无法读取“{path}”：{reason}", path=path, reason=e.strerror or e,
                        log=f"verify: {path} unreadable: {e!r}") from e
    report = verify(pdf, trust)
    return SealCheck(report, tuple(describe(report)))


def check_notice(ctx: AppContext, case_id: str, action_id: str) -> SealCheck:
    """Verify the seals on a case's notice (its copy to print: signed, sealed, grown) against the trust
    material this PC holds; UserError if the notice is not here or bears no seal."""
    record = next((n for n in notices.notices_of(ctx, case_id) if n.action_id == action_id), None)
    if record is None:
        raise UserError("找不到该通知书", log=f"notice {action_id} not in case {case_id}")
    if record.sealed is None and (record.signed is None or not record.signed.level):
        raise UserError("该{kind}未加盖电子印章", kind=record.kind, log=f"notice {action_id} unsealed")
    report = verify(notices.pdf_of(ctx, record), trust_material(ctx))
    return SealCheck(report, tuple(describe(report)))
