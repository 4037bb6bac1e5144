"""Shared building blocks for letter-size documents: styles, letterhead, field tables, build()."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table
from reportlab.platypus.doctemplate import BaseDocTemplate

from rxflow.documents.data import PracticeInfo, PrescriberInfo
from rxflow.documents.pdf import CREATOR

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10)
BOLD = ParagraphStyle("bold", parent=BODY, fontName="Helvetica-Bold")
TITLE = ParagraphStyle(
    "title",
    parent=BODY,
    fontName="Helvetica-Bold",
    fontSize=16,
    leading=20,
    spaceBefore=6,
    spaceAfter=6,
)
HEADING = ParagraphStyle(
    "heading",
    parent=BODY,
    fontName="Helvetica-Bold",
    fontSize=11,
    leading=14,
    spaceBefore=8,
    spaceAfter=3,
)
PRACTICE = ParagraphStyle(
    "practice", parent=BODY, fontName="Helvetica-Bold", fontSize=14, leading=17
)
GRID = [
    ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
]


def text(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of untrusted text: escaped, so a client's "<" never becomes markup."""
    return Paragraph(escape(value), style)


def markup(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of our own markup; callers escape every piece of data they put in it."""
    return Paragraph(value, style)


def field(label: str, value: str) -> Paragraph:
    return markup(f"<b>{escape(label)}:</b> {escape(value)}")


def letterhead(practice: PracticeInfo) -> list[Flowable]:
    contact = f"Phone {practice.phone}" + (f" \u00b7 Fax {practice.fax}" if practice.fax else "")
    lines = [text(line) for line in practice.address_lines]
    return [text(practice.name, PRACTICE), *lines, text(contact), Spacer(1, 6)]


def field_table(rows: Sequence[tuple[str, str]], label_width: float = 1.6 * inch) -> Table:
    """Label / value pairs in two columns; values wrap."""
    data = [[text(label, BOLD), text(value)] for label, value in rows]
    table = Table(data, colWidths=[label_width, None], hAlign="LEFT")
    table.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return table


def grid(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    """A ruled table with a header row that repeats on every page."""
    data = [[text(h, BOLD) for h in header]]
    data += [[text(cell, SMALL) for cell in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID)
    return table


def signature_block(prescriber: PrescriberInfo, show_dea: bool) -> list[Flowable]:
    """The signature image (uploaded once per DVM) above a line with the prescriber's name."""
    parts: list[Flowable] = [Spacer(1, 10)]
    if prescriber.signature_png:
        image = Image(BytesIO(prescriber.signature_png))
        scale = min(2.5 * inch / image.imageWidth, 0.6 * inch / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        image.hAlign = "LEFT"
        parts.append(image)
    else:
        parts.append(Spacer(1, 0.5 * inch))
    parts.append(text("_" * 45))
    ids = [f"License {prescriber.license_number}"]
    if show_dea and prescriber.dea_number:
        ids.append(f"DEA {prescriber.dea_number}")
    parts += [text(prescriber.name, BOLD), text(" \u00b7 ".join(ids))]
    return parts


def build(
    story: list[Flowable], title: str, footer: str, page_size: tuple[float, float] = letter
) -> bytes:
    """Lay out `story` on as many pages as it needs; the footer carries `footer` and the page."""

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(0.75 * inch, 0.45 * inch, footer)
        canvas.drawRightString(page_size[0] - 0.75 * inch, 0.45 * inch, f"Page {doc.page}")
        canvas.restoreState()

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page_size,
        invariant=1,
        title=title,
        author=CREATOR,
        creator=CREATOR,
        producer=CREATOR,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.6 * inch,
        bottomMargin=0.75 * inch,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
