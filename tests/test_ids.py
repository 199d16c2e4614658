"""GB 11643 resident ID numbers and GB 32100 credit codes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.ids import (
    CREDIT_CHARSET,
    credit_code_check_char,
    credit_code_problem,
    resident_id_check_char,
    resident_id_problem,
)

births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31))
areas = st.sampled_from(["110105", "450403", "440305", "650102", "810000"])
serials = st.integers(min_value=0, max_value=999)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    body = f"{draw(areas)}{draw(births):%Y%m%d}{draw(serials):03d}"
    return body + resident_id_check_char(body)


@given(resident_ids())
def test_every_well_formed_id_is_accepted(number: str) -> None:
    assert resident_id_problem(number) is None
    assert resident_id_problem(number.lower()) is None  # a typed lower-case x


@given(resident_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_caught(number: str, pos: int, ch: str) -> None:
    changed = number[:pos] + ch + number[pos + 1:]
    if changed != number:
        assert resident_id_problem(changed) is not None


@given(resident_ids())
def test_swapping_two_adjacent_different_digits_is_caught(number: str) -> None:
    for i in range(16):
        a, b = number[i], number[i + 1]
        if a != b:
            swapped = number[:i] + b + a + number[i + 2:]
            assert resident_id_problem(swapped) is not None


@pytest.mark.parametrize(("number", "fragment"), [
    ("11010519491231002X", None),  # the GB 11643 example
    ("11010519491231002", "18位"),
    ("1101051949123100XX", "前17位"),
    ("110105194902300021", "出生日期"),  # 30 February
    ("990105194912310021", "地址码"),
    ("110105194912310021", "校验位"),
])
def test_examples(number: str, fragment: str | None) -> None:
    problem = resident_id_problem(number)
    assert problem is None if fragment is None else fragment in (problem or "")


def test_birth_date_in_the_future_is_refused() -> None:
    body = "45040320300101001"
    assert "出生日期" in (resident_id_problem(body + resident_id_check_char(body), dt.date(2026, 1, 1)) or "")


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    body = (draw(st.sampled_from(["11", "12", "91", "92", "52", "Y1"])) + draw(areas)
            + "".join(draw(st.lists(st.sampled_from(CREDIT_CHARSET), min_size=9, max_size=9))))
    return body + credit_code_check_char(body)


@given(credit_codes())
def test_every_well_formed_credit_code_is_accepted(code: str) -> None:
    assert credit_code_problem(code) is None


@given(credit_codes(), st.integers(min_value=8, max_value=17), st.sampled_from(CREDIT_CHARSET))
def test_credit_code_single_change_is_caught(code: str, pos: int, ch: str) -> None:
    changed = code[:pos] + ch + code[pos + 1:]
    if changed != code:
        assert credit_code_problem(changed) is not None


@pytest.mark.parametrize(("code", "fragment"), [
    ("91350100M000100Y43", None),  # a published example
    ("91350100M000100Y4", "18位"),
    ("91350100M000100Y4O", "无效字符"),
    ("91350100M000100Y44", "校验位"),
    ("91ABCDEFM000100Y43", "行政区划码"),
])
def test_credit_code_examples(code: str, fragment: str | None) -> None:
    problem = credit_code_problem(code)
    assert problem is None if fragment is None else fragment in (problem or "")
