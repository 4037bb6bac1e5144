"""The formulary CSV: the starter file loads, round-trips, and a bad row names its line."""

from __future__ import annotations

import pytest

from rxflow.errors import InvalidInput
from rxflow.formulary import STARTER, read_csv, write_csv


def test_starter_formulary_has_about_thirty_reviewed_example_drugs() -> None:
    entries = read_csv(STARTER)
    generics = {e.generic_name for e in entries}
    assert len(generics) >= 30
    assert all("EXAMPLE DATA" in e.source for e in entries)
    carprofen = [e for e in entries if e.generic_name == "carprofen"]
    assert len(carprofen) >= 2 and all("feline" in e.flagged_species for e in carprofen)
    controlled = {e.generic_name: e.schedule for e in entries if e.schedule}
    assert controlled["tramadol"] == 4 and controlled["hydrocodone"] == 2


def test_csv_round_trips() -> None:
    entries = read_csv(STARTER)
    assert read_csv(write_csv(entries)) == entries


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("carprofen,,NSAID,75 mg,75,tablet,123,,,,,,,,", "line 2: ndc11"),
        ("carprofen,,NSAID,75 mg,75,tablet,90000010175,7,,,,,,,", "line 2: schedule"),
        ("carprofen,,NSAID,75 mg,75,tablet,90000010175,,,4-1,,,,,", "line 2: dose_canine"),
    ],
)
def test_a_bad_row_names_its_line(row: str, message: str) -> None:
    header = STARTER.read_text().splitlines()[0]
    with pytest.raises(InvalidInput, match=message):
        read_csv(f"{header}\n{row}\n")


def test_missing_columns_are_named() -> None:
    with pytest.raises(InvalidInput, match="ndc11"):
        read_csv("generic_name,strength,dosage_form\ncarprofen,75 mg,tablet\n")
