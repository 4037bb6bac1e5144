"""DEA registration numbers: two letters, seven digits, and the check digit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rxflow.dea import dea_number_valid, dea_problem


def test_the_worked_example_passes() -> None:
    # (1+3+5) + 2*(2+4+6) = 33; the last digit, 3, is the check digit
    assert dea_number_valid("AB1234563")
    assert dea_problem("AB1234563") is None


@pytest.mark.parametrize("number", ["ab1234563", " AB1234563 ", "A91234563"])
def test_case_spaces_and_business_registrations_are_accepted(number: str) -> None:
    assert dea_number_valid(number)


def test_a_wrong_check_digit_is_a_typo() -> None:
    assert not dea_number_valid("AB1234564")
    assert "check digit" in (dea_problem("AB1234564") or "")


@pytest.mark.parametrize("number", ["", "AB123456", "AB12345633", "1B1234563", "ABC234563"])
def test_the_wrong_shape_is_named(number: str) -> None:
    assert not dea_number_valid(number)
    assert "two letters followed by seven digits" in (dea_problem(number) or "")


@given(letters=st.from_regex(r"\A[A-Z]{2}\Z"), six=st.from_regex(r"\A[0-9]{6}\Z"))
def test_exactly_one_check_digit_is_valid(letters: str, six: str) -> None:
    d = [int(c) for c in six]
    expected = ((d[0] + d[2] + d[4]) + 2 * (d[1] + d[3] + d[5])) % 10
    valid = [c for c in range(10) if dea_number_valid(f"{letters}{six}{c}")]
    assert valid == [expected]
