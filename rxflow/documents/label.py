"""The prescription label: every field the law and the client need, fitted to a label stock.

A label is laid out as paragraphs flowing through two frames: the full width above the barcode,
then the strip beside it. The font shrinks on a quarter-point grid down to the stock's minimum;
if the label still does not fit, `LabelDoesNotFit` names the smallest other stock that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

from rxflow.documents.data import LabelData
from rxflow.documents.fit import ASCENT, LINE, NBSP, REGULAR, Frame, Line, Paragraph, fit
from rxflow.documents.pdf import number, refills_text, us_date
from rxflow.documents.stocks import POINTS_PER_INCH, LabelStock, all_stocks
from rxflow.errors import InvalidInput, RxflowError

FEDERAL_CAUTION = (
    "Caution: Federal law restricts this drug to use by or on the order of a licensed veterinarian."
)
TRANSFER_WARNING = (
    "Caution: Federal law prohibits the transfer of this drug to any person other than the "
    "patient for whom it was prescribed."
)
VETERINARY_USE = "For veterinary use only. Keep out of reach of children."
MIN_STRIP_WIDTH = 36.0  # narrower than half an inch, text beside the barcode is not worth it


class LabelDoesNotFit(RxflowError):
    """The label's text does not fit the stock even at its minimum font size."""

    code = "LABEL_DOES_NOT_FIT"

    def __init__(self, stock: LabelStock, suggestion: LabelStock | None) -> None:
        head = f"This label does not fit on {stock.description} even at {stock.font.min_pt:g} pt"
        if suggestion is None:
            tail = "; no label stock holds it, so shorten the directions or the drug name."
        else:
            tail = f"; print it on {suggestion.description} ({suggestion.name}) instead."
        super().__init__(head + tail)
        self.stock = stock
        self.suggestion = suggestion


@dataclass(frozen=True, slots=True)
class BarcodePlacement:
    barcode: Code128
    x: float
    y: float
    text_x: float  # centre of the human-readable number
    text_baseline: float
    text_size: float


@dataclass(frozen=True, slots=True)
class LabelLayout:
    """Positions relative to the label's bottom-left corner."""

    size: float
    lines: list[Line]
    barcode: BarcodePlacement


def _keep(*words: str) -> str:
    return NBSP.join(w for w in " ".join(words).split(" ") if w)


def label_paragraphs(data: LabelData) -> list[Paragraph]:
    """The label's text in reading order; legal legends last, so they sit beside the barcode."""
    practice = data.practice
    drug = data.drug
    address = ", ".join(practice.address_lines)
    drug_line = f"{drug.name} {drug.strength} {drug.dosage_form}"
    if drug.schedule_mark:
        drug_line = f"{drug.schedule_mark} {drug_line}"
    discard = _keep("Discard by", us_date(data.discard_by))
    if data.lot_number:
        discard = f"{discard}{NBSP}\u00b7 {_keep('Lot', data.lot_number)}"
    paragraphs = [
        Paragraph(practice.name, bold=True, scale=1.15),
        Paragraph(f"{address}{NBSP}\u00b7 {_keep('Tel', practice.phone)}"),
        Paragraph(
            f"Patient: {data.patient.name} ({data.patient.species}){NBSP}\u00b7 "
            f"Client: {data.client.name}"
        ),
        Paragraph(drug_line, bold=True, scale=1.1),
        Paragraph(data.directions_plain, bold=True, scale=1.1),
        Paragraph(
            f"{_keep('Qty:', number(data.quantity), data.quantity_unit)}{NBSP}\u00b7 "
            f"{_keep(refills_text(data.refills_remaining))}{NBSP}\u00b7 {discard}"
        ),
        Paragraph(
            f"{_keep('Rx#', data.request_number)}{NBSP}\u00b7 "
            f"{_keep('Filled', us_date(data.filled_on))}{NBSP}\u00b7 "
            f"{_keep('Prescriber:', data.prescriber.name)}"
        ),
    ]
    if drug.needs_transfer_warning:
        paragraphs.append(Paragraph(TRANSFER_WARNING, bold=True))
    paragraphs.append(Paragraph(f"{FEDERAL_CAUTION} {VETERINARY_USE}", keep_together=True))
    return paragraphs


def _barcode(data: LabelData, stock: LabelStock) -> tuple[Code128, float]:
    if not data.request_number.isascii() or not data.request_number.isprintable():
        raise InvalidInput("A request number on a barcode must be printable ASCII.")
    module = stock.barcode.module_pt
    barcode = Code128(
        data.request_number,
        barWidth=module,
        barHeight=stock.barcode.height_in * POINTS_PER_INCH,
        humanReadable=0,
        quiet=1,
        lquiet=10 * module,
        rquiet=10 * module,
    )
    return barcode, float(barcode.width)


def layout_label(data: LabelData, stock: LabelStock) -> LabelLayout | None:
    """Fit `data` to `stock`; None when it does not fit even at the minimum font size."""
    margins = stock.margins_in
    left = margins.left * POINTS_PER_INCH
    right = stock.width_pt - margins.right * POINTS_PER_INCH
    bottom = margins.bottom * POINTS_PER_INCH
    top = stock.height_pt - margins.top * POINTS_PER_INCH
    barcode, width = _barcode(data, stock)
    if width > right - left:
        return None
    text_size = stock.font.min_pt
    block_height = barcode.barHeight + LINE * text_size
    bar_x = right - width
    block_top = bottom + block_height
    frames = [Frame(left, top, right - left, block_top + 1.0)]
    if bar_x - left - 2.0 >= MIN_STRIP_WIDTH:
        frames.append(Frame(left, block_top, bar_x - left - 2.0, bottom))
    fitted = fit(label_paragraphs(data), frames, stock.font.min_pt, stock.font.max_pt)
    if fitted is None:
        return None
    size, lines = fitted
    text_line_top = bottom + LINE * text_size
    placement = BarcodePlacement(
        barcode=barcode,
        x=bar_x,
        y=text_line_top,
        text_x=bar_x + width / 2,
        text_baseline=text_line_top - ASCENT * text_size,
        text_size=text_size,
    )
    return LabelLayout(size=size, lines=lines, barcode=placement)


def suggest_stock(data: LabelData, refused: LabelStock) -> LabelStock | None:
    """The smallest larger stock that holds this label; failing that, any other that does."""
    others = sorted(
        (s for s in all_stocks().values() if s.name != refused.name),
        key=lambda s: (s.area < refused.area, s.area, s.name),
    )
    for stock in others:
        if layout_label(data, stock) is not None:
            return stock
    return None


def require_layout(data: LabelData, stock: LabelStock) -> LabelLayout:
    layout = layout_label(data, stock)
    if layout is None:
        raise LabelDoesNotFit(stock, suggest_stock(data, stock))
    return layout


def draw_label(canvas: Canvas, layout: LabelLayout, data: LabelData, x: float, y: float) -> None:
    """Draw a fitted label with its bottom-left corner at (x, y)."""
    for line in layout.lines:
        canvas.setFont(line.font, line.size)
        canvas.drawString(x + line.x, y + line.baseline, line.text)
    placement = layout.barcode
    placement.barcode.drawOn(canvas, x + placement.x, y + placement.y)
    canvas.setFont(REGULAR, placement.text_size)
    canvas.drawCentredString(x + placement.text_x, y + placement.text_baseline, data.request_number)
