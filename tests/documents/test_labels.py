"""Labels fit every stock without clipping or overlap, refuse honestly, and scan."""

from __future__ import annotations

import io
from itertools import combinations
from typing import Any

import pdfplumber
import pytest
from document_samples import (
    HYDROCODONE,
    IMPOSSIBLE_LABEL,
    LABEL,
    LONG_LABEL,
    SHORT_LABEL,
    TRAMADOL,
    decode_barcodes,
)

from rxflow.documents.data import DrugInfo, LabelData, LabelPrint
from rxflow.documents.label import FEDERAL_CAUTION, TRANSFER_WARNING, LabelDoesNotFit
from rxflow.documents.sheet import render_label, render_labels
from rxflow.documents.stocks import LabelStock, all_stocks, get_stock
from rxflow.errors import InvalidInput, RxflowError

STOCKS = sorted(all_stocks())
# What each stock holds (see docs in labels/*.toml): the 4x2, 3x2 and 30258 stocks take long
# drug names and directions; 30252 and 30334 take an ordinary label; zebra_2x1 takes none.
HOLDS_LONG = {"avery_5163", "zebra_4x2", "zebra_3x2", "dymo_30258"}
HOLDS_ORDINARY = HOLDS_LONG | {"dymo_30252", "dymo_30334"}
EPS = 0.01


def _text(pdf: bytes, page: int = 0) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return " ".join((doc.pages[page].extract_text() or "").split())


def _cell_box(stock: LabelStock, position: int) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) of the label in pdfplumber's top-down coordinates."""
    x, y = stock.cell_origin(position)
    page_height = stock.page_size()[1]
    return (x, page_height - y - stock.height_pt, x + stock.width_pt, page_height - y)


def _lines(chars: list[dict[str, Any]]) -> dict[tuple[float, float], list[dict[str, Any]]]:
    lines: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for char in chars:
        lines.setdefault((round(char["top"], 2), round(char["bottom"], 2)), []).append(char)
    return lines


def assert_laid_out_cleanly(pdf: bytes, stock: LabelStock, position: int = 1) -> None:
    x0, top, x1, bottom = _cell_box(stock, position)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        chars, bars = page.chars, page.rects
    assert chars and bars
    for box in [*chars, *bars]:
        assert box["x0"] >= x0 - EPS and box["x1"] <= x1 + EPS, box.get("text")
        assert box["top"] >= top - EPS and box["bottom"] <= bottom + EPS, box.get("text")
    boxes = []
    for line in _lines(chars).values():
        line.sort(key=lambda c: c["x0"])
        for left, right in zip(line, line[1:], strict=False):
            assert left["x1"] <= right["x0"] + EPS, "characters overlap on one line"
        boxes.append((line[0]["x0"], line[0]["top"], line[-1]["x1"], line[0]["bottom"]))
    for a, b in combinations(boxes, 2):
        apart = a[2] <= b[0] + EPS or b[2] <= a[0] + EPS or a[3] <= b[1] + EPS or b[3] <= a[1] + EPS
        assert apart, f"text lines overlap: {a} {b}"
    for bar in bars:
        for char in chars:
            assert (
                bar["x1"] <= char["x0"] + EPS
                or char["x1"] <= bar["x0"] + EPS
                or bar["bottom"] <= char["top"] + EPS
                or char["bottom"] <= bar["top"] + EPS
            )


@pytest.mark.parametrize("name", sorted(HOLDS_LONG))
def test_long_drug_and_directions_fit_inside_the_label(name: str) -> None:
    stock = get_stock(name)
    position = 4 if stock.sheet else 1
    pdf = render_label(LONG_LABEL, name, start_position=position)
    assert_laid_out_cleanly(pdf, stock, position)
    text = _text(pdf)
    assert LONG_LABEL.drug.generic_name in text and LONG_LABEL.directions_plain in text


@pytest.mark.parametrize("name", sorted(HOLDS_ORDINARY))
def test_ordinary_label_fits_and_prints_every_field(name: str) -> None:
    stock = get_stock(name)
    pdf = render_label(LABEL, name)
    assert_laid_out_cleanly(pdf, stock)
    text = _text(pdf)
    for field in [
        "Riverside Animal Hospital",
        "1200 Mill Creek Road, Springfield, IL 62704",
        "Tel (217) 555-0142",
        "Prescriber: Anna Okafor, DVM",
        "Client: Jane Smith",
        "Patient: Bella (Canine)",
        "Carprofen (Rimadyl) 75 mg chewable tablet",
        "Qty: 60 tablets",
        LABEL.directions_plain,
        "Filled 03/04/2025",
        "Discard by 03/04/2026",
        "2 refills remaining",
        "Rx# RX-2025-004217",
        "Lot L48213A",
        FEDERAL_CAUTION,
        "For veterinary use only.",
        "Keep out of reach of children.",
    ]:
        assert field in text, field
    assert "C-I" not in text and TRANSFER_WARNING not in text


