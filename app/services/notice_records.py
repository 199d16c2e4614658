"""A case's notices as its ``notice`` actions leave them: what was issued, signed and sealed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from app.core.licences import licence_of
from app.core.lifecycle import Action, ActionType
from app.core.notice_kinds import NoticeKind


@dataclass(frozen=True, slots=True)
class SignedCopy:
    """The notice as signed: the copy with the signature drawn in, and the signature record's blob."""

    pdf_sha256: str
    record_sha256: str
    role: str
    at: str
    #: the PAdES level of the unit's seal on the signed copy ("" when it bears none)
    level: str = ""


@dataclass(frozen=True, slots=True)
class SealedCopy:
    """The notice under the unit's e-seal (the latest version: a later timestamp or seal grows it)."""

    pdf_sha256: str
    level: str
    at: str
    #: how many seals the copy bears (a review sheet gains one per level)
    seals: int = 1


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
    sealed: SealedCopy | None = None

    @property
    def print_sha256(self) -> str:
        """The PDF to reprint: the signed copy once there is one, else the sealed one."""
        if self.signed:
            return self.signed.pdf_sha256
        return self.sealed.pdf_sha256 if self.sealed else self.pdf_sha256

    def to_dict(self) -> dict[str, Any]:
        signed = self.signed and {"pdf_sha256": self.signed.pdf_sha256, "record_sha256": self.signed.record_sha256,
                                  "role": self.signed.role, "at": self.signed.at, "level": self.signed.level}
        sealed = self.sealed and {"pdf_sha256": self.sealed.pdf_sha256, "level": self.sealed.level,
                                  "at": self.sealed.at, "seals": self.sealed.seals}
        return {"kind": str(self.kind), "pdf_sha256": self.pdf_sha256, "at": self.at, "signed": signed or None,
                "sealed": sealed or None, "action_id": self.action_id}


def fold_notices(found: list[Action]) -> list[NoticeRecord]:
    """The notices the actions add up to, in the order issued; a signing action completes its notice, a
    later seal (``over`` the copy it grew) replaces the sealed or signed copy it was added to."""
    out: list[NoticeRecord] = []
    for a in found:
        p = a.payload
        if a.type is ActionType.ISSUE:
            licence = licence_of(p)
            if licence is not None:
                level = licence.seal_level
                copy = SealedCopy(licence.pdf_sha256, level, a.at.isoformat()) if level else None
                out.append(NoticeRecord(a.id, a.case_id, NoticeKind.LICENCE, licence.pdf_sha256, a.at.isoformat(),
                                        sealed=copy))
            continue
        signed, sealed = p.get("signed"), p.get("sealed")
        if isinstance(signed, Mapping):
            for i, n in enumerate(out):
                if n.pdf_sha256 == p["pdf_sha256"] and n.signed is None:
                    out[i] = replace(n, signed=SignedCopy(str(signed["pdf_sha256"]), str(signed["record_sha256"]),
                                                          str(signed.get("role", "")), a.at.isoformat(),
                                                          str(signed.get("level", ""))))
                    break
            continue
        if isinstance(sealed, Mapping) and "over" in sealed:
            out = [_grown(n, sealed, a.at.isoformat()) if n.pdf_sha256 == p["pdf_sha256"] else n for n in out]
            continue
        copy = SealedCopy(str(sealed["pdf_sha256"]), str(sealed["level"]), a.at.isoformat(),
                          int(sealed.get("seals", 1))) if isinstance(sealed, Mapping) else None
        out.append(NoticeRecord(a.id, a.case_id, NoticeKind(p["kind"]), str(p["pdf_sha256"]), a.at.isoformat(),
                                sealed=copy))
    return out


def _grown(n: NoticeRecord, sealed: Mapping[str, Any], at: str) -> NoticeRecord:
    """``n`` after a seal or timestamp was added to one of its copies (the one named by ``over``)."""
    over, new, level = str(sealed["over"]), str(sealed["pdf_sha256"]), str(sealed["level"])
    if n.signed is not None and n.signed.pdf_sha256 == over:
        return replace(n, signed=replace(n.signed, pdf_sha256=new, level=level))
    if n.sealed is not None and n.sealed.pdf_sha256 == over:
        return replace(n, sealed=SealedCopy(new, level, at, int(sealed.get("seals", n.sealed.seals))))
    if n.sealed is None and n.signed is None and n.pdf_sha256 == over:  # the first seal on an unsealed sheet
        return replace(n, sealed=SealedCopy(new, level, at, int(sealed.get("seals", 1))))
    return n
