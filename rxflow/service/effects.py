"""What each step changes besides the state: approvals, fills, stock, refills, checklist runs.

Runs inside the step's transaction, after the machine accepted the trigger. Each function
returns a small dict that goes into the step's audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rxflow.db.models import (
    Approval,
    ChecklistRun,
    Dispense,
    Fill,
    OutboxMessage,
    Prescription,
    RefillRequest,
    StockLot,
    StockMovement,
)
from rxflow.facts import Actor, GuardContext
from rxflow.rules import prescription_expiry
from rxflow.service.snapshot import active_fill
from rxflow.states import payloads
from rxflow.states.definition import TERMINAL, State


@dataclass
class Step:
    """One accepted step, as the effect functions see it."""

    session: Session
    request: RefillRequest
    trigger: str
    source_state: str
    ctx: GuardContext
    now: datetime

    @property
    def actor(self) -> Actor:
        return self.ctx.actor

    @property
    def payload(self) -> Any:
        return self.ctx.payload


Effect = Callable[[Step], dict[str, Any]]
EFFECTS: dict[str, Effect] = {}


def effect(*triggers: str) -> Callable[[Effect], Effect]:
    def register(fn: Effect) -> Effect:
        for trigger in triggers:
            EFFECTS[trigger] = fn
        return fn

    return register


def apply_effects(step: Step) -> dict[str, Any]:
    request = step.request
    detail = EFFECTS[step.trigger](step) if step.trigger in EFFECTS else {}
    request.updated_at = step.now
    request.updated_by_id = step.actor.id
    if request.state in TERMINAL:
        request.closed_at = step.now
    return detail


def move_stock(step: Step, lot: StockLot, delta: Decimal, reason: str) -> None:
    lot.quantity_on_hand = lot.quantity_on_hand + delta
    step.session.add(
        StockMovement(
            lot_id=lot.id,
            product_id=lot.product_id,
            request_id=step.request.id,
            delta=delta,
            balance_after=lot.quantity_on_hand,
            reason=reason,
            actor_id=step.actor.id,
            at=step.now,
        )
    )


def undo_fill(step: Step, reason: str, movement: str) -> dict[str, Any]:
    """Void the active fill: its stock goes back to the lot and its refill to the prescription."""
    request = step.request
    fill = active_fill(step.session, request.id)
    if fill is None:
        return {}
    fill.voided_at = step.now
    fill.void_reason = reason
    if fill.lot_id is not None:
        lot = step.session.get(StockLot, fill.lot_id)
        assert lot is not None
        move_stock(step, lot, fill.quantity, movement)
    if request.refill_consumed and request.prescription is not None:
        request.prescription.refills_remaining += 1
        request.refill_consumed = False
    return {"voided_fill_id": fill.id}


def consume_refill(request: RefillRequest) -> None:
    """A standing authorization spends one refill of the prescription when the fill is made."""
    rx = request.prescription
    if request.authorization == "standing" and rx is not None and not request.refill_consumed:
        rx.refills_remaining -= 1
        request.refill_consumed = True


@effect("authorize")
def _authorize(step: Step) -> dict[str, Any]:
    request = step.request
    assert request.prescription is not None
    request.authorization = "standing"
    request.authorized_by_id = request.prescription.prescriber_id
    return {"prescription_id": request.prescription_id}


def record_answer(step: Step, response: str, **fields: Any) -> Approval:
    """The DVM's answer (NCPDP: approved, with changes, replace, denied, pending) as a row."""
    approval = Approval(
        request_id=step.request.id,
        response=response,
        decided_by_id=step.actor.id,
        decided_at=step.now,
        **fields,
    )
    step.session.add(approval)
    step.session.flush()
    return approval


@effect("approve")
def _approve(step: Step) -> dict[str, Any]:
    request, answer = step.request, step.payload
    assert isinstance(answer, payloads.Approve)
    approval = record_answer(
        step,
        answer.response,
        quantity=Decimal(str(answer.quantity)) if answer.quantity else None,
        directions=answer.directions,
        refills=answer.refills,
        note=answer.note or "",
    )
    if answer.quantity:
        request.quantity = Decimal(str(answer.quantity))
    if answer.directions:
        request.directions = answer.directions
    request.authorization = "dvm"
    request.authorized_by_id = step.actor.id
    if answer.refills is not None:
        approval.new_prescription_id = _write_prescription(step, answer.refills).id
    step.session.flush()
    return {"approval_id": approval.id, "new_prescription_id": approval.new_prescription_id}


def _write_prescription(step: Step, refills: int) -> Prescription:
    """A renewal or replacement: a new prescription; the old one is marked renewed."""
    request = step.request
    old = request.prescription
    written = step.now.date()
    rx = Prescription(
        patient_id=request.patient_id,
        product_id=request.product_id,
        prescriber_id=step.actor.id,
        directions=request.directions,
        quantity=request.quantity,
        refills_authorized=refills,
        refills_remaining=refills,
        written_on=written,
        expires_on=prescription_expiry(written, step.ctx.facts.schedule, step.ctx.rules),
        renews_id=old.id if old else None,
    )
    if old is not None and old.status == "active":
        old.status = "renewed"
    step.session.add(rx)
    step.session.flush()
    request.prescription_id = rx.id
    request.prescription = rx
    return rx


