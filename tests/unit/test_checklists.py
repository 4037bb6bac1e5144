"""Checklists: every engine check passes and fails, overrides, controlled drugs, versions."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from checklist_builders import (
    BAD_DEA,
    CARPROFEN_100_SCAN,
    FILLER,
    TODAY,
    TRAMADOL_50,
    VALID_DEA,
    facts,
    fill,
    product,
    verification,
)
from hypothesis import event, given, settings
from hypothesis import strategies as st

from rxflow.checklists import CheckFacts, checklist_for, evaluate, load_checklist
from rxflow.checklists.checks import CHECKS
from rxflow.checklists.evaluate import recorded_result
from rxflow.checklists.schema import DEFINITIONS, PATHS, versions
from rxflow.codes import gtin14_for, upc_for
from rxflow.errors import InvalidInput, RuleViolation

ALL_CONFIRMED = {
    "label_checked": True,
    "label_read_to_client": True,
    "counselled": True,
    "photo_id_checked": True,
    "written_rx_reviewed": True,
    "pharmacy_confirmed": True,
}
DAY = timedelta(days=1)

# check name -> cases that must fail, each (changes to the clean facts, words of the finding)
FAILING: dict[str, list[tuple[dict[str, Any], str]]] = {
    "product_code_matches": [
        ({"fill": fill(scanned_code=CARPROFEN_100_SCAN)}, "not the prescribed carprofen 75 mg"),
        ({"verification": verification(scanned_code=CARPROFEN_100_SCAN)}, "at verification"),
        ({"fill": fill(scanned_code=None)}, "No product code was scanned when filling"),
        ({"fill": fill(scanned_code="hello")}, "not a product code"),
        ({"fill": None}, "Nothing has been filled yet"),
    ],
    "lot_not_expired": [
        ({"fill": fill(lot_expires_on=TODAY - DAY)}, "Lot 4471 expired on 2026-11-01."),
        (
            {"fill": fill(lot_expires_on=TODAY - 5 * DAY, filled_on=TODAY - 3 * DAY)},
            "before it was filled",
        ),
        ({"fill": fill(lot_expires_on=None)}, "expiry date of lot 4471 is not recorded"),
        (
            {"fill": fill(scanned_code=f"(01){gtin14_for('9000010175')}(10)5120")},
            "The bottle scanned is lot 5120, but lot 4471 was recorded.",
        ),
    ],
    "lot_outlasts_supply": [
        (
            {"fill": fill(lot_expires_on=TODAY + 23 * DAY)},
            "Lot 4471 expires on 2026-11-25, before the 30-day supply runs out.",
        ),
    ],
    "quantity_matches": [
        ({"fill": fill(quantity=59.0)}, "59 were counted but 60 were approved."),
        ({"verification": verification(counted_quantity=58.0)}, "The verifier counted 58"),
    ],
    "second_person_verifies": [
        ({"verification": verification(verifier_id=FILLER)}, "someone other than"),
        ({"verification": None}, "needs a second person"),
    ],
    "counts_agree": [
        ({"verification": verification(counted_quantity=58.0)}, "second count (58) does not"),
        ({"verification": verification(counted_quantity=None)}, "enter the second count"),
    ],
    "species_not_flagged": [
        ({"species": "feline"}, "Carprofen is flagged as unsafe for cats"),
        ({"species": "Cat"}, "unsafe for cats"),
    ],
    "weight_current": [
        ({"latest_weight_on": TODAY - 181 * DAY}, "181 days old (2026-05-05)"),
        ({"latest_weight_kg": None, "latest_weight_on": None}, "no weight on record"),
    ],
    "dose_in_range": [
        ({"dose_per_administration": 2.0}, "The dose is 6.00 mg/kg; the usual range for dogs"),
        ({"latest_weight_kg": 40.0}, "The dose is 1.88 mg/kg"),
        ({"species": "rabbit"}, "no dose range for carprofen in rabbits"),
        ({"dose_per_administration": None}, "directions give no dose"),
        ({"latest_weight_kg": None}, "no weight on record"),
        ({"product": product(strength_mg_per_unit=None)}, "no strength in mg"),
    ],
    "patient_alive": [({"patient_alive": False}, "recorded as deceased")],
    "vcpr_current": [
        ({"last_exam_on": TODAY.replace(year=2025) - DAY}, "2025-11-01, more than 12 months ago"),
        ({"last_exam_on": None}, "no exam on record"),
        ({"last_exam_on": TODAY - 100 * DAY, "vcpr_months": 3}, "more than 3 months ago"),
    ],
    "prescriber_dea_valid": [
        ({"product": TRAMADOL_50, "prescriber_dea": BAD_DEA}, "fails its check digit"),
        ({"product": TRAMADOL_50, "prescriber_dea": None}, "no DEA number on file"),
    ],
    "no_alert_conflict": [
        ({"allergies": ("NSAID sensitivity",)}, 'says "NSAID sensitivity", which names nsaid'),
        ({"alerts": ("Vomited on Rimadyl in 2024",)}, "names rimadyl"),
        ({"allergies": ("carprofen",)}, "names carprofen"),
        ({"alerts": ("No NSAIDs - kidney disease",)}, "names nsaid"),
        (
            {
                "product": product(
                    generic_name="amoxicillin-clavulanate", brand_name=None, drug_class="penicillin"
                ),
                "allergies": ("Amoxicillin (hives)",),
            },
            "names amoxicillin",
        ),  # fmt: skip
    ],
    "pharmacy_fax_present": [
        ({"pharmacy_fax": None}, "no fax number on file"),
        ({"pharmacy_fax": "555-0199"}, "not a full number"),
    ],
}

PASSING: dict[str, list[dict[str, Any]]] = {
    "lot_not_expired": [{"fill": fill(lot_expires_on=TODAY)}],  # good through its date
    "lot_outlasts_supply": [
        {"fill": fill(lot_expires_on=TODAY + 29 * DAY)},  # the 30th day is the last dose
        {"days_supply": None},  # as needed: the expiry item stands alone
    ],
    "weight_current": [{"latest_weight_on": TODAY - 180 * DAY}],
    "dose_in_range": [
        {"latest_weight_kg": 75 / 4.4},  # exactly the top of the range
        {"product": product(dose_range_mg_per_kg={})},  # no published range (a topical)
    ],
    "vcpr_current": [{"last_exam_on": TODAY.replace(year=2025)}],  # exactly 12 months
    "prescriber_dea_valid": [{"prescriber_dea": None}],  # not a controlled drug
    "no_alert_conflict": [{"alerts": ("Bites - muzzle for nails", "Carprofenix trial")}],
    "species_not_flagged": [{"species": "canine"}],
    "quantity_matches": [{"verification": verification(counted_quantity=None)}],
    "product_code_matches": [
        {"fill": fill(scanned_code=f"]d201{gtin14_for('9000010175')}172712311\x304471")},
    ],
}


def cases(table: dict[str, list[Any]]) -> list[tuple[str, Any]]:
    return [(name, case) for name, listed in sorted(table.items()) for case in listed]


def test_every_registered_check_has_failing_cases() -> None:
    assert set(FAILING) == set(CHECKS)


def test_the_clean_facts_pass_every_check() -> None:
    clean = facts(product=product(schedule=4))  # controlled, so the DEA check runs too
    assert {name: check(clean) for name, check in CHECKS.items()} == dict.fromkeys(CHECKS)


@pytest.mark.parametrize(("name", "case"), cases(FAILING))
def test_engine_check_fails_with_a_sentence(name: str, case: tuple[dict[str, Any], str]) -> None:
    changes, words = case
    finding = CHECKS[name](facts(**changes))
    assert finding is not None and words in finding
    assert finding.endswith(".") and "\n" not in finding


@pytest.mark.parametrize(("name", "changes"), cases(PASSING))
def test_engine_check_passes_at_its_edges(name: str, changes: dict[str, Any]) -> None:
    assert CHECKS[name](facts(**changes)) is None


# --- the checklist files -------------------------------------------------------------------


def test_every_shipped_version_of_every_checklist_loads() -> None:
    names = {path.name.split(".")[0] for path in DEFINITIONS.glob("*.toml")}
    assert names == {"in_house_fill", "controlled_fill", "outside_prescription", "dispense",
                     "dispense_controlled"}  # fmt: skip
    for name in names:
        for version in versions(name):
            assert load_checklist(name, version).version == version


def test_every_check_is_used_by_some_checklist() -> None:
    used = {
        item.check
        for path in PATHS
        for controlled in (False, True)
        for item in checklist_for(path, controlled).items
        if item.kind == "engine"
    }
    assert used == set(CHECKS)


@pytest.mark.parametrize(
    ("path", "controlled", "checklist_id", "attested"),
    [
        ("in_house_fill", False, "in_house_fill", {"label_checked"}),
        ("in_house_fill", True, "controlled_fill", {"label_checked"}),
        ("outside_prescription", False, "outside_prescription",
         {"written_rx_reviewed", "pharmacy_confirmed"}),
        ("outside_prescription", True, "outside_prescription",
         {"written_rx_reviewed", "pharmacy_confirmed"}),
        ("dispense", False, "dispense", {"label_read_to_client", "counselled"}),
        ("dispense", True, "dispense_controlled",
         {"label_read_to_client", "counselled", "photo_id_checked"}),
    ],
)  # fmt: skip
def test_each_path_has_its_checklist(
    path: str, controlled: bool, checklist_id: str, attested: set[str]
) -> None:
    checklist = checklist_for(path, controlled)
    assert checklist.id == checklist_id
    assert {i.id for i in checklist.items if i.kind == "attest"} == attested
    assert all(i.kind == "engine" for i in checklist.items if i.overridable)


def test_an_unknown_path_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no checklist for the step 'ship'"):
        checklist_for("ship", False)


# --- evaluation ------------------------------------------------------------------------------


def run(path: str, case: CheckFacts, **kwargs: Any) -> Any:
    controlled = case.product.schedule is not None
    answers = kwargs.pop("attestations", ALL_CONFIRMED)
    return evaluate(checklist_for(path, controlled), case, answers,
                    kwargs.pop("overrides", {}), kwargs.pop("role", "csr"))  # fmt: skip


def test_an_in_house_fill_passes_when_everything_holds() -> None:
    result = run("in_house_fill", facts())
    assert result.passed and not result.failures()
    assert [a.item_id for a in result.answers] == [
        i.id for i in checklist_for("in_house_fill", False).items
    ]


def test_the_wrong_strength_blocks_verify_with_a_reason_the_csr_can_read() -> None:
    result = run("in_house_fill", facts(fill=fill(scanned_code=CARPROFEN_100_SCAN)))
    assert not result.passed
    assert [a.rule_code for a in result.failures()] == ["FILL_PRODUCT_MISMATCH"]
    assert result.reason() == (
        "Checklist not passed: The bottle scanned when filling (NDC 90000-0101-10) is not the "
        "prescribed carprofen 75 mg chewable; check the drug and its strength."
    )


def test_several_failures_make_one_sentence_in_checklist_order() -> None:
    result = run(
        "in_house_fill",
        facts(species="feline", fill=fill(lot_expires_on=TODAY - DAY)),
        attestations={},
    )
    reason = result.reason()
    assert reason.endswith(".") and ". " not in reason and "\n" not in reason
    assert reason.index("Lot 4471 expired") < reason.index("unsafe for cats")
    assert reason.index("unsafe for cats") < reason.index("; not confirmed: label read back")


def test_an_unconfirmed_attestation_blocks() -> None:
    result = run("dispense", facts(), attestations={"label_read_to_client": True})
    (failed,) = result.failures()
    assert failed.item_id == "counselled" and failed.kind == "attest"
    assert failed.finding == "Not confirmed: client counselled on dosing and side effects"


def test_an_attestation_must_be_true_not_just_present() -> None:
    result = run("dispense", facts(), attestations={**ALL_CONFIRMED, "counselled": False})
    assert [a.item_id for a in result.failures()] == ["counselled"]


def test_the_outside_path_needs_no_fill() -> None:
    assert run("outside_prescription", facts(fill=None, verification=None)).passed


def test_dispense_catches_a_lot_that_expired_while_waiting() -> None:
    result = run("dispense", facts(fill=fill(lot_expires_on=TODAY - DAY), verification=None))
    assert [a.rule_code for a in result.failures()] == ["FILL_LOT_EXPIRED"]


# --- overrides -------------------------------------------------------------------------------

STALE = {"latest_weight_on": TODAY - 400 * DAY}
REASON = "Weighed on the clinic scale today: 25.2 kg"


@pytest.mark.parametrize("role", ["csr", "technician", "manager"])
def test_only_a_dvm_may_override(role: str) -> None:
    with pytest.raises(RuleViolation, match="Only a veterinarian") as refused:
        run("in_house_fill", facts(**STALE), overrides={"weight_current": REASON}, role=role)
    assert refused.value.code == "OVERRIDE_NOT_DVM"


@pytest.mark.parametrize("reason", ["", "   ", "ok"])
def test_an_override_needs_a_written_reason(reason: str) -> None:
    with pytest.raises(RuleViolation, match="needs a written reason") as refused:
        run("in_house_fill", facts(**STALE), overrides={"weight_current": reason}, role="dvm")
    assert refused.value.code == "OVERRIDE_NEEDS_REASON"


@pytest.mark.parametrize("item_id", ["product_code", "species", "quantity", "label_checked"])
def test_safety_items_cannot_be_overridden(item_id: str) -> None:
    with pytest.raises(RuleViolation, match="cannot be overridden") as refused:
        run("in_house_fill", facts(species="feline"), overrides={item_id: REASON}, role="dvm")
    assert refused.value.code == "OVERRIDE_NOT_ALLOWED"


def test_an_override_of_an_unknown_item_is_refused() -> None:
    with pytest.raises(RuleViolation, match="has no item 'dose'"):
        run("in_house_fill", facts(), overrides={"dose": REASON}, role="dvm")


def test_a_dvm_accepts_an_overridable_finding_and_the_record_keeps_both() -> None:
    result = run("in_house_fill", facts(**STALE), overrides={"weight_current": REASON},
                 role="DVM")  # fmt: skip
    (answer,) = [a for a in result.answers if a.item_id == "weight_current"]
    assert result.passed and answer.passed and answer.overridden
    assert answer.override_reason == REASON and "400 days old" in (answer.finding or "")


def test_an_override_of_an_item_that_holds_changes_nothing() -> None:
    result = run("in_house_fill", facts(), overrides={"dose_range": REASON}, role="dvm")
    assert result.passed and not any(a.overridden for a in result.answers)


def test_an_override_does_not_hide_other_failures() -> None:
    result = run("in_house_fill", facts(**STALE, patient_alive=False),
                 overrides={"weight_current": REASON}, role="dvm")  # fmt: skip
    assert [a.item_id for a in result.failures()] == ["patient_alive"]


# --- controlled drugs ------------------------------------------------------------------------

TRAMADOL_SCAN = "90000-0801-50"


def controlled(**changes: Any) -> CheckFacts:
    base: dict[str, Any] = {"product": TRAMADOL_50, "latest_weight_kg": 12.5,
                            "fill": fill(scanned_code=TRAMADOL_SCAN)}  # fmt: skip
    return facts(**{**base, **changes})


def test_a_controlled_fill_passes_with_a_second_person_and_matching_counts() -> None:
    result = run("in_house_fill", controlled())
    assert result.checklist_id == "controlled_fill" and result.passed


def test_the_filler_cannot_verify_a_controlled_drug() -> None:
    result = run("in_house_fill", controlled(verification=verification(verifier_id=FILLER)))
    assert [a.rule_code for a in result.failures()] == ["CONTROLLED_SAME_PERSON"]


def test_a_controlled_fill_needs_a_second_count_that_agrees() -> None:
    missing = run("in_house_fill", controlled(verification=verification(counted_quantity=None)))
    assert [a.rule_code for a in missing.failures()] == ["CONTROLLED_COUNT_MISMATCH"]
    differs = run("in_house_fill", controlled(verification=verification(counted_quantity=59.0)))
    assert {a.rule_code for a in differs.failures()} == {
        "CONTROLLED_COUNT_MISMATCH",
        "FILL_QUANTITY_MISMATCH",
    }


def test_a_controlled_drug_needs_a_valid_dea_number_on_both_paths() -> None:
    for path in ("in_house_fill", "outside_prescription"):
        result = run(path, controlled(prescriber_dea=BAD_DEA))
        assert [a.rule_code for a in result.failures()] == ["DEA_INVALID"]


def test_a_controlled_dispense_needs_photo_id() -> None:
    answers = {**ALL_CONFIRMED, "photo_id_checked": False}
    result = run("dispense", controlled(), attestations=answers)
    assert [a.rule_code for a in result.failures()] == ["PHOTO_ID_NOT_CHECKED"]


# --- versions --------------------------------------------------------------------------------


def _ship_version_2(folder: Path) -> None:
    v1 = (DEFINITIONS / "dispense.v1.toml").read_text(encoding="utf-8")
    (folder / "dispense.v1.toml").write_text(v1, encoding="utf-8")
    v2 = v1.replace("version = 1", "version = 2") + (
        '\n[[items]]\nid = "receipt_signed"\nkind = "attest"\n'
        'text = "Client signed the receipt"\nrule_code = "RECEIPT_NOT_SIGNED"\n'
    )
    (folder / "dispense.v2.toml").write_text(v2, encoding="utf-8")


def test_a_run_recorded_with_version_1_stays_readable_after_version_2_ships(
    tmp_path: Path,
) -> None:
    (tmp_path / "dispense.v1.toml").write_text(
        (DEFINITIONS / "dispense.v1.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    old = load_checklist("dispense", folder=tmp_path)
    run_v1 = evaluate(old, facts(), ALL_CONFIRMED, {}, "csr")
    who_and_when = {"by": "sam", "at": "2026-11-02T10:00"}  # the service adds these
    stored = json.dumps([{**a.model_dump(mode="json"), **who_and_when} for a in run_v1.answers])
    _ship_version_2(tmp_path)
    assert load_checklist("dispense", folder=tmp_path).version == 2
    assert versions("dispense", tmp_path) == [1, 2]
    read_back = recorded_result("dispense", 1, True, json.loads(stored))
    assert read_back == run_v1
    items_then = load_checklist("dispense", 1, folder=tmp_path).items
    assert [a.item_id for a in read_back.answers] == [i.id for i in items_then]
    assert "receipt_signed" not in {a.item_id for a in read_back.answers}


def test_a_run_of_a_version_that_was_never_shipped_is_refused() -> None:
    with pytest.raises(InvalidInput, match="has no version 99"):
        recorded_result("dispense", 99, True, [])


def test_a_file_that_misstates_its_version_is_refused(tmp_path: Path) -> None:
    text = (DEFINITIONS / "dispense.v1.toml").read_text(encoding="utf-8")
    (tmp_path / "dispense.v2.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match="says it is dispense v1"):
        load_checklist("dispense", 2, folder=tmp_path)


def test_a_file_naming_an_unregistered_check_is_refused(tmp_path: Path) -> None:
    text = (DEFINITIONS / "in_house_fill.v1.toml").read_text(encoding="utf-8")
    broken = text.replace('check = "patient_alive"', 'check = "patient_is_alive"')
    (tmp_path / "in_house_fill.v1.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(InvalidInput, match="names no registered check"):
        load_checklist("in_house_fill", folder=tmp_path)


def test_loading_is_cached_by_id_and_version() -> None:
    assert load_checklist("dispense", 1) is load_checklist("dispense", 1)


# --- purity ----------------------------------------------------------------------------------


def test_the_pure_modules_import_no_database_web_pdf_or_mail_code() -> None:
    code = (
        "import sys, rxflow.codes, rxflow.dea, rxflow.formulary, rxflow.checklists;"
        "print(sorted(m for m in ('sqlalchemy', 'starlette', 'reportlab', 'smtplib')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the property: verify passes exactly when every item holds -------------------------------

CODE_A, CODE_B = "90000101705", "90000101805"  # NDC-10s 9000010175 and 9000010185 (5-4-1)
PROFILES = [("carprofen", "Rimadyl", "NSAID"), ("amoxicillin-clavulanate", "Clavamox",
                                                 "penicillin")]  # fmt: skip
ALERTS: list[tuple[str, set[str]]] = [
    ("NSAID sensitivity", {"nsaid"}),
    ("Allergic to carprofen", {"carprofen"}),
    ("Vomited on Rimadyl", {"rimadyl"}),
    ("Bites - muzzle", set()),
    ("Penicillin allergy", {"penicillin"}),
    ("Amoxicillin: hives", {"amoxicillin"}),
]
OVERRIDABLE = ("weight_current", "dose_range", "alerts")


def carried(ndc11: str, carrier: str, lot: str) -> str:
    """The code as a scanner would type it from the bottle, in one of its carriers."""
    ndc10 = ndc11[:9] + ndc11[10]  # these example codes are 5-4-1 with the package padded
    return {
        "hyphens": f"{ndc11[:5]}-{ndc11[5:9]}-{ndc11[10]}",
        "eleven": ndc11,
        "ten": ndc10,
        "upc": upc_for(ndc10),
        "gs1": f"]d201{gtin14_for(ndc10)}10{lot}",
    }[carrier]


def months_before(day: date, months: int) -> date:
    """TODAY is the 2nd, a day every month has, so no clamping is needed here."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, day.day)


