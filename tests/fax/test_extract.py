"""Fields read from text-layer faxes: every layout, every label synonym, at >= 95% accuracy."""

from __future__ import annotations

import pytest
from corpus import LAYOUTS, SYNONYMS, FaxCase, accuracy, same, text_corpus

from rxflow.fax import extract
from rxflow.fax.fields import FIELDS, SPECIES


def test_field_accuracy_on_text_faxes_is_at_least_95_percent(text_cases: list[FaxCase]) -> None:
    right, total, misses = accuracy(text_cases)
    assert right / total >= 0.95, misses


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_yields_every_field(layout: str, text_cases: list[FaxCase]) -> None:
    cases = [c for c in text_cases if c.layout == layout]
    right, total, misses = accuracy(cases)
    assert right / total >= 0.9, misses


def test_text_faxes_say_text_and_count_pages(text_cases: list[FaxCase]) -> None:
    result = extract(text_cases[0].pdf)
    assert (result.text_source, result.pages) == ("text", 1)


def test_a_ruled_table_yields_one_item_per_medication_with_shared_fields_copied() -> None:
    table = next(c for c in text_corpus(4) if c.layout == "table" and len(c.expected) == 3)
    items = extract(table.pdf).items
    assert [i.drug for i in items] == [e["drug"] for e in table.expected]
    assert {i.client_name for i in items} == {table.expected[0]["client_name"]}
    assert {i.pharmacy_fax for i in items} == {table.expected[0]["pharmacy_fax"]}


@pytest.mark.parametrize(("field", "label"), [(f, s) for f, ss in SYNONYMS.items() for s in ss])
def test_every_label_synonym_is_read(field: str, label: str, text_cases: list[FaxCase]) -> None:
    cases = [c for c in text_cases if c.labels.get(field) == label and c.layout != "letter"]
    assert cases, f"the corpus has no form labelling {field} as {label!r}"
    for case in cases:
        items = extract(case.pdf).items
        assert same(field, getattr(items[0], field), case.expected[0][field]), case.name


def test_values_come_out_normalised(text_cases: list[FaxCase]) -> None:
    for case in text_cases:
        for item in extract(case.pdf).items:
            assert item.species in set(SPECIES.values())
            assert item.quantity.isdigit()
            assert len(item.pharmacy_fax) == 10 and item.pharmacy_fax.isdigit()


def test_every_field_has_a_confidence_between_0_and_1(text_cases: list[FaxCase]) -> None:
    for case in text_cases[:8]:
        for item in extract(case.pdf).items:
            assert set(item.confidence) == set(FIELDS)
            assert all(0.0 <= c <= 1.0 for c in item.confidence.values())
            assert all(item.confidence[f] > 0.5 for f in FIELDS if getattr(item, f))


def test_a_letter_is_read_with_less_confidence_than_a_labelled_form(
    text_cases: list[FaxCase],
) -> None:
    letter = extract(next(c for c in text_cases if c.layout == "letter").pdf).items[0]
    form = extract(next(c for c in text_cases if c.layout == "label_left").pdf).items[0]
    assert letter.confidence["drug"] < form.confidence["drug"]


def test_a_pdf_with_text_but_no_request_yields_no_items() -> None:
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    buf = BytesIO()
    pdf = Canvas(buf, invariant=1)
    pdf.drawString(72, 700, "Our office will be closed on Monday for the holiday.")
    pdf.save()
    assert extract(buf.getvalue()).items == []
