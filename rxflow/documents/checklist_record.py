"""The checklist record: every item, its answer, who answered and when, kept with the request."""

from __future__ import annotations

from reportlab.lib.units import inch
from reportlab.platypus import Flowable

from rxflow.documents.data import ChecklistRecord
from rxflow.documents.page import TITLE, build, field_table, grid, letterhead, text
from rxflow.documents.pdf import us_datetime


def render_checklist_record(record: ChecklistRecord) -> bytes:
    rows = [
        [str(i), a.item, a.answer, a.answered_by, us_datetime(a.answered_at), a.note or ""]
        for i, a in enumerate(record.answers, start=1)
    ]
    drug = record.drug
    story: list[Flowable] = [
        *letterhead(record.practice),
        text("Checklist record", TITLE),
        field_table(
            [
                ("Request", record.request_number),
                ("Checklist", f"{record.checklist_id}, version {record.checklist_version}"),
                ("Patient", f"{record.patient.name} ({record.patient.species})"),
                ("Drug", f"{drug.name} {drug.strength} {drug.dosage_form}"),
                ("Result", "PASSED" if record.passed else "FAILED"),
            ]
        ),
        grid(
            ["#", "Item", "Answer", "By", "At", "Note"],
            rows,
            [0.3 * inch, 2.4 * inch, 0.9 * inch, 1.1 * inch, 1.1 * inch, 1.2 * inch],
        ),
    ]
    return build(
        story,
        f"Checklist record {record.request_number}",
        f"Checklist record {record.request_number}",
    )
