"""The one page a DVM reads between appointments to approve or deny a refill request."""

from __future__ import annotations

from typing import TypeVar

from reportlab.lib.units import inch
from reportlab.platypus import Flowable

from rxflow.documents.data import RefillSummary
from rxflow.documents.page import BOLD, HEADING, TITLE, build, field_table, grid, text
from rxflow.documents.pdf import number, us_date
from rxflow.documents.pharmacy_response import order_rows
from rxflow.documents.prescription import patient_line

T = TypeVar("T")
MAX_ROWS = 6  # keep the summary to one page: the most recent rows, with a count of the rest


def _months_between(earlier_year: int, earlier_month: int, year: int, month: int) -> int:
    return (year - earlier_year) * 12 + (month - earlier_month)


def _recent(rows: tuple[T, ...], key_name: str) -> tuple[list[T], int]:
    ordered = sorted(rows, key=lambda row: getattr(row, key_name), reverse=True)
    return ordered[:MAX_ROWS], max(0, len(ordered) - MAX_ROWS)


def _more(count: int) -> list[Flowable]:
    return [text(f"{count} earlier not shown.")] if count else []


def _patient(summary: RefillSummary) -> list[Flowable]:
    patient = summary.patient
    exam = "No exam on record"
    if patient.last_exam_on:
        on = patient.last_exam_on
        received = summary.received_on
        ago = _months_between(on.year, on.month, received.year, received.month)
        exam = f"{us_date(on)} ({ago} month{'' if ago == 1 else 's'} before this request)"
    parts: list[Flowable] = [
        text("Patient", HEADING),
        field_table(
            [
                ("Patient", patient_line(patient)),
                ("Last exam", exam),
                ("Client", f"{summary.client.name}, {summary.client.phone or 'no phone'}"),
            ]
        ),
    ]
    if patient.alerts:
        parts.append(text("Alerts", HEADING))
        parts += [text(f"! {alert}", BOLD) for alert in patient.alerts]
    if patient.weights:
        weights = sorted(patient.weights, reverse=True)
        shown = [[us_date(w.on), f"{number(w.kg)} kg"] for w in weights[:MAX_ROWS]]
        parts += [
            text("Weight history", HEADING),
            grid(["Date", "Weight"], shown, [1.2 * inch, 1.2 * inch]),
            *_more(len(weights) - len(shown)),
        ]
    return parts


def _history(summary: RefillSummary) -> list[Flowable]:
    parts: list[Flowable] = []
    prescriptions, more = _recent(summary.prescriptions, "written_on")
    if prescriptions:
        rows = [
            [
                us_date(p.written_on),
                p.description,
                p.prescriber_name,
                f"{p.refills_remaining} of {p.refills_authorized}",
                us_date(p.expires_on) if p.expires_on else "",
            ]
            for p in prescriptions
        ]
        parts += [
            text("Prescriptions", HEADING),
            grid(
                ["Written", "Prescription", "Prescriber", "Refills left", "Expires"],
                rows,
                [0.9 * inch, 2.8 * inch, 1.3 * inch, 0.9 * inch, 0.9 * inch],
            ),
            *_more(more),
        ]
    fills, more = _recent(summary.fills, "filled_on")
    if fills:
        rows = [
            [us_date(f.filled_on), f.description, f"{number(f.quantity)} {f.quantity_unit}"]
            for f in fills
        ]
        parts += [
            text("Refill history", HEADING),
            grid(["Filled", "Medication", "Quantity"], rows, [0.9 * inch, 4.3 * inch, 1.6 * inch]),
            *_more(more),
        ]
    return parts


def render_refill_summary(summary: RefillSummary) -> bytes:
    request_rows = [
        ("Received", us_date(summary.received_on)),
        ("Source", summary.source),
        ("Requested by", summary.requested_by),
        *order_rows(summary.requested),
        ("Note", summary.note or ""),
    ]
    story: list[Flowable] = [
        text(summary.practice.name, BOLD),
        text(f"Refill request {summary.request_number}", TITLE),
        field_table([(k, v) for k, v in request_rows if v]),
        *_patient(summary),
        *_history(summary),
    ]
    return build(
        story,
        f"Refill request {summary.request_number}",
        f"Refill request {summary.request_number}",
    )
