"""The DVM's signed answer to a pharmacy's refill-authorization request (NCPDP SCRIPT outcomes)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from rxflow.documents.data import MedicationOrder, PharmacyResponse
from rxflow.documents.page import (
    HEADING,
    TITLE,
    build,
    field_table,
    letterhead,
    signature_block,
    text,
)
from rxflow.documents.pdf import us_date
from rxflow.documents.prescription import patient_line, quantity_text, refills_words

OUTCOME_TITLES = {
    "approved": "APPROVED",
    "approved_with_changes": "APPROVED WITH CHANGES",
    "replace": "REPLACED BY A NEW PRESCRIPTION",
    "denied": "DENIED",
    "pending": "PENDING",
}


def order_rows(order: MedicationOrder) -> list[tuple[str, str]]:
    drug = order.drug
    rows = [
        ("Drug", f"{drug.name} {drug.strength} {drug.dosage_form}"),
        ("Schedule", drug.schedule_mark or ""),
        ("Quantity", quantity_text(order.quantity, order.quantity_unit)),
        ("Directions", order.directions_plain),
        ("Refills", refills_words(order.refills)),
    ]
    return [(k, v) for k, v in rows if v]


def _decision(response: PharmacyResponse) -> list[Flowable]:
    parts: list[Flowable] = [text(f"Decision: {OUTCOME_TITLES[response.outcome]}", TITLE)]
    if response.changes_note:
        parts.append(field_table([("Changes", response.changes_note)]))
    if response.authorized is not None:
        heading = "New prescription" if response.outcome == "replace" else "Authorized"
        parts += [text(heading, HEADING), field_table(order_rows(response.authorized))]
    if response.outcome == "denied":
        parts.append(
            field_table(
                [
                    ("Reason code", response.denial_code or ""),
                    ("Reason", response.denial_reason or ""),
                ]
            )
        )
    if response.outcome == "pending":
        expected = us_date(response.expected_on) if response.expected_on else ""
        parts.append(
            field_table([("Note", response.pending_note or ""), ("Expected by", expected)])
        )
    return parts


def render_pharmacy_response(response: PharmacyResponse) -> bytes:
    pharmacy = response.pharmacy
    rows = [
        ("To", pharmacy.name),
        ("Pharmacy fax", pharmacy.fax or ""),
        ("Your request number", response.pharmacy_request_number),
        ("Our reference", response.request_number),
        ("Date", us_date(response.responded_on)),
        ("Client", response.client.name),
        ("Patient", patient_line(response.patient)),
    ]
    show_dea = response.requested.drug.schedule is not None or (
        response.authorized is not None and response.authorized.drug.schedule is not None
    )
    story: list[Flowable] = [
        *letterhead(response.practice),
        text("Response to refill authorization request", TITLE),
        field_table([(k, v) for k, v in rows if v]),
        text("Requested", HEADING),
        field_table(order_rows(response.requested)),
        *_decision(response),
        *signature_block(response.prescriber, show_dea=show_dea),
    ]
    title = f"Refill response {response.pharmacy_request_number}"
    return build(story, title, f"Re: pharmacy request {response.pharmacy_request_number}")
