"""Engine-checked checklist items: pure functions of CheckFacts returning a finding or None.

A finding is one sentence the CSR can read aloud. Register a check with @check("name") and name
it from a checklist file: the file says which items a path runs, this module says how.
Where a check cannot compare (no weight, no dose), it says so rather than pass silently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import timedelta

from rxflow.checklists.facts import CheckFacts
from rxflow.codes import Scan, format_ndc11, parse_scan, scan_matches
from rxflow.dea import dea_problem
from rxflow.errors import InvalidInput
from rxflow.rules import add_months

Finding = str  # one sentence for the CSR; None from a check means the item holds
Check = Callable[[CheckFacts], Finding | None]
CHECKS: dict[str, Check] = {}
NOT_FILLED = "Nothing has been filled yet."
_PATIENTS = {"canine": "dogs", "feline": "cats", "equine": "horses", "avian": "birds",
             "rabbit": "rabbits", "ferret": "ferrets", "reptile": "reptiles"}  # fmt: skip


def check(name: str) -> Callable[[Check], Check]:
    """Register `fn` under `name`, the word a checklist file uses in `check = "..."`."""

    def register(fn: Check) -> Check:
        if name in CHECKS:
            raise ValueError(f"check {name!r} is registered twice")
        CHECKS[name] = fn
        return fn

    return register


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _drug(facts: CheckFacts) -> str:
    product = facts.product
    return " ".join(w for w in (product.generic_name, product.strength, product.dosage_form) if w)


def _patients(species: str) -> str:
    return _PATIENTS.get(species, f"{species} patients")


def _scanned(scan: Scan) -> str:
    if len(scan.ndc11_candidates) == 1:
        return "NDC " + format_ndc11(next(iter(scan.ndc11_candidates)))
    if scan.gtin14:
        return f"GTIN {scan.gtin14}"
    return f"code {scan.raw.strip()}"


def _code_problem(code: str | None, facts: CheckFacts, when: str) -> Finding | None:
    if not code:
        return f"No product code was scanned {when}; scan the stock bottle."
    try:
        scan = parse_scan(code)
    except InvalidInput as unreadable:
        return unreadable.reason
    if not scan_matches(scan, facts.product.ndc11):
        return (
            f"The bottle scanned {when} ({_scanned(scan)}) is not the prescribed "
            f"{_drug(facts)}; check the drug and its strength."
        )
    return None


@check("product_code_matches")
def product_code_matches(facts: CheckFacts) -> Finding | None:
    """The filler's scan, and the verifier's when given, are the prescribed product (21 CFR
    201.105: the right drug at the right strength)."""
    if facts.fill is None:
        return NOT_FILLED
    problem = _code_problem(facts.fill.scanned_code, facts, "when filling")
    verification = facts.verification
    if problem is None and verification is not None and verification.scanned_code:
        problem = _code_problem(verification.scanned_code, facts, "at verification")
    return problem


def _scan_of(code: str | None) -> Scan | None:
    try:
        return parse_scan(code) if code else None
    except InvalidInput:
        return None  # the product check reports an unreadable scan


@check("lot_not_expired")
def lot_not_expired(facts: CheckFacts) -> Finding | None:
    """The recorded lot is the one scanned (when the barcode carries it) and has not expired."""
    fill = facts.fill
    if fill is None:
        return NOT_FILLED
    scan = _scan_of(fill.scanned_code)
    if scan and scan.lot and fill.lot_number and scan.lot.upper() != fill.lot_number.upper():
        return f"The bottle scanned is lot {scan.lot}, but lot {fill.lot_number} was recorded."
    if fill.lot_expires_on is None:
        return f"The expiry date of lot {fill.lot_number or '(not recorded)'} is not recorded."
    if fill.lot_expires_on >= max(fill.filled_on, facts.today):
        return None
    when = f", before it was filled on {fill.filled_on}" if fill.filled_on < facts.today else ""
    if fill.lot_expires_on >= fill.filled_on:
        when = ""  # good when filled; it expired on the shelf since
    return f"Lot {fill.lot_number} expired on {fill.lot_expires_on}{when}."


@check("lot_outlasts_supply")
def lot_outlasts_supply(facts: CheckFacts) -> Finding | None:
    """The lot is good through the last day of the supply (the last dose is given on day N)."""
    fill = facts.fill
    if fill is None:
        return NOT_FILLED
    if fill.lot_expires_on is None or facts.days_supply is None or facts.days_supply < 1:
        return None  # no expiry (the expiry item says so) or no days' supply to compare
    last_day = facts.today + timedelta(days=facts.days_supply - 1)
    if fill.lot_expires_on < last_day:
        return (
            f"Lot {fill.lot_number} expires on {fill.lot_expires_on}, before the "
            f"{facts.days_supply}-day supply runs out."
        )
    return None


@check("quantity_matches")
def quantity_matches(facts: CheckFacts) -> Finding | None:
    """The fill count equals the approved quantity, and the verifier's count when entered."""
    fill = facts.fill
    if fill is None:
        return NOT_FILLED
    if not _same(fill.quantity, facts.approved_quantity):
        return f"{fill.quantity:g} were counted but {facts.approved_quantity:g} were approved."
    counted = facts.verification.counted_quantity if facts.verification else None
    if counted is not None and not _same(counted, fill.quantity):
        return f"The verifier counted {counted:g}, but the fill recorded {fill.quantity:g}."
    return None


@check("second_person_verifies")
def second_person_verifies(facts: CheckFacts) -> Finding | None:
    """A controlled-drug fill is verified by a second person (21 CFR 1304.22 records)."""
    if facts.fill is None:
        return NOT_FILLED
    if facts.verification is None:
        return "A controlled drug needs a second person to verify the fill."
    if facts.verification.verifier_id == facts.fill.filled_by_id:
        return "A controlled drug must be verified by someone other than the person who filled it."
    return None


