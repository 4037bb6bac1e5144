"""Create, list and fetch the setup records the API offers (clients, pets, formulary, pharmacies).

Inputs are pydantic models with extra=forbid so an integration's typo is refused, not ignored.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import inspect, select

from rxflow.db.base import Base
from rxflow.db.models import Client, Patient, Pharmacy, Prescription, Product, StockLot, User
from rxflow.db.session import Database
from rxflow.errors import Forbidden, InvalidInput, NotFound
from rxflow.service.actors import load_actor


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ClientIn(_In):
    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=255)
    address: str = Field("", max_length=255)
    city: str = Field("", max_length=80)
    region: str = Field("", max_length=40)
    postal_code: str = Field("", max_length=20)
    contact_preference: str = Field("email", pattern="^(email|sms|phone)$")
    preferred_pharmacy_id: int | None = Field(None, gt=0)


class PatientIn(_In):
    client_id: int = Field(gt=0)
    name: str = Field(min_length=1, max_length=80)
    species: str = Field(min_length=2, max_length=20)
    breed: str = Field("", max_length=120)
    sex: str = Field("unknown", pattern="^(male|female|unknown)$")
    neutered: bool = False
    birth_date: date | None = None
    last_exam_on: date | None = None
    alerts: str = Field("", max_length=2000)
    allergies: str = Field("", max_length=2000)


class ProductIn(_In):
    generic_name: str = Field(min_length=2, max_length=120)
    brand_name: str = Field("", max_length=120)
    drug_class: str = Field("", max_length=60)
    strength: str = Field(min_length=1, max_length=60)
    strength_mg_per_unit: Decimal | None = Field(None, gt=0)
    dosage_form: str = Field(min_length=2, max_length=40)
    ndc11: str | None = Field(None, pattern=r"^\d{11}$")
    schedule: int | None = Field(None, ge=2, le=5)
    flagged_species: list[str] = Field(default_factory=list)
    dose_ranges: dict[str, list[float]] = Field(default_factory=dict)


class StockLotIn(_In):
    product_id: int = Field(gt=0)
    lot_number: str = Field(min_length=1, max_length=40)
    expires_on: date
    quantity_on_hand: Decimal = Field(ge=0, le=1_000_000)


class PharmacyIn(_In):
    name: str = Field(min_length=2, max_length=120)
    kind: str = Field("retail", pattern="^(online|retail|compounding)$")
    phone: str = Field("", max_length=40)
    fax: str = Field("", max_length=40)
    address: str = Field("", max_length=255)


class PrescriptionIn(_In):
    patient_id: int = Field(gt=0)
    product_id: int = Field(gt=0)
    prescriber_id: int = Field(gt=0)
    directions: str = Field(min_length=2, max_length=500)
    quantity: Decimal = Field(gt=0, le=10000)
    refills_authorized: int = Field(ge=0, le=11)
    written_on: date
    expires_on: date


KINDS: dict[str, tuple[type[Base], type[_In], str]] = {
    "clients": (Client, ClientIn, "client"),
    "patients": (Patient, PatientIn, "patient"),
    "products": (Product, ProductIn, "product"),
    "stock-lots": (StockLot, StockLotIn, "stock lot"),
    "pharmacies": (Pharmacy, PharmacyIn, "pharmacy"),
    "prescriptions": (Prescription, PrescriptionIn, "prescription"),
}
# Setting up the formulary, stock and prescriptions is not front-desk work.
_WRITERS: dict[str, set[str]] = {
    "clients": {"csr", "dvm", "manager", "admin"},
    "patients": {"csr", "dvm", "manager", "admin"},
    "products": {"manager", "admin"},
    "stock-lots": {"manager", "admin"},
    "pharmacies": {"csr", "dvm", "manager", "admin"},
    "prescriptions": {"dvm", "manager", "admin"},
}
_REFERENCES: dict[str, tuple[type[Base], str]] = {
    "client_id": (Client, "client"),
    "patient_id": (Patient, "patient"),
    "product_id": (Product, "product"),
    "prescriber_id": (User, "user"),
    "preferred_pharmacy_id": (Pharmacy, "pharmacy"),
}


def as_dict(row: Base) -> dict[str, Any]:
    """The row's columns as JSON-ready values (binary columns left out)."""
    out: dict[str, Any] = {}
    for column in inspect(row).mapper.column_attrs:
        value = getattr(row, column.key)
        if isinstance(value, bytes):
            continue
        if isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, date):
            value = value.isoformat()
        out[column.key] = value
    return out


def _kind(kind: str) -> tuple[type[Base], type[_In], str]:
    if kind not in KINDS:
        raise NotFound("kind of record", kind)
    return KINDS[kind]


def parse(kind: str, data: Any) -> _In:
    """Validate the body for `kind`; the first problem becomes one sentence."""
    _, schema, _ = _kind(kind)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise InvalidInput(f"{where}: {first['msg']}.") from None


def create(db: Database, kind: str, data: Any, *, actor_id: int) -> dict[str, Any]:
    """Add one record of `kind`; references to other records must exist."""
    model, _, noun = _kind(kind)
    parsed = parse(kind, data)
    values = parsed.model_dump()
    with db.write() as session:
        actor = load_actor(session, actor_id)
        if actor.role not in _WRITERS[kind]:
            raise Forbidden(f"A {actor.role} may not add a {noun}.")
        for field, (ref_model, ref_noun) in _REFERENCES.items():
            ident = values.get(field)
            if ident is not None and session.get(ref_model, ident) is None:
                raise NotFound(ref_noun, ident)
        if kind == "prescriptions":
            values["refills_remaining"] = values["refills_authorized"]
        row = model(**values)
        session.add(row)
        session.flush()
        return as_dict(row)


def get(db: Database, kind: str, ident: int) -> dict[str, Any]:
    model, _, noun = _kind(kind)
    with db.read() as session:
        row = session.get(model, ident)
        if row is None:
            raise NotFound(noun, ident)
        return as_dict(row)


def list_records(
    db: Database, kind: str, *, limit: int = 100, after: int = 0
) -> list[dict[str, Any]]:
    """A page of records of `kind` by id (`after` is the last id of the previous page)."""
    model, _, _ = _kind(kind)
    id_column = inspect(model).mapper.primary_key[0]
    with db.read() as session:
        rows = session.scalars(
            select(model).where(id_column > after).order_by(id_column).limit(min(limit, 500))
        )
        return [as_dict(row) for row in rows]
