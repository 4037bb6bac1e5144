"""What a message template may say about a request, in words a client reads without help."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rxflow.db.models import Practice, Product, RefillRequest
from rxflow.sig import SigError, parse_sig


def drug_words(product: Product) -> str:
    """'carprofen 75 mg': the generic name and strength, no dosage-form shorthand."""
    return f"{product.generic_name} {product.strength}".strip()


def plain_directions(directions: str) -> str:
    """The sig in plain English; empty when it cannot be read (never the raw shorthand)."""
    try:
        return parse_sig(directions).plain
    except SigError:
        return ""


def long_date(day: Any) -> str:
    """'Monday, November 2' — how a client reads a date in a message."""
    return f"{day:%A, %B} {day.day}"


def practice_context(session: Session) -> dict[str, str]:
    practice = session.scalar(select(Practice).limit(1))
    return {
        "practice_name": practice.name if practice else "Your veterinary hospital",
        "practice_phone": practice.phone if practice and practice.phone else "the front desk",
    }


def request_context(session: Session, request: RefillRequest) -> dict[str, Any]:
    patient = request.patient
    client = patient.client
    pharmacy = request.pharmacy
    return {
        **practice_context(session),
        "client_first_name": client.first_name,
        "client_name": client.name,
        "pet": patient.name,
        "drug": drug_words(request.product),
        "directions": plain_directions(request.directions),
        "request_number": f"RX{request.id:06d}",
        "pharmacy_name": pharmacy.name if pharmacy else "",
        "pharmacy_phone": pharmacy.phone if pharmacy else "",
    }
