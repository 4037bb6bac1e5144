"""The formulary as CSV: read (each bad row named by its row number) and written back. Pure.

The starter file (rxflow/data/formulary.csv) is EXAMPLE DATA a practice must review: strengths,
schedules, species flags and dose ranges are taken from public references as examples, and the
NDC codes are invented (labeler 90000); replace them with the codes on the practice's own stock.
Dose ranges are mg/kg per administration, one column per species (dose_canine_mg_per_kg, ...).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rxflow.checklists.facts import SPECIES, canonical_species
from rxflow.codes import format_ndc11, normalize_ndc
from rxflow.errors import InvalidInput

STARTER = Path(__file__).parent / "data" / "formulary.csv"
REQUIRED = ("generic_name", "strength", "dosage_form", "ndc11")
BASE_COLUMNS = (
    "generic_name", "brand_name", "drug_class", "strength", "strength_mg_per_unit",
    "dosage_form", "ndc11", "schedule", "flagged_species",
)  # fmt: skip
TAIL_COLUMNS = ("side_effects", "missed_dose", "source", "review_note")
DOSE_COLUMNS = {f"dose_{s}_mg_per_kg": s for s in SPECIES}
_ROMAN = {"II": 2, "III": 3, "IV": 4, "V": 5}
T = TypeVar("T")


class FormularyEntry(BaseModel):
    """One product at one strength and form, as the formulary lists it."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    generic_name: str = Field(min_length=2, max_length=120)  # lower case: "carprofen"
    brand_name: str = ""
    drug_class: str = ""  # "NSAID": allergy and alert checks match it
    strength: str = Field(min_length=1, max_length=60)  # as printed: "75 mg", "1.5 mg/mL"
    strength_mg_per_unit: float | None = Field(None, gt=0)  # for the mg/kg dose check
    dosage_form: str = Field(min_length=2, max_length=40)
    ndc11: str = Field(pattern=r"^\d{11}$")
    schedule: int | None = Field(None, ge=2, le=5)  # federal DEA schedule
    flagged_species: tuple[str, ...] = ()  # canonical species the product must not go to
    dose_ranges: dict[str, tuple[float, float]] = {}  # species -> (low, high) mg/kg per dose
    side_effects: str = ""
    missed_dose: str = ""
    source: str = ""
    review_note: str = ""


def _dose_range(text: str) -> tuple[float, float]:
    low, sep, high = text.replace("–", "-").partition("-")
    try:
        pair = (float(low), float(high if sep else low))
    except ValueError:
        raise ValueError(f"'{text}' is not a dose range like 2-4.4") from None
    if pair[0] <= 0 or pair[0] > pair[1]:
        raise ValueError(f"'{text}' must be a positive range, low then high")
    return pair


def _schedule(text: str) -> int | None:
    value = text.strip().upper().removeprefix("C").lstrip("-")
    if not value:
        return None
    number = _ROMAN.get(value) or (int(value) if value.isdigit() else 0)
    if not 2 <= number <= 5:
        raise ValueError(f"'{text}' is not a DEA schedule (2 to 5, or II to V)")
    return number


def _species_list(text: str) -> tuple[str, ...]:
    found = tuple(canonical_species(s) for s in text.split(";") if s.strip())
    unknown = [s for s in found if s not in SPECIES]
    if unknown:
        raise ValueError(f"unknown species {', '.join(unknown)} (use {', '.join(SPECIES)})")
    return found


