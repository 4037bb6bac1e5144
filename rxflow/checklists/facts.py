"""What the engine checks read: a frozen snapshot the service builds from the request's rows.

`None` means "not known"; it is a finding only where the rule needs the value (a missing weight
fails the dose check, a missing expiry fails the lot check).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

SPECIES = ("canine", "feline", "equine", "avian", "rabbit", "ferret", "reptile", "other")
_SYNONYMS = {"dog": "canine", "cat": "feline", "horse": "equine", "bird": "avian"}


def canonical_species(value: str) -> str:
    """Dog and "canine " both become "canine"; unknown words are kept, lower-cased."""
    word = value.strip().lower()
    return _SYNONYMS.get(word, word)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProductFacts(_Frozen):
    """The prescribed product, from the formulary row (the state-adjusted schedule)."""

    generic_name: str
    brand_name: str | None = None
    drug_class: str | None = None  # "NSAID", "penicillin": matched against alerts and allergies
    strength: str | None = None  # as printed ("75 mg"); only for the sentences
    strength_mg_per_unit: float | None = None  # mg per tablet, capsule or mL
    dosage_form: str = "tablet"
    ndc11: str = ""  # 11 digits; the scans are compared with it
    schedule: int | None = Field(None, ge=2, le=5)  # effective (state-adjusted) schedule
    flagged_species: tuple[str, ...] = ()  # species this product must not be given to
    dose_range_mg_per_kg: dict[str, tuple[float, float]] = {}  # per administration, by species

    @field_validator("flagged_species")
    @classmethod
    def _canonical_flags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(canonical_species(s) for s in value)

    @field_validator("dose_range_mg_per_kg")
    @classmethod
    def _canonical_ranges(
        cls, value: dict[str, tuple[float, float]]
    ) -> dict[str, tuple[float, float]]:
        return {canonical_species(s): span for s, span in value.items()}


class FillFacts(_Frozen):
    """The in-house fill being checked: what was scanned, from which lot, how many, by whom."""

    scanned_code: str | None  # exactly what the filler's scanner typed
    lot_number: str | None
    lot_expires_on: date | None
    quantity: float  # counted at fill, in the prescription's unit
    filled_by_id: int
    filled_on: date


class VerifyFacts(_Frozen):
    """The verifier's own look at the fill (second scan and second count are optional
    for ordinary drugs; a controlled drug needs the count)."""

    verifier_id: int
    scanned_code: str | None = None
    counted_quantity: float | None = None


class CheckFacts(_Frozen):
    """Everything a checklist's engine items need, as of `today` (the step's date)."""

    today: date
    species: str  # canonical lower-case: canine, feline, equine, avian, rabbit, ferret, ...
    patient_alive: bool
    last_exam_on: date | None
    vcpr_months: int = Field(12, ge=1)  # practice setting: exam needed within this many months
    latest_weight_kg: float | None = None
    latest_weight_on: date | None = None
    weight_max_age_days: int = Field(180, ge=0)  # practice setting: older weights are a finding
    alerts: tuple[str, ...] = ()  # free-text patient alerts ("NSAID sensitive", "bites")
    allergies: tuple[str, ...] = ()  # one allergy per entry ("penicillin", "carprofen")
    product: ProductFacts
    approved_quantity: float  # what the DVM or standing prescription authorised
    dose_per_administration: float | None = None  # units per dose, from the parsed sig
    units_per_day: float | None = None  # from the parsed sig; informative
    days_supply: int | None = None  # None when the sig cannot say (as needed, drops)
    fill: FillFacts | None = None  # None on the outside path and before a fill
    verification: VerifyFacts | None = None  # None outside `verify`
    prescriber_dea: str | None = None  # the signing DVM's DEA number
    pharmacy_fax: str | None = None  # the outside pharmacy's fax number

    @field_validator("species")
    @classmethod
    def _canonical(cls, value: str) -> str:
        return canonical_species(value)
