"""Pure rule functions behind the guards; each cites its source and raises RuleViolation.

Federal values are the defaults; states that are stricter or looser are practice settings.
"""

from __future__ import annotations

import calendar
from datetime import date

from rxflow.errors import RuleViolation
from rxflow.facts import Actor, RequestFacts
from rxflow.settings import PracticeRules


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (Jan 31 + 1 month = Feb 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_label(schedule: int | None) -> str:
    return {2: "C-II", 3: "C-III", 4: "C-IV", 5: "C-V"}.get(schedule or 0, "not controlled")


def effective_schedule(federal: int | None, generic_name: str, rules: PracticeRules) -> int | None:
    """The schedule that applies here: the practice's state list overrides the federal one.

    Gabapentin is Schedule V in some states and not controlled federally (DESIGN: formulary keeps
    the federal schedule, the practice's state overrides it). 0 in the overrides means "not
    controlled in this state".
    """
    override = rules.schedule_overrides.get(generic_name.strip().lower())
    if override is None:
        return federal
    return override or None


def prescription_expiry(written_on: date, schedule: int | None, rules: PracticeRules) -> date:
    """When a prescription stops authorizing refills.

    21 CFR 1306.22(a): Schedule III–IV prescriptions may not be refilled more than six months
    after the date written (applied to C-V as the strict default); other prescriptions follow
    the practice's setting (default one year, the common state-board limit).
    """
    if schedule is not None and schedule >= 2:
        return add_months(written_on, rules.controlled_expiry_months)
    return add_months(written_on, rules.rx_expiry_months)


def max_refills(schedule: int | None, rules: PracticeRules) -> int | None:
    """The most refills a prescription of this schedule may carry; None means no federal cap.

    21 CFR 1306.12(a): Schedule II may not be refilled. 21 CFR 1306.22(a): Schedule III–IV at
    most five times (C-V held to the same as the strict default).
    """
    if schedule == 2:
        return 0
    if schedule is not None:
        return rules.controlled_max_refills
    return None


def check_refill_limit(schedule: int | None, refills: int, rules: PracticeRules) -> None:
    """Refuse a prescription that carries more refills than its schedule allows."""
    limit = max_refills(schedule, rules)
    if schedule == 2 and refills > 0:
        raise RuleViolation(
            "SCHEDULE_II_NO_REFILLS",
            "Schedule II drugs cannot be refilled (21 CFR 1306.12); a new prescription is needed.",
        )
    if limit is not None and refills > limit:
        raise RuleViolation(
            "SCHEDULE_REFILL_LIMIT",
            f"A {schedule_label(schedule)} prescription may carry at most {limit} refills "
            f"(21 CFR 1306.22); {refills} were asked for.",
        )


def check_patient_alive(facts: RequestFacts) -> None:
    """No prescription is refilled for a patient recorded as deceased."""
    if not facts.patient_alive:
        raise RuleViolation(
            "PATIENT_DECEASED",
            "The patient is recorded as deceased; nothing can be refilled for them.",
        )


def check_vcpr(facts: RequestFacts, rules: PracticeRules) -> None:
    """A valid veterinarian-client-patient relationship needs a recent exam (state practice acts).

    The window is a practice setting (default 12 months, the most common state rule).
    """
    last = facts.patient_last_exam_on
    if last is None or add_months(last, rules.vcpr_months) < facts.today:
        seen = f"last seen {last:%Y-%m-%d}" if last else "no exam on record"
        raise RuleViolation(
            "VCPR_EXAM_LAPSED",
            f"Refill not authorized: the patient has had no exam in the last "
            f"{rules.vcpr_months} months ({seen}) — a veterinarian must decide.",
        )


def check_standing_authorization(facts: RequestFacts, rules: PracticeRules) -> None:
    """A standing prescription authorizes a refill only while every condition holds.

    Refills left, not expired (21 CFR 1306.22 for C-III–V), never for C-II (21 CFR 1306.12),
    patient alive, exam within the VCPR window. Otherwise a DVM decides.
    """
    rx = facts.prescription
    if rx is None:
        raise RuleViolation(
            "RX_NONE",
            "Refill not authorized: there is no standing prescription — a veterinarian must "
            "approve.",
        )
    if facts.schedule == 2:
        raise RuleViolation(
            "SCHEDULE_II_NO_REFILLS",
            f"Refill not authorized: prescription #{rx.id} is Schedule II, which can never be "
            "refilled (21 CFR 1306.12) — a veterinarian must write a new prescription.",
        )
    if rx.status != "active":
        raise RuleViolation(
            "RX_NOT_ACTIVE",
            f"Refill not authorized: prescription #{rx.id} is {rx.status} — a veterinarian must "
            "approve.",
        )
    if rx.refills_remaining <= 0:
        raise RuleViolation(
            "RX_NO_REFILLS_LEFT",
            f"Refill not authorized: prescription #{rx.id} has no refills left — a veterinarian "
            "must approve.",
        )
    expires = min(rx.expires_on, prescription_expiry(rx.written_on, facts.schedule, rules))
    if expires < facts.today:
        raise RuleViolation(
            "RX_EXPIRED",
            f"Refill not authorized: prescription #{rx.id} expired on {expires:%Y-%m-%d} — a "
            "veterinarian must approve.",
        )
    limit = max_refills(facts.schedule, rules)
    if limit is not None and rx.refills_authorized > limit:
        raise RuleViolation(
            "SCHEDULE_REFILL_LIMIT",
            f"Refill not authorized: prescription #{rx.id} carries more refills than "
            f"{schedule_label(facts.schedule)} allows — a veterinarian must approve.",
        )
    check_patient_alive(facts)
    check_vcpr(facts, rules)


def check_may_prescribe(actor: Actor, facts: RequestFacts, dea_valid: bool) -> None:
    """Only a DVM approves; a controlled drug needs a DVM with a valid DEA registration.

    21 CFR 1306.03: a controlled-substance prescription is issued only by a registered prescriber.
    """
    if actor.role != "dvm":
        raise RuleViolation("APPROVER_NOT_DVM", "Only a veterinarian can approve or deny a refill.")
    if facts.schedule is not None and not dea_valid:
        raise RuleViolation(
            "DEA_REQUIRED",
            f"{facts.generic_name.capitalize()} is {schedule_label(facts.schedule)}: it needs a "
            "veterinarian with a valid DEA registration number on file.",
        )


def check_not_schedule_ii_by_fax(facts: RequestFacts, rules: PracticeRules) -> None:
    """A faxed C-II prescription is only an advance copy (21 CFR 1306.11(a)); rxflow never faxes
    one as the prescription: the signed original goes with the client."""
    if facts.schedule == 2:
        raise RuleViolation(
            "SCHEDULE_II_NOT_BY_FAX",
            "Schedule II prescriptions cannot be faxed as the prescription (21 CFR 1306.11): "
            "print the signed original for the client to take to the pharmacy.",
        )
