"""The formulary (products), stock lots with their ledger, and outside pharmacies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rxflow.db.base import Base, intpk, str40, str120, utcnow


class Product(Base):
    """A drug at one strength and form; `schedule` is the federal one (2..5 or None)."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("schedule IS NULL OR schedule BETWEEN 2 AND 5", name="schedule"),
    )

    id: Mapped[intpk]
    generic_name: Mapped[str120] = mapped_column(index=True)
    brand_name: Mapped[str120] = mapped_column(default="")
    drug_class: Mapped[str] = mapped_column(String(60), default="")
    strength: Mapped[str] = mapped_column(String(60))
    strength_mg_per_unit: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    dosage_form: Mapped[str] = mapped_column(String(40))
    ndc11: Mapped[str | None] = mapped_column(String(11), unique=True)
    schedule: Mapped[int | None]
    flagged_species: Mapped[list[str]] = mapped_column(JSON, default=list)
    dose_ranges: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # species: [lo, hi]
    side_effects: Mapped[str] = mapped_column(Text, default="")
    missed_dose: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    lots: Mapped[list[StockLot]] = relationship(back_populates="product")

    @property
    def display_name(self) -> str:
        brand = f" ({self.brand_name})" if self.brand_name else ""
        return f"{self.generic_name}{brand} {self.strength} {self.dosage_form}"


class StockLot(Base):
    __tablename__ = "stock_lots"
    __table_args__ = (
        UniqueConstraint("product_id", "lot_number", name="product_lot"),
        CheckConstraint("quantity_on_hand >= 0", name="on_hand_not_negative"),
    )

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    lot_number: Mapped[str40]
    expires_on: Mapped[date]
    quantity_on_hand: Mapped[Decimal] = mapped_column(Numeric(10, 2))

    product: Mapped[Product] = relationship(back_populates="lots")


class StockMovement(Base):
    """Every change to a lot's count, with the balance after it: the controlled-substance log."""

    __tablename__ = "stock_movements"

    id: Mapped[intpk]
    lot_id: Mapped[int] = mapped_column(ForeignKey("stock_lots.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("refill_requests.id"))
    delta: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    balance_after: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    reason: Mapped[str] = mapped_column(String(20))  # received | fill | reject | return | cancel
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Pharmacy(Base):
    __tablename__ = "pharmacies"

    id: Mapped[intpk]
    name: Mapped[str120]
    kind: Mapped[str] = mapped_column(String(20), default="retail")  # online|retail|compounding
    phone: Mapped[str40] = mapped_column(default="")
    fax: Mapped[str40] = mapped_column(default="")
    address: Mapped[str] = mapped_column(String(255), default="")
