"""The formulary as CSV: read (with row-numbered errors) and write. Pure; the service stores it.

The starter file (rxflow/data/formulary.csv) is EXAMPLE DATA a practice must review: strengths,
schedules, species flags and dose ranges come from public references and example NDC codes
(labeler 90000), not from a compendium licensed for clinical use.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rxflow.errors import InvalidInput

STARTER = Path(__file__).parent / "data" / "formulary.csv"
SPECIES_COLUMNS = ("canine", "feline", "rabbit")
COLUMNS = (
    "generic_name", "brand_name", "drug_class", "strength", "strength_mg_per_unit", "dosage_form",
    "ndc11", "schedule", "flagged_species",
    *(f"dose_{s}_mg_per_kg" for s in SPECIES_COLUMNS),
    "side_effects", "missed_dose", "source",
)  # fmt: skip


class FormularyEntry(BaseModel):
    """One product at one strength and form."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    generic_name: str = Field(min_length=2, max_length=120)
    brand_name: str = ""
    drug_class: str = ""
    strength: str = Field(min_length=1, max_length=60)
    strength_mg_per_unit: float | None = Field(None, gt=0)
    dosage_form: str = Field(min_length=2, max_length=40)
    ndc11: str = Field(pattern=r"^\d{11}$")
    schedule: int | None = Field(None, ge=2, le=5)
    flagged_species: tuple[str, ...] = ()
    dose_ranges: dict[str, tuple[float, float]] = {}
    side_effects: str = ""
    missed_dose: str = ""
    source: str = ""

    @field_validator("generic_name")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


def _range(text: str, column: str) -> tuple[float, float]:
    low, sep, high = text.partition("-")
    try:
        pair = (float(low), float(high if sep else low))
    except ValueError:
        raise ValueError(f"{column} must look like 1.0-4.4") from None
    if pair[0] > pair[1] or pair[0] <= 0:
        raise ValueError(f"{column} must be a positive low-high range")
    return pair


def _entry(row: dict[str, str]) -> FormularyEntry:
    ranges = {
        species: _range(text, f"dose_{species}_mg_per_kg")
        for species in SPECIES_COLUMNS
        if (text := (row.get(f"dose_{species}_mg_per_kg") or "").strip())
    }
    return FormularyEntry(
        generic_name=row.get("generic_name", ""),
        brand_name=row.get("brand_name") or "",
        drug_class=row.get("drug_class") or "",
        strength=row.get("strength", ""),
        strength_mg_per_unit=float(row["strength_mg_per_unit"])
        if row.get("strength_mg_per_unit")
        else None,
        dosage_form=row.get("dosage_form", ""),
        ndc11=(row.get("ndc11") or "").replace("-", ""),
        schedule=int(row["schedule"]) if (row.get("schedule") or "").strip() else None,
        flagged_species=tuple(
            s.strip().lower() for s in (row.get("flagged_species") or "").split(";") if s.strip()
        ),
        dose_ranges=ranges,
        side_effects=row.get("side_effects") or "",
        missed_dose=row.get("missed_dose") or "",
        source=row.get("source") or "",
    )


def read_csv(source: str | Path) -> list[FormularyEntry]:
    """Entries from a CSV file or text; a bad row is an InvalidInput naming its line."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    reader = csv.DictReader(io.StringIO(text))
    missing = {"generic_name", "strength", "dosage_form", "ndc11"} - set(reader.fieldnames or ())
    if missing:
        raise InvalidInput(f"The formulary CSV lacks the column(s): {', '.join(sorted(missing))}.")
    entries = []
    for line, row in enumerate(reader, start=2):
        try:
            entries.append(_entry(row))
        except (ValidationError, ValueError) as exc:
            detail = exc.errors()[0] if isinstance(exc, ValidationError) else None
            what = f"{detail['loc'][0]}: {detail['msg']}" if detail and detail["loc"] else str(exc)
            raise InvalidInput(f"Formulary CSV line {line}: {what}.") from None
    codes = [e.ndc11 for e in entries]
    if len(codes) != len(set(codes)):
        raise InvalidInput("The formulary CSV lists the same NDC twice.")
    return entries


def write_csv(entries: list[FormularyEntry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for e in entries:
        writer.writerow({
            "generic_name": e.generic_name, "brand_name": e.brand_name, "drug_class": e.drug_class,
            "strength": e.strength,
            "strength_mg_per_unit": f"{e.strength_mg_per_unit:g}" if e.strength_mg_per_unit else "",
            "dosage_form": e.dosage_form, "ndc11": e.ndc11,
            "schedule": e.schedule or "", "flagged_species": ";".join(e.flagged_species),
            **{f"dose_{s}_mg_per_kg": f"{e.dose_ranges[s][0]:g}-{e.dose_ranges[s][1]:g}"
               if s in e.dose_ranges else "" for s in SPECIES_COLUMNS},
            "side_effects": e.side_effects, "missed_dose": e.missed_dose, "source": e.source,
        })  # fmt: skip
    return out.getvalue()