@effect("pend")
def _pend(step: Step) -> dict[str, Any]:
    answer = step.payload
    assert isinstance(answer, payloads.Pend)
    approval = record_answer(step, "pending", note=answer.note, expected_on=answer.expected_on)
    return {"approval_id": approval.id}


@effect("deny")
def _deny(step: Step) -> dict[str, Any]:
    answer = step.payload
    assert isinstance(answer, payloads.Deny)
    approval = record_answer(
        step, "denied", reason_code=answer.reason_code.value, note=answer.note or ""
    )
    step.request.status_reason = payloads.DENIAL_TEXT[answer.reason_code]
    return {"approval_id": approval.id}


@effect("fill")
def _fill(step: Step) -> dict[str, Any]:
    request, answer = step.request, step.payload
    assert isinstance(answer, payloads.Fill)
    lot = step.session.get(StockLot, answer.lot_id)
    assert lot is not None
    quantity = Decimal(str(answer.quantity))
    fill = Fill(
        request_id=request.id,
        kind="in_house",
        lot_id=lot.id,
        scanned_code=answer.scanned_code,
        quantity=quantity,
        filled_by_id=step.actor.id,
        filled_at=step.now,
    )
    step.session.add(fill)
    move_stock(step, lot, -quantity, "fill")
    consume_refill(request)
    step.session.flush()
    return {"fill_id": fill.id}


@effect("prepare")
def _prepare(step: Step) -> dict[str, Any]:
    request = step.request
    fill = Fill(
        request_id=request.id,
        kind="outside",
        quantity=request.quantity,
        filled_by_id=step.actor.id,
        filled_at=step.now,
    )
    step.session.add(fill)
    consume_refill(request)
    step.session.flush()
    return {"fill_id": fill.id}


def record_checklist(step: Step, kind: str) -> ChecklistRun:
    result = step.ctx.checklist_result
    fill = active_fill(step.session, step.request.id)
    run = ChecklistRun(
        request_id=step.request.id,
        fill_id=fill.id if fill else None,
        checklist_id=result.checklist_id,
        checklist_version=result.version,
        step=kind,
        passed=result.passed,
        answers=[
            {
                **answer.model_dump(mode="json"),
                "by": step.actor.username,
                "at": step.now.isoformat(),
            }
            for answer in result.answers
        ],
        run_by_id=step.actor.id,
        run_at=step.now,
    )
    step.session.add(run)
    step.session.flush()
    return run


@effect("verify")
def _verify(step: Step) -> dict[str, Any]:
    run = record_checklist(step, "verify")
    step.request.verified_at = step.now
    return {"checklist_run_id": run.id}


@effect("reject")
def _reject(step: Step) -> dict[str, Any]:
    answer = step.payload
    assert isinstance(answer, payloads.Reason)
    step.request.status_reason = answer.reason
    return undo_fill(step, answer.reason, "reject")


@effect("dispense")
def _dispense(step: Step) -> dict[str, Any]:
    run = record_checklist(step, "dispense")
    fill = active_fill(step.session, step.request.id)
    assert fill is not None
    dispense = Dispense(
        request_id=step.request.id,
        fill_id=fill.id,
        dispensed_by_id=step.actor.id,
        dispensed_at=step.now,
    )
    step.session.add(dispense)
    step.session.flush()
    return {"checklist_run_id": run.id, "dispense_id": dispense.id}


@effect("fax_failed")
def _fax_failed(step: Step) -> dict[str, Any]:
    answer = step.payload
    assert isinstance(answer, payloads.Reason)
    step.request.status_reason = answer.reason
    return {}


@effect("fax_confirmed")
def _fax_confirmed(step: Step) -> dict[str, Any]:
    step.request.status_reason = ""
    return {}


@effect("return_to_stock")
def _return_to_stock(step: Step) -> dict[str, Any]:
    step.request.status_reason = f"Unclaimed for {step.ctx.rules.unclaimed_days} days."
    return undo_fill(step, "returned to stock", "return")


@effect("hold")
def _hold(step: Step) -> dict[str, Any]:
    answer = step.payload
    assert isinstance(answer, payloads.Reason)
    step.request.held_from = step.source_state
    step.request.status_reason = answer.reason
    return {"held_from": step.source_state}


@effect("resume")
def _resume(step: Step) -> dict[str, Any]:
    step.request.held_from = None
    step.request.status_reason = ""
    return {}


@effect("cancel")
def _cancel(step: Step) -> dict[str, Any]:
    answer = step.payload
    assert isinstance(answer, payloads.Reason)
    request = step.request
    request.status_reason = answer.reason
    origin = request.held_from or step.source_state
    request.held_from = None
    detail: dict[str, Any] = {}
    if origin in {State.FILLED, State.VERIFIED, State.FAX_FAILED}:
        detail = undo_fill(step, answer.reason, "cancel")
    step.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.request_id == request.id, OutboxMessage.status == "pending")
        .values(status="cancelled", last_error="request cancelled")
    )
    return detail


def pending_outbox(session: Session, request_id: int) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.request_id == request_id, OutboxMessage.status == "pending"
            )
        )
    )
