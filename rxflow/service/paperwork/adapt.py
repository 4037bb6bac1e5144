"""Turns database rows into the documents' input models (rxflow.documents.data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rxflow.db.models import Client, Patient, Pharmacy, Practice, Product, RefillRequest, User
from rxflow.documents import data as d
from rxflow.sig import Sig, SigError, parse_sig

_PLURAL = {
    "tablet": "tablets",
    "capsule": "capsules",
    "chewable": "chewables",
    "patch": "patches",
    "packet": "packets",
    "drop": "drops",
    "puff": "puffs",
    "application": "applications",
    "unit": "units",
    "mL": "mL",
}


def practice_info(session: Session) -> d.PracticeInfo:
    practice = session.scalar(select(Practice).limit(1))
    if practice is None:
        return d.PracticeInfo(name="Veterinary Hospital", address_lines=(), phone="")
    lines = tuple(part.strip() for part in practice.address.split(",", 1) if part.strip())
    return d.PracticeInfo(
        name=practice.name, address_lines=lines, phone=practice.phone, fax=practice.fax or None
    )


def prescriber_info(user: User) -> d.PrescriberInfo:
    return d.PrescriberInfo(
        name=user.display_name,
        license_number=user.license_number or "",
        dea_number=user.dea_number,
        signature_png=user.signature_png,
    )


def client_info(client: Client) -> d.ClientInfo:
    city = ", ".join(p for p in (client.city, f"{client.region} {client.postal_code}".strip()) if p)
    lines = tuple(p for p in (client.address, city) if p)
    return d.ClientInfo(name=client.name, address_lines=lines, phone=client.phone or None)


def patient_info(patient: Patient) -> d.PatientInfo:
    alerts = tuple(
        a
        for a in (patient.alerts, f"Allergies: {patient.allergies}" if patient.allergies else "")
        if a
    )
    return d.PatientInfo(
        name=patient.name,
        species=patient.species,
        breed=patient.breed or None,
        sex=_sex(patient),
        weights=tuple(d.Weight(w.weighed_on, w.weight_kg) for w in patient.weights),
        last_exam_on=patient.last_exam_on,
        alerts=alerts,
    )


def _sex(patient: Patient) -> str | None:
    if patient.sex == "unknown":
        return None
    fixed = {"male": "neutered male", "female": "spayed female"}
    return fixed[patient.sex] if patient.neutered and patient.sex in fixed else patient.sex


def drug_info(product: Product, schedule: int | None) -> d.DrugInfo:
    ndc = product.ndc11
    pretty = f"{ndc[:5]}-{ndc[5:9]}-{ndc[9:]}" if ndc and len(ndc) == 11 else ndc
    return d.DrugInfo(
        generic_name=product.generic_name,
        brand_name=product.brand_name or None,
        strength=product.strength,
        dosage_form=product.dosage_form,
        schedule=schedule,
        ndc=pretty,
    )


def pharmacy_info(pharmacy: Pharmacy) -> d.PharmacyInfo:
    lines = (pharmacy.address,) if pharmacy.address else ()
    return d.PharmacyInfo(
        name=pharmacy.name,
        address_lines=lines,
        phone=pharmacy.phone or None,
        fax=pharmacy.fax or None,
    )


def sig_of(request: RefillRequest) -> Sig:
    """The request's directions, read; an unreadable sig refuses the step (SigError)."""
    return parse_sig(request.directions)


def unit_word(sig: Sig | None, product: Product, quantity: Decimal) -> str:
    unit = sig.unit if sig else product.dosage_form
    return unit if quantity == 1 else _PLURAL.get(unit, unit)


def order(
    request: RefillRequest, schedule: int | None, refills: int, *, strict: bool = True
) -> d.MedicationOrder:
    """The request as an order; `strict=False` (the DVM's summary) shows unreadable directions
    as typed, flagged, instead of refusing, so the DVM can correct them."""
    sig: Sig | None = None
    try:
        sig = sig_of(request)
        directions = sig.plain
    except SigError as unreadable:
        if strict:
            raise
        directions = f"{request.directions} [not readable: {unreadable.reason}]"
    return d.MedicationOrder(
        drug=drug_info(request.product, schedule),
        quantity=request.quantity,
        quantity_unit=unit_word(sig, request.product, request.quantity),
        directions_plain=directions,
        refills=refills,
    )


def request_number(request: RefillRequest) -> str:
    return f"RX{request.id:06d}"


def discard_by(filled_on: date, lot_expires_on: date | None) -> date:
    """One year from filling or the lot's expiry, whichever is first (USP beyond-use practice)."""
    year_later = date(filled_on.year + 1, filled_on.month, min(filled_on.day, 28))
    return min(year_later, lot_expires_on) if lot_expires_on else year_later
