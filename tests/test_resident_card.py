"""Decoding the resident ID card's text block: every field, nations, 长期, and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.applicants import parse_person
from app.core.ids import resident_id_check_char
from app.core.nations import NATIONS
from app.core.resident_card import (
    INCOMPLETE,
    UNVERIFIED,
    CardDataError,
    ResidentCard,
    decode_text_block,
    encode_text_block,
)

ADDRESS = "广西壮族自治区梧州市长洲区新兴二路18号"


def raw_block(*, name: str = "覃美玲", sex: str = "2", nation: str = "08", birth: str = "19880512",
              address: str = ADDRESS, number: str | None = None, authority: str = "梧州市公安局长洲分局",
              valid_from: str = "20180301", valid_to: str = "20380301", reserve: str = "") -> bytes:
    """A text block built by hand (not by ``encode_text_block``), the way a chip lays it out."""
    if number is None:
        body = f"450403{birth}02{'2' if sex == '2' else '1'}"
        number = body + resident_id_check_char(body)
    text = (name.ljust(15) + sex + nation + birth + address.ljust(35) + number + authority.ljust(15)
            + valid_from + valid_to.ljust(8) + reserve.ljust(18))
    return text.encode("utf-16-le")


def test_every_field_is_decoded_and_padding_stripped() -> None:
    photo = bytes(range(256)) * 4
    card = decode_text_block(raw_block(), photo)
    assert card.name == "覃美玲"
    assert card.sex == "女"
    assert card.nation == "壮族"
    assert card.birth == dt.date(1988, 5, 12)
    assert card.address == ADDRESS
    assert card.id_number == "45040319880512022" + resident_id_check_char("45040319880512022")
    assert card.authority == "梧州市公安局长洲分局"
    assert card.valid_from == dt.date(2018, 3, 1)
    assert card.valid_to == dt.date(2038, 3, 1)
    assert card.photo_wlt == photo


def test_long_term_card_has_no_end_date() -> None:
    card = decode_text_block(raw_block(valid_from="20200101", valid_to="长期"))
    assert card.valid_to is None
    assert encode_text_block(card) == raw_block(valid_from="20200101", valid_to="长期")


@pytest.mark.parametrize(("code", "name"), [("01", "汉族"), ("05", "维吾尔族"), ("29", "柯尔克孜族"),
                                            ("56", "基诺族"), ("97", "其他"), ("98", "外国血统中国籍人士")])
def test_nation_codes_give_names(code: str, name: str) -> None:
    assert decode_text_block(raw_block(nation=code)).nation == name


def test_the_nation_table_is_complete() -> None:
    assert [f"{n:02d}" for n in range(1, 57)] == [c for c in NATIONS if c not in ("97", "98")]
    assert len(set(NATIONS.values())) == 58


@pytest.mark.parametrize(("sex", "word"), [("1", "男"), ("2", "女")])
def test_sex_codes(sex: str, word: str) -> None:
    assert decode_text_block(raw_block(sex=sex)).sex == word


def test_lowercase_x_check_character_is_normalised() -> None:
    number = next(n for n in (f"45040319880512{s:03d}" for s in range(2, 1000, 2))
                  if resident_id_check_char(n) == "X") + "X"
    card = decode_text_block(raw_block(number=number.lower()))
    assert card.id_number == number


def test_wrong_check_character_is_refused_without_personal_data_in_the_log() -> None:
    good = decode_text_block(raw_block()).id_number
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(CardDataError) as caught:
        decode_text_block(raw_block(number=wrong))
    assert caught.value.message == UNVERIFIED
    assert "check character" in caught.value.log
    assert wrong not in caught.value.log and wrong[:6] not in caught.value.log
    assert "覃" not in caught.value.log


def test_birth_date_that_disagrees_with_the_number_is_refused() -> None:
    number = decode_text_block(raw_block()).id_number  # born 1988-05-12
    with pytest.raises(CardDataError) as caught:
        decode_text_block(raw_block(birth="19880513", number=number))
    assert caught.value.message == UNVERIFIED
    assert "birth" in caught.value.log


def test_sex_that_disagrees_with_the_number_is_refused() -> None:
    woman = decode_text_block(raw_block(sex="2")).id_number  # 17th digit even
    with pytest.raises(CardDataError) as caught:
        decode_text_block(raw_block(sex="1", number=woman))
    assert caught.value.message == UNVERIFIED
    assert "sex" in caught.value.log


@pytest.mark.parametrize("block", [
    raw_block()[:200],  # cut short
    raw_block() + b"\x00\x00",
    b"\xff" * 256,
    bytes(256),
    raw_block(nation="60"),
    raw_block(sex="5"),
    raw_block(birth="19881332"),
    raw_block(valid_to="2010XX01"),
    raw_block(name=""),
    raw_block(valid_from="20180301", valid_to="20080301"),
    raw_block()[:30] + b"\x00\xd8" + raw_block()[32:],  # a lone surrogate in the sex field
], ids=["short", "long", "ff", "zeros", "nation", "sex", "birth", "valid-to", "no-name", "ends-before-start",
        "surrogate"])
def test_garbled_blocks_are_refused_with_a_clear_message(block: bytes) -> None:
    with pytest.raises(CardDataError) as caught:
        decode_text_block(block)
    assert caught.value.message == INCOMPLETE
    assert "覃美玲" not in caught.value.log and ADDRESS not in caught.value.log


def test_trailing_nul_padding_is_accepted() -> None:
    block = bytearray(raw_block())
    block[6:30] = bytes(24)  # the name field after 覃美玲, padded with NULs instead of spaces
    assert decode_text_block(bytes(block)).name == "覃美玲"


def test_a_birth_in_the_future_is_refused_when_today_is_known() -> None:
    block = raw_block()
    decode_text_block(block, today=dt.date(2024, 1, 1))
    with pytest.raises(CardDataError):
        decode_text_block(block, today=dt.date(1988, 5, 11))


def test_other_card_types_are_named_in_the_refusal() -> None:
    with pytest.raises(CardDataError) as caught:
        decode_text_block(raw_block(reserve=" " * 14 + "I"))
    assert "外国人永久居留身份证" in caught.value.message
    assert "手工录入" in caught.value.message


def test_to_applicant_is_a_valid_applicant_file() -> None:
    card = decode_text_block(raw_block())
    applicant = card.to_applicant()
    assert applicant == {"kind": "person", "name": "覃美玲", "id_type": "resident_id",
                         "id_number": card.id_number, "phone": "", "address": ADDRESS}
    assert parse_person(applicant).id_number == card.id_number


def test_repr_shows_no_personal_data() -> None:
    card = decode_text_block(raw_block())
    for text in (repr(card), str(card)):
        assert "覃美玲" not in text and card.id_number not in text and ADDRESS not in text


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_ADDRESS_CHARS = st.one_of(_CJK, st.sampled_from("0123456789-号栋"))


@st.composite
def cards(draw: st.DrawFn) -> ResidentCard:
    birth = draw(st.dates(dt.date(1900, 1, 1), dt.date(2024, 12, 31)))
    sex = draw(st.sampled_from(["男", "女"]))
    last_digits = [1, 3, 5, 7, 9] if sex == "男" else [0, 2, 4, 6, 8]
    sequence = draw(st.integers(0, 99)) * 10 + draw(st.sampled_from(last_digits))
    region = draw(st.sampled_from(["110105", "450403", "650102", "540102", "820000"]))
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    valid_from = draw(st.dates(dt.date(2004, 1, 1), dt.date(2030, 12, 31)))
    valid_to = draw(st.one_of(st.none(), st.dates(valid_from, dt.date(2060, 12, 31))))
    return ResidentCard(
        name=draw(st.text(_CJK, min_size=1, max_size=15)), sex=sex,
        nation=draw(st.sampled_from(sorted(NATIONS.values()))),
        birth=birth, address=draw(st.text(_ADDRESS_CHARS, min_size=1, max_size=35)),
        id_number=body + resident_id_check_char(body), authority=draw(st.text(_CJK, min_size=1, max_size=15)),
        valid_from=valid_from, valid_to=valid_to, photo_wlt=draw(st.binary(min_size=1024, max_size=1024)))


@given(cards())
def test_encode_then_decode_gives_the_same_card(card: ResidentCard) -> None:
    block = encode_text_block(card)
    assert len(block) == 256
    assert decode_text_block(block, card.photo_wlt) == card
