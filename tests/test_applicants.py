"""Applicant files: a resident ID card holder, or a passport holder read from the chip."""

from __future__ import annotations

import pytest

from app.core.applicants import parse_applicant
from app.core.errors import UserError

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
