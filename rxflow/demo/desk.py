"""A scripted front desk: staff take steps on requests at a moving clock; refusals are kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from rxflow.checklists import checklist_for
from rxflow.db.models import Prescription, RefillRequest, User
from rxflow.db.session import Database
from rxflow.errors import RxflowError
from rxflow.rules import effective_schedule
from rxflow.service import workflow
from rxflow.service.snapshot import practice_rules


@dataclass
class Refusal:
    request_id: int
    trigger: str
    who: str
    code: str
    reason: str


@dataclass
class Desk:
    """The demo's staff at work; `now` moves forward a few minutes with every step."""

    db: Database
    now: datetime
    users: dict[str, int] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)

    def __post_init__(self) -> None:
        with self.db.read() as session:
            self.users = dict(session.execute(select(User.username, User.id)).all())

    def tick(self, minutes: int = 4) -> None:
        self.now += timedelta(minutes=minutes)

    def receive(self, rx_id: int, who: str = "sam", **extra: Any) -> int:
        self.tick()
        data = {"prescription_id": rx_id, **extra}
        return workflow.receive_request(self.db, data, actor_id=self.users[who], now=self.now).id

    def step(
        self, request_id: int, trigger: str, who: str, payload: dict[str, Any] | None = None
    ) -> bool:
        """Take one step; a refusal is recorded (code and sentence) and returns False."""
        self.tick()
        try:
            workflow.fire(
                self.db,
                request_id,
                trigger,
                actor_id=self.users[who],
                payload=payload,
                now=self.now,
            )
        except RxflowError as refusal:
            code = getattr(refusal, "code", type(refusal).__name__)
            self.refusals.append(Refusal(request_id, trigger, who, code, refusal.reason))
            return False
        return True

    def state(self, request_id: int) -> str:
        return workflow.get_request(self.db, request_id).state

    def answers(self, request_id: int, step: str, **extra: Any) -> dict[str, Any]:
        """Every attestation of the checklist that applies, confirmed, plus `extra` fields."""
        with self.db.read() as session:
            request = session.get(RefillRequest, request_id)
            assert request is not None
            schedule = effective_schedule(
                request.product.schedule, request.product.generic_name, practice_rules(session)
            )
            path = (
                "dispense"
                if step == "dispense"
                else "outside_prescription"
                if request.fulfillment == "outside"
                else "in_house_fill"
            )
        checklist = checklist_for(path, schedule is not None)
        attest = {item.id: True for item in checklist.items if item.kind == "attest"}
        return {"attestations": attest, **extra}

    def rx(self, patient: str, generic: str, strength: str | None = None) -> Prescription:
        """The patient's newest active prescription of `generic` (renewals replace the old)."""
        from rxflow.db.models import Patient, Product

        with self.db.read() as session:
            found = session.scalar(
                select(Prescription)
                .join(Patient, Patient.id == Prescription.patient_id)
                .join(Product, Product.id == Prescription.product_id)
                .where(
                    Patient.name == patient,
                    Product.generic_name == generic,
                    Prescription.status == "active",
                    Product.strength == strength if strength else Product.id.is_not(None),
                )
                .order_by(Prescription.id.desc())
                .limit(1)
            )
            if found is None:
                raise LookupError(f"The demo hospital has no {generic} prescription for {patient}.")
            session.expunge(found)
            return found
