"""Print labels on a stock: one page per label on a roll, or multi-up from a start position."""

from __future__ import annotations

from io import BytesIO

from rxflow.documents.data import LabelData, LabelPrint
from rxflow.documents.label import draw_label, require_layout
from rxflow.documents.pdf import new_canvas
from rxflow.documents.stocks import LabelStock, get_stock
from rxflow.errors import InvalidInput


def render_labels(job: LabelPrint) -> bytes:
    """PDF of `job.labels` on `job.stock`; a sheet continues on a new page when it is full."""
    stock = get_stock(job.stock)
    if job.start_position > stock.positions:
        raise InvalidInput(
            f"Start position {job.start_position} is past the last label "
            f"({stock.positions}) on {stock.description}."
        )
    layouts = [require_layout(label, stock) for label in job.labels]  # refuse before drawing
    buffer = BytesIO()
    canvas = new_canvas(buffer, stock.page_size(), f"Prescription labels {_numbers(job.labels)}")
    for index, (label, layout) in enumerate(zip(job.labels, layouts, strict=True)):
        slot = job.start_position - 1 + index
        if index and slot % stock.positions == 0:
            canvas.showPage()
        x, y = stock.cell_origin(slot % stock.positions + 1)
        draw_label(canvas, layout, label, x, y)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_label(label: LabelData, stock: LabelStock | str, start_position: int = 1) -> bytes:
    """One label: the label-sized page on a roll, or the sheet with the label at its position."""
    name = stock if isinstance(stock, str) else stock.name
    return render_labels(LabelPrint(labels=(label,), stock=name, start_position=start_position))


def _numbers(labels: tuple[LabelData, ...]) -> str:
    numbers = list(dict.fromkeys(label.request_number for label in labels))
    return ", ".join(numbers[:3]) + (" ..." if len(numbers) > 3 else "")
