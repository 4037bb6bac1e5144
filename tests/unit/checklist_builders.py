"""Facts for checklist tests: a dog, carprofen 75 mg, a clean fill; change one thing per test."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rxflow.checklists import CheckFacts, FillFacts, ProductFacts, VerifyFacts

TODAY = date(2026, 11, 2)
FILLER, VERIFIER = 7, 8
VALID_DEA, BAD_DEA = "AB1234563", "AB1234564"
CARPROFEN_75 = ProductFacts(
    generic_name="carprofen",
    brand_name="Rimadyl",
    drug_class="NSAID",
    strength="75 mg",
    strength_mg_per_unit=75.0,
    dosage_form="chewable",
    ndc11="90000010175",
    flagged_species=("feline",),
    dose_range_mg_per_kg={"canine": (2.0, 4.4)},
)
CARPROFEN_75_SCAN = "90000-0101-75"
CARPROFEN_100_SCAN = "90000-0101-10"
TRAMADOL_50 = ProductFacts(
    generic_name="tramadol",
    brand_name="Ultram",
    drug_class="opioid",
    strength="50 mg",
    strength_mg_per_unit=50.0,
    ndc11="90000080150",
    schedule=4,
    dose_range_mg_per_kg={"canine": (2.0, 5.0), "feline": (1.0, 4.0)},
)


def fill(**changes: Any) -> FillFacts:
    base: dict[str, Any] = {
        "scanned_code": CARPROFEN_75_SCAN,
        "lot_number": "4471",
        "lot_expires_on": TODAY + timedelta(days=300),
        "quantity": 60.0,
        "filled_by_id": FILLER,
        "filled_on": TODAY,
    }
    return FillFacts(**{**base, **changes})


def verification(**changes: Any) -> VerifyFacts:
    base: dict[str, Any] = {"verifier_id": VERIFIER, "scanned_code": None, "counted_quantity": 60.0}
    return VerifyFacts(**{**base, **changes})


def facts(**changes: Any) -> CheckFacts:
    """A 25 kg dog weighed last month, 1 tablet (3 mg/kg) twice a day for 30 days."""
    base: dict[str, Any] = {
        "today": TODAY,
        "species": "canine",
        "patient_alive": True,
        "last_exam_on": TODAY - timedelta(days=60),
        "vcpr_months": 12,
        "latest_weight_kg": 25.0,
        "latest_weight_on": TODAY - timedelta(days=30),
        "weight_max_age_days": 180,
        "product": CARPROFEN_75,
        "approved_quantity": 60.0,
        "dose_per_administration": 1.0,
        "units_per_day": 2.0,
        "days_supply": 30,
        "fill": fill(),
        "verification": verification(),
        "prescriber_dea": VALID_DEA,
        "pharmacy_fax": "541-555-0199",
    }
    return CheckFacts(**{**base, **changes})


def product(base: ProductFacts = CARPROFEN_75, **changes: Any) -> ProductFacts:
    return ProductFacts(**{**base.model_dump(), **changes})
