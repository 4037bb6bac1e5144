"""Clients, their pets (patients) and the pets' weight history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rxflow.db.base import Base, intpk, str40, str120, str255


class Client(Base):
    __tablename__ = "clients"

    id: Mapped[intpk]
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80), index=True)
    phone: Mapped[str40] = mapped_column(default="")
    email: Mapped[str255] = mapped_column(default="")
    address: Mapped[str255] = mapped_column(default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    region: Mapped[str] = mapped_column(String(40), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    contact_preference: Mapped[str] = mapped_column(String(10), default="email")  # email|sms|phone
    opted_out: Mapped[bool] = mapped_column(default=False)
    preferred_pharmacy_id: Mapped[int | None] = mapped_column(ForeignKey("pharmacies.id"))

    patients: Mapped[list[Patient]] = relationship(back_populates="client")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Patient(Base):
    __tablename__ = "patients"

    id: Mapped[intpk]
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    species: Mapped[str] = mapped_column(String(20))  # canine, feline, equine, avian, ...
    breed: Mapped[str120] = mapped_column(default="")
    sex: Mapped[str] = mapped_column(String(10), default="unknown")  # male | female | unknown
    neutered: Mapped[bool] = mapped_column(default=False)
    birth_date: Mapped[date | None]
    deceased: Mapped[bool] = mapped_column(default=False)
    deceased_on: Mapped[date | None]
    last_exam_on: Mapped[date | None]
    alerts: Mapped[str] = mapped_column(Text, default="")
    allergies: Mapped[str] = mapped_column(Text, default="")

    client: Mapped[Client] = relationship(back_populates="patients")
    weights: Mapped[list[Weight]] = relationship(
        order_by="Weight.weighed_on", back_populates="patient"
    )


class Weight(Base):
    __tablename__ = "weights"

    id: Mapped[intpk]
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    weighed_on: Mapped[date]
    weight_kg: Mapped[Decimal] = mapped_column(Numeric(7, 3))

    patient: Mapped[Patient] = relationship(back_populates="weights")