@check("counts_agree")
def counts_agree(facts: CheckFacts) -> Finding | None:
    """Controlled drugs: the count is entered twice (fill and verify) and the two agree."""
    if facts.fill is None:
        return NOT_FILLED
    counted = facts.verification.counted_quantity if facts.verification else None
    if counted is None:
        return "Count the controlled drug again and enter the second count."
    if not _same(counted, facts.fill.quantity):
        return f"The second count ({counted:g}) does not match the fill ({facts.fill.quantity:g})."
    return None


@check("species_not_flagged")
def species_not_flagged(facts: CheckFacts) -> Finding | None:
    if facts.species in facts.product.flagged_species:
        drug = facts.product.generic_name.capitalize()
        return f"{drug} is flagged as unsafe for {_patients(facts.species)} in the formulary."
    return None


@check("weight_current")
def weight_current(facts: CheckFacts) -> Finding | None:
    """A dose is only as good as the weight: older than the practice's limit is a finding."""
    if not facts.latest_weight_kg or facts.latest_weight_on is None:
        return "There is no weight on record; weigh the patient."
    age = (facts.today - facts.latest_weight_on).days
    if age > facts.weight_max_age_days:
        return (
            f"The latest weight is {age} days old ({facts.latest_weight_on}); the practice's "
            f"limit is {facts.weight_max_age_days} days."
        )
    return None


def mg_per_kg(facts: CheckFacts) -> float | None:
    """Dose per administration (units) × strength (mg per unit) ÷ latest weight (kg)."""
    strength, dose, kg = (
        facts.product.strength_mg_per_unit,
        facts.dose_per_administration,
        facts.latest_weight_kg,
    )
    if not strength or strength <= 0 or dose is None or not kg or kg <= 0:
        return None
    return dose * strength / kg


def _dose_unknown(facts: CheckFacts) -> Finding:
    drug = facts.product.generic_name
    if not facts.product.strength_mg_per_unit or facts.product.strength_mg_per_unit <= 0:
        return f"The formulary gives no strength in mg for {drug}, so the dose cannot be checked."
    if facts.dose_per_administration is None:
        return "The directions give no dose per administration, so the dose cannot be checked."
    return "There is no weight on record, so the dose in mg/kg cannot be checked."


@check("dose_in_range")
def dose_in_range(facts: CheckFacts) -> Finding | None:
    """Dose in mg/kg from the latest weight, inside the formulary's range for the species."""
    ranges = facts.product.dose_range_mg_per_kg
    if not ranges:
        return None  # the formulary publishes no mg/kg range for this product (topicals, drops)
    span = ranges.get(facts.species)
    if span is None:
        return (
            f"The formulary has no dose range for {facts.product.generic_name} in "
            f"{_patients(facts.species)}; a veterinarian must confirm the dose."
        )
    dose = mg_per_kg(facts)
    if dose is None:
        return _dose_unknown(facts)
    low, high = span
    if dose < low * (1 - 1e-9) or dose > high * (1 + 1e-9):
        return (
            f"The dose is {dose:.2f} mg/kg; the usual range for {_patients(facts.species)} is "
            f"{low:g}–{high:g} mg/kg."
        )
    return None


@check("patient_alive")
def patient_alive(facts: CheckFacts) -> Finding | None:
    return None if facts.patient_alive else "The patient is recorded as deceased."


@check("vcpr_current")
def vcpr_current(facts: CheckFacts) -> Finding | None:
    """A valid VCPR needs an exam within the practice's window (state practice acts)."""
    last = facts.last_exam_on
    if last is None:
        return "The patient has no exam on record; the VCPR needs one."
    if add_months(last, facts.vcpr_months) < facts.today:
        return f"The last exam was on {last}, more than {facts.vcpr_months} months ago."
    return None


@check("prescriber_dea_valid")
def prescriber_dea_valid(facts: CheckFacts) -> Finding | None:
    """A controlled drug needs a prescriber with a valid DEA number (21 CFR 1306.05)."""
    if facts.product.schedule is None:
        return None
    if not facts.prescriber_dea:
        return "The prescriber has no DEA number on file for this controlled drug."
    return dea_problem(facts.prescriber_dea)


def drug_words(facts: CheckFacts) -> list[str]:
    """Names an alert may use for the drug: generic (and each part of a combination), brand,
    class."""
    product = facts.product
    names = [product.generic_name, product.brand_name or "", product.drug_class or ""]
    names += re.split(r"[-/+ ]+", product.generic_name)
    return sorted({n.strip().lower() for n in names if len(n.strip()) > 2}, key=len, reverse=True)


@check("no_alert_conflict")
def no_alert_conflict(facts: CheckFacts) -> Finding | None:
    """An allergy or alert naming the drug, its brand or its class ("NSAID") is a finding."""
    words = drug_words(facts)
    for note in (*facts.allergies, *facts.alerts):
        for word in words:
            if re.search(rf"(?<![a-z0-9]){re.escape(word)}s?(?![a-z0-9])", note.lower()):
                return f'The patient\'s record says "{note.strip()}", which names {word}.'
    return None


@check("pharmacy_fax_present")
def pharmacy_fax_present(facts: CheckFacts) -> Finding | None:
    digits = re.sub(r"\D", "", facts.pharmacy_fax or "")
    if not digits:
        return "The pharmacy has no fax number on file."
    if len(digits) < 10:
        return f"The pharmacy's fax number ({facts.pharmacy_fax}) is not a full number."
    return None
