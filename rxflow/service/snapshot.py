"""Builds the frozen facts the guards read from the database rows of one request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from rxflow.db.models import ChecklistRun, Fill, Practice, RefillRequest, StockLot, User
from rxflow.facts import PrescriptionFacts, RequestFacts
from rxflow.rules import effective_schedule
from rxflow.service.actors import actor_for
from rxflow.settings import PracticeRules
from rxflow.states import payloads


def practice_rules(session: Session) -> PracticeRules:
    practice = session.scalar(select(Practice).limit(1))
    return PracticeRules.model_validate(practice.rules if practice else {})


def active_fill(session: Session, request_id: int) -> Fill | None:
    return session.scalar(
        select(Fill)
        .where(Fill.request_id == request_id, Fill.voided_at.is_(None))
        .order_by(Fill.id.desc())
        .limit(1)
    )


def has_passed_fill_checklist(session: Session, request_id: int, fill_id: int | None) -> bool:
    if fill_id is None:
        return False
    found = session.scalar(
        select(ChecklistRun.id).where(
            ChecklistRun.request_id == request_id,
            ChecklistRun.fill_id == fill_id,
            ChecklistRun.step == "verify",
            ChecklistRun.passed.is_(True),
        )
    )
    return found is not None


def request_facts(
    session: Session,
    request: RefillRequest,
    rules: PracticeRules,
    now: datetime,
    payload: payloads.Payload | None = None,
) -> RequestFacts:
    rx = request.prescription
    product = request.product
    fill = active_fill(session, request.id)
    lot_on_hand: float | None = None
    lot_matches: bool | None = None
    if isinstance(payload, payloads.Fill):
        lot = session.get(StockLot, payload.lot_id)
        if lot is not None:
            lot_on_hand = float(lot.quantity_on_hand)
            lot_matches = lot.product_id == request.product_id
    signer_id = request.authorized_by_id or (rx.prescriber_id if rx else None)
    signer = session.get(User, signer_id) if signer_id else None
    return RequestFacts(
        request_id=request.id,
        state=request.state,
        held_from=request.held_from,
        fulfillment=request.fulfillment,
        authorization=request.authorization,
        now=now,
        today=now.date(),
        prescription=PrescriptionFacts(
            id=rx.id,
            status=rx.status,
            refills_authorized=rx.refills_authorized,
            refills_remaining=rx.refills_remaining,
            written_on=rx.written_on,
            expires_on=rx.expires_on,
            prescriber_id=rx.prescriber_id,
        )
        if rx
        else None,
        generic_name=product.generic_name,
        schedule=effective_schedule(product.schedule, product.generic_name, rules),
        patient_alive=not request.patient.deceased,
        patient_last_exam_on=request.patient.last_exam_on,
        pharmacy_fax=request.pharmacy.fax if request.pharmacy and request.pharmacy.fax else None,
        fill_id=fill.id if fill else None,
        filled_by_id=fill.filled_by_id if fill else None,
        lot_on_hand=lot_on_hand,
        lot_product_matches=lot_matches,
        has_passed_checklist=has_passed_fill_checklist(
            session, request.id, fill.id if fill else None
        ),
        verified_at=request.verified_at,
        approver=actor_for(signer) if signer else None,
    )
