"""The formulary CSV: the starter file loads, round-trips, and a bad row names its row number."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rxflow.checklists.facts import SPECIES
from rxflow.errors import InvalidInput
from rxflow.formulary import STARTER, FormularyEntry, read_csv, write_csv

HEADER = (
    "generic_name,strength,strength_mg_per_unit,dosage_form,ndc11,schedule,dose_canine_mg_per_kg"
)
GOOD = "carprofen,75 mg,75,chewable,90000-0101-75,,2-4.4"


def starter() -> list[FormularyEntry]:
    return read_csv(STARTER)


def test_the_starter_formulary_holds_about_thirty_drugs_marked_as_example_data() -> None:
    entries = starter()
    assert len({e.generic_name for e in entries}) >= 30
    assert all("EXAMPLE DATA" in e.review_note and "review" in e.source for e in entries)
    assert all(e.missed_dose == "" for e in entries)  # left empty rather than invented


def test_the_starter_formulary_covers_the_desk_s_everyday_drugs() -> None:
    names = {e.generic_name for e in starter()}
    for drug in ("carprofen", "meloxicam", "amoxicillin-clavulanate", "methimazole",
                 "pimobendan", "trazodone", "gabapentin", "oclacitinib", "maropitant",
                 "selamectin", "tramadol", "buprenorphine", "hydrocodone"):  # fmt: skip
        assert drug in names


def test_carprofen_comes_in_three_strengths_each_with_its_own_code() -> None:
    carprofen = [e for e in starter() if e.generic_name == "carprofen"]
    assert {e.strength for e in carprofen} == {"25 mg", "75 mg", "100 mg"}
    assert len({e.ndc11 for e in carprofen}) == 3
    assert all(e.flagged_species == ("feline",) for e in carprofen)


def test_nsaids_other_than_the_feline_labelled_ones_are_flagged_for_cats() -> None:
    nsaids = {e.generic_name: e for e in starter() if e.drug_class == "NSAID"}
    assert "feline" not in nsaids["meloxicam"].flagged_species
    assert "feline" not in nsaids["robenacoxib"].flagged_species
    assert "feline" in nsaids["carprofen"].flagged_species


def test_controlled_drugs_carry_their_federal_schedule() -> None:
    schedules = {e.generic_name: e.schedule for e in starter()}
    assert schedules["hydrocodone"] == 2 and schedules["buprenorphine"] == 3
    assert schedules["tramadol"] == schedules["phenobarbital"] == schedules["diazepam"] == 4
    assert schedules["gabapentin"] is None  # federal; states override in practice settings


def test_the_starter_file_is_exactly_what_write_csv_writes() -> None:
    assert write_csv(starter()) == STARTER.read_text(encoding="utf-8")


def test_read_csv_takes_a_path_its_name_or_its_text(tmp_path: Path) -> None:
    path = tmp_path / "formulary.csv"
    path.write_text(f"\ufeff{HEADER}\n{GOOD}\n", encoding="utf-8")  # as a spreadsheet saves it
    assert read_csv(path) == read_csv(str(path)) == read_csv(f"{HEADER}\n{GOOD}\n")


def test_spreadsheet_friendly_spellings_are_read() -> None:
    (entry,) = read_csv(f"{HEADER},flagged_species\nTramadol,50 mg,50,tablet,90000080150,C-IV,"
                        "2–5,Cat; dog\n")  # fmt: skip
    assert entry.generic_name == "tramadol" and entry.schedule == 4
    assert entry.ndc11 == "90000080150" and entry.dose_ranges == {"canine": (2.0, 5.0)}
    assert entry.flagged_species == ("feline", "canine")


def test_blank_lines_are_skipped() -> None:
    assert len(read_csv(f"{HEADER}\n{GOOD}\n,,,,,,\n\n")) == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("carprofen,75 mg,75,chewable,123,,2-4.4", "row 3: ndc11: '123' is not an NDC"),
        ("carprofen,75 mg,75,chewable,90000-0101-75,7,2-4.4", "row 3: schedule: '7' is not a DEA"),
        ("carprofen,75 mg,75,chewable,90000-0101-75,,4-1", "row 3: dose_canine_mg_per_kg"),
        ("carprofen,75 mg,lots,chewable,90000-0101-75,,", "row 3: strength_mg_per_unit: 'lots'"),
        ("carprofen,75 mg,-5,chewable,90000-0101-75,,", "row 3: strength_mg_per_unit"),
        (",75 mg,75,chewable,90000-0101-75,,", "row 3: generic_name must not be empty"),
    ],
)
def test_a_bad_row_names_its_row_number(row: str, message: str) -> None:
    good_other = "meloxicam,1.5 mg/mL,1.5,mL,90000-0102-15,,0.05-0.2"
    with pytest.raises(InvalidInput, match=message) as refused:
        read_csv(f"{HEADER}\n{good_other}\n{row}\n")
    assert "\n" not in refused.value.reason


def test_a_duplicate_code_names_both_rows() -> None:
    with pytest.raises(InvalidInput, match="row 3: NDC 90000-0101-75 is already on row 2"):
        read_csv(f"{HEADER}\n{GOOD}\n{GOOD}\n")


def test_unknown_species_in_flags_is_refused() -> None:
    with pytest.raises(InvalidInput, match="row 2: flagged_species: unknown species unicorn"):
        read_csv(f"{HEADER},flagged_species\n{GOOD},unicorn\n")


def test_missing_and_unknown_columns_are_named() -> None:
    with pytest.raises(InvalidInput, match="lacks the column.*ndc11"):
        read_csv("generic_name,strength,dosage_form\ncarprofen,75 mg,tablet\n")
    with pytest.raises(InvalidInput, match="unknown column.*dose_canin_mg_per_kg"):
        read_csv(f"{HEADER},dose_canin_mg_per_kg\n{GOOD},1-2\n")


_positive = st.floats(min_value=1e-6, max_value=1e5, allow_nan=False, allow_infinity=False)
_printable = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
_text = st.text(_printable, max_size=30)


@st.composite
def entries(draw: st.DrawFn) -> FormularyEntry:
    ranges = {}
    for species in draw(st.lists(st.sampled_from(SPECIES), unique=True, max_size=3)):
        low, high = sorted((draw(_positive), draw(_positive)))
        ranges[species] = (low, high)
    return FormularyEntry(
        generic_name=draw(st.from_regex(r"\A[a-z][a-z -]{1,20}[a-z]\Z")),
        brand_name=draw(_text).strip(),
        drug_class=draw(_text).strip(),
        strength=draw(st.from_regex(r"\A[0-9]{1,3} mg\Z")),
        strength_mg_per_unit=draw(st.none() | _positive),
        dosage_form=draw(st.sampled_from(["tablet", "capsule", "mL", "chewable"])),
        ndc11=draw(st.from_regex(r"\A[0-9]{11}\Z")),
        schedule=draw(st.none() | st.integers(2, 5)),
        flagged_species=tuple(draw(st.lists(st.sampled_from(SPECIES), unique=True, max_size=2))),
        dose_ranges=ranges,
        side_effects=draw(_text).strip(),
        source=draw(_text).strip(),
    )


@given(st.lists(entries(), max_size=5, unique_by=lambda e: e.ndc11))
def test_any_formulary_round_trips_through_csv(listed: list[FormularyEntry]) -> None:
    assert read_csv(write_csv(listed)) == listed
