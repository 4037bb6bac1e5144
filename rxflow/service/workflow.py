"""The use cases of the front desk: receive a request, fire a step, see what may be done next.

Each write is one transaction (Database.write): the state, the domain rows, the audit event,
the documents and the outbox rows commit together or not at all.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from rxflow.db.base import utcnow
from rxflow.db.models import (
    AuditEvent,
    Patient,
    Pharmacy,
    Prescription,
    Product,
    RefillRequest,
    User,
)
from rxflow.db.session import Database
from rxflow.errors import Conflict, InvalidInput, NotFound, RuleViolation
from rxflow.facts import Actor, GuardContext
from rxflow.service.actors import load_actor
from rxflow.service.checking import checklist_input
from rxflow.service.effects import Step, apply_effects
from rxflow.service.hooks import STEP_HOOKS
from rxflow.service.snapshot import practice_rules, request_facts
from rxflow.service.views import EventView, RequestIn, RequestView
from rxflow.states.definition import RECEIVE_ROLES, ROLES_BY_TRIGGER, TRIGGERS, State
from rxflow.states.guards import GUARDS
from rxflow.states.machine import MACHINE
from rxflow.states.machine import fire as machine_fire
from rxflow.states.payloads import parse_payload

# Guards that need the step's own payload are skipped in a dry run (allowed_triggers).
_NEEDS_PAYLOAD = {"fill_is_recordable", "approval_within_schedule_limits", "checklist_passes"}


def receive_request(
    db: Database, data: RequestIn | dict[str, Any], *, actor_id: int, now: datetime | None = None
) -> RequestView:
    """Take a refill request (phone, walk-in, email, online, fax, API) into the queue."""
    now = now or utcnow()
    request_in = data if isinstance(data, RequestIn) else _parse_request_in(data)
    with db.write() as session:
        actor = load_actor(session, actor_id)
        if actor.role not in RECEIVE_ROLES:
            from rxflow.errors import Forbidden

            raise Forbidden("Only front-desk staff, veterinarians and managers take requests.")
        request = _new_request(session, request_in, actor, now)
        session.add(request)
        session.flush()
        detail: dict[str, Any] = {"source": request.source, "fulfillment": request.fulfillment}
        session.add(
            AuditEvent(
                request_id=request.id,
                at=now,
                actor_id=actor.id,
                action="receive",
                from_state=None,
                to_state=request.state,
                detail=detail,
            )
        )
        session.flush()
        return request_view(request)


def _parse_request_in(data: dict[str, Any]) -> RequestIn:
    from pydantic import ValidationError

    try:
        return RequestIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "request"
        raise InvalidInput(f"New request: {field} {first['msg'].lower()}.") from None


def _new_request(session: Session, data: RequestIn, actor: Actor, now: datetime) -> RefillRequest:
    rx = None
    if data.prescription_id is not None:
        rx = session.get(Prescription, data.prescription_id)
        if rx is None:
            raise NotFound("prescription", data.prescription_id)
    patient_id = data.patient_id or (rx.patient_id if rx else None)
    product_id = data.product_id or (rx.product_id if rx else None)
    if patient_id is None or product_id is None:
        raise InvalidInput("A request needs a prescription, or a patient and a product.")
    if rx is not None and (rx.patient_id, rx.product_id) != (patient_id, product_id):
        raise InvalidInput(f"Prescription #{rx.id} is for another patient or drug.")
    if session.get(Patient, patient_id) is None:
        raise NotFound("patient", patient_id)
    if session.get(Product, product_id) is None:
        raise NotFound("product", product_id)
    directions = data.directions or (rx.directions if rx else None)
    quantity = data.quantity or (float(rx.quantity) if rx else None)
    if not directions or not quantity:
        raise InvalidInput("A request without a prescription needs directions and a quantity.")
    if data.fulfillment == "outside":
        if data.pharmacy_id is None:
            raise InvalidInput("An outside-pharmacy request needs the pharmacy.")
        if session.get(Pharmacy, data.pharmacy_id) is None:
            raise NotFound("pharmacy", data.pharmacy_id)
    return RefillRequest(
        state=State.RECEIVED.value,
        source=data.source,
        fulfillment=data.fulfillment,
        patient_id=patient_id,
        product_id=product_id,
        prescription_id=rx.id if rx else None,
        pharmacy_id=data.pharmacy_id,
        pharmacy_reference=data.pharmacy_reference,
        inbound_fax_id=data.inbound_fax_id,
        directions=directions,
        quantity=Decimal(str(quantity)),
        note=data.note,
        received_at=now,
        received_by_id=actor.id,
        updated_at=now,
        updated_by_id=actor.id,
    )


def fire(
    db: Database,
    request_id: int,
    trigger: str,
    *,
    actor_id: int,
    payload: dict[str, Any] | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RequestView:
    """Take one step on a request as `actor_id`; refuses with RuleViolation, Forbidden,
    Conflict (stale `expected_version` or a concurrent change), NotFound or InvalidInput."""
    now = now or utcnow()
    if trigger not in TRIGGERS:
        raise InvalidInput(f"Unknown step '{trigger}'.")
    parsed = parse_payload(trigger, payload)
    try:
        with db.write() as session:
            request = _load(session, request_id, lock=db.is_postgres)
            if expected_version is not None and request.version != expected_version:
                raise Conflict(request.updated_by.display_name, request.updated_at)
            actor = load_actor(session, actor_id)
            rules = practice_rules(session)
            facts = request_facts(session, request, rules, now, parsed)
            ctx = GuardContext(facts=facts, actor=actor, payload=parsed, rules=rules)
            if (
                trigger in {"verify", "dispense"}
                and request.state in MACHINE.events[trigger].transitions
            ):
                ctx.checklist_input = checklist_input(
                    session, request, facts, parsed, trigger, now, actor.id, rules
                )
            source = request.state
            machine_fire(request, trigger, ctx)
            step = Step(session, request, trigger, source, ctx, now)
            detail = apply_effects(step)
            for hook in STEP_HOOKS:
                detail.update(hook(step))
            session.add(
                AuditEvent(
                    request_id=request.id,
                    at=now,
                    actor_id=actor.id,
                    action=trigger,
                    from_state=source,
                    to_state=request.state,
                    detail={"payload": parsed.model_dump(mode="json"), **detail},
                )
            )
            session.flush()
            session.expire(request, ["updated_by"])
            return request_view(request)
    except StaleDataError:
        raise _conflict(db, request_id) from None


def _conflict(db: Database, request_id: int) -> Conflict:
    with db.read() as session:
        request = session.get(RefillRequest, request_id)
        if request is None:
            return Conflict(None, None)
        return Conflict(request.updated_by.display_name, request.updated_at)


_EAGER = (
    joinedload(RefillRequest.patient).joinedload(Patient.client),
    joinedload(RefillRequest.product),
    joinedload(RefillRequest.prescription),
    joinedload(RefillRequest.pharmacy),
)


def _load(session: Session, request_id: int, *, lock: bool = False) -> RefillRequest:
    """The request with what every step reads (patient, client, product, prescription,
    pharmacy) in one query; on PostgreSQL the request row is locked for the step."""
    query = select(RefillRequest).where(RefillRequest.id == request_id).options(*_EAGER)
    if lock:
        query = query.with_for_update(of=RefillRequest)
    request = session.scalars(query).unique().one_or_none()
    if request is None:
        raise NotFound("refill request", request_id)
    return request


def allowed_triggers(
    db: Database, request_id: int, *, actor_id: int, now: datetime | None = None
) -> list[str]:
    """The steps this actor could take now: the diagram ∩ the role, then a dry run of the rules."""
    now = now or utcnow()
    with db.read() as session:
        request = _load(session, request_id)
        actor = load_actor(session, actor_id)
        rules = practice_rules(session)
        facts = request_facts(session, request, rules, now)
        ctx = GuardContext(facts=facts, actor=actor, payload=None, rules=rules)
        return [t for t in _candidates(request.state, actor) if _dry_run(request.state, t, ctx)]


def _candidates(state: str, actor: Actor) -> list[str]:
    return [t for t in MACHINE.get_triggers(state) if actor.role in ROLES_BY_TRIGGER[t]]


def _dry_run(state: str, trigger: str, ctx: GuardContext) -> bool:
    for transition in MACHINE.events[trigger].transitions[state]:
        names = [getattr(c.func, "__name__", "") for c in transition.conditions]
        if trigger == "resume":
            if ctx.facts.held_from and transition.dest == ctx.facts.held_from:
                return True
            continue
        try:
            for name in names:
                if name in GUARDS and name not in _NEEDS_PAYLOAD:
                    GUARDS[name](ctx)
        except RuleViolation:
            return False
        return True
    return False


def get_request(db: Database, request_id: int) -> RequestView:
    with db.read() as session:
        return request_view(_load(session, request_id))


def history(db: Database, request_id: int) -> list[EventView]:
    """Every event of a request, oldest first, with who did it."""
    with db.read() as session:
        _load(session, request_id)
        rows = session.execute(
            select(AuditEvent, User.display_name)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(AuditEvent.request_id == request_id)
            .order_by(AuditEvent.id)
        ).all()
        return [
            EventView(
                id=event.id,
                at=event.at,
                actor=name,
                action=event.action,
                from_state=event.from_state,
                to_state=event.to_state,
                detail=event.detail,
            )
            for event, name in rows
        ]


def request_view(request: RefillRequest) -> RequestView:
    patient, product = request.patient, request.product
    return RequestView(
        id=request.id,
        state=request.state,
        version=request.version,
        held_from=request.held_from,
        source=request.source,
        fulfillment=request.fulfillment,
        patient_id=patient.id,
        patient_name=patient.name,
        species=patient.species,
        client_id=patient.client_id,
        client_name=patient.client.name,
        product_id=product.id,
        drug=product.display_name,
        controlled=product.schedule is not None,
        prescription_id=request.prescription_id,
        pharmacy_id=request.pharmacy_id,
        directions=request.directions,
        quantity=float(request.quantity),
        authorization=request.authorization,
        status_reason=request.status_reason,
        received_at=request.received_at,
        updated_at=request.updated_at,
        updated_by=request.updated_by.display_name,
    )