@pytest.mark.parametrize("name", STOCKS)
def test_barcode_decodes_to_the_request_number(name: str, tmp_path: Any) -> None:
    label = SHORT_LABEL if name in HOLDS_ORDINARY else None
    if label is None:  # zebra_2x1 holds no full label: its refusal is tested below
        with pytest.raises(LabelDoesNotFit):
            render_label(SHORT_LABEL, name)
        return
    assert decode_barcodes(render_label(label, name), tmp_path) == [label.request_number]


@pytest.mark.parametrize("name", sorted(set(STOCKS) - HOLDS_LONG))
def test_small_stock_refuses_long_label_naming_a_larger_stock_that_fits(name: str) -> None:
    with pytest.raises(LabelDoesNotFit) as refused:
        render_label(LONG_LABEL, name)
    suggestion = refused.value.suggestion
    assert suggestion is not None and suggestion.area > get_stock(name).area
    assert suggestion.name in str(refused.value)
    assert_laid_out_cleanly(render_label(LONG_LABEL, suggestion.name, 1), suggestion)


@pytest.mark.parametrize("name", STOCKS)
def test_impossible_label_is_refused_on_every_stock(name: str) -> None:
    with pytest.raises(LabelDoesNotFit) as refused:
        render_label(IMPOSSIBLE_LABEL, name)
    assert isinstance(refused.value, RxflowError)
    assert "no label stock holds it" in refused.value.reason


def test_controlled_label_carries_schedule_and_transfer_warning() -> None:
    pdf = render_label(
        LABEL.model_copy(update={"drug": TRAMADOL, "refills_remaining": 0}), "zebra_4x2"
    )
    text = _text(pdf)
    assert "C-IV Tramadol hydrochloride 50 mg tablet" in text
    assert TRANSFER_WARNING in text and "No refills" in text


def test_schedule_two_label_is_refused_on_30252_and_prints_on_the_suggestion() -> None:
    label = LABEL.model_copy(update={"drug": HYDROCODONE, "refills_remaining": 0})
    with pytest.raises(LabelDoesNotFit) as refused:
        render_label(label, "dymo_30252")
    assert refused.value.suggestion is not None
    assert "C-II" in _text(render_label(label, refused.value.suggestion.name))


def test_schedule_five_label_has_no_transfer_warning() -> None:
    pregabalin = DrugInfo(
        generic_name="Pregabalin", strength="50 mg", dosage_form="capsule", schedule=5
    )
    text = _text(render_label(LABEL.model_copy(update={"drug": pregabalin}), "zebra_4x2"))
    assert "C-V Pregabalin" in text and TRANSFER_WARNING not in text


def test_sheet_starts_at_the_chosen_position_and_continues_on_a_new_page() -> None:
    stock = get_stock("avery_5163")
    labels = tuple(
        LABEL.model_copy(update={"request_number": f"RX-2025-00{n:04d}"}) for n in range(4)
    )
    pdf = render_labels(LabelPrint(labels=labels, stock="avery_5163", start_position=8))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 2
        first, second = doc.pages
        for position, number in ((8, labels[0]), (10, labels[2])):
            x0, top, x1, bottom = _cell_box(stock, position)
            assert number.request_number in (first.crop((x0, top, x1, bottom)).extract_text())
        x0, top, x1, bottom = _cell_box(stock, 1)
        assert labels[3].request_number in second.crop((x0, top, x1, bottom)).extract_text()
        assert first.crop(_cell_box(stock, 1)).chars == []


def test_start_position_past_the_sheet_is_refused() -> None:
    with pytest.raises(InvalidInput):
        render_labels(LabelPrint(labels=(LABEL,), stock="avery_5163", start_position=11))


def test_unknown_stock_is_refused_with_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="dymo_30252"):
        render_label(LABEL, "dymo_99999")


def test_same_label_gives_the_same_bytes() -> None:
    copy = LabelData.model_validate(LABEL.model_dump())
    assert render_label(LABEL, "avery_5163", 3) == render_label(copy, "avery_5163", 3)
