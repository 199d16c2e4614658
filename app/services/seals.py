"""Putting the unit's e-seal on what the window issues: notices, the review sheet, e-licences.

One place decides how a document is sealed: with this PC's seal credentials (the platform's CA
issued them, :mod:`app.services.seal_keys`), time-stamped by the platform when the link is up
(B-T) and without a timestamp when it is not (B-B, the timestamp added at the next sync by
:mod:`app.services.seal_upgrades`). A PC without a valid seal certificate issues documents unsealed,
as before the seal existed (the log says so, and the case's 通知书 tab shows 未盖章): the clerk's
queue does not stop because a certificate is late.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from pyhanko.sign.timestamps import TimeStamper

from app.documents import pades
from app.documents.pades import PadesLevel, SealNote, SealPlacement
from app.documents.seal_credentials import SealCredentials
from app.services import seal_keys
from app.services.context import AppContext
from app.sync.timestamps import PlatformTimeStamper

log = logging.getLogger("services.seals")


@dataclass(frozen=True, slots=True)
class Sealed:
    """A document under the unit's seal, as a notice action records it."""

    pdf: bytes
    level: PadesLevel
    #: why it has no timestamp yet ("" when it has one)
    timestamp_problem: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()

    def payload(self, *, seals: int = 1, over: str = "") -> dict[str, Any]:
        """The ``sealed`` part of a notice action naming this copy."""
        out: dict[str, Any] = {"pdf_sha256": self.sha256, "level": str(self.level), "size": len(self.pdf),
                               "seals": seals}
        if over:
            out["over"] = over
        return out


def timestamper(ctx: AppContext) -> TimeStamper | None:
    """The platform's time-stamping service, or None when this unit works offline by setting."""
    url = ctx.settings.get("platform.url")
    if not url:
        return None
    return PlatformTimeStamper(url, ca_bundle=ctx.settings.get("platform.ca_bundle"))


def credentials(ctx: AppContext) -> SealCredentials | None:
    """This PC's seal for the signed-in person, or None (no valid certificate yet)."""
    creds = seal_keys.credentials(ctx)
    if creds is None:
        log.info("no valid seal certificate on this PC: issuing unsealed")
    return creds


def seal(ctx: AppContext, pdf: bytes, creds: SealCredentials, placement: SealPlacement = pades.NOTICE_SEAL, *,
         reason: str, note: SealNote | None = None, timestamp: bool = True) -> Sealed:
    """``pdf`` under the unit's seal: B-T when the platform's time-stamping service answers, else B-B.

    ``note``: words drawn with the seal (a level's opinion on the review sheet). ``timestamp=False``
    inside a write transaction: no network call may hold the store's writer.
    """
    stamper = timestamper(ctx) if timestamp else None
    result = pades.seal(pdf, creds, placement, timestamper=stamper, reason=reason,
                        location=ctx.settings.get("unit.name"), note=note)
    if result.timestamp_problem:
        log.info("sealed without a timestamp (%s); it is added at the next sync", result.timestamp_problem)
    return Sealed(result.pdf, result.level, result.timestamp_problem)
