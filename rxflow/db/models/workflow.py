"""Prescriptions and the refill-request workflow instance with what each step records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rxflow.db.base import Base, intpk, str40, utcnow
from rxflow.db.models.clinic import Patient
from rxflow.db.models.formulary import Pharmacy, Product
from rxflow.db.models.people import User
from rxflow.states.definition import State

_STATES = tuple(s.value for s in State)


class Prescription(Base):
    __tablename__ = "prescriptions"
    __table_args__ = (
        CheckConstraint(
            "refills_remaining >= 0 AND refills_remaining <= refills_authorized",
            name="refills_in_range",
        ),
    )

    id: Mapped[intpk]
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    prescriber_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    directions: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2))  # per fill
    refills_authorized: Mapped[int]
    refills_remaining: Mapped[int]
    written_on: Mapped[date]
    expires_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default="active")  # active|renewed|cancelled
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("prescriptions.id"))

    patient: Mapped[Patient] = relationship()
    product: Mapped[Product] = relationship()
    prescriber: Mapped[User] = relationship()


class RefillRequest(Base):
    """One refill request: the workflow instance the state machine moves."""

    __tablename__ = "refill_requests"
    __table_args__ = (
        CheckConstraint(f"state IN {_STATES}", name="state"),
        CheckConstraint("fulfillment IN ('in_house', 'outside')", name="fulfillment"),
        # The queues read "open requests in a state, oldest first".
        Index("ix_refill_requests_state_received_at", "state", "received_at"),
    )

    id: Mapped[intpk]
    state: Mapped[str] = mapped_column(String(20), index=True, default=State.RECEIVED.value)
    held_from: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(default=1)
    source: Mapped[str] = mapped_column(String(20))  # phone|walk_in|email|online|fax|api
    fulfillment: Mapped[str] = mapped_column(String(10))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    prescription_id: Mapped[int | None] = mapped_column(ForeignKey("prescriptions.id"))
    pharmacy_id: Mapped[int | None] = mapped_column(ForeignKey("pharmacies.id"))
    pharmacy_reference: Mapped[str] = mapped_column(String(60), default="")
    inbound_fax_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_faxes.id"))
    directions: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    note: Mapped[str] = mapped_column(Text, default="")
    authorization: Mapped[str | None] = mapped_column(String(10))  # standing | dvm
    authorized_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    refill_consumed: Mapped[bool] = mapped_column(default=False)
    status_reason: Mapped[str] = mapped_column(Text, default="")  # FHIR: statusReason
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    patient: Mapped[Patient] = relationship()
    product: Mapped[Product] = relationship()
    prescription: Mapped[Prescription | None] = relationship()
    pharmacy: Mapped[Pharmacy | None] = relationship()
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": version}


class Approval(Base):
    """A DVM's answer: approved, approved_with_changes, replace, denied or pending (NCPDP)."""

    __tablename__ = "approvals"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("refill_requests.id"), index=True)
    response: Mapped[str] = mapped_column(String(24))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    directions: Mapped[str | None] = mapped_column(Text)
    refills: Mapped[int | None]
    reason_code: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    expected_on: Mapped[date | None]
    new_prescription_id: Mapped[int | None] = mapped_column(ForeignKey("prescriptions.id"))


class Fill(Base):
    """What was counted into the vial (in-house) or written (outside, no lot)."""

    __tablename__ = "fills"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("refill_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # in_house | outside
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("stock_lots.id"))
    scanned_code: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    filled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filled_at: Mapped[datetime] = mapped_column(default=utcnow)
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str] = mapped_column(Text, default="")


class ChecklistRun(Base):
    """One evaluated checklist: which version, every answer, who ran it and when."""

    __tablename__ = "checklist_runs"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("refill_requests.id"), index=True)
    fill_id: Mapped[int | None] = mapped_column(ForeignKey("fills.id"))
    checklist_id: Mapped[str40]
    checklist_version: Mapped[int]
    step: Mapped[str] = mapped_column(String(20))  # verify | dispense
    passed: Mapped[bool]
    answers: Mapped[list[Any]] = mapped_column(JSON)
    run_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    run_at: Mapped[datetime] = mapped_column(default=utcnow)


class Dispense(Base):
    __tablename__ = "dispenses"

    id: Mapped[intpk]
    request_id: Mapped[int] = mapped_column(ForeignKey("refill_requests.id"), unique=True)
    fill_id: Mapped[int] = mapped_column(ForeignKey("fills.id"))
    dispensed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    dispensed_at: Mapped[datetime] = mapped_column(default=utcnow)  # FHIR: whenHandedOver
