"""Builds the checklist facts for `verify` and `dispense` from the request's rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rxflow.checklists import (
    CheckFacts,
    Checklist,
    FillFacts,
    ProductFacts,
    VerifyFacts,
    checklist_for,
    evaluate,
)
from rxflow.db.models import RefillRequest, StockLot, User, Weight
from rxflow.db.session import Database
from rxflow.facts import RequestFacts
from rxflow.service.snapshot import active_fill, practice_rules, request_facts
from rxflow.settings import PracticeRules
from rxflow.sig import SigError, days_supply, parse_sig
from rxflow.states import payloads


def checklist_path(request: RefillRequest, trigger: str) -> str:
    if trigger == "dispense":
        return "dispense"
    return "outside_prescription" if request.fulfillment == "outside" else "in_house_fill"


def checklist_input(
    session: Session,
    request: RefillRequest,
    facts: RequestFacts,
    answers: payloads.Payload,
    trigger: str,
    now: datetime,
    actor_id: int,
    rules: PracticeRules | None = None,
) -> tuple[Checklist, CheckFacts]:
    """The checklist that applies to this step and the facts its engine items read."""
    checklist = checklist_for(checklist_path(request, trigger), facts.schedule is not None)
    return checklist, check_facts(session, request, facts, answers, now, actor_id, rules)


def check_facts(
    session: Session,
    request: RefillRequest,
    facts: RequestFacts,
    answers: payloads.Payload,
    now: datetime,
    actor_id: int,
    ctx_rules: PracticeRules | None = None,
) -> CheckFacts:
    rules = ctx_rules if ctx_rules is not None else practice_rules(session)
    product, patient = request.product, request.patient
    quantity = float(request.quantity)
    try:
        sig = parse_sig(request.directions)
    except SigError:
        sig = None
    latest = session.scalar(
        select(Weight)
        .where(Weight.patient_id == patient.id)
        .order_by(Weight.weighed_on.desc())
        .limit(1)
    )
    fill = active_fill(session, request.id)
    lot = session.get(StockLot, fill.lot_id) if fill and fill.lot_id else None
    signer = session.get(User, facts.approver.id) if facts.approver else None
    verification = None
    if isinstance(answers, payloads.Checklist):
        verification = VerifyFacts(
            verifier_id=actor_id,
            scanned_code=answers.scanned_code,
            counted_quantity=answers.counted_quantity,
        )
    return CheckFacts(
        today=now.date(),
        species=patient.species,
        patient_alive=not patient.deceased,
        last_exam_on=patient.last_exam_on,
        vcpr_months=rules.vcpr_months,
        latest_weight_kg=float(latest.weight_kg) if latest else None,
        latest_weight_on=latest.weighed_on if latest else None,
        weight_max_age_days=rules.weight_max_age_days,
        alerts=tuple(a for a in (patient.alerts,) if a),
        allergies=tuple(a.strip() for a in patient.allergies.split(",") if a.strip()),
        product=ProductFacts(
            generic_name=product.generic_name,
            strength=product.strength,
            brand_name=product.brand_name or None,
            drug_class=product.drug_class or None,
            strength_mg_per_unit=(
                float(product.strength_mg_per_unit) if product.strength_mg_per_unit else None
            ),
            dosage_form=product.dosage_form,
            ndc11=product.ndc11 or "",
            schedule=facts.schedule,
            flagged_species=tuple(product.flagged_species),
            dose_range_mg_per_kg={
                k: (float(v[0]), float(v[1])) for k, v in product.dose_ranges.items()
            },
        ),
        approved_quantity=quantity,
        dose_per_administration=sig.dose if sig else None,
        units_per_day=sig.units_per_day() if sig else None,
        days_supply=days_supply(sig, quantity) if sig else None,
        fill=FillFacts(
            scanned_code=fill.scanned_code,
            lot_number=lot.lot_number if lot else None,
            lot_expires_on=lot.expires_on if lot else None,
            quantity=float(fill.quantity),
            filled_by_id=fill.filled_by_id,
            filled_on=fill.filled_at.date(),
        )
        if fill
        else None,
        verification=verification,
        prescriber_dea=signer.dea_number if signer else None,
        pharmacy_fax=facts.pharmacy_fax,
    )


def overridable_failures(
    db: Database, request_id: int, answers: dict[str, Any], *, now: datetime, actor_id: int
) -> list[str]:
    """Item ids that fail now and that a DVM may accept (for the demo and the web form)."""
    with db.read() as session:
        request = session.get(RefillRequest, request_id)
        assert request is not None
        rules = practice_rules(session)
        facts = request_facts(session, request, rules, now)
        parsed = payloads.parse_payload("verify", answers)
        checklist, check = checklist_input(session, request, facts, parsed, "verify", now, actor_id)
        assert isinstance(parsed, payloads.Checklist)
        result = evaluate(checklist, check, parsed.attestations, {}, "dvm")
        overridable = {item.id for item in checklist.items if item.overridable}
        return [a.item_id for a in result.answers if not a.passed and a.item_id in overridable]
