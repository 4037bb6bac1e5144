"""Faxes rxflow cannot read fail with one clear sentence, never a stack trace."""

from __future__ import annotations

import io

import pytest
from corpus import FaxCase, blank_scan
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from rxflow.errors import RxflowError
from rxflow.fax import IntakeError, extract
from rxflow.fax.extract import MAX_PAGES


def _pages(count: int) -> bytes:
    buf = io.BytesIO()
    pdf = Canvas(buf, invariant=1)
    for number in range(count):
        pdf.drawString(72, 700, "Owner: Jane Doe")
        pdf.drawString(400, 40, f"page {number + 1}")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _one_sentence(error: IntakeError) -> str:
    reason = error.reason
    assert reason.endswith(".") and reason.count(". ") == 0 and "\n" not in reason
    return reason


def test_intake_error_is_an_rxflow_error() -> None:
    assert issubclass(IntakeError, RxflowError)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(IntakeError) as caught:
        extract(b"")
    assert "empty" in _one_sentence(caught.value)


def test_a_file_that_is_not_a_pdf_is_refused() -> None:
    with pytest.raises(IntakeError) as caught:
        extract(b"GIF89a this is a picture, not a fax")
    assert "not a PDF" in _one_sentence(caught.value)


def test_a_corrupt_pdf_is_refused(text_cases: list[FaxCase]) -> None:
    damaged = text_cases[0].pdf[:400] + b"\x00garbage" * 50
    with pytest.raises(IntakeError) as caught:
        extract(damaged)
    assert "damaged" in _one_sentence(caught.value)


def test_a_truncated_pdf_is_refused() -> None:
    with pytest.raises(IntakeError) as caught:
        extract(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    assert "damaged" in _one_sentence(caught.value)


def test_a_password_protected_pdf_is_refused(text_cases: list[FaxCase]) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_cases[0].pdf)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(IntakeError) as caught:
        extract(out.getvalue())
    assert "password" in _one_sentence(caught.value)


def test_a_50_page_fax_is_refused_before_any_page_is_read() -> None:
    with pytest.raises(IntakeError) as caught:
        extract(_pages(50))
    reason = _one_sentence(caught.value)
    assert "50 pages" in reason and f"at most {MAX_PAGES}" in reason


def test_a_fax_at_the_page_limit_is_read() -> None:
    result = extract(_pages(MAX_PAGES))
    assert result.pages == MAX_PAGES and result.items[0].client_name == "Jane Doe"


def test_a_scanned_page_with_nothing_on_it_is_refused() -> None:
    with pytest.raises(IntakeError) as caught:
        extract(blank_scan())
    assert "No text could be read" in _one_sentence(caught.value)
