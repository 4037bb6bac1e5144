"""What the engine checks read: a frozen snapshot the service builds from the request's rows."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProductFacts(_Frozen):
    generic_name: str
    brand_name: str | None = None
    drug_class: str | None = None  # "NSAID", "fluoroquinolone", ... matched against allergies
    strength_mg_per_unit: float | None = None  # mg per tablet, capsule or mL
    dosage_form: str = "tablet"
    ndc11: str = ""
    schedule: int | None = None  # effective (state-adjusted) schedule 2..5
    flagged_species: tuple[str, ...] = ()  # species this drug must not be given to
    dose_range_mg_per_kg: dict[str, tuple[float, float]] = {}  # per dose, by species


class FillFacts(_Frozen):
    scanned_code: str | None
    lot_number: str | None
    lot_expires_on: date | None
    quantity: float
    filled_by_id: int
    filled_on: date


class VerifyFacts(_Frozen):
    verifier_id: int
    scanned_code: str | None = None
    counted_quantity: float | None = None


class CheckFacts(_Frozen):
    """Everything a checklist's engine items need; `None` means "not known" and is a finding
    only where the rule needs the value (a missing weight fails the dose check, say)."""

    today: date
    species: str  # canine, feline, equine, avian, rabbit, ferret, reptile, other
    patient_alive: bool
    last_exam_on: date | None
    vcpr_months: int = 12
    latest_weight_kg: float | None = None
    latest_weight_on: date | None = None
    weight_max_age_days: int = 180
    alerts: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()
    product: ProductFacts
    approved_quantity: float
    dose_per_administration: float | None = None  # units per dose, from the parsed sig
    units_per_day: float | None = None
    days_supply: int | None = None
    fill: FillFacts | None = None
    verification: VerifyFacts | None = None
    prescriber_dea: str | None = None
    pharmacy_fax: str | None = None
