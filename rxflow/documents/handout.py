"""The client handout: how to give the medicine, in plain words, only what the formulary says."""

from __future__ import annotations

from reportlab.platypus import Flowable

from rxflow.documents.data import ClientHandout
from rxflow.documents.page import BODY, HEADING, TITLE, build, letterhead, text
from rxflow.documents.pdf import us_date


def render_client_handout(handout: ClientHandout) -> bytes:
    drug = handout.drug
    story: list[Flowable] = [
        *letterhead(handout.practice),
        text(f"{handout.patient.name}'s medication", TITLE),
        text(f"{drug.name} {drug.strength} {drug.dosage_form}", HEADING),
        text(
            f"For {handout.patient.name} ({handout.patient.species}), "
            f"filled {us_date(handout.filled_on)} for {handout.client.name}."
        ),
        text("How to give it", HEADING),
        text(handout.directions_plain),
    ]
    # Empty formulary fields print nothing: a handout must never invent medical advice.
    if handout.side_effects:
        story.append(text("Common side effects", HEADING))
        story += [text(f"\u2022 {effect}", BODY) for effect in handout.side_effects]
    if handout.missed_dose:
        story += [text("If you miss a dose", HEADING), text(handout.missed_dose)]
    if handout.storage:
        story += [text("Storage", HEADING), text(handout.storage)]
    story += [
        text("Questions?", HEADING),
        text(
            f"Call {handout.practice.name} at {handout.practice.phone}. "
            "Keep all medicines out of reach of children and other pets."
        ),
    ]
    return build(
        story, f"Client handout {handout.request_number}", f"Request {handout.request_number}"
    )
