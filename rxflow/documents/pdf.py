"""Shared PDF plumbing: deterministic canvases (no timestamps, fixed metadata) and text helpers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from reportlab.pdfgen.canvas import Canvas

CREATOR = "rxflow"


def new_canvas(buffer: BytesIO, page_size: tuple[float, float], title: str) -> Canvas:
    """A canvas whose bytes depend only on what is drawn (invariant=1 fixes dates and ids)."""
    canvas = Canvas(buffer, pagesize=page_size, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(CREATOR)
    canvas.setCreator(CREATOR)
    canvas.setProducer(CREATOR)
    return canvas


def us_date(day: date) -> str:
    """MM/DD/YYYY, the form US pharmacies read on labels and prescriptions."""
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def us_datetime(moment: datetime) -> str:
    return f"{us_date(moment.date())} {moment:%H:%M}"


def number(value: Decimal | int) -> str:
    """A quantity as people write it: 30, 7.5, 0.25 (no trailing zeros, no exponent)."""
    text = format(Decimal(value).normalize(), "f")
    return text


def refills_text(refills: int) -> str:
    if refills == 0:
        return "No refills"
    return f"{refills} refill{'s' if refills != 1 else ''} remaining"
