"""Product codes as a scanner types them: every NDC form, UPC-A, GTIN-14 and GS1 strings."""

from __future__ import annotations

from datetime import date

import pytest

from rxflow.codes import format_ndc11, normalize_ndc, parse_scan, scan_matches, upc_for
from rxflow.errors import InvalidInput


@pytest.mark.parametrize(
    ("typed", "ndc11"),
    [
        ("1234-5678-90", "01234567890"),  # 4-4-2
        ("12345-678-90", "12345067890"),  # 5-3-2
        ("12345-6789-0", "12345678900"),  # 5-4-1
        ("12345-6789-01", "12345678901"),  # 5-4-2
        ("12345678901", "12345678901"),  # 11 digits
    ],
)
def test_every_ndc_form_normalises_to_eleven_digits(typed: str, ndc11: str) -> None:
    assert normalize_ndc(typed) == ndc11
    assert scan_matches(parse_scan(typed), ndc11)


def test_bare_ten_digits_match_any_of_their_three_readings() -> None:
    scan = parse_scan("1234567890")
    assert scan.ndc11_candidates == {"01234567890", "12345067890", "12345678900"}


def test_upc_a_with_number_system_3_carries_the_ndc() -> None:
    upc = upc_for("0591540201")
    assert upc == "305915402018"
    assert scan_matches(parse_scan(upc), "00591540201")
    assert not scan_matches(parse_scan(upc), "00591540202")


def test_a_upc_with_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not a product code"):
        parse_scan("305915402017")


def test_gtin14_and_gs1_element_strings_give_lot_and_expiry() -> None:
    gtin = "00" + upc_for("0591540201")
    human = parse_scan(f"(01){gtin}(17)271200(10)LOT42")
    assert human.gtin14 == gtin and human.lot == "LOT42"
    assert human.expires_on == date(2027, 12, 31)  # day 00 is the month's last day
    raw = parse_scan(f"]d201{gtin}17271231" + "10LOT9\x1d21SERIAL1")
    assert (raw.lot, raw.expires_on) == ("LOT9", date(2027, 12, 31))
    assert scan_matches(raw, "00591540201") and scan_matches(parse_scan(gtin), "00591540201")


def test_the_same_drug_at_another_strength_does_not_match() -> None:
    assert not scan_matches(parse_scan("90000-0101-75"), "90000010110")


@pytest.mark.parametrize("junk", ["", "   ", "hello", "12-34", "123"])
def test_unreadable_scans_are_a_sentence(junk: str) -> None:
    with pytest.raises(InvalidInput):
        parse_scan(junk)


def test_format_ndc11() -> None:
    assert format_ndc11("90000010175") == "90000-0101-75"
