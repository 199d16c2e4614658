"""What an 出件 (issue) action records about the e-licence or 批文 it hands out, and what a licence's
verification page may show.

At 出件 the window makes the result document: an e-licence (电子证照) for an item whose catalogue
entry has a licence block, a 批文 (approval document) otherwise. Both carry an identifier
(:mod:`app.core.licence_ids`); a 批文's type code is the issuing unit's own credit code and
:data:`APPROVAL_SEQUENCE`, since the unit itself defines its approval documents. The issue action's
payload names the document under ``licence`` (:class:`IssuedLicence`), so the PDF travels with the
action and the platform's licence library registers it when the action is accepted.

An issue action from before e-licences carries no ``licence``; the fold keeps accepting it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from app.core.chain import is_sha256
from app.core.errors import UserError
from app.core.licence_ids import LicenceId, parse
from app.core.masking import mask_id_number
from app.core.notice_kinds import SEAL_LEVELS

#: the public verification page of a licence is ``<platform>/licences/<id>``; its JSON status ``…/status``
LICENCE_PATH = "/licences"
#: the sequence a unit's own 批文 type code ends with
APPROVAL_SEQUENCE = "900"
#: the longest name or holder name taken from a payload
MAX_TEXT = 100


class LicenceKind(StrEnum):
    """An e-licence proper, or a 批文 (approval document) for an item that issues no licence."""

    LICENCE = "licence"
    APPROVAL = "approval"

    @property
    def label(self) -> str:
        return "电子证照" if self is LicenceKind.LICENCE else "批文"


def approval_type_code(issuer: str) -> str:
    """The type code of the 批文 that unit ``issuer`` (its credit code) issues."""
    return f"{issuer}{APPROVAL_SEQUENCE}"


def valid_until(issued: dt.date, years: int | None) -> dt.date | None:
    """The last day a licence issued on ``issued`` for ``years`` is valid (None: without limit).

    ``years`` later, less one day: issued 2026-12-07 for 5 years, valid to 2031-12-06; a licence
    issued on 29 February runs to 28 February.
    """
    if years is None:
        return None
    try:
        anniversary = issued.replace(year=issued.year + years)
    except ValueError:  # 29 February in a year that has none
        anniversary = issued.replace(year=issued.year + years, day=28) + dt.timedelta(days=1)
    return anniversary - dt.timedelta(days=1)


def verification_url(base_url: str, licence_id: str) -> str:
    """The public page that tells whoever scans the licence's QR code whether it is valid."""
    return f"{base_url.rstrip('/')}{LICENCE_PATH}/{quote(licence_id, safe='.')}"


def mask_name(name: str) -> str:
    """A person's name on a public page: the surname kept, the rest starred (韦秀英 → 韦**)."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def masked_holder(name: str, number: str, *, person: bool) -> str:
    """The holder as a public page names them: a person masked, an organisation (public record) as is."""
    if person:
        return f"{mask_name(name)}（{mask_id_number(number)}）"
    return f"{name}（{number}）"


@dataclass(frozen=True, slots=True)
class IssuedLicence:
    """The ``licence`` of an issue action: the document issued, its holder and validity, its PDF."""

    id: LicenceId
    kind: LicenceKind
    name: str
    holder_name: str
    #: resident ID number, passport number or credit code
    holder_id: str
    holder_is_person: bool
    valid_from: dt.date
    valid_until: dt.date | None
    pdf_sha256: str
    #: the PAdES level of the unit's seal on the PDF ("" when it went out unsealed)
    seal_level: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {"id": str(self.id), "kind": str(self.kind), "type_code": self.id.type_code, "name": self.name,
               "holder_name": self.holder_name, "holder_id": self.holder_id,
               "holder_kind": "person" if self.holder_is_person else "org",
               "valid_from": self.valid_from.isoformat(),
               "valid_until": self.valid_until.isoformat() if self.valid_until else None,
               "pdf_sha256": self.pdf_sha256}
        if self.seal_level:
            out["seal_level"] = self.seal_level
        return out


def _bad(why: str) -> UserError:
    return UserError("出件记录中的电子证照信息格式错误", log=f"bad issue licence payload: {why}")


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise _bad(f"{key} not a short text")
    return value


def _date(data: Mapping[str, Any], key: str) -> dt.date:
    value = data.get(key)
    if not isinstance(value, str) or len(value) != 10:
        raise _bad(f"{key} not a date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _bad(f"{key} not a date") from None


def licence_of(payload: Mapping[str, Any]) -> IssuedLicence | None:
    """The licence an issue action's payload names (None for an issue from before e-licences);
    UserError if it names one badly."""
    data = payload.get("licence")
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise _bad("licence not an object")
    raw_kind = data.get("kind")
    if not isinstance(raw_kind, str) or raw_kind not in set(LicenceKind):
        raise _bad("unknown kind")
    kind = LicenceKind(raw_kind)
    lid = parse(data.get("id"))
    if data.get("type_code") != lid.type_code:
        raise _bad("type_code differs from the id's")
    if kind is LicenceKind.APPROVAL and lid.type_code != approval_type_code(lid.issuer):
        raise _bad("approval whose type is not its issuer's")
    holder_kind = data.get("holder_kind")
    if holder_kind not in ("person", "org"):
        raise _bad("unknown holder kind")
    if not is_sha256(data.get("pdf_sha256")):
        raise _bad("pdf_sha256 not a SHA-256")
    start = _date(data, "valid_from")
    end = None if data.get("valid_until") is None else _date(data, "valid_until")
    if end is not None and end < start:
        raise _bad("valid_until before valid_from")
    level = data.get("seal_level", "")
    if level and level not in SEAL_LEVELS:
        raise _bad("unknown seal level")
    return IssuedLicence(lid, kind, _text(data, "name"), _text(data, "holder_name"), _text(data, "holder_id"),
                         holder_kind == "person", start, end, str(data["pdf_sha256"]), str(level))
