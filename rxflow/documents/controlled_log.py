"""The controlled-substance log for one drug, with its running balance (21 CFR 1304.22)."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer

from rxflow.documents.data import ControlledLog
from rxflow.documents.page import BOLD, TITLE, build, field_table, grid, letterhead, text
from rxflow.documents.pdf import number, us_date, us_datetime

WIDTHS = [1.1, 1.2, 1.6, 1.4, 0.6, 0.6, 0.7, 1.1, 1.1]


def _quantity(value: Decimal) -> str:
    return number(value) if value else ""


def render_controlled_log(log: ControlledLog) -> bytes:
    balance = log.opening_balance
    rows: list[list[str]] = []
    for row in sorted(log.rows, key=lambda r: r.at):
        balance += row.quantity_in - row.quantity_out
        who = ", ".join(p for p in (row.patient_name, row.client_name) if p)
        rows.append(
            [
                us_datetime(row.at),
                row.request_number or "",
                row.description,
                who,
                _quantity(row.quantity_in),
                _quantity(row.quantity_out),
                number(balance),
                row.recorded_by,
                row.witnessed_by or "",
            ]
        )
    drug = log.drug
    story: list[Flowable] = [
        *letterhead(log.practice),
        text(
            f"Controlled-substance log: {drug.name} {drug.strength} {drug.dosage_form} "
            f"({drug.schedule_mark})",
            TITLE,
        ),
        field_table(
            [
                ("Registrant", log.registrant.name),
                ("DEA number", log.registrant.dea_number or "not on file"),
                ("NDC", drug.ndc or ""),
                ("Period", f"{us_date(log.period_start)} to {us_date(log.period_end)}"),
                ("Unit", log.quantity_unit),
                ("Opening balance", number(log.opening_balance)),
            ]
        ),
        Spacer(1, 8),
        grid(
            [
                "Date",
                "Request",
                "Entry",
                "Patient, client",
                "In",
                "Out",
                "Balance",
                "Recorded by",
                "Witness",
            ],
            rows,
            [w * inch for w in WIDTHS],
        ),
        Spacer(1, 6),
        text(f"Closing balance: {number(balance)} {log.quantity_unit}", BOLD),
    ]
    title = f"Controlled-substance log {drug.generic_name} {drug.strength}"
    return build(story, title, title, page_size=landscape(letter))
