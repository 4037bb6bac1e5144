"""Read-only questions the pages ask: the DVM queue with flags, desk counts, overdue lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from rxflow.db.models import (
    Client,
    InboundFax,
    Patient,
    Prescription,
    Product,
    RefillRequest,
    Weight,
)
from rxflow.service.snapshot import practice_rules
from rxflow.states.definition import OPEN, State


@dataclass
class QueueRow:
    """One request awaiting a doctor's decision, with what makes it need a closer look."""

    id: int
    version: int
    received_at: datetime
    patient: str
    species: str
    client: str
    drug: str
    kind: str
    flags: list[str]


_ROMAN = {2: "II", 3: "III", 4: "IV", 5: "V"}


def _kind(source: str, fulfillment: str, prescription_id: int | None, refills: int | None) -> str:
    if source == "fax" or fulfillment == "outside":
        return "pharmacy request"
    if prescription_id is None:
        return "new request"
    return "renewal" if refills == 0 else "refill"


def approval_queue(session: Session, today: date, limit: int = 100) -> list[QueueRow]:
    """Requests awaiting approval, oldest first; flags say why a doctor should look twice.

    One select of just the shown columns (no ORM objects): the page is polled all day.
    """
    rules = practice_rules(session)
    vcpr_cutoff = today - timedelta(days=int(rules.vcpr_months * 30.44))
    query = (
        select(
            RefillRequest.id,
            RefillRequest.version,
            RefillRequest.received_at,
            RefillRequest.source,
            RefillRequest.fulfillment,
            RefillRequest.prescription_id,
            Patient.name,
            Patient.species,
            Patient.last_exam_on,
            Client.first_name,
            Client.last_name,
            Product.generic_name,
            Product.brand_name,
            Product.strength,
            Product.dosage_form,
            Product.schedule,
            Product.flagged_species,
            Prescription.refills_remaining,
        )
        .join(Patient, Patient.id == RefillRequest.patient_id)
        .join(Client, Client.id == Patient.client_id)
        .join(Product, Product.id == RefillRequest.product_id)
        .outerjoin(Prescription, Prescription.id == RefillRequest.prescription_id)
        .where(RefillRequest.state == State.AWAITING_APPROVAL.value)
        .order_by(RefillRequest.received_at, RefillRequest.id)
        .limit(limit)
    )
    rows: list[QueueRow] = []
    for r in session.execute(query):
        flags: list[str] = []
        if r.schedule is not None:
            flags.append(f"controlled C-{_ROMAN.get(r.schedule, r.schedule)}")
        if r.last_exam_on is None or r.last_exam_on < vcpr_cutoff:
            flags.append("no exam in VCPR window")
        if r.prescription_id is None or r.refills_remaining == 0:
            flags.append("no refills left")
        if r.species in (r.flagged_species or []):
            flags.append(f"flagged for {r.species}")
        brand = f" ({r.brand_name})" if r.brand_name else ""
        rows.append(
            QueueRow(
                id=r.id,
                version=r.version,
                received_at=r.received_at,
                patient=r.name,
                species=r.species,
                client=f"{r.first_name} {r.last_name}",
                drug=f"{r.generic_name}{brand} {r.strength} {r.dosage_form}",
                kind=_kind(r.source, r.fulfillment, r.prescription_id, r.refills_remaining),
                flags=flags,
            )
        )
    return rows


def open_counts(session: Session) -> dict[str, int]:
    """Open requests per state, every open state listed (zero included), in workflow order."""
    found = dict(
        session.execute(
            select(RefillRequest.state, func.count())
            .where(RefillRequest.state.in_([s.value for s in OPEN]))
            .group_by(RefillRequest.state)
        ).all()
    )
    return {s.value: int(found.get(s.value, 0)) for s in OPEN}


@dataclass
class OverdueRow:
    id: int
    patient: str
    drug: str
    state: str
    since: datetime
    why: str


