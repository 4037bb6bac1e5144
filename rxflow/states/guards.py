"""One function per guard, named after the rule; each raises RuleViolation with its reason.

Guards read only the GuardContext (facts snapshot, actor, payload, practice rules): no I/O.
The transition table names them by string; machine.py resolves the names here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from rxflow import rules
from rxflow.dea import dea_number_valid
from rxflow.errors import RuleViolation
from rxflow.facts import GuardContext
from rxflow.states import payloads
from rxflow.states.definition import HOLDABLE
from rxflow.states.gate import run_checklist

Guard = Callable[[GuardContext], None]
GUARDS: dict[str, Guard] = {}


def guard(fn: Guard) -> Guard:
    GUARDS[fn.__name__] = fn
    return fn


@guard
def standing_prescription_authorizes(ctx: GuardContext) -> None:
    rules.check_standing_authorization(ctx.facts, ctx.rules)


@guard
def approver_may_prescribe(ctx: GuardContext) -> None:
    rules.check_may_prescribe(ctx.actor, ctx.facts, dea_number_valid(ctx.actor.dea_number or ""))


@guard
def approver_is_veterinarian(ctx: GuardContext) -> None:
    if ctx.actor.role != "dvm":
        raise RuleViolation("APPROVER_NOT_DVM", "Only a veterinarian can approve or deny a refill.")


@guard
def patient_alive(ctx: GuardContext) -> None:
    rules.check_patient_alive(ctx.facts)


@guard
def approval_within_schedule_limits(ctx: GuardContext) -> None:
    payload = ctx.payload
    assert isinstance(payload, payloads.Approve)
    if payload.refills is not None:
        rules.check_refill_limit(ctx.facts.schedule, payload.refills, ctx.rules)


@guard
def is_in_house(ctx: GuardContext) -> None:
    if ctx.facts.fulfillment != "in_house":
        raise RuleViolation(
            "NOT_IN_HOUSE",
            "This request goes to an outside pharmacy: prepare the written prescription instead.",
        )


@guard
def is_outside(ctx: GuardContext) -> None:
    if ctx.facts.fulfillment != "outside":
        raise RuleViolation(
            "NOT_OUTSIDE", "This request is filled in-house: fill it from stock instead."
        )


@guard
def fill_is_recordable(ctx: GuardContext) -> None:
    payload = ctx.payload
    assert isinstance(payload, payloads.Fill)
    facts = ctx.facts
    if facts.lot_on_hand is None:
        raise RuleViolation("LOT_UNKNOWN", f"There is no stock lot #{payload.lot_id}.")
    if not facts.lot_product_matches:
        raise RuleViolation(
            "LOT_WRONG_PRODUCT",
            f"Lot #{payload.lot_id} is not {facts.generic_name}: pick a lot of the prescribed "
            "drug.",
        )
    if payload.quantity > facts.lot_on_hand:
        raise RuleViolation(
            "LOT_INSUFFICIENT",
            f"Lot #{payload.lot_id} has only {facts.lot_on_hand:g} on hand; "
            f"{payload.quantity:g} were counted.",
        )


@guard
def prescriber_can_sign(ctx: GuardContext) -> None:
    signer = ctx.facts.approver
    if signer is None or signer.role != "dvm" or not signer.license_number:
        raise RuleViolation(
            "NO_SIGNING_PRESCRIBER",
            "The written prescription needs a veterinarian with a license number on file.",
        )
    if ctx.facts.schedule is not None and not dea_number_valid(signer.dea_number or ""):
        raise RuleViolation(
            "DEA_REQUIRED",
            f"{signer.display_name} has no valid DEA number on file, which a "
            f"{rules.schedule_label(ctx.facts.schedule)} prescription must carry.",
        )


@guard
def checklist_passes(ctx: GuardContext) -> None:
    run_checklist(ctx)


@guard
def authorized_and_checked(ctx: GuardContext) -> None:
    if ctx.facts.authorization is None:
        raise RuleViolation(
            "NOT_AUTHORIZED", "This request has no authorization from a prescription or a DVM."
        )
    if not ctx.facts.has_passed_checklist:
        raise RuleViolation(
            "CHECKLIST_NOT_PASSED", "This request has no passed fill checklist on record."
        )


@guard
def not_schedule_ii_by_fax(ctx: GuardContext) -> None:
    rules.check_not_schedule_ii_by_fax(ctx.facts, ctx.rules)


@guard
def pharmacy_has_fax(ctx: GuardContext) -> None:
    if not ctx.facts.pharmacy_fax:
        raise RuleViolation(
            "PHARMACY_NO_FAX", "The pharmacy has no fax number on file; add it before faxing."
        )


@guard
def unclaimed_long_enough(ctx: GuardContext) -> None:
    verified_at = ctx.facts.verified_at
    days = ctx.rules.unclaimed_days
    if verified_at is None or verified_at + timedelta(days=days) > ctx.facts.now:
        raise RuleViolation(
            "NOT_UNCLAIMED_YET",
            f"Only requests left unclaimed for {days} days go back to stock.",
        )


def _held_from(state: str) -> Callable[[GuardContext], bool]:
    # A branch selector, not a rule: it returns False so transitions tries the next resume row.
    def held_from(ctx: GuardContext) -> bool:
        return ctx.facts.held_from == state

    return held_from


BRANCHES: dict[str, Callable[[GuardContext], bool]] = {
    f"held_from_{s.value}": _held_from(s.value) for s in HOLDABLE
}
