"""A case's notices as its ``notice`` actions leave them: what was issued, and what was signed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from app.core.lifecycle import Action
from app.core.notice_kinds import NoticeKind


@dataclass(frozen=True, slots=True)
class SignedCopy:
    """The notice as signed: the copy with the signature drawn in, and the signature record's blob."""

    pdf_sha256: str
    record_sha256: str
    role: str
    at: str


@dataclass(frozen=True, slots=True)
class NoticeRecord:
    """One notice of a case, as its actions leave it."""

    action_id: str
    case_id: str
    kind: NoticeKind
    #: the notice as issued (what a signature is bound to)
    pdf_sha256: str
    at: str
    signed: SignedCopy | None = None

    @property
    def print_sha256(self) -> str:
        """The PDF to reprint: the signed copy once there is one."""
        return self.signed.pdf_sha256 if self.signed else self.pdf_sha256

    def to_dict(self) -> dict[str, Any]:
        signed = self.signed and {"pdf_sha256": self.signed.pdf_sha256, "record_sha256": self.signed.record_sha256,
                                  "role": self.signed.role, "at": self.signed.at}
        return {"kind": str(self.kind), "pdf_sha256": self.pdf_sha256, "at": self.at, "signed": signed or None,
                "action_id": self.action_id}


def fold_notices(found: list[Action]) -> list[NoticeRecord]:
    """The notices the actions add up to, in the order issued; a signing action completes its notice."""
    out: list[NoticeRecord] = []
    for a in found:
        p = a.payload
        signed = p.get("signed")
        if isinstance(signed, Mapping):
            for i, n in enumerate(out):
                if n.pdf_sha256 == p["pdf_sha256"] and n.signed is None:
                    out[i] = replace(n, signed=SignedCopy(str(signed["pdf_sha256"]), str(signed["record_sha256"]),
                                                          str(signed.get("role", "")), a.at.isoformat()))
                    break
            continue
        out.append(NoticeRecord(a.id, a.case_id, NoticeKind(p["kind"]), str(p["pdf_sha256"]), a.at.isoformat()))
    return out
