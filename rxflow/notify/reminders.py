"""`rxflow reminders`: queue the refill-due and unclaimed-pickup reminders for one day.

Idempotent: each reminder has a key (refill_due:{prescription}:{due date}, notify:{request}:
unclaimed_reminder), so running the job twice, or on two machines, queues each reminder once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from rxflow.db.base import utcnow
from rxflow.db.models import Patient, RefillRequest
from rxflow.db.session import Database
from rxflow.notify.context import long_date, request_context
from rxflow.notify.enqueue import enqueue
from rxflow.notify.refill_due import refill_due
from rxflow.notify.routing import route_for
from rxflow.service.snapshot import practice_rules
from rxflow.settings import PracticeRules
from rxflow.states.definition import TERMINAL, State

_DONE = (State.DISPENSED.value, State.FAXED.value)
_OPEN = tuple(s.value for s in State if s not in TERMINAL)


@dataclass(frozen=True)
class ReminderRun:
    """How many reminders a run queued (already-queued ones are not counted again)."""

    refill_due: int
    unclaimed: int


def queue_reminders(db: Database, on: date, *, now: datetime | None = None) -> ReminderRun:
    """Queue every reminder due on `on` in one transaction."""
    now = now or utcnow()
    with db.write() as session:
        rules = practice_rules(session)
        refills = sum(_refill(session, r, on, rules, now) for r in _last_completed(session))
        unclaimed = sum(_unclaimed(session, r, on, rules, now) for r in _waiting(session))
    return ReminderRun(refills, unclaimed)


def _eager() -> Any:
    return (
        joinedload(RefillRequest.patient).joinedload(Patient.client),
        joinedload(RefillRequest.product),
        joinedload(RefillRequest.prescription),
        joinedload(RefillRequest.pharmacy),
    )


def _last_completed(session: Session) -> list[RefillRequest]:
    """Per patient and drug, the request that last handed over a supply (dispensed or faxed)."""
    newest = (
        select(func.max(RefillRequest.id))
        .where(RefillRequest.state.in_(_DONE))
        .group_by(RefillRequest.patient_id, RefillRequest.product_id)
    )
    query = select(RefillRequest).where(RefillRequest.id.in_(newest)).options(*_eager())
    return list(session.scalars(query).unique())


def _refill_in_progress(session: Session, request: RefillRequest) -> bool:
    found = session.scalar(
        select(RefillRequest.id).where(
            RefillRequest.patient_id == request.patient_id,
            RefillRequest.product_id == request.product_id,
            RefillRequest.id > request.id,
            RefillRequest.state.in_(_OPEN),
        )
    )
    return found is not None


def _refill(
    session: Session, request: RefillRequest, on: date, rules: PracticeRules, now: datetime
) -> int:
    if request.closed_at is None:
        return 0
    due = refill_due(
        request.closed_at.date(),
        request.directions,
        float(request.quantity),
        rules.refill_reminder_lead_days,
    )
    if due is None or not due.due_on <= on <= due.runs_out_on:
        return 0
    rx = request.prescription
    can_refill = (
        rx is not None
        and rx.status == "active"
        and rx.refills_remaining > 0
        and rx.expires_on >= due.runs_out_on
    )
    if not (can_refill or due.ongoing) or _refill_in_progress(session, request):
        return 0
    route = route_for(request.patient.client, request.patient)
    if route is None:
        return 0
    context = request_context(session, request)
    context.update(runs_out_on=long_date(due.runs_out_on), needs_approval=not can_refill)
    subject = f"{rx.id}" if rx is not None else f"request-{request.id}"
    return int(
        enqueue(
            session,
            kind="refill_due",
            key=f"refill_due:{subject}:{due.due_on.isoformat()}",
            request_id=request.id,
            route=route,
            recipient_name=request.patient.client.name,
            context=context,
            now=now,
        )
    )


def _waiting(session: Session) -> list[RefillRequest]:
    query = (
        select(RefillRequest)
        .where(
            RefillRequest.state == State.VERIFIED.value,
            RefillRequest.fulfillment == "in_house",
            RefillRequest.verified_at.is_not(None),
        )
        .options(*_eager())
    )
    return list(session.scalars(query).unique())


def _unclaimed(
    session: Session, request: RefillRequest, on: date, rules: PracticeRules, now: datetime
) -> int:
    """Remind once, after `pickup_overdue_days`, while the fill is still held for the client."""
    assert request.verified_at is not None
    ready = request.verified_at.date()
    back_to_stock = ready + timedelta(days=rules.unclaimed_days)
    if not ready + timedelta(days=rules.pickup_overdue_days) <= on < back_to_stock:
        return 0
    route = route_for(request.patient.client, request.patient)
    if route is None:
        return 0
    context = request_context(session, request)
    context.update(ready_on=long_date(ready), keep_until=long_date(back_to_stock))
    return int(
        enqueue(
            session,
            kind="unclaimed_reminder",
            key=f"notify:{request.id}:unclaimed_reminder",
            request_id=request.id,
            route=route,
            recipient_name=request.patient.client.name,
            context=context,
            now=now,
        )
    )