def within(dose: float, strength: float, kg: float, span: tuple[float, float]) -> bool:
    exact = Fraction(str(dose)) * Fraction(str(strength)) / Fraction(str(kg))
    return Fraction(str(span[0])) <= exact <= Fraction(str(span[1]))


Scenario = tuple[CheckFacts, dict[str, bool], dict[str, str], str, dict[str, bool]]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    d = draw
    careful = d(st.booleans())  # a careful desk gets most things right: both sides get tested

    def good() -> bool:
        return careful and d(st.integers(0, 9)) > 0

    generic, brand, drug_class = d(st.sampled_from(PROFILES))
    strength = d(st.sampled_from([0.5, 5.0, 25.0, 75.0, 100.0]))
    species = d(st.sampled_from(["canine", "feline", "rabbit"]))
    ranges = {
        kind: (low, low * d(st.sampled_from([1, 2, 4])))
        for kind in d(st.lists(st.sampled_from(["canine", "feline", "rabbit"]), unique=True))
        for low in [d(st.sampled_from([0.05, 0.5, 1.0, 2.0, 5.0]))]
    }
    if good():
        ranges.setdefault(species, (1.0, 4.0))
    others = [s for s in ("canine", "feline", "rabbit") if s != species]
    flagged = tuple(d(st.lists(st.sampled_from(others if good() else [*others, species]),
                               unique=True)))  # fmt: skip
    schedule = d(st.none() | st.integers(2, 5))
    ndc = d(st.sampled_from([CODE_A, CODE_B]))
    dose = d(st.sampled_from([0.25, 0.5, 1.0, 2.0]) if good() else
             st.none() | st.sampled_from([0.25, 0.5, 1.0, 2.0]))  # fmt: skip
    span = ranges.get(species)
    if dose is not None and span is not None and good():
        kg: float | None = round(dose * strength / ((span[0] + span[1]) / 2), 3)  # mid-range
    else:
        kg = d(st.none() | st.integers(5, 600).map(lambda tenths: tenths / 10))
    weight_limit = d(st.sampled_from([180, 365]))
    weight_age = d(st.integers(0, 180) if good() else st.integers(0, 400))
    vcpr_months = d(st.sampled_from([6, 12]))
    exam_age = d(st.integers(0, 150) if good() else st.integers(0, 500))
    days_supply = d(st.none() | st.sampled_from([7, 30]))
    approved = d(st.sampled_from([30.0, 60.0]))
    filled = approved if good() else approved - d(st.sampled_from([0, 1]))
    counted = filled if good() else d(st.none() | st.sampled_from([filled, filled + 1]))
    filled_ago = d(st.integers(0, 3))
    lot_days = d(st.integers(30, 40) if good() else st.integers(-5, 40))
    scanned_ndc = ndc if good() else d(st.sampled_from([CODE_A, CODE_B]))
    carrier = d(st.sampled_from(["hyphens", "eleven", "ten", "upc", "gs1"]))
    scanned_lot = "4471" if good() else d(st.sampled_from(["4471", "9999"]))
    verifier_scan = d(st.sampled_from([None, ndc]) if good() else
                      st.sampled_from([None, CODE_A, CODE_B]))  # fmt: skip
    verifier_id = FILLER + 1 if good() else d(st.sampled_from([FILLER, FILLER + 1]))
    dea = VALID_DEA if good() else d(st.sampled_from([VALID_DEA, BAD_DEA, None]))
    alive = good() or d(st.booleans())
    labelled = good() or d(st.booleans())
    alert_text, alert_names = ALERTS[3] if good() else d(st.sampled_from(ALERTS))
    role = d(st.sampled_from(["csr", "dvm"]))
    overridden = d(st.sets(st.sampled_from(OVERRIDABLE))) if role == "dvm" else set()

    case = facts(
        species=species, patient_alive=alive, last_exam_on=TODAY - exam_age * DAY,
        vcpr_months=vcpr_months, latest_weight_kg=kg, latest_weight_on=TODAY - weight_age * DAY,
        weight_max_age_days=weight_limit, alerts=(alert_text,), allergies=(),
        product=product(generic_name=generic, brand_name=brand, drug_class=drug_class,
                        strength_mg_per_unit=strength, ndc11=ndc, schedule=schedule,
                        flagged_species=flagged, dose_range_mg_per_kg=ranges),
        approved_quantity=approved, dose_per_administration=dose, days_supply=days_supply,
        fill=fill(scanned_code=carried(scanned_ndc, carrier, scanned_lot), lot_number="4471",
                  lot_expires_on=TODAY + lot_days * DAY, quantity=filled,
                  filled_on=TODAY - filled_ago * DAY),
        verification=verification(verifier_id=verifier_id, counted_quantity=counted,
                                  scanned_code=verifier_scan and carried(verifier_scan, "ten", "")),
        prescriber_dea=dea,
    )  # fmt: skip

    names = {generic.lower(), brand.lower(), drug_class.lower(), *generic.split("-")}
    weight_known = kg is not None
    holds = {
        "product_code": scanned_ndc == ndc and verifier_scan in (None, ndc),
        "lot_not_expired": lot_days >= 0 and not (carrier == "gs1" and scanned_lot != "4471"),
        "lot_outlasts_supply": days_supply is None or lot_days >= days_supply - 1,
        "quantity": filled == approved and counted in (None, filled),
        "second_person": verifier_id != FILLER,
        "counts_agree": counted == filled,
        "prescriber_dea": dea == VALID_DEA,
        "species": species not in flagged,
        "weight_current": weight_known and weight_age <= weight_limit,
        "dose_range": not ranges or (
            span is not None and dose is not None and kg is not None
            and within(dose, strength, kg, span)
        ),
        "patient_alive": alive,
        "vcpr": TODAY - exam_age * DAY >= months_before(TODAY, vcpr_months),
        "alerts": not (alert_names & names),
        "label_checked": labelled,
    }  # fmt: skip
    overrides = {item: "Checked with the owner and the chart" for item in overridden}
    return case, {"label_checked": labelled}, overrides, role, holds


@settings(max_examples=400, deadline=None)
@given(scenarios())
def test_verify_passes_exactly_when_every_item_holds(scenario: Scenario) -> None:
    case, attestations, overrides, role, holds = scenario
    checklist = checklist_for("in_house_fill", case.product.schedule is not None)
    result = evaluate(checklist, case, attestations, overrides, role)
    expected = {item.id: holds[item.id] or item.id in overrides for item in checklist.items}
    assert {a.item_id: a.passed for a in result.answers} == expected, result.reason()
    assert result.passed == all(expected.values())
    event(f"passed={result.passed}")
    assert {a.item_id for a in result.answers if a.overridden} == {
        item for item in overrides if not holds[item]
    }
