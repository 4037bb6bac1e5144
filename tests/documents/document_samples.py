"""Sample input for every document kind, and the tools the document tests shell out to."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw

from rxflow.documents import data as d


def signature_png() -> bytes:
    """A small, fixed signature scrawl (PNG), the same bytes every time."""
    image = Image.new("L", (300, 80), 255)
    draw = ImageDraw.Draw(image)
    draw.line(
        [
            (10, 60),
            (40, 15),
            (60, 65),
            (90, 20),
            (120, 60),
            (160, 30),
            (200, 55),
            (240, 25),
            (290, 50),
        ],
        fill=0,
        width=4,
    )
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


PRACTICE = d.PracticeInfo(
    name="Riverside Animal Hospital",
    address_lines=("1200 Mill Creek Road", "Springfield, IL 62704"),
    phone="(217) 555-0142",
    fax="(217) 555-0143",
)
PRESCRIBER = d.PrescriberInfo(
    name="Anna Okafor, DVM",
    license_number="IL-VET-045512",
    dea_number="BO1234563",
    signature_png=signature_png(),
)
CLIENT = d.ClientInfo(
    name="Jane Smith",
    address_lines=("48 Elm Street", "Springfield, IL 62701"),
    phone="(217) 555-0199",
)
PATIENT = d.PatientInfo(
    name="Bella",
    species="Canine",
    breed="Labrador Retriever",
    sex="Female, spayed",
    weights=(
        d.Weight(date(2024, 3, 1), Decimal("28.4")),
        d.Weight(date(2025, 2, 10), Decimal("29.1")),
    ),
    last_exam_on=date(2025, 2, 10),
    alerts=("Muzzle for nail trims",),
)
CARPROFEN = d.DrugInfo(
    generic_name="Carprofen",
    brand_name="Rimadyl",
    strength="75 mg",
    dosage_form="chewable tablet",
    ndc="0069-0233-01",
)
TRAMADOL = d.DrugInfo(
    generic_name="Tramadol hydrochloride",
    strength="50 mg",
    dosage_form="tablet",
    schedule=4,
    ndc="57664-377-88",
)
HYDROCODONE = d.DrugInfo(
    generic_name="Hydrocodone bitartrate and homatropine methylbromide",
    brand_name="Hycodan",
    strength="5 mg/1.5 mg",
    dosage_form="tablet",
    schedule=2,
    ndc="63481-0687-70",
)
PHARMACY = d.PharmacyInfo(
    name="PetMeds Direct Pharmacy",
    address_lines=("900 Commerce Way", "Pompano Beach, FL 33069"),
    phone="(800) 555-0110",
    fax="(800) 555-0111",
)

LABEL = d.LabelData(
    request_number="RX-2025-004217",
    practice=PRACTICE,
    prescriber=PRESCRIBER,
    client=CLIENT,
    patient=PATIENT,
    drug=CARPROFEN,
    quantity=Decimal(60),
    quantity_unit="tablets",
    directions_plain="Give 1 tablet by mouth every 12 hours with food for 30 days.",
    filled_on=date(2025, 3, 4),
    discard_by=date(2026, 3, 4),
    refills_remaining=2,
    lot_number="L48213A",
)
LONG_DRUG = d.DrugInfo(
    generic_name="Amoxicillin trihydrate and clavulanate potassium",
    brand_name="Clavamox",
    strength="62.5 mg",
    dosage_form="chewable tablet",
)
LONG_DIRECTIONS = (
    "Give 1 and 1/2 tablets by mouth every 12 hours with a small meal for 21 days; finish "
    "every dose even if your pet seems better, and call us if vomiting or diarrhea starts."
)
LONG_LABEL = LABEL.model_copy(update={"drug": LONG_DRUG, "directions_plain": LONG_DIRECTIONS})
SHORT_LABEL = LABEL.model_copy(
    update={
        "drug": d.DrugInfo(generic_name="Enalapril", strength="5 mg", dosage_form="tablet"),
        "directions_plain": "Give 1 tablet by mouth once a day.",
        "lot_number": None,
    }
)
IMPOSSIBLE_LABEL = LABEL.model_copy(update={"directions_plain": " ".join([LONG_DIRECTIONS] * 12)})

ORDER = d.MedicationOrder(
    drug=CARPROFEN,
    quantity=Decimal(60),
    quantity_unit="tablets",
    directions_plain="Give 1 tablet by mouth every 12 hours with food.",
    refills=2,
)
WRITTEN = d.WrittenPrescription(
    request_number="RX-2025-004218",
    practice=PRACTICE,
    prescriber=PRESCRIBER,
    client=CLIENT,
    patient=PATIENT,
    drug=TRAMADOL,
    quantity=Decimal(45),
    quantity_unit="tablets",
    directions_plain="Give 1/2 tablet by mouth every 12 hours as needed for pain.",
    refills=1,
    written_on=date(2025, 3, 4),
    pharmacy=PHARMACY,
)
FAX_COVER = d.FaxCoverSheet(
    to=PHARMACY,
    practice=PRACTICE,
    sender_name="Maria Lopez",
    pages=2,
    sent_on=date(2025, 3, 4),
    subject="Prescription for Bella (Jane Smith)",
    note="Please call us with any questions.",
)
RESPONSE = d.PharmacyResponse(
    outcome="approved_with_changes",
    pharmacy=PHARMACY,
    pharmacy_request_number="PMD-778812",
    request_number="RX-2025-004219",
    practice=PRACTICE,
    prescriber=PRESCRIBER,
    client=CLIENT,
    patient=PATIENT,
    requested=ORDER,
    authorized=ORDER.model_copy(update={"quantity": Decimal(30), "refills": 0}),
    changes_note="Quantity reduced to 30; recheck bloodwork before the next refill.",
    responded_on=date(2025, 3, 5),
)
SUMMARY = d.RefillSummary(
    request_number="RX-2025-004220",
    received_on=date(2025, 3, 3),
    source="Incoming fax",
    requested_by="PetMeds Direct Pharmacy",
    practice=PRACTICE,
    client=CLIENT,
    patient=PATIENT,
    requested=ORDER,
    prescriptions=(
        d.PrescriptionHistoryEntry(
            written_on=date(2024, 9, 1),
            description="Carprofen 75 mg chewable tablet, 60 tablets",
            prescriber_name="Anna Okafor, DVM",
            refills_authorized=3,
            refills_remaining=1,
            expires_on=date(2025, 9, 1),
        ),
    ),
    fills=(
        d.FillHistoryEntry(
            filled_on=date(2024, 12, 2),
            description="Carprofen 75 mg",
            quantity=Decimal(60),
            quantity_unit="tablets",
        ),
    ),
    note="Owner reports Bella is limping less.",
)
CHECKLIST = d.ChecklistRecord(
    request_number="RX-2025-004221",
    practice=PRACTICE,
    checklist_id="in_house_fill",
    checklist_version=3,
    patient=PATIENT,
    drug=CARPROFEN,
    passed=True,
    answers=(
        d.ChecklistAnswer(
            item="Scanned product matches the prescription",
            answer="Pass",
            answered_by="rxflow engine",
            answered_at=datetime(2025, 3, 4, 10, 15),
        ),
        d.ChecklistAnswer(
            item="Label read back to the client",
            answer="Yes",
            answered_by="Maria Lopez",
            answered_at=datetime(2025, 3, 4, 10, 17),
            note="Client repeated dose",
        ),
    ),
)
HANDOUT = d.ClientHandout(
    request_number="RX-2025-004222",
    practice=PRACTICE,
    client=CLIENT,
    patient=PATIENT,
    drug=CARPROFEN,
    directions_plain="Give 1 tablet by mouth every 12 hours with food.",
    filled_on=date(2025, 3, 4),
    side_effects=("Vomiting", "Loss of appetite", "Black stools"),
    missed_dose="Give it when you remember; skip it if the next dose is due within 4 hours.",
    storage="Store at room temperature.",
)
RECEIPT = d.DispensingReceipt(
    request_number="RX-2025-004223",
    practice=PRACTICE,
    client=CLIENT,
    patient=PATIENT,
    lines=(
        d.ReceiptLine(
            description="Carprofen (Rimadyl) 75 mg chewable tablet",
            quantity=Decimal(60),
            quantity_unit="tablets",
            amount=Decimal("54.90"),
        ),
    ),
    dispensed_at=datetime(2025, 3, 4, 16, 40),
    dispensed_by="Maria Lopez",
    handed_to="Jane Smith",
    counselled=True,
)
CONTROLLED_LOG = d.ControlledLog(
    practice=PRACTICE,
    registrant=PRESCRIBER,
    drug=TRAMADOL,
    quantity_unit="tablets",
    opening_balance=Decimal(500),
    period_start=date(2025, 3, 1),
    period_end=date(2025, 3, 31),
    rows=(
        d.ControlledLogRow(
            at=datetime(2025, 3, 2, 9, 0),
            description="Received from distributor",
            quantity_in=Decimal(100),
            recorded_by="Sam Lee",
        ),
        d.ControlledLogRow(
            at=datetime(2025, 3, 4, 16, 40),
            description="Dispensed",
            quantity_out=Decimal(45),
            request_number="RX-2025-004218",
            patient_name="Bella",
            client_name="Jane Smith",
            recorded_by="Maria Lopez",
            witnessed_by="Sam Lee",
        ),
    ),
)
DENIAL = d.DenialNotice(
    request_number="RX-2025-004224",
    practice=PRACTICE,
    client=CLIENT,
    patient=PATIENT,
    drug=CARPROFEN,
    denied_on=date(2025, 3, 5),
    reason_plain="Bella has not had an exam in the last 12 months.",
    exam_needed=True,
    booking_instructions="Book online at riversidevet.example or call (217) 555-0142.",
    prescriber_name="Anna Okafor, DVM",
)


def need(tool: str) -> str:
    """The path of a Debian tool the tests rely on; fails (never skips) when it is missing."""
    path = shutil.which(tool)
    if path is None:
        raise AssertionError(
            f"{tool} is not installed: apt-get install -y poppler-utils qpdf zbar-tools"
        )
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([need(args[0]), *args[1:]], capture_output=True, text=True, check=False)


def decode_barcodes(pdf: bytes, tmp_path: Path) -> list[str]:
    """Every barcode zbarimg reads on page 1 rendered at 300 dpi."""
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    rendered = run(
        "pdftoppm",
        "-r",
        "300",
        "-png",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        str(source),
        str(tmp_path / "page"),
    )
    assert rendered.returncode == 0, rendered.stderr
    result = run("zbarimg", "--quiet", "--raw", str(tmp_path / "page.png"))
    return [line for line in result.stdout.splitlines() if line]