def overdue(session: Session, now: datetime) -> list[OverdueRow]:
    """Waiting for approval too long, ready for pickup too long, and faxes that failed."""
    rules = practice_rules(session)
    approval_cutoff = now - timedelta(hours=rules.approval_overdue_hours)
    pickup_cutoff = now - timedelta(days=rules.pickup_overdue_days)
    query = (
        select(RefillRequest)
        .where(
            or_(
                (RefillRequest.state == State.AWAITING_APPROVAL.value)
                & (RefillRequest.received_at < approval_cutoff),
                (RefillRequest.state == State.VERIFIED.value)
                & (RefillRequest.fulfillment == "in_house")
                & (RefillRequest.verified_at < pickup_cutoff),
                RefillRequest.state == State.FAX_FAILED.value,
            )
        )
        .order_by(RefillRequest.updated_at)
        .limit(200)
        .options(joinedload(RefillRequest.patient), joinedload(RefillRequest.product))
    )
    rows: list[OverdueRow] = []
    for request in session.scalars(query).unique():
        if request.state == State.AWAITING_APPROVAL.value:
            why, since = (
                f"waiting for approval over {rules.approval_overdue_hours} h",
                request.received_at,
            )
        elif request.state == State.VERIFIED.value:
            why = f"ready for pickup over {rules.pickup_overdue_days} days"
            since = request.verified_at or request.updated_at
        else:
            why, since = "fax failed", request.updated_at
        rows.append(
            OverdueRow(
                request.id,
                request.patient.name,
                request.product.display_name,
                request.state,
                since,
                why,
            )  # fmt: skip
        )
    return rows


def requests_in_state(session: Session, state: str | None, limit: int = 100) -> list[RefillRequest]:
    """The newest requests (optionally in one state), with patient and product loaded."""
    query = (
        select(RefillRequest)
        .order_by(RefillRequest.id.desc())
        .limit(limit)
        .options(
            joinedload(RefillRequest.patient).joinedload(Patient.client),
            joinedload(RefillRequest.product),
            joinedload(RefillRequest.updated_by),  # request_view names who changed it last
        )
    )
    if state:
        query = query.where(RefillRequest.state == state)
    return list(session.scalars(query).unique())


def search_patients(session: Session, text: str, limit: int = 15) -> list[dict[str, Any]]:
    """Pets whose name, or whose owner's last name or phone, starts with `text` (as you type)."""
    text = text.strip()
    if len(text) < 2:
        return []
    prefix = f"{text.lower()}%"
    query = (
        select(Patient)
        .join(Client)
        .where(
            or_(
                func.lower(Patient.name).like(prefix),
                func.lower(Client.last_name).like(prefix),
                func.lower(Client.first_name).like(prefix),
                Client.phone.like(f"{text}%"),
            )
        )
        .order_by(Client.last_name, Patient.name)
        .limit(limit)
        .options(joinedload(Patient.client))
    )
    found: list[dict[str, Any]] = []
    for patient in session.scalars(query).unique():
        prescriptions = session.scalars(
            select(Prescription)
            .where(Prescription.patient_id == patient.id, Prescription.status == "active")
            .options(joinedload(Prescription.product))
        ).all()
        found.append(
            {
                "patient_id": patient.id,
                "patient": patient.name,
                "species": patient.species,
                "client_id": patient.client_id,
                "client": patient.client.name,
                "phone": patient.client.phone,
                "prescriptions": [
                    {
                        "id": rx.id,
                        "drug": rx.product.display_name,
                        "directions": rx.directions,
                        "refills_remaining": rx.refills_remaining,
                    }
                    for rx in prescriptions
                ],
            }
        )
    return found


@dataclass
class PatientPicture:
    """What a decision needs about the pet: weights with trend, last exam, prescriptions."""

    weights: list[Weight]
    trend: str
    prescriptions: list[Prescription]
    refill_history: list[RefillRequest]


def patient_picture(session: Session, patient_id: int, product_id: int) -> PatientPicture:
    weights = list(
        session.scalars(
            select(Weight).where(Weight.patient_id == patient_id).order_by(Weight.weighed_on)
        )
    )
    trend = "no weight on file"
    if len(weights) >= 2:
        first, last = float(weights[-2].weight_kg), float(weights[-1].weight_kg)
        change = (last - first) / first * 100 if first else 0.0
        trend = (
            "steady" if abs(change) < 2 else f"{'up' if change > 0 else 'down'} {abs(change):.0f}%"
        )
    elif weights:
        trend = "one weight on file"
    prescriptions = list(
        session.scalars(
            select(Prescription)
            .where(Prescription.patient_id == patient_id)
            .order_by(Prescription.written_on.desc())
            .options(joinedload(Prescription.product))
        )
    )
    history = list(
        session.scalars(
            select(RefillRequest)
            .where(RefillRequest.patient_id == patient_id, RefillRequest.product_id == product_id)
            .order_by(RefillRequest.received_at.desc())
            .limit(20)
        )
    )
    return PatientPicture(weights, trend, prescriptions, history)


def inbound_fax(session: Session, fax_id: int) -> InboundFax | None:
    return session.get(InboundFax, fax_id)


def product_by_id(session: Session, product_id: int) -> Product | None:
    return session.get(Product, product_id)
