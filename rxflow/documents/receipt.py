"""The dispensing receipt the client takes home: what was handed over, when, by whom."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer

from rxflow.documents.data import DispensingReceipt
from rxflow.documents.page import BOLD, TITLE, build, field_table, grid, letterhead, text
from rxflow.documents.pdf import number, us_datetime


def _money(amount: Decimal) -> str:
    return f"${amount.quantize(Decimal('0.01'))}"


def render_dispensing_receipt(receipt: DispensingReceipt) -> bytes:
    rows = [
        [
            line.description,
            f"{number(line.quantity)} {line.quantity_unit}",
            _money(line.amount) if line.amount is not None else "",
        ]
        for line in receipt.lines
    ]
    story: list[Flowable] = [
        *letterhead(receipt.practice),
        text("Dispensing receipt", TITLE),
        field_table(
            [
                ("Request", receipt.request_number),
                ("Dispensed", us_datetime(receipt.dispensed_at)),
                ("Client", receipt.client.name),
                ("Patient", f"{receipt.patient.name} ({receipt.patient.species})"),
                ("Dispensed by", receipt.dispensed_by),
                ("Handed to", receipt.handed_to),
                ("Counselled", "Yes" if receipt.counselled else "No"),
            ]
        ),
        Spacer(1, 8),
        grid(["Item", "Quantity", "Amount"], rows, [4.2 * inch, 1.4 * inch, 1.2 * inch]),
    ]
    amounts = [line.amount for line in receipt.lines if line.amount is not None]
    if amounts:
        story += [Spacer(1, 6), text(f"Total: {_money(sum(amounts, Decimal(0)))}", BOLD)]
    return build(
        story, f"Dispensing receipt {receipt.request_number}", f"Request {receipt.request_number}"
    )