def _number(text: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None


def _ndc(text: str) -> str:
    try:
        return normalize_ndc(text)
    except InvalidInput as bad:
        raise ValueError(bad.reason.rstrip(".")) from None


def _field(row: dict[str, str], column: str, parse: Callable[[str], T]) -> T:
    try:
        return parse((row.get(column) or "").strip())
    except ValueError as exc:
        raise ValueError(f"{column}: {exc}") from None


def _entry(row: dict[str, str]) -> FormularyEntry:
    text = {c: (row.get(c) or "").strip() for c in (*BASE_COLUMNS, *TAIL_COLUMNS)}
    missing = [c for c in REQUIRED if not text[c]]
    if missing:
        raise ValueError(f"{', '.join(missing)} must not be empty")
    ranges = {
        species: _field(row, column, _dose_range)
        for column, species in DOSE_COLUMNS.items()
        if (row.get(column) or "").strip()
    }
    return FormularyEntry(
        **{c: text[c] for c in ("brand_name", "drug_class", "strength", "dosage_form")},
        **{c: text[c] for c in TAIL_COLUMNS},
        generic_name=text["generic_name"].lower(),
        strength_mg_per_unit=_field(row, "strength_mg_per_unit", _number),
        ndc11=_field(row, "ndc11", _ndc),
        schedule=_field(row, "schedule", _schedule),
        flagged_species=_field(row, "flagged_species", _species_list),
        dose_ranges=ranges,
    )


def _problem(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)


def _text_of(source: str | Path) -> str:
    """A Path is a file; a str is the CSV text itself, unless it is one line naming a file."""
    if isinstance(source, str) and "\n" not in source and Path(source).is_file():
        source = Path(source)
    if isinstance(source, Path):
        try:
            return source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise InvalidInput(f"Cannot read {source} as a UTF-8 CSV file.") from None
    return source.removeprefix("\ufeff")  # spreadsheets save a byte-order mark


def _check_header(fieldnames: Iterable[str]) -> None:
    header = list(fieldnames)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(f"The formulary CSV lacks the column(s): {', '.join(missing)}.")
    known = {*BASE_COLUMNS, *TAIL_COLUMNS, *DOSE_COLUMNS}
    unknown = [c for c in header if c not in known]
    if unknown:
        raise InvalidInput(
            f"The formulary CSV has unknown column(s): {', '.join(unknown)} "
            f"(dose columns are named like dose_canine_mg_per_kg)."
        )


def read_csv(source: str | Path) -> list[FormularyEntry]:
    """Entries from a CSV file or its text; a bad row raises InvalidInput naming the row
    number as a spreadsheet shows it (the header is row 1)."""
    reader = csv.DictReader(io.StringIO(_text_of(source)))
    reader.fieldnames = [name.strip() for name in reader.fieldnames or ()]
    _check_header(reader.fieldnames)
    entries: list[FormularyEntry] = []
    first_row_of: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # a blank line at the end of a spreadsheet export
        try:
            entry = _entry(row)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise InvalidInput(f"Formulary CSV row {number}: {_problem(exc)}.") from None
        if entry.ndc11 in first_row_of:
            raise InvalidInput(
                f"Formulary CSV row {number}: NDC {format_ndc11(entry.ndc11)} is already on "
                f"row {first_row_of[entry.ndc11]}."
            )
        first_row_of[entry.ndc11] = number
        entries.append(entry)
    return entries


def _dose_columns(entries: list[FormularyEntry]) -> list[str]:
    """Canine and feline always, then any other species an entry has a range for."""
    used = {"canine", "feline"} | {s for e in entries for s in e.dose_ranges}
    return [column for column, species in DOSE_COLUMNS.items() if species in used]


def _plain(number: float) -> str:
    """The shortest text that reads back as the same float, without an exponent (1e-05 would
    collide with the range's hyphen)."""
    text = format(Decimal(repr(number)), "f")
    return text.removesuffix(".0")


def _row(entry: FormularyEntry, dose_columns: list[str]) -> dict[str, str]:
    texts = ("generic_name", "brand_name", "drug_class", "strength", "dosage_form", *TAIL_COLUMNS)
    row = {c: str(getattr(entry, c)) for c in texts}
    strength = entry.strength_mg_per_unit
    row["strength_mg_per_unit"] = _plain(strength) if strength else ""
    row["ndc11"] = format_ndc11(entry.ndc11)  # hyphens keep spreadsheets from eating zeros
    row["schedule"] = str(entry.schedule or "")
    row["flagged_species"] = ";".join(entry.flagged_species)
    for column in dose_columns:
        span = entry.dose_ranges.get(DOSE_COLUMNS[column])
        row[column] = f"{_plain(span[0])}-{_plain(span[1])}" if span else ""
    return row


def write_csv(entries: list[FormularyEntry]) -> str:
    """The entries as CSV text that read_csv reads back to equal entries."""
    dose_columns = _dose_columns(entries)
    out = io.StringIO()
    columns = [*BASE_COLUMNS, *dose_columns, *TAIL_COLUMNS]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow(_row(entry, dose_columns))
    return out.getvalue()
