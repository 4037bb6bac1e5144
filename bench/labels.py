"""Time the label renderer against a bare reportlab canvas drawing the same strings and barcode.

Run: .venv/bin/python bench/labels.py   (prints ms per PDF and the ratio; not a test)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "documents"))
from document_samples import LABEL  # noqa: E402

from rxflow.documents.data import LabelPrint  # noqa: E402
from rxflow.documents.label import LabelLayout, require_layout  # noqa: E402
from rxflow.documents.sheet import render_labels  # noqa: E402
from rxflow.documents.stocks import LabelStock, get_stock  # noqa: E402

ROUNDS = 400


def bare(stock: LabelStock, layout: LabelLayout, count: int) -> bytes:
    """Strings and barcode at precomputed positions: what any renderer must at least do."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=stock.page_size(), invariant=1, pageCompression=1)
    for position in range(1, count + 1):
        x, y = stock.cell_origin(position)
        for line in layout.lines:
            canvas.setFont(line.font, line.size)
            canvas.drawString(x + line.x, y + line.baseline, line.text)
        bar = layout.barcode
        Code128(LABEL.request_number, barWidth=stock.barcode.module_pt,
                barHeight=bar.barcode.barHeight, humanReadable=0, quiet=1,
                lquiet=bar.barcode.lquiet, rquiet=bar.barcode.rquiet).drawOn(canvas, x + bar.x,
                                                                             y + bar.y)
        canvas.setFont("Helvetica", bar.text_size)
        canvas.drawCentredString(x + bar.text_x, y + bar.text_baseline, LABEL.request_number)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def median_ms(ours: Callable[[], bytes], theirs: Callable[[], bytes]) -> tuple[float, float]:
    """Medians of ROUNDS runs each (ms), interleaved so machine load hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(ROUNDS):
        for work, into in ((ours, times[0]), (theirs, times[1])):
            start = time.perf_counter()
            work()
            into.append(time.perf_counter() - start)
    return tuple(sorted(t)[len(t) // 2] * 1000 for t in times)  # type: ignore[return-value]


def main() -> None:
    stock, dymo = get_stock("avery_5163"), get_stock("dymo_30258")
    layout, dymo_layout = require_layout(LABEL, stock), require_layout(LABEL, dymo)
    cases = {
        "one label (dymo_30258)": (
            lambda: render_labels(LabelPrint(labels=(LABEL,), stock="dymo_30258")),
            lambda: bare(dymo, dymo_layout, 1),
        ),
        "one label (avery_5163)": (
            lambda: render_labels(LabelPrint(labels=(LABEL,), stock="avery_5163")),
            lambda: bare(stock, layout, 1),
        ),
        "sheet of 10 (avery_5163)": (
            lambda: render_labels(LabelPrint(labels=(LABEL,) * 10, stock="avery_5163")),
            lambda: bare(stock, layout, 10),
        ),
    }
    print(f"median of {ROUNDS} runs")
    for name, (ours, theirs) in cases.items():
        ours(), theirs()  # warm caches (stock files, font metrics)
        rx, raw = median_ms(ours, theirs)
        print(f"{name:28s} rxflow {rx:7.2f} ms   bare canvas {raw:7.2f} ms   ratio {rx / raw:.2f}x")


if __name__ == "__main__":
    main()
