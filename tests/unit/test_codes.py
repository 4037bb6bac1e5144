"""Product codes as a scanner types them: every NDC form, UPC-A, EAN-13, GTIN-14, GS1 strings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rxflow.codes import (
    GS,
    format_ndc11,
    gtin14_for,
    normalize_ndc,
    parse_scan,
    scan_matches,
    upc_for,
)
from rxflow.errors import InvalidInput

CARPROFEN_75 = "90000010175"  # starter formulary, example code
CARPROFEN_100 = "90000010110"


@pytest.mark.parametrize(
    ("typed", "ndc11"),
    [
        ("1234-5678-90", "01234567890"),  # 4-4-2
        ("12345-678-90", "12345067890"),  # 5-3-2
        ("12345-6789-0", "12345678900"),  # 5-4-1
        ("12345-6789-01", "12345678901"),  # 5-4-2, the 11-digit form with hyphens
        ("12345678901", "12345678901"),  # 11 bare digits
        (" NDC 12345-6789-01 ", "12345678901"),  # copied from a label
    ],
)
def test_every_ndc_form_normalises_to_eleven_digits(typed: str, ndc11: str) -> None:
    assert normalize_ndc(typed) == ndc11
    assert scan_matches(parse_scan(typed), ndc11)


def test_bare_ten_digits_keep_all_three_readings() -> None:
    scan = parse_scan("1234567890")
    assert scan.ndc11_candidates == {"01234567890", "12345067890", "12345678900"}
    assert all(scan_matches(scan, ndc) for ndc in scan.ndc11_candidates)


def test_normalize_ndc_refuses_ten_bare_digits_with_a_sentence() -> None:
    with pytest.raises(InvalidInput, match="could be read three ways"):
        normalize_ndc("1234567890")


@pytest.mark.parametrize("bad", ["", "12-34-56", "123456-789-0", "1234-5678-9O", "abc"])
def test_normalize_ndc_refuses_what_is_not_an_ndc(bad: str) -> None:
    with pytest.raises(InvalidInput, match="not an NDC"):
        normalize_ndc(bad)


def test_format_ndc11_prints_five_four_two() -> None:
    assert format_ndc11(CARPROFEN_75) == "90000-0101-75"


def test_upc_a_with_number_system_3_carries_the_ndc() -> None:
    upc = upc_for("0591540201")  # NDC-10 0591-5402-01 (4-4-2)
    assert upc == "305915402018"
    scan = parse_scan(upc)
    assert scan.gtin14 == "00305915402018"
    assert scan_matches(scan, "00591540201")
    assert not scan_matches(scan, "00591540202")


def test_ean13_reading_of_the_same_upc_matches_too() -> None:
    assert scan_matches(parse_scan("0305915402018"), "00591540201")


@pytest.mark.parametrize("code", ["305915402017", "00305915402017", "0305915402011"])
def test_a_wrong_check_digit_is_refused(code: str) -> None:
    with pytest.raises(InvalidInput, match="not a product code"):
        parse_scan(code)


def test_a_upc_that_is_not_a_drug_code_matches_no_product() -> None:
    scan = parse_scan("036000291452")  # a grocery UPC (number system 0)
    assert scan.ndc11_candidates == frozenset()
    assert not scan_matches(scan, CARPROFEN_75)


@pytest.mark.parametrize("indicator", ["0", "1", "5"])
def test_gtin14_at_any_packaging_level_contains_the_ndc(indicator: str) -> None:
    gtin = gtin14_for("9000010175", indicator)  # 5-4-1 reading is 90000-1017-05
    scan = parse_scan(gtin)
    assert scan.gtin14 == gtin
    assert "90000101705" in scan.ndc11_candidates


def test_gs1_human_form_gives_product_lot_and_expiry() -> None:
    gtin = gtin14_for("0591540201")
    scan = parse_scan(f"(01){gtin}(17)271231(10)LOT42")
    assert (scan.gtin14, scan.lot, scan.expires_on) == (gtin, "LOT42", date(2027, 12, 31))
    assert scan_matches(scan, "00591540201")


def test_gs1_expiry_day_00_is_the_last_day_of_the_month() -> None:
    gtin = gtin14_for("0591540201")
    assert parse_scan(f"(01){gtin}(17)280200").expires_on == date(2028, 2, 29)
    assert parse_scan(f"(01){gtin}(17)270400").expires_on == date(2027, 4, 30)


@pytest.mark.parametrize("prefix", ["", "]d2", f"]d2{GS}", GS])
def test_gs1_raw_form_with_group_separators(prefix: str) -> None:
    gtin = gtin14_for("0591540201")
    typed = f"{prefix}01{gtin}17271231" + f"10LOT9{GS}21SERIAL1\r\n"
    scan = parse_scan(typed)
    assert (scan.lot, scan.expires_on) == ("LOT9", date(2027, 12, 31))
    assert scan_matches(scan, "00591540201")
    assert scan.raw == typed


def test_gs1_raw_form_with_the_lot_last_needs_no_separator() -> None:
    gtin = gtin14_for("0591540201")
    scan = parse_scan(f"]d201{gtin}10A-77")
    assert (scan.lot, scan.expires_on) == ("A-77", None)


def test_gs1_with_a_bad_gtin_or_date_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no valid product code"):
        parse_scan("(01)00305915402017(17)271231")
    with pytest.raises(InvalidInput, match="not a real date"):
        parse_scan(f"(01){gtin14_for('0591540201')}(17)271341")


def test_the_same_drug_at_another_strength_does_not_match() -> None:
    assert not scan_matches(parse_scan("90000-0101-75"), CARPROFEN_100)
    assert not scan_matches(parse_scan(upc_for("9000010175")), CARPROFEN_100)
    assert scan_matches(parse_scan("90000-0101-75"), CARPROFEN_75)


def test_scan_matches_accepts_a_hyphenated_product_code() -> None:
    assert scan_matches(parse_scan(CARPROFEN_75), "90000-0101-75")
    assert not scan_matches(parse_scan(CARPROFEN_75), "")


@pytest.mark.parametrize("junk", ["", "   ", "hello", "12-34", "123", "1234567890123456789"])
def test_unreadable_scans_are_one_sentence(junk: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_scan(junk)
    assert refused.value.reason.endswith(".") and "\n" not in refused.value.reason


@given(ndc10=st.from_regex(r"\A[0-9]{10}\Z"), indicator=st.sampled_from("012345678"))
def test_every_carrier_of_an_ndc10_gives_the_same_readings(ndc10: str, indicator: str) -> None:
    readings = parse_scan(ndc10).ndc11_candidates
    assert parse_scan(upc_for(ndc10)).ndc11_candidates == readings
    assert parse_scan(gtin14_for(ndc10, indicator)).ndc11_candidates == readings
    gs1 = parse_scan(f"]d201{gtin14_for(ndc10, indicator)}17300615{GS}10X1")
    assert gs1.ndc11_candidates == readings and gs1.expires_on == date(2030, 6, 15)
