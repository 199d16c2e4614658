"""Machine readable zones: check digits, TD1/TD3 parsing, the BAC key a clerk types."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.errors import UserError
from app.core.mrz import (
    BacKey,
    bac_key_from_fields,
    birth_date,
    check_digit,
    expiry_date,
    mrz_information,
    parse_bac_key,
    parse_mrz,
)

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C<3UTO6908061F9406236ZE184226B<<<<<14")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
TODAY = dt.date(2025, 6, 1)


def _replace(line: str, index: int, char: str) -> str:
    return line[:index] + char + line[index + 1:]


@pytest.mark.parametrize(("field", "digit"), [("L898902C<", "3"), ("690806", "1"), ("940623", "6"),
                                              ("ZE184226B<<<<<", "1"), ("D23145890", "7"), ("520727", "3"),
                                              ("<<<<<<", "0")])
def test_check_digits_of_icao_examples(field: str, digit: str) -> None:
    assert check_digit(field) == digit


def test_check_digit_refuses_other_characters() -> None:
    with pytest.raises(UserError, match="大写字母"):
        check_digit("l898902c")


def test_td3_specimen() -> None:
    mrz = parse_mrz("\n".join(TD3), TODAY)
    assert (mrz.format, mrz.document_code, mrz.issuing_state) == ("TD3", "P", "UTO")
    assert (mrz.surname, mrz.given_names, mrz.document_number) == ("ERIKSSON", "ANNA MARIA", "L898902C")
    assert (mrz.nationality, mrz.sex, mrz.optional_data) == ("UTO", "F", "ZE184226B")
    assert (mrz.birth_date, mrz.expiry_date) == (dt.date(1969, 8, 6), dt.date(1994, 6, 23))
    assert mrz.bac_key() == BacKey("L898902C", "690806", "940623")


def test_td1_specimen() -> None:
    mrz = parse_mrz("\n".join(TD1), TODAY)
    assert (mrz.format, mrz.document_code, mrz.document_number) == ("TD1", "I", "D23145890")
    assert (mrz.surname, mrz.given_names, mrz.nationality) == ("ERIKSSON", "ANNA MARIA", "UTO")
    assert (mrz.birth_date, mrz.sex, mrz.expiry_date) == (dt.date(1974, 8, 12), "F", dt.date(2012, 4, 15))


def test_td1_document_number_longer_than_nine_characters() -> None:
    number = "D23145890734"
    top = f"I<UTO{number[:9]}<{number[9:]}{check_digit(number)}".ljust(30, "<")
    middle = "7408122F1204159UTO<<<<<<<<<<<"
    composite = check_digit(top[5:30] + middle[0:7] + middle[8:15] + middle[18:29])
    mrz = parse_mrz("\n".join((top, middle + composite, TD1[2])), TODAY)
    assert mrz.document_number == number
    assert mrz.bac_key().mrz_information() == f"{number}{check_digit(number)}74081221204159"


def test_lower_case_and_spaces_are_accepted() -> None:
    assert parse_mrz(f"  {TD3[0].lower()}\n{TD3[1][:20]} {TD3[1][20:]}  \n", TODAY).surname == "ERIKSSON"


@pytest.mark.parametrize(("line", "index", "label"), [(1, 9, "证件号码"), (1, 19, "出生日期"), (1, 27, "有效期"),
                                                      (1, 42, "个人号码"), (1, 43, "总校验位"),
                                                      (1, 0, "证件号码"), (1, 15, "出生日期")])
def test_td3_every_check_digit_is_verified(line: int, index: int, label: str) -> None:
    lines = list(TD3)
    original = lines[line][index]
    lines[line] = _replace(lines[line], index, "7" if original != "7" else "8")
    with pytest.raises(UserError, match=label):
        parse_mrz("\n".join(lines), TODAY)


@pytest.mark.parametrize(("line", "index", "label"), [(0, 14, "证件号码"), (1, 6, "出生日期"), (1, 14, "有效期"),
                                                      (1, 29, "总校验位"), (0, 20, "总校验位")])
def test_td1_every_check_digit_is_verified(line: int, index: int, label: str) -> None:
    lines = list(TD1)
    lines[line] = _replace(lines[line], index, "1" if lines[line][index] != "1" else "2")
    with pytest.raises(UserError, match=label):
        parse_mrz("\n".join(lines), TODAY)


def test_empty_personal_number_may_have_filler_check_digit() -> None:
    line = "L898902C<3UTO6908061F9406236<<<<<<<<<<<<<<<"
    line += check_digit(line[0:10] + line[13:20] + line[21:43])
    assert parse_mrz(f"{TD3[0]}\n{line}", TODAY).optional_data == ""


@pytest.mark.parametrize("text", [TD3[0], TD3[0] + "\n" + TD3[1][:43], "\n".join(TD1[:2]), ""])
def test_wrong_shape_is_explained(text: str) -> None:
    with pytest.raises(UserError, match="44个字符"):
        parse_mrz(text, TODAY)


def test_characters_outside_the_mrz_set_are_refused() -> None:
    with pytest.raises(UserError, match="只能包含"):
        parse_mrz(TD3[0] + "\n" + _replace(TD3[1], 30, "#"), TODAY)


def test_impossible_date_with_matching_check_digit_is_refused() -> None:
    line = _replace(_replace(TD3[1], 15, "1"), 16, "3")  # 691306
    line = _replace(line, 19, check_digit(line[13:19]))
    line = _replace(line, 43, check_digit(line[0:10] + line[13:20] + line[21:43]))
    with pytest.raises(UserError, match="不是有效日期"):
        parse_mrz(f"{TD3[0]}\n{line}", TODAY)


def test_centuries() -> None:
    assert birth_date("150101", TODAY) == dt.date(2015, 1, 1)
    assert birth_date("251231", TODAY) == dt.date(1925, 12, 31)  # in this century it lies ahead
    assert expiry_date("300101", TODAY) == dt.date(2030, 1, 1)
    assert expiry_date("940623", TODAY) == dt.date(1994, 6, 23)


def test_mrz_information_of_the_worked_example() -> None:
    assert mrz_information("L898902C", "690806", "940623") == "L898902C<369080619406236"
    assert BacKey("L898902C", "690806", "940623").mrz_information() == "L898902C<369080619406236"


@pytest.mark.parametrize("typed", [
    TD3[1], TD3[1].lower(), f" {TD3[1][:10]} {TD3[1][10:]} ", "\n".join(TD3),
    "L898902C 690806 940623", "l898902c, 1969-08-06, 1994-06-23", "L898902C<  19690806  940623",
    "L898902C 1969年08月06日 940623",
])
def test_bac_key_from_what_clerks_type(typed: str) -> None:
    assert parse_bac_key(typed, TODAY) == BacKey("L898902C", "690806", "940623")


def test_typo_in_the_typed_line_names_the_field() -> None:
    with pytest.raises(UserError, match="出生日期"):
        parse_bac_key(_replace(TD3[1], 14, "8"), TODAY)


@pytest.mark.parametrize("typed", ["L898902C<3UTO690806", "L898902C 690806", "L898902C 690806 940623 X"])
def test_incomplete_key_input_is_explained(typed: str) -> None:
    with pytest.raises(UserError, match="证件号码、出生日期和有效期"):
        parse_bac_key(typed, TODAY)


@pytest.mark.parametrize(("number", "birth", "expiry", "message"), [
    ("L898-902C", "690806", "940623", "证件号码只能包含"),
    ("L898902C", "691306", "940623", "不是有效日期"),
    ("L898902C", "6908", "940623", "出生日期应写成"),
    ("L898902C", "690806", "94-06", "有效期应写成"),
])
def test_bad_fields_are_explained(number: str, birth: str, expiry: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        bac_key_from_fields(number, birth, expiry)


def test_passport_holder_as_applicant_form() -> None:
    mrz = parse_mrz("\n".join(TD3), TODAY)
    assert mrz.applicant() == {"kind": "person", "name": "ERIKSSON, ANNA MARIA", "id_type": "passport",
                               "id_number": "L898902C", "phone": "", "address": ""}
