"""Checklists: each engine check passes and fails, overrides, versions, and a property test
that verify passes exactly when every item holds (the expectation computed independently)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxflow.checklists import (
    CheckFacts,
    FillFacts,
    ProductFacts,
    VerifyFacts,
    checklist_for,
    evaluate,
    load_checklist,
)
from rxflow.checklists.checks import CHECKS
from rxflow.checklists.schema import DEFINITIONS
from rxflow.errors import RuleViolation

TODAY = date(2026, 11, 2)
CARPROFEN = ProductFacts(
    generic_name="carprofen", brand_name="Rimadyl", drug_class="NSAID",
    strength_mg_per_unit=75, ndc11="90000010175", flagged_species=("feline",),
    dose_range_mg_per_kg={"canine": (1.0, 4.4)},
)  # fmt: skip


def facts(**changes: Any) -> CheckFacts:
    fill = {"scanned_code": "90000-0101-75", "lot_number": "L1",
            "lot_expires_on": TODAY + timedelta(days=300), "quantity": 60.0,
            "filled_by_id": 1, "filled_on": TODAY}  # fmt: skip
    fill.update(changes.pop("fill", {}))
    verification = {"verifier_id": 2, "scanned_code": None, "counted_quantity": 60.0}
    verification.update(changes.pop("verification", {}))
    product = CARPROFEN.model_copy(update=changes.pop("product", {}))
    base: dict[str, Any] = dict(
        today=TODAY, species="canine", patient_alive=True, last_exam_on=TODAY - timedelta(days=60),
        latest_weight_kg=30.0, latest_weight_on=TODAY - timedelta(days=30), product=product,
        approved_quantity=60.0, dose_per_administration=1.0, units_per_day=2.0, days_supply=30,
        fill=FillFacts(**fill), verification=VerifyFacts(**verification),
        prescriber_dea="BP1234563", pharmacy_fax="541-555-0199",
    )  # fmt: skip
    base.update(changes)
    return CheckFacts(**base)


FAILING: dict[str, dict[str, Any]] = {
    "product_code_matches": {"fill": {"scanned_code": "90000-0101-10"}},
    "lot_not_expired": {"fill": {"lot_expires_on": TODAY - timedelta(days=1)}},
    "lot_outlasts_supply": {"fill": {"lot_expires_on": TODAY + timedelta(days=10)}},
    "quantity_matches": {"fill": {"quantity": 59.0}},
    "second_person_verifies": {"verification": {"verifier_id": 1}},
    "counts_agree": {"verification": {"counted_quantity": 58.0}},
    "species_not_flagged": {"species": "feline"},
    "weight_current": {"latest_weight_on": TODAY - timedelta(days=400)},
    "dose_in_range": {"dose_per_administration": 3.0},
    "patient_alive": {"patient_alive": False},
    "vcpr_current": {"last_exam_on": TODAY - timedelta(days=500)},
    "prescriber_dea_valid": {"product": {"schedule": 4}, "prescriber_dea": "BP1234564"},
    "no_alert_conflict": {"allergies": ("NSAID sensitivity",)},
    "pharmacy_fax_present": {"pharmacy_fax": None},
}


def test_every_registered_check_has_a_failing_case() -> None:
    assert set(FAILING) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(FAILING))
def test_engine_check_passes_and_fails(name: str) -> None:
    assert CHECKS[name](facts()) is None
    finding = CHECKS[name](facts(**FAILING[name]))
    assert finding and finding.endswith(".") and len(finding) > 15


def test_verifier_scan_of_the_wrong_strength_is_caught() -> None:
    finding = CHECKS["product_code_matches"](facts(verification={"scanned_code": "90000010125"}))
    assert finding is not None and "verification" in finding


def test_dose_check_says_the_dose_in_mg_per_kg() -> None:
    finding = CHECKS["dose_in_range"](facts(dose_per_administration=3.0))
    assert finding is not None and "7.50 mg/kg" in finding and "1–4.4" in finding


ATTEST = {"label_checked": True}


def test_in_house_fill_passes_when_everything_holds() -> None:
    result = evaluate(checklist_for("in_house_fill", False), facts(), ATTEST, {}, "csr")
    assert result.passed and all(a.passed for a in result.answers)


def test_an_unconfirmed_attestation_blocks() -> None:
    result = evaluate(checklist_for("in_house_fill", False), facts(), {}, {}, "csr")
    assert not result.passed and "Label read back" in result.reason()


def test_only_a_dvm_overrides_and_only_with_a_reason() -> None:
    checklist = checklist_for("in_house_fill", False)
    stale = facts(latest_weight_on=TODAY - timedelta(days=400))
    with pytest.raises(RuleViolation, match="Only a veterinarian"):
        evaluate(checklist, stale, ATTEST, {"weight_current": "weighed today"}, "csr")
    with pytest.raises(RuleViolation, match="written reason"):
        evaluate(checklist, stale, ATTEST, {"weight_current": " "}, "dvm")
    with pytest.raises(RuleViolation, match="cannot be overridden"):
        evaluate(checklist, stale, ATTEST, {"species": "I know best"}, "dvm")
    result = evaluate(
        checklist, stale, ATTEST, {"weight_current": "Weighed on our scale today"}, "dvm"
    )
    (answer,) = [a for a in result.answers if a.item_id == "weight_current"]
    assert (
        result.passed
        and answer.overridden
        and answer.override_reason == "Weighed on our scale today"
    )


def test_controlled_fill_needs_a_second_person_and_two_counts() -> None:
    checklist = checklist_for("in_house_fill", True)
    assert checklist.id == "controlled_fill"
    same = evaluate(checklist, facts(verification={"verifier_id": 1}), ATTEST, {}, "csr")
    assert not same.passed and "someone other" in same.reason()
    uncounted = evaluate(
        checklist, facts(verification={"counted_quantity": None}), ATTEST, {}, "csr"
    )
    assert not uncounted.passed


def test_a_new_version_keeps_old_runs_readable(tmp_path: Path) -> None:
    v1 = DEFINITIONS / "dispense.v1.toml"
    (tmp_path / "dispense.v1.toml").write_text(v1.read_text())
    v2 = v1.read_text().replace("version = 1", "version = 2") + (
        '\n[[items]]\nid = "receipt_signed"\nkind = "attest"\ntext = "Client signed the receipt"\n'
        'rule_code = "RECEIPT_NOT_SIGNED"\n'
    )
    (tmp_path / "dispense.v2.toml").write_text(v2)
    assert load_checklist("dispense", folder=tmp_path).version == 2
    old = load_checklist("dispense", 1, folder=tmp_path)
    assert old.version == 1 and [i.id for i in old.items] == ["label_read_to_client", "counselled"]


@settings(max_examples=300, deadline=None)
@given(
    species=st.sampled_from(["canine", "feline"]),
    weight=st.floats(1.0, 60.0),
    weight_age=st.integers(0, 400),
    dose=st.sampled_from([0.25, 0.5, 1.0, 2.0]),
    counted=st.sampled_from([58.0, 60.0]),
    lot_days=st.integers(-30, 400),
    exam_age=st.integers(0, 500),
    scanned=st.sampled_from(["90000-0101-75", "90000-0101-10"]),
    labelled=st.booleans(),
)
def test_verify_passes_exactly_when_every_item_holds(
    species: str, weight: float, weight_age: int, dose: float, counted: float, lot_days: int,
    exam_age: int, scanned: str, labelled: bool,
) -> None:  # fmt: skip
    case = facts(
        species=species, latest_weight_kg=weight,
        latest_weight_on=TODAY - timedelta(days=weight_age), dose_per_administration=dose,
        last_exam_on=TODAY - timedelta(days=exam_age),
        fill={"quantity": counted, "scanned_code": scanned,
              "lot_expires_on": TODAY + timedelta(days=lot_days)},
    )  # fmt: skip
    mg_per_kg = dose * 75 / weight
    expected = (
        species == "canine"
        and 1.0 <= mg_per_kg <= 4.4
        and weight_age <= 180
        and counted == 60.0
        and lot_days >= 30  # not expired, and outlasts the 30-day supply
        and exam_age <= round(12 * 30.44)
        and scanned == "90000-0101-75"
        and labelled
    )
    attest = {"label_checked": labelled}
    result = evaluate(checklist_for("in_house_fill", False), case, attest, {}, "csr")
    assert result.passed == expected, result.reason()
