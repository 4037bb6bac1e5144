"""The written prescription for an outside pharmacy, and the fax cover sheet that goes with it."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer, Table

from rxflow.documents.data import FaxCoverSheet, PatientInfo, WrittenPrescription
from rxflow.documents.page import (
    BOLD,
    HEADING,
    TITLE,
    build,
    field_table,
    letterhead,
    signature_block,
    text,
)
from rxflow.documents.pdf import number, us_date
from rxflow.documents.words import integer_in_words, quantity_in_words
from rxflow.errors import InvalidInput

ADVANCE_COPY = (
    "ADVANCE COPY - NOT VALID FOR DISPENSING. The pharmacy must hold the signed original "
    "before dispensing this Schedule II drug (21 CFR 1306.11)."
)
SIGNED_ORIGINAL = "SIGNED ORIGINAL - Schedule II prescription. No refills (21 CFR 1306.12)."


def patient_line(patient: PatientInfo) -> str:
    parts = [patient.species, patient.breed, patient.sex]
    if patient.weights:
        latest = max(patient.weights)
        parts.append(f"{number(latest.kg)} kg on {us_date(latest.on)}")
    return f"{patient.name} ({', '.join(p for p in parts if p)})"


def quantity_text(quantity: Decimal, unit: str) -> str:
    """ "60 (sixty) tablets": numbers and words, so the quantity cannot be altered unnoticed."""
    return f"{number(quantity)} ({quantity_in_words(quantity)}) {unit}"


def refills_words(refills: int) -> str:
    return "No refills" if refills == 0 else f"{refills} ({integer_in_words(refills)})"


def _banner(message: str) -> Table:
    table = Table([[text(message, BOLD)]], hAlign="LEFT")
    table.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.92, 0.92, 0.92)),
        ]
    )
    return table


def render_written_prescription(rx: WrittenPrescription) -> bytes:
    drug = rx.drug
    if drug.schedule and not rx.prescriber.dea_number:
        raise InvalidInput("A controlled-drug prescription needs the prescriber's DEA number.")
    story: list[Flowable] = [*letterhead(rx.practice), text("Prescription", TITLE)]
    if drug.schedule == 2:
        story += [_banner(ADVANCE_COPY if rx.advance_copy else SIGNED_ORIGINAL), Spacer(1, 6)]
    rows = [
        ("Date written", us_date(rx.written_on)),
        ("Prescriber", rx.prescriber.name),
        ("License number", rx.prescriber.license_number),
    ]
    if drug.schedule:
        rows.append(("DEA number", rx.prescriber.dea_number or ""))
    if rx.pharmacy:
        rows.append(("Pharmacy", _pharmacy_line(rx)))
    rows += [
        ("Client", rx.client.name),
        ("Client address", ", ".join(rx.client.address_lines)),
        ("Client phone", rx.client.phone or ""),
        ("Patient", patient_line(rx.patient)),
    ]
    story += [field_table([(k, v) for k, v in rows if v]), text("Rx", HEADING)]
    order = [
        ("Drug", drug.name),
        ("Strength", drug.strength),
        ("Dosage form", drug.dosage_form),
        ("Schedule", drug.schedule_mark or ""),
        ("NDC", drug.ndc or ""),
        ("Quantity", quantity_text(rx.quantity, rx.quantity_unit)),
        ("Directions", rx.directions_plain),
        ("Refills", refills_words(rx.refills)),
        ("Note", rx.note or ""),
    ]
    story.append(field_table([(k, v) for k, v in order if v]))
    story += signature_block(rx.prescriber, show_dea=drug.schedule is not None)
    return build(story, f"Prescription {rx.request_number}", f"Request {rx.request_number}")


def _pharmacy_line(rx: WrittenPrescription) -> str:
    assert rx.pharmacy is not None
    bits = [rx.pharmacy.name, *rx.pharmacy.address_lines]
    if rx.pharmacy.fax:
        bits.append(f"fax {rx.pharmacy.fax}")
    return ", ".join(bits)


def render_fax_cover_sheet(cover: FaxCoverSheet) -> bytes:
    practice = cover.practice
    to_rows = [("To", cover.to.name), ("Fax", cover.to.fax or ""), ("Phone", cover.to.phone or "")]
    from_rows = [
        ("From", f"{cover.sender_name}, {practice.name}"),
        ("Phone", practice.phone),
        ("Fax", practice.fax or ""),
    ]
    rows = [
        *to_rows,
        *from_rows,
        ("Date", us_date(cover.sent_on)),
        ("Pages", f"{cover.pages} (including this cover sheet)"),
        ("Re", cover.subject),
    ]
    story: list[Flowable] = [
        *letterhead(practice),
        text("Fax", TITLE),
        field_table([(k, v) for k, v in rows if v]),
        Spacer(1, 12),
    ]
    if cover.note:
        story += [text(cover.note), Spacer(1, 12)]
    story.append(_banner(cover.confidentiality_notice))
    return build(story, "Fax cover sheet", f"Fax to {cover.to.name}")
