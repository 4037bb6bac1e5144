"""Incoming pharmacy faxes end to end: stored first, matched, request created or triaged."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from builders import World, build_world
from rxflow.db.models import InboundFax, RefillRequest
from rxflow.db.session import Database
from rxflow.fax.intake_service import confirm_item, intake_pdf


def fax_pdf(owner: str = "Jane Doe", pet: str = "Max") -> bytes:
    """A pharmacy's refill-authorization request, labels to the left of values."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=letter)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 720, "Refill Authorization Request")
    page.setFont("Helvetica", 11)
    rows = [("Pharmacy:", "Chewy Pharmacy"), ("Pharmacy Fax:", "(541) 555-0199"),
            ("Owner:", owner), ("Patient:", pet), ("Species:", "Canine"),
            ("Medication:", "Carprofen"), ("Strength:", "75 mg"), ("Quantity:", "60"),
            ("Directions:", "1 tab PO BID"), ("Prescriber:", "Dr. Test")]  # fmt: skip
    for i, (label, value) in enumerate(rows):
        page.drawString(72, 680 - 22 * i, label)
        page.drawString(200, 680 - 22 * i, value)
    page.save()
    return buffer.getvalue()


def counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count(InboundFax.id))) or 0,
            session.scalar(select(func.count(RefillRequest.id))) or 0,
        )


def test_a_confident_fax_becomes_a_request_with_the_pdf_attached(db: Database) -> None:
    world: World = build_world(db)
    original = fax_pdf()
    outcome = intake_pdf(db, original, "fax.pdf", world["csr"])
    assert outcome.error is None and outcome.text_source == "text"
    assert len(outcome.created_request_ids) == 1 and not outcome.triage
    with db.read() as session:
        request = session.get(RefillRequest, outcome.created_request_ids[0])
        assert request is not None
        assert (request.source, request.fulfillment, request.state) == (
            "fax",
            "outside",
            "received",
        )
        assert (request.prescription_id, request.pharmacy_id) == (world["rx"], world["pharmacy"])
        fax = session.get(InboundFax, request.inbound_fax_id)
        assert fax is not None and fax.status == "matched" and fax.content == original


def test_an_unknown_client_goes_to_triage_and_a_csr_confirms(db: Database) -> None:
    world = build_world(db)
    outcome = intake_pdf(db, fax_pdf(owner="Zed Quorum", pet="Fluffy"), "fax.pdf", world["csr"])
    assert outcome.triage and outcome.created_request_ids == []
    item = outcome.items[0]
    assert item["match"]["confident"] is False and item["match"]["reasons"]
    assert counts(db) == (1, 0)
    assert outcome.inbound_fax_id is not None
    request_id = confirm_item(
        db, outcome.inbound_fax_id, prescription_id=world["rx"], pharmacy_id=world["pharmacy"],
        actor_id=world["csr"],
    )  # fmt: skip
    assert counts(db) == (1, 1) and request_id > 0


def test_a_corrupt_pdf_is_kept_with_a_clear_reason_and_creates_nothing(db: Database) -> None:
    world = build_world(db)
    outcome = intake_pdf(db, b"%PDF-1.4 this is not really a pdf", "bad.pdf", world["csr"])
    assert outcome.error and "Traceback" not in outcome.error
    assert counts(db) == (1, 0)
    with db.read() as session:
        fax = session.scalars(select(InboundFax)).one()
        assert fax.status == "error" and fax.error == outcome.error


def test_dry_run_reads_and_matches_but_stores_nothing(db: Database) -> None:
    world = build_world(db)
    outcome = intake_pdf(db, fax_pdf(), "fax.pdf", world["csr"], dry_run=True)
    assert outcome.items[0]["match"]["prescription_id"] == world["rx"]
    assert counts(db) == (0, 0)
