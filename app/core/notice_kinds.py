"""The notices a window hands the applicant (受理通知书, 一次性告知书 …) and what a notice action records.

A notice is a PDF kept with the case. Issuing one, or the applicant signing it, is a lifecycle
action of type ``notice`` that leaves the case's state as it is: the action names the PDF by its
SHA-256 (and, once signed, the signed copy and the signature record), so the notice is
hash-chained with the rest of the case and reaches the platform with it.

A notice bearing the unit's e-seal names its sealed copy too (``sealed``). A later seal on the
same notice (a timestamp added when the link is back, the next level's opinion on a review
sheet) is another ``notice`` action naming the same issued PDF and the new sealed copy, with
``over`` naming the copy it was added to: the PDF grows by incremental updates, and each
version is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from app.core.chain import is_sha256
from app.core.errors import UserError


class NoticeKind(StrEnum):
    """The kinds of notice; the value is the title printed on it."""

    ACCEPTANCE = "受理通知书"
    ONE_TIME = "一次性告知书"
    REJECTION = "不予受理通知书"
    CORRECTION = "补正通知书"
    SERVICE = "送达回证"
    RECEIPT = "材料接收清单"
    #: the sheet a forwarded case travels up with: each level's opinion, each under its unit's seal
    REVIEW_SHEET = "上报审查表"
    #: the e-licence or 批文 issued at 出件: named by the issue action; a notice action of this kind
    #: only ever grows its seal (a timestamp, B-LTA)
    LICENCE = "电子证照"

    @property
    def signer(self) -> str:
        """Who signs it at the window ("" if nobody does): the role in the signature record."""
        return _SIGNERS.get(self, "")


    @property
    def sealed(self) -> bool:
        """Whether the unit's e-seal goes on it (seed 003: 需盖章的采用电子印章)."""
        return self in _SEALED


_SIGNERS = {NoticeKind.ACCEPTANCE: "applicant", NoticeKind.SERVICE: "recipient"}
#: every kind: what the window hands out bears the unit's seal, as on paper its 业务专用章
_SEALED = frozenset(NoticeKind)
#: the most seals one copy can bear (the window's unit and the levels above it)
MAX_SEALS = 8
#: the PAdES levels a sealed copy can have reached
SEAL_LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


def parse_kind(text: str) -> NoticeKind:
    """The kind named ``text`` (its Chinese title); UserError listing the kinds otherwise."""
    try:
        return NoticeKind(text.strip())
    except ValueError:
        raise UserError("通知书种类应为：{kinds}", kinds="、".join(k.value for k in NoticeKind),
                        log=f"unknown notice kind {text[:40]!r}") from None


def check_notice_payload(payload: Mapping[str, Any]) -> None:
    """Refuse a notice action that does not name a known kind and its blobs by SHA-256."""
    bad = UserError("通知书记录格式错误", log=f"bad notice payload: {dict(payload)!r:.200}")
    if not isinstance(payload.get("kind"), str) or payload["kind"] not in NoticeKind.__members__.values():
        raise bad
    if not is_sha256(payload.get("pdf_sha256")):
        raise bad
    signed = payload.get("signed")
    if signed is not None and (not isinstance(signed, Mapping) or not is_sha256(signed.get("pdf_sha256"))
                               or not is_sha256(signed.get("record_sha256"))
                               or signed.get("level", "B-B") not in SEAL_LEVELS):
        raise bad
    sealed = payload.get("sealed")
    if payload["kind"] == NoticeKind.LICENCE and (not isinstance(sealed, Mapping) or "over" not in sealed):
        raise bad  # a licence is issued by 出件; a notice action only grows its seal
    if sealed is None:
        return
    if signed is not None or not isinstance(sealed, Mapping) or not is_sha256(sealed.get("pdf_sha256")):
        raise bad
    if sealed.get("level") not in SEAL_LEVELS or ("over" in sealed and not is_sha256(sealed["over"])):
        raise bad
    # The size lets another unit's window fetch the copy (a review sheet) before it has the bytes.
    for key, top in (("size", 2**40), ("seals", MAX_SEALS + 1)):
        value = sealed.get(key, 1 if key == "seals" else None)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < top:
            raise bad


def notice_blobs(payload: Mapping[str, Any]) -> tuple[str, ...]:
    """The blobs a (well-formed) notice action names: the PDF, once signed its signed copy and the
    signature record, once sealed its sealed copy."""
    signed, sealed = payload.get("signed"), payload.get("sealed")
    if isinstance(signed, Mapping):
        return (str(payload["pdf_sha256"]), str(signed["pdf_sha256"]), str(signed["record_sha256"]))
    if isinstance(sealed, Mapping):
        return (str(payload["pdf_sha256"]), str(sealed["pdf_sha256"]))
    return (str(payload["pdf_sha256"]),)
