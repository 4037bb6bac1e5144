"""Incoming pharmacy faxes: store the original first, read it, match it, then create refill
requests for confident matches and put everything else on the triage list. Never guess."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rxflow.db.base import utcnow
from rxflow.db.models import Client, InboundFax, Pharmacy, Prescription, Product
from rxflow.db.session import Database
from rxflow.errors import NotFound
from rxflow.fax.errors import IntakeError
from rxflow.fax.extract import ExtractedItem, Extraction, extract
from rxflow.fax.match import ClientCandidate, PatientCandidate, PrescriptionCandidate, match_item
from rxflow.service import workflow

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class IntakeOutcome:
    """What the intake read and did: the stored fax, each item with its match, the requests."""

    inbound_fax_id: int | None
    text_source: str | None
    items: list[dict[str, Any]] = field(default_factory=list)
    created_request_ids: list[int] = field(default_factory=list)
    triage: bool = False
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"text_source": self.text_source, "items": self.items,
                "inbound_fax_id": self.inbound_fax_id,
                "created_request_ids": self.created_request_ids, "triage": self.triage,
                "error": self.error}  # fmt: skip


def store_pdf(
    db: Database, content: bytes, filename: str, actor_id: int | None, now: datetime | None = None
) -> int:
    """Keep the original before anything reads it (one transaction of its own)."""
    if not content:
        raise IntakeError("The file is empty (0 bytes); nothing was taken in.")
    if len(content) > MAX_BYTES:
        raise IntakeError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    with db.write() as session:
        fax = InboundFax(filename=filename[:255] or "fax.pdf", content=content,
                         sha256=hashlib.sha256(content).hexdigest(), status="stored",
                         received_by_id=actor_id, received_at=now or utcnow())  # fmt: skip
        session.add(fax)
        session.flush()
        return fax.id


def intake_pdf(
    db: Database,
    content: bytes,
    filename: str,
    actor_id: int,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
) -> IntakeOutcome:
    """Store, read, match and (unless `dry_run`) create requests; an unreadable fax is kept
    with its reason and reported, never half-created."""
    fax_id = None if dry_run else store_pdf(db, content, filename, actor_id, now)
    try:
        extraction = extract(content)
    except IntakeError as unreadable:
        if fax_id is not None:
            _mark(db, fax_id, status="error", error=unreadable.reason)
        return IntakeOutcome(fax_id, None, error=unreadable.reason)
    with db.read() as session:
        candidates = load_candidates(session)
        pharmacies = list(session.scalars(select(Pharmacy)))
        items = [_read_item(item, candidates, pharmacies) for item in extraction.items]
    outcome = IntakeOutcome(fax_id, extraction.text_source, items)
    if fax_id is None:
        return outcome
    for entry in items:
        if entry["match"]["confident"] and entry["match"].get("pharmacy_id"):
            entry["request_id"] = _create(db, fax_id, entry, actor_id, now)
            outcome.created_request_ids.append(entry["request_id"])
    outcome.triage = any("request_id" not in entry for entry in items) or not items
    _mark(db, fax_id, status="triage" if outcome.triage else "matched",
          text_source=extraction.text_source, extraction=_stored(extraction, items))  # fmt: skip
    return outcome


def _read_item(
    item: ExtractedItem, candidates: list[ClientCandidate], pharmacies: list[Pharmacy]
) -> dict[str, Any]:
    match = match_item(item, candidates)
    found = asdict(item)
    confidence = found.pop("confidence")
    result = match.as_dict()
    pharmacy_id = match_pharmacy(item.pharmacy, item.pharmacy_fax, pharmacies)
    result["pharmacy_id"] = pharmacy_id
    if pharmacy_id is None:
        result["confident"] = False
        result["reasons"] = [*match.reasons, "The sending pharmacy is not on file; please pick it."]
    return {**found, "confidence": confidence, "match": result}


def match_pharmacy(name: str, fax: str, pharmacies: list[Pharmacy]) -> int | None:
    """By fax number first (exact digits), then by a close name; None when unsure."""
    digits = re.sub(r"\D", "", fax)[-10:]
    if digits:
        by_fax = [p.id for p in pharmacies if re.sub(r"\D", "", p.fax)[-10:] == digits]
        if len(by_fax) == 1:
            return by_fax[0]
    scored = sorted(
        ((SequenceMatcher(None, name.lower(), p.name.lower()).ratio(), p.id) for p in pharmacies),
        reverse=True,
    )
    if scored and scored[0][0] >= 0.85 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.1):
        return scored[0][1]
    return None


def load_candidates(session: Session) -> list[ClientCandidate]:
    """Every client with their living pets and active prescriptions, for the matcher."""
    clients = session.scalars(select(Client).options(selectinload(Client.patients))).all()
    prescriptions: dict[int, list[PrescriptionCandidate]] = {}
    rows = session.execute(
        select(Prescription.id, Prescription.patient_id, Product.generic_name,
               Product.brand_name, Product.strength)
        .join(Product, Product.id == Prescription.product_id)
        .where(Prescription.status == "active")
    )  # fmt: skip
    for rx_id, patient_id, generic, brand, strength in rows:
        prescriptions.setdefault(patient_id, []).append(
            PrescriptionCandidate(rx_id, generic, brand or "", strength)
        )
    return [
        ClientCandidate(
            client.id, client.first_name, client.last_name,
            tuple(
                PatientCandidate(p.id, p.name, p.species, tuple(prescriptions.get(p.id, ())))
                for p in client.patients if not p.deceased
            ),
        )
        for client in clients
    ]  # fmt: skip


def _create(
    db: Database, fax_id: int, entry: dict[str, Any], actor_id: int, now: datetime | None
) -> int:
    match = entry["match"]
    quantity = float(entry["quantity"]) if str(entry.get("quantity", "")).isdigit() else None
    note = f"Pharmacy asked: {entry.get('drug', '')} {entry.get('strength', '')}, " \
           f"qty {entry.get('quantity', '?')}, '{entry.get('directions', '')}'"  # fmt: skip
    data = {"prescription_id": match["prescription_id"], "source": "fax",
            "fulfillment": "outside", "pharmacy_id": match["pharmacy_id"],
            "quantity": quantity, "inbound_fax_id": fax_id, "note": note[:2000]}  # fmt: skip
    return workflow.receive_request(db, data, actor_id=actor_id, now=now).id


def confirm_item(
    db: Database,
    fax_id: int,
    *,
    prescription_id: int,
    pharmacy_id: int,
    actor_id: int,
    quantity: float | None = None,
    now: datetime | None = None,
) -> int:
    """A CSR confirms (or corrects) a triaged item: the request is created from their choice."""
    with db.read() as session:
        if session.get(InboundFax, fax_id) is None:
            raise NotFound("incoming fax", fax_id)
        if session.get(Prescription, prescription_id) is None:
            raise NotFound("prescription", prescription_id)
        if session.get(Pharmacy, pharmacy_id) is None:
            raise NotFound("pharmacy", pharmacy_id)
    data = {"prescription_id": prescription_id, "source": "fax", "fulfillment": "outside",
            "pharmacy_id": pharmacy_id, "quantity": quantity, "inbound_fax_id": fax_id}  # fmt: skip
    request_id = workflow.receive_request(db, data, actor_id=actor_id, now=now).id
    with db.write() as session:
        fax = session.get(InboundFax, fax_id)
        assert fax is not None
        confirmed = list(fax.extraction.get("confirmed_request_ids", []))
        fax.extraction = {**fax.extraction, "confirmed_request_ids": [*confirmed, request_id]}
    return request_id


def _stored(extraction: Extraction, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"text_source": extraction.text_source, "pages": extraction.pages, "items": items}


def _mark(db: Database, fax_id: int, **values: Any) -> None:
    with db.write() as session:
        fax = session.get(InboundFax, fax_id)
        assert fax is not None
        for key, value in values.items():
            setattr(fax, key, value)
