"""Applicant files: a resident ID card holder, or a passport holder read from the chip."""

from __future__ import annotations

import pytest

from app.core.applicants import parse_applicant
from app.core.errors import UserError
from app.core.ids import phone_problem

PASSPORT_HOLDER = {"kind": "person", "name": "ERIKSSON, ANNA MARIA", "id_type": "passport", "id_number": "L898902C"}


def test_a_passport_holder_is_an_applicant() -> None:
    person = parse_applicant(PASSPORT_HOLDER)
    assert (person.id_type, person.id_number) == ("passport", "L898902C")


@pytest.mark.parametrize("number", ["L89", "L898902C<", "护照12345", "A" * 21])
def test_a_malformed_passport_number_is_refused_in_chinese(number: str) -> None:
    with pytest.raises(UserError, match="护照号码应为5至20位字母或数字"):
        parse_applicant({**PASSPORT_HOLDER, "id_number": number})


def test_a_passport_number_is_not_checked_as_a_resident_id_and_vice_versa() -> None:
    with pytest.raises(UserError, match="身份证"):
        parse_applicant({**PASSPORT_HOLDER, "id_type": "resident_id"})
    with pytest.raises(UserError, match="暂不支持证件类型“driving_licence”"):
        parse_applicant({**PASSPORT_HOLDER, "id_type": "driving_licence"})


@pytest.mark.parametrize("phone", ["13807740001", "138 0774 0001", "+86 138-0774-0001", "0774-3822345",
                                   "(010)62345678", "021-62345678转808", "3822345", "19912345678"])
def test_phone_numbers_a_clerk_can_call_back_pass(phone: str) -> None:
    assert phone_problem(phone) is None


REFUSED = [("123", "11位"), ("4567", "11位手机号码"), ("1380774000", "11位"), ("12807740001", "第2位"),
           ("0774-38223", "区号"), ("138O7740001", "数字"), ("0774-3822345转ab", "分机")]


@pytest.mark.parametrize(("phone", "says"), REFUSED)
def test_phone_numbers_that_cannot_be_called_are_refused_with_why(phone: str, says: str) -> None:
    problem = phone_problem(phone)
    assert problem is not None and says in problem


def test_a_field_is_checked_as_it_is_typed_and_whole_when_the_clerk_leaves_it() -> None:
    from app.core.applicants import field_problem

    assert field_problem("id_number", "110105194912", complete=False) is None  # still typing
    assert field_problem("id_number", "110105194912", complete=True) is not None
    assert "校验" in (field_problem("id_number", "110105194912310021") or "")
    assert field_problem("id_number", "11010519491231002x") is None
    assert field_problem("phone", "138", complete=False) is None
    assert field_problem("phone", "138a", complete=False) is not None
    assert field_problem("phone", "123") is not None and field_problem("phone", "0774-3822345") is None
    assert field_problem("credit_code", "91450", complete=False) is None
    assert field_problem("credit_code", "91O", complete=False) is not None  # the letter O is never used
    assert field_problem("credit_code", "91AB", complete=False) is not None
    assert field_problem("name", "韦秀英") is None
