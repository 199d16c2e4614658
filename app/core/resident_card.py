"""The resident ID card (第二代居民身份证) as its chip holds it, decoded and checked.

A reader (serial SAM protocol or vendor library) gives a 256-byte text block and a 1024-byte
photo. The text block is UCS-2 little-endian in fixed-width fields padded with spaces; the
card stores codes (sex, nation) and the clerk reads names. What comes off the air can be cut
short or garbled when the card moves, so a block is accepted only if every field decodes and
the ID number agrees with itself (check character) and with the birth date and sex fields.
Nothing personal goes into an error's log text: the log says which check failed, not on what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.core.errors import N_, UserError
from app.core.ids import birth_date, resident_id_check_char, resident_id_problem
from app.core.nations import NATION_CODES, NATIONS

TEXT_BLOCK_SIZE = 256
PHOTO_SIZE = 1024
LONG_TERM = "长期"

#: Field name → width in UCS-2 code units, in the order the card stores them (GA 450).
LAYOUT: tuple[tuple[str, int], ...] = (
    ("name", 15), ("sex", 1), ("nation", 2), ("birth", 8), ("address", 35), ("id_number", 18),
    ("authority", 15), ("valid_from", 8), ("valid_to", 8), ("reserve", 18),
)
# Later card types reuse this layout and mark themselves in the reserve (unit 124 of the block):
# "I" for the foreigner's permanent residence card, "J" for the HK/Macau/Taiwan residence permit.
_TYPE_UNIT_IN_RESERVE = 14
_OTHER_CARD_TYPES = {"I": N_("外国人永久居留身份证"), "J": N_("港澳台居民居住证")}

SEXES: dict[str, str] = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}
SEX_CODES: dict[str, str] = {name: code for code, name in SEXES.items()}

INCOMPLETE = N_("身份证信息读取不完整，请将证件重新放置后再读")
UNVERIFIED = N_("身份证信息校验未通过，请将证件重新放置后再读；仍不通过时请人工核验证件")


class CardDataError(UserError):
    """The card's text block could not be decoded, or its fields disagree."""


@dataclass(frozen=True, slots=True, repr=False)
class ResidentCard:
    """One resident ID card's data. ``valid_to`` is None for a card valid long-term (长期).

    ``photo_wlt`` is the chip's photo as-is: the wlt format needs a vendor decoder library.
    """

    name: str
    sex: str
    nation: str
    birth: dt.date
    address: str
    id_number: str
    authority: str
    valid_from: dt.date
    valid_to: dt.date | None
    photo_wlt: bytes = b""

    def __repr__(self) -> str:
        # A card ends up in tracebacks and debug logs; personal data must not.
        return "ResidentCard(<personal data not shown>)"

    def to_applicant(self) -> dict[str, str]:
        """The applicant-file shape of a person (see ``app.core.applicants``)."""
        return {"kind": "person", "name": self.name, "id_type": "resident_id", "id_number": self.id_number,
                "phone": "", "address": self.address}


def _fields(block: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    at = 0
    for field, width in LAYOUT:
        raw = block[at:at + 2 * width]
        at += 2 * width
        try:
            fields[field] = raw.decode("utf-16-le")
        except UnicodeDecodeError:
            raise CardDataError(INCOMPLETE, log=f"resident card text: field {field} is not valid UCS-2") from None
    return fields


def _text(fields: dict[str, str], field: str) -> str:
    # Padding is spaces; some readers leave NULs after a short field.
    value = fields[field].rstrip(" \x00")
    if not value or not value.isprintable():
        raise CardDataError(INCOMPLETE, log=f"resident card text: field {field} empty or has control characters")
    return value


def _date(value: str, field: str) -> dt.date:
    if len(value) == 8 and value.isascii() and value.isdigit():
        try:
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            pass
    raise CardDataError(INCOMPLETE, log=f"resident card text: field {field} is not a YYYYMMDD date")


def decode_text_block(block: bytes, photo_wlt: bytes = b"", *, today: dt.date | None = None) -> ResidentCard:
    """The card in ``block`` (the chip's 256-byte text); :class:`CardDataError` if it is not a sound one.

    ``today`` lets the ID number check refuse a birth date in the future.
    """
    if len(block) != TEXT_BLOCK_SIZE:
        raise CardDataError(INCOMPLETE, log=f"resident card text block has {len(block)} bytes, not 256")
    fields = _fields(block)
    kind = fields["reserve"][_TYPE_UNIT_IN_RESERVE]
    if kind in _OTHER_CARD_TYPES:
        raise CardDataError("这张证件是{other_card_types}，目前只能读取居民身份证，请手工录入申请人信息",
                            other_card_types=_OTHER_CARD_TYPES[kind],
                            log=f"card type {kind!r} is not a resident ID card")
    sex = SEXES.get(_text(fields, "sex"))
    nation = NATIONS.get(_text(fields, "nation"))
    if sex is None or nation is None:
        raise CardDataError(INCOMPLETE, log="resident card text: unknown sex or nation code")
    valid_to_text = _text(fields, "valid_to")
    card = ResidentCard(
        name=_text(fields, "name"), sex=sex, nation=nation, birth=_date(_text(fields, "birth"), "birth"),
        address=_text(fields, "address"), id_number=_text(fields, "id_number").upper(),
        authority=_text(fields, "authority"), valid_from=_date(_text(fields, "valid_from"), "valid_from"),
        valid_to=None if valid_to_text == LONG_TERM else _date(valid_to_text, "valid_to"), photo_wlt=photo_wlt,
    )
    if card.valid_to is not None and card.valid_to < card.valid_from:
        raise CardDataError(INCOMPLETE, log="resident card text: valid_to before valid_from")
    _check_id_number(card, today)
    return card


def _check_id_number(card: ResidentCard, today: dt.date | None) -> None:
    """The number must be valid, and say the same birth date and sex as the card's fields."""
    if resident_id_problem(card.id_number, today) is not None:
        n = card.id_number
        fixed = n[:17] + resident_id_check_char(n[:17]) if len(n) == 18 and n[:17].isdigit() else ""
        wrong_check = bool(fixed) and resident_id_problem(fixed, today) is None
        raise CardDataError(UNVERIFIED, log="resident card id number failed validation: "
                            + ("wrong check character" if wrong_check else "malformed"))
    if birth_date(card.id_number) != card.birth:
        raise CardDataError(UNVERIFIED, log="resident card birth date field disagrees with the id number")
    male = int(card.id_number[16]) % 2 == 1
    if card.sex in ("男", "女") and male != (card.sex == "男"):
        raise CardDataError(UNVERIFIED, log="resident card sex field disagrees with the id number")


def _pad(value: str, width: int, field: str) -> bytes:
    raw = value.encode("utf-16-le")
    if len(raw) > 2 * width:
        raise ValueError(f"{field} is longer than its {width} code units")
    return raw + " ".encode("utf-16-le") * (width - len(raw) // 2)


def encode_text_block(card: ResidentCard) -> bytes:
    """The 256-byte text block a chip would hold for ``card`` (for the simulator and tests)."""
    values = {
        "name": card.name, "sex": SEX_CODES[card.sex], "nation": NATION_CODES[card.nation],
        "birth": f"{card.birth:%Y%m%d}", "address": card.address, "id_number": card.id_number,
        "authority": card.authority, "valid_from": f"{card.valid_from:%Y%m%d}",
        "valid_to": LONG_TERM if card.valid_to is None else f"{card.valid_to:%Y%m%d}", "reserve": "",
    }
    return b"".join(_pad(values[field], width, field) for field, width in LAYOUT)
