"""The letter telling a client a refill was not approved, why, and how to book an exam."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from rxflow.documents.data import DenialNotice
from rxflow.documents.page import HEADING, TITLE, build, letterhead, text
from rxflow.documents.pdf import us_date


def render_denial_notice(notice: DenialNotice) -> bytes:
    drug = notice.drug
    practice = notice.practice
    pet = notice.patient.name
    story: list[Flowable] = [
        *letterhead(practice),
        text(us_date(notice.denied_on)),
        Spacer(1, 6),
        text(notice.client.name),
        *[text(line) for line in notice.client.address_lines],
        text(f"Refill request for {pet}", TITLE),
        text(f"Dear {notice.client.name},"),
        Spacer(1, 6),
        text(
            f"We could not approve the refill of {drug.name} {drug.strength} "
            f"{drug.dosage_form} for {pet} (request {notice.request_number})."
        ),
        text("Why", HEADING),
        text(notice.reason_plain),
    ]
    if notice.exam_needed:
        how = notice.booking_instructions or f"Call us at {practice.phone} to book an exam."
        story += [
            text("Book an exam", HEADING),
            text(f"{pet} needs an exam before we can prescribe this again. {how}"),
        ]
    signer = notice.prescriber_name or practice.name
    story += [
        Spacer(1, 10),
        text(f"If you have questions, call us at {practice.phone}."),
        Spacer(1, 10),
        text("Sincerely,"),
        text(signer),
    ]
    return build(
        story, f"Refill not approved {notice.request_number}", f"Request {notice.request_number}"
    )
