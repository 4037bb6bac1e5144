"""One door to every renderer: `render(kind, data) -> bytes`, with the kinds listed in RENDERERS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from rxflow.documents import data as d
from rxflow.documents.checklist_record import render_checklist_record
from rxflow.documents.controlled_log import render_controlled_log
from rxflow.documents.denial_notice import render_denial_notice
from rxflow.documents.handout import render_client_handout
from rxflow.documents.pharmacy_response import render_pharmacy_response
from rxflow.documents.prescription import render_fax_cover_sheet, render_written_prescription
from rxflow.documents.receipt import render_dispensing_receipt
from rxflow.documents.sheet import render_labels
from rxflow.documents.summary import render_refill_summary
from rxflow.errors import InvalidInput

RENDERERS: dict[str, tuple[type[BaseModel], Callable[[Any], bytes]]] = {
    "label": (d.LabelPrint, render_labels),
    "refill_summary": (d.RefillSummary, render_refill_summary),
    "written_prescription": (d.WrittenPrescription, render_written_prescription),
    "fax_cover_sheet": (d.FaxCoverSheet, render_fax_cover_sheet),
    "pharmacy_response": (d.PharmacyResponse, render_pharmacy_response),
    "checklist_record": (d.ChecklistRecord, render_checklist_record),
    "client_handout": (d.ClientHandout, render_client_handout),
    "dispensing_receipt": (d.DispensingReceipt, render_dispensing_receipt),
    "controlled_log": (d.ControlledLog, render_controlled_log),
    "denial_notice": (d.DenialNotice, render_denial_notice),
}


def render(kind: str, data: BaseModel) -> bytes:
    """PDF bytes of document `kind`; the same data always gives the same bytes."""
    if kind not in RENDERERS:
        raise InvalidInput(f"No document kind {kind!r}; known kinds: {', '.join(RENDERERS)}.")
    model, renderer = RENDERERS[kind]
    if not isinstance(data, model):
        given = type(data).__name__
        raise InvalidInput(f"A {kind} is rendered from {model.__name__}, not {given}.")
    return renderer(data)
