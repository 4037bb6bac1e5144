"""Engine-checked checklist items: pure functions of CheckFacts returning a finding or None.

A finding is one sentence the CSR can read aloud. Register a check with @check("name") and
name it from a checklist file; the file says which items a path runs, this says how.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from rxflow.checklists.facts import CheckFacts
from rxflow.codes import parse_scan, scan_matches
from rxflow.dea import dea_problem
from rxflow.errors import InvalidInput

Check = Callable[[CheckFacts], str | None]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


def _code_problem(code: str | None, facts: CheckFacts, who: str) -> str | None:
    if not code:
        return f"No product code was scanned at {who}."
    try:
        scan = parse_scan(code)
    except InvalidInput as unreadable:
        return unreadable.reason
    if not scan_matches(scan, facts.product.ndc11):
        return (
            f"The bottle scanned at {who} ({code}) is not the prescribed "
            f"{facts.product.generic_name} {facts.product.dosage_form}: check the strength."
        )
    return None


@check("product_code_matches")
def product_code_matches(facts: CheckFacts) -> str | None:
    """The filler's scan, and the verifier's when given, equal the prescribed product."""
    if facts.fill is None:
        return "Nothing has been filled yet."
    problem = _code_problem(facts.fill.scanned_code, facts, "filling")
    if problem is None and facts.verification and facts.verification.scanned_code:
        problem = _code_problem(facts.verification.scanned_code, facts, "verification")
    return problem


@check("lot_not_expired")
def lot_not_expired(facts: CheckFacts) -> str | None:
    fill = facts.fill
    if fill is None or fill.lot_expires_on is None:
        return "The lot and its expiry date are not recorded."
    if fill.lot_expires_on < max(fill.filled_on, facts.today):
        return f"Lot {fill.lot_number} expired on {fill.lot_expires_on:%Y-%m-%d}."
    return None


@check("lot_outlasts_supply")
def lot_outlasts_supply(facts: CheckFacts) -> str | None:
    fill = facts.fill
    if fill is None or fill.lot_expires_on is None or facts.days_supply is None:
        return None  # no days' supply to compare (as-needed, drops): the expiry check stands
    if fill.lot_expires_on < facts.today:
        return None  # already expired: lot_not_expired says so once
    runs_out = facts.today + timedelta(days=facts.days_supply)
    if fill.lot_expires_on < runs_out:
        return (
            f"Lot {fill.lot_number} expires on {fill.lot_expires_on:%Y-%m-%d}, before the "
            f"{facts.days_supply}-day supply runs out."
        )
    return None


@check("quantity_matches")
def quantity_matches(facts: CheckFacts) -> str | None:
    fill = facts.fill
    if fill is None:
        return "Nothing has been filled yet."
    if fill.quantity != facts.approved_quantity:
        return f"{fill.quantity:g} were counted but {facts.approved_quantity:g} were approved."
    counted = facts.verification.counted_quantity if facts.verification else None
    if counted is not None and counted != fill.quantity:
        return f"The verifier counted {counted:g}, the fill recorded {fill.quantity:g}."
    return None


@check("second_person_verifies")
def second_person_verifies(facts: CheckFacts) -> str | None:
    if facts.fill is None or facts.verification is None:
        return "A controlled fill needs a verifier."
    if facts.verification.verifier_id == facts.fill.filled_by_id:
        return "A controlled drug must be verified by someone other than the person who filled it."
    return None


@check("counts_agree")
def counts_agree(facts: CheckFacts) -> str | None:
    """Controlled drugs: the count is entered twice (fill and verify) and must agree."""
    counted = facts.verification.counted_quantity if facts.verification else None
    if facts.fill is None or counted is None:
        return "Count the controlled drug again and enter the count."
    if counted != facts.fill.quantity:
        return f"The second count ({counted:g}) does not match the fill ({facts.fill.quantity:g})."
    return None


@check("species_not_flagged")
def species_not_flagged(facts: CheckFacts) -> str | None:
    if facts.species in facts.product.flagged_species:
        drug = facts.product.generic_name.capitalize()
        return f"{drug} is flagged as unsafe for {facts.species} patients."
    return None


@check("weight_current")
def weight_current(facts: CheckFacts) -> str | None:
    if facts.latest_weight_kg is None or facts.latest_weight_on is None:
        return "There is no weight on record for the dose check."
    age = (facts.today - facts.latest_weight_on).days
    if age > facts.weight_max_age_days:
        return (
            f"The latest weight is {age} days old ({facts.latest_weight_on:%Y-%m-%d}); the "
            f"limit is {facts.weight_max_age_days} days."
        )
    return None


@check("dose_in_range")
def dose_in_range(facts: CheckFacts) -> str | None:
    span = facts.product.dose_range_mg_per_kg.get(facts.species)
    strength, dose, kg = (
        facts.product.strength_mg_per_unit,
        facts.dose_per_administration,
        facts.latest_weight_kg,
    )
    if span is None or strength is None or dose is None:
        return None  # no published range for this species or form: nothing to compare
    if not kg:
        return "There is no weight on record for the dose check."
    mg_per_kg = dose * strength / kg
    low, high = span
    if not low <= mg_per_kg <= high:
        return (
            f"The dose is {mg_per_kg:.2f} mg/kg; the usual range for {facts.species} patients is "
            f"{low:g}–{high:g} mg/kg."
        )
    return None


@check("patient_alive")
def patient_alive(facts: CheckFacts) -> str | None:
    return None if facts.patient_alive else "The patient is recorded as deceased."


@check("vcpr_current")
def vcpr_current(facts: CheckFacts) -> str | None:
    last = facts.last_exam_on
    limit = facts.today - timedelta(days=round(facts.vcpr_months * 30.44))
    if last is None or last < limit:
        return f"No exam in the last {facts.vcpr_months} months ({last or 'never'})."
    return None


@check("prescriber_dea_valid")
def prescriber_dea_valid(facts: CheckFacts) -> str | None:
    if facts.product.schedule is None:
        return None
    if not facts.prescriber_dea:
        return "The prescriber has no DEA number on file for this controlled drug."
    return dea_problem(facts.prescriber_dea)


@check("no_alert_conflict")
def no_alert_conflict(facts: CheckFacts) -> str | None:
    names = {facts.product.generic_name, facts.product.brand_name, facts.product.drug_class}
    words = {n.lower() for n in names if n}
    for note in (*facts.allergies, *facts.alerts):
        lowered = note.lower()
        hit = next((w for w in words if w in lowered), None)
        if hit:
            return f"The patient's record says '{note}', which names {hit}."
    return None


@check("pharmacy_fax_present")
def pharmacy_fax_present(facts: CheckFacts) -> str | None:
    return None if facts.pharmacy_fax else "The pharmacy has no fax number on file."
