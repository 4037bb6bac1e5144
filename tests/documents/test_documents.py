"""Every document kind reads back with pdfplumber, passes qpdf --check and renders identically."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import document_samples as s
import pdfplumber
import pytest
from pydantic import BaseModel, ValidationError

from rxflow.documents import data as d
from rxflow.documents.render import RENDERERS, render
from rxflow.documents.words import quantity_in_words
from rxflow.errors import InvalidInput

COMMON = ["Riverside Animal Hospital", "(217) 555-0142"]
DOCUMENTS: dict[str, tuple[BaseModel, list[str]]] = {
    "label": (
        d.LabelPrint(labels=(s.LABEL,), stock="zebra_4x2"),
        ["Rx# RX-2025-004217", "Carprofen (Rimadyl) 75 mg chewable tablet"],
    ),
    "refill_summary": (
        s.SUMMARY,
        [
            "Refill request RX-2025-004220",
            "03/03/2025",
            "Incoming fax",
            "PetMeds Direct Pharmacy",
            "Carprofen (Rimadyl) 75 mg chewable tablet",
            "60 (sixty) tablets",
            "Give 1 tablet by mouth every 12 hours with food.",
            "Bella",
            "Canine",
            "Labrador Retriever",
            "Female, spayed",
            "29.1 kg",
            "28.4 kg",
            "03/01/2024",
            "Last exam 02/10/2025",
            "Muzzle for nail trims",
            "Jane Smith, (217) 555-0199",
            "09/01/2024",
            "1 of 3",
            "12/02/2024",
            "Owner reports Bella is limping less.",
        ],
    ),
    "written_prescription": (
        s.WRITTEN,
        [
            "Prescription",
            "03/04/2025",
            "Anna Okafor, DVM",
            "IL-VET-045512",
            "BO1234563",
            "Jane Smith",
            "48 Elm Street, Springfield, IL 62701",
            "(217) 555-0199",
            "Bella",
            "Canine",
            "Tramadol hydrochloride",
            "50 mg",
            "tablet",
            "C-IV",
            "57664-377-88",
            "45 (forty-five) tablets",
            "Give 1/2 tablet by mouth every 12 hours as needed for pain.",
            "1 (one)",
            "PetMeds Direct Pharmacy",
            "(217) 555-0143",
        ],
    ),
    "fax_cover_sheet": (
        s.FAX_COVER,
        [
            "Fax",
            "PetMeds Direct Pharmacy",
            "(800) 555-0111",
            "Maria Lopez",
            "03/04/2025",
            "2 (including this cover sheet)",
            "Prescription for Bella (Jane Smith)",
            "Please call us with any questions.",
            d.DEFAULT_CONFIDENTIALITY,
        ],
    ),
    "pharmacy_response": (
        s.RESPONSE,
        [
            "Response to refill authorization request",
            "PetMeds Direct Pharmacy",
            "PMD-778812",
            "RX-2025-004219",
            "03/05/2025",
            "APPROVED WITH CHANGES",
            "60 (sixty) tablets",
            "30 (thirty) tablets",
            "Quantity reduced to 30; recheck bloodwork before the next refill.",
            "Anna Okafor, DVM",
            "IL-VET-045512",
            "Jane Smith",
            "Bella",
        ],
    ),
    "checklist_record": (
        s.CHECKLIST,
        [
            "Checklist record",
            "RX-2025-004221",
            "in_house_fill, version 3",
            "PASSED",
            "Scanned product matches the prescription",
            "Pass",
            "rxflow engine",
            "03/04/2025 10:15",
            "Label read back to the client",
            "Maria Lopez",
            "03/04/2025 10:17",
            "Client repeated dose",
            "Bella",
            "Carprofen",
        ],
    ),
    "client_handout": (
        s.HANDOUT,
        [
            "Bella's medication",
            "Carprofen (Rimadyl) 75 mg chewable tablet",
            "Give 1 tablet by mouth every 12 hours with food.",
            "Common side effects",
            "Vomiting",
            "Loss of appetite",
            "Black stools",
            "If you miss a dose",
            s.HANDOUT.missed_dose or "",
            "Store at room temperature.",
            "Jane Smith",
        ],
    ),
    "dispensing_receipt": (
        s.RECEIPT,
        [
            "Dispensing receipt",
            "RX-2025-004223",
            "03/04/2025 16:40",
            "Jane Smith",
            "Bella",
            "Maria Lopez",
            "Counselled Yes",
            "Carprofen (Rimadyl) 75 mg chewable tablet",
            "60 tablets",
            "$54.90",
            "Total: $54.90",
        ],
    ),
    "controlled_log": (
        s.CONTROLLED_LOG,
        [
            "Controlled-substance log",
            "Tramadol hydrochloride 50 mg tablet (C-IV)",
            "Anna Okafor, DVM",
            "BO1234563",
            "03/01/2025 to 03/31/2025",
            "Opening balance 500",
            "Received from distributor",
            "600",
            "RX-2025-004218",
            "Bella, Jane Smith",
            "45",
            "555",
            "Sam Lee",
            "Closing balance: 555 tablets",
        ],
    ),
    "denial_notice": (
        s.DENIAL,
        [
            "03/05/2025",
            "Dear Jane Smith,",
            "Carprofen (Rimadyl) 75 mg chewable tablet",
            "RX-2025-004224",
            "Bella has not had an exam in the last 12 months.",
            "Book an exam",
            "Book online at riversidevet.example or call (217) 555-0142.",
            "Anna Okafor, DVM",
        ],
    ),
}


def read_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in doc.pages)


def test_every_kind_has_a_sample() -> None:
    assert set(DOCUMENTS) == set(RENDERERS)


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_pdfplumber_reads_back_every_field(kind: str) -> None:
    model, fields = DOCUMENTS[kind]
    text = read_text(render(kind, model))
    common = COMMON[:1] if kind == "refill_summary" else COMMON  # an in-house page: no phone
    for field in [*fields, *common]:
        assert field in text, f"{kind}: {field!r} missing"


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_qpdf_check_passes(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(render(kind, DOCUMENTS[kind][0]))
    result = s.run("qpdf", "--check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_same_data_gives_the_same_bytes(kind: str) -> None:
    model = DOCUMENTS[kind][0]
    copy = type(model).model_validate(model.model_dump())
    assert render(kind, model) == render(kind, copy)


def test_handout_prints_nothing_for_empty_formulary_fields() -> None:
    bare = s.HANDOUT.model_copy(update={"side_effects": (), "missed_dose": None, "storage": None})
    text = read_text(render("client_handout", bare))
    for heading in ("Common side effects", "If you miss a dose", "Storage"):
        assert heading not in text
    assert bare.directions_plain in text


def test_schedule_two_prescription_is_marked_original_or_advance_copy() -> None:
    rx = s.WRITTEN.model_copy(update={"drug": s.HYDROCODONE, "refills": 0})
    assert "SIGNED ORIGINAL" in read_text(render("written_prescription", rx))
    advance = rx.model_copy(update={"advance_copy": True})
    assert "ADVANCE COPY - NOT VALID FOR DISPENSING" in read_text(
        render("written_prescription", advance)
    )


def test_controlled_prescription_without_dea_number_is_refused() -> None:
    no_dea = s.PRESCRIBER.model_copy(update={"dea_number": None})
    with pytest.raises(InvalidInput, match="DEA"):
        render("written_prescription", s.WRITTEN.model_copy(update={"prescriber": no_dea}))


@pytest.mark.parametrize(
    ("outcome", "extra", "expected"),
    [
        ("approved", {}, "Decision: APPROVED"),
        ("replace", {"authorized": s.ORDER}, "REPLACED BY A NEW PRESCRIPTION"),
        (
            "denied",
            {"denial_code": "AC", "denial_reason": "Patient no longer under care."},
            "Patient no longer under care.",
        ),
        (
            "pending",
            {"pending_note": "Exam booked.", "expected_on": s.RESPONSE.responded_on},
            "Exam booked. Expected by 03/05/2025",
        ),
    ],
)
def test_pharmacy_response_prints_each_outcome(
    outcome: str, extra: dict[str, object], expected: str
) -> None:
    base = s.RESPONSE.model_dump(exclude={"outcome", "authorized", "changes_note"})
    response = d.PharmacyResponse.model_validate({**base, "outcome": outcome, **extra})
    text = read_text(render("pharmacy_response", response))
    assert expected in text and "PMD-778812" in text


def test_pharmacy_response_without_its_reason_is_invalid() -> None:
    base = s.RESPONSE.model_dump(exclude={"outcome"})
    with pytest.raises(ValidationError):
        d.PharmacyResponse.model_validate({**base, "outcome": "denied"})


def test_render_refuses_the_wrong_model() -> None:
    with pytest.raises(InvalidInput):
        render("written_prescription", s.HANDOUT)


@pytest.mark.parametrize(
    ("quantity", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (15, "fifteen"),
        (45, "forty-five"),
        (100, "one hundred"),
        (120, "one hundred twenty"),
        (1250, "one thousand two hundred fifty"),
        (Decimal("7.5"), "seven point five"),
        (Decimal("0.25"), "zero point two five"),
    ],
)
def test_quantity_in_words(quantity: Decimal, words: str) -> None:
    assert quantity_in_words(quantity) == words
