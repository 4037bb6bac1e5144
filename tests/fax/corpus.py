"""A seeded corpus of incoming pharmacy faxes in four layouts, with the fields each should yield."""

from __future__ import annotations

import io
import random
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageFilter
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

LAYOUTS = ("label_left", "boxes", "table", "letter")

CLIENTS = [
    "Jane Doe",
    "William Harris",
    "Katherine Nguyen",
    "Robert Alvarez",
    "Margaret O'Brien",
    "Daniel Kim",
    "Priya Patel",
    "Thomas Becker",
    "Elizabeth Moreno",
    "Christopher Lee",
]
PETS = [
    ("Max", "canine", "Canine"),
    ("Luna", "feline", "Feline"),
    ("Bella", "canine", "Dog"),
    ("Oliver", "feline", "Cat"),
    ("Charlie", "canine", "K-9"),
    ("Daisy", "canine", "K9"),
    ("Milo", "feline", "FELINE"),
    ("Thumper", "rabbit", "Rabbit"),
    ("Biscuit", "equine", "Horse"),
    ("Rocco", "canine", "Canine"),
    ("Cleo", "feline", "Cat"),
    ("Pepper", "ferret", "Ferret"),
]
DRUGS = [
    ("Carprofen", "75 mg", "60", "Give 1 tablet by mouth twice daily with food"),
    ("Methimazole", "5 mg", "60", "Give 1 tablet by mouth every 12 hours"),
    ("Gabapentin", "100 mg", "90", "Give 1 capsule by mouth every 8 to 12 hours as needed"),
    ("Enalapril", "10 mg", "30", "Give 1 tablet by mouth once daily"),
    ("Phenobarbital", "16.2 mg", "60", "Give 1 tablet by mouth every 12 hours"),
    ("Levothyroxine", "0.5 mg", "60", "Give 1 tablet by mouth twice daily"),
    ("Amlodipine", "1.25 mg", "30", "Give 1/2 tablet by mouth once daily"),
    ("Trazodone", "50 mg", "20", "Give 1 tablet by mouth 1 hour before travel"),
    ("Furosemide", "12.5 mg", "45", "Give 1 tablet by mouth every 8 hours"),
    ("Pimobendan", "5 mg", "100", "Give 1 tablet by mouth every 12 hours one hour before food"),
    ("Cephalexin", "500 mg", "28", "Give 1 capsule by mouth twice daily until gone"),
    ("Prednisolone", "5 mg", "30", "Give 1 tablet by mouth once daily in the morning"),
]
PRESCRIBERS = ["Emily Carter", "Raj Mehta", "Sarah Lindqvist", "Michael O'Connor", "Ana Ruiz"]
PHARMACIES = [
    ("Chewy Pharmacy", "(555) 201-7788"),
    ("PetMeds Express Pharmacy", "555.310.4421"),
    ("Costco Pharmacy", "1-555-482-0199"),
    ("Wedgewood Compounding Pharmacy", "555-640-2210"),
    ("Allivet Pharmacy", "(555) 777-3402"),
    ("Riverbend Apothecary", "555 919 6630"),
]
CLINIC = "Riverside Animal Hospital"

SYNONYMS = {
    "client_name": ["Owner", "Pet Parent", "Client", "Client Name", "Owner Name"],
    "patient_name": ["Animal", "Patient", "Pet", "Pet Name", "Patient Name"],
    "species": ["Species"],
    "drug": ["Product", "Medication", "Drug", "Drug Name", "Requested Medication"],
    "strength": ["Strength"],
    "quantity": ["Qty", "Dispense", "Quantity", "Disp"],
    "directions": ["Sig", "Directions", "Instructions", "Directions for Use"],
    "prescriber": ["Prescriber", "Doctor", "Veterinarian", "DVM", "Prescribing Veterinarian"],
    "pharmacy": ["Pharmacy", "From", "Pharmacy Name", "Requesting Pharmacy"],
    "pharmacy_fax": ["Fax", "Pharmacy Fax", "Reply Fax", "Return Fax"],
}
FONTS = [
    ("Helvetica", "Helvetica-Bold"),
    ("Times-Roman", "Times-Bold"),
    ("Courier", "Courier-Bold"),
]


@dataclass
class FaxCase:
    """One generated fax: its PDF, the layout and label set used, and the truth per medication."""

    name: str
    layout: str
    pdf: bytes
    expected: list[dict[str, str]]
    labels: dict[str, str] = field(default_factory=dict)
    scan: bool = False


def _digits(fax: str) -> str:
    digits = "".join(ch for ch in fax if ch.isdigit())
    return digits[1:] if len(digits) == 11 else digits


def _shared(rng: random.Random) -> dict[str, str]:
    pet, species, species_word = rng.choice(PETS)
    pharmacy, fax = rng.choice(PHARMACIES)
    return {
        "client_name": rng.choice(CLIENTS),
        "patient_name": pet,
        "species": species,
        "species_word": species_word,
        "prescriber": rng.choice(PRESCRIBERS),
        "pharmacy": pharmacy,
        "pharmacy_fax": _digits(fax),
        "fax_text": fax,
    }


def _meds(rng: random.Random, count: int) -> list[dict[str, str]]:
    return [
        {"drug": d, "strength": s, "quantity": q, "directions": sig}
        for d, s, q, sig in rng.sample(DRUGS, count)
    ]


def _truth(shared: dict[str, str], meds: list[dict[str, str]]) -> list[dict[str, str]]:
    keys = ("client_name", "patient_name", "species", "prescriber", "pharmacy", "pharmacy_fax")
    return [{**{k: shared[k] for k in keys}, **med} for med in meds]


def _labels(index: int) -> dict[str, str]:
    return {f: names[(index + i) % len(names)] for i, (f, names) in enumerate(SYNONYMS.items())}


def _label_left(rng: random.Random, index: int, labels: dict[str, str]) -> FaxCase:
    shared, meds = _shared(rng), _meds(rng, 1)
    med = meds[0]
    regular, bold = FONTS[index % len(FONTS)]
    colon = index % 3 != 2  # every third sender aligns values in a column without colons
    buf = io.BytesIO()
    pdf = Canvas(buf, pagesize=letter, invariant=1)
    pdf.setFont(bold, 16)
    pdf.drawString(72, 730, "REFILL AUTHORIZATION REQUEST")
    y = 696

    def line(*pairs: tuple[str, str]) -> None:
        nonlocal y
        x = 72
        for label, value in pairs:
            pdf.setFont(bold, 10.5)
            text = f"{label}:" if colon else label
            pdf.drawString(x, y, text)
            width = pdf.stringWidth(text + " ", bold, 10.5)
            value_x = x + width if colon else x + max(130, width + 20)
            pdf.setFont(regular, 10.5)
            pdf.drawString(value_x, y, value)
            x += 270
        y -= 22

    line(("To", CLINIC), ("Date", "03/14/2026"))
    line((labels["pharmacy"], shared["pharmacy"]))
    line((labels["pharmacy_fax"], shared["fax_text"]), ("Phone", "(555) 123-0000"))
    y -= 10
    client = shared["client_name"]
    if index % 4 == 1:
        first, last = client.split(" ", 1)
        client = f"{last}, {first}"
    line((labels["client_name"], client))
    line((labels["patient_name"], shared["patient_name"]), ("Species", shared["species_word"]))
    if index % 2:
        line((labels["drug"], f"{med['drug']} {med['strength']} tablets"))
    else:
        line((labels["drug"], med["drug"]), ("Strength", med["strength"]))
    line((labels["quantity"], f"{med['quantity']} tablets"), ("Refills", "3"))
    line((labels["directions"], med["directions"]))
    line((labels["prescriber"], f"Dr. {shared['prescriber']}"))
    y -= 30
    pdf.setFont(regular, 9)
    pdf.drawString(72, y, "Please sign and fax back. Thank you for your prompt attention.")
    pdf.save()
    return FaxCase(f"label_left_{index}", "label_left", buf.getvalue(), _truth(shared, meds))


def _boxes(rng: random.Random, index: int, labels: dict[str, str]) -> FaxCase:
    shared, meds = _shared(rng), _meds(rng, 1)
    med = meds[0]
    regular, bold = FONTS[index % len(FONTS)]
    buf = io.BytesIO()
    pdf = Canvas(buf, pagesize=letter, invariant=1)
    pdf.setFont(bold, 15)
    pdf.drawString(54, 740, f"{shared['pharmacy']}".upper())
    pdf.setFont(regular, 9)
    pdf.drawString(54, 726, "Veterinary prescription renewal request")
    rows = [
        [
            (labels["pharmacy"], shared["pharmacy"], 3),
            (labels["pharmacy_fax"], shared["fax_text"], 2),
        ],
        [
            (labels["client_name"], shared["client_name"], 2),
            (labels["patient_name"], shared["patient_name"], 2),
            ("Species", shared["species_word"], 1),
        ],
        [
            (labels["drug"], med["drug"], 2),
            ("Strength", med["strength"], 1),
            (labels["quantity"], med["quantity"], 1),
            ("Refills", "2", 1),
        ],
        [(labels["directions"], med["directions"], 5)],
        [(labels["prescriber"], f"{shared['prescriber']}, DVM", 3), ("Date", "03/14/2026", 2)],
    ]
    width, top, height = 504.0, 700.0, 40.0
    for row in rows:
        x = 54.0
        for label, value, span in row:
            w = width * span / 5
            pdf.setStrokeColor(colors.black)
            pdf.rect(x, top - height, w, height)
            pdf.setFont(regular, 7)
            pdf.drawString(x + 4, top - 10, label.upper() if index % 2 else label)
            pdf.setFont(regular, 11)
            pdf.drawString(x + 4, top - 28, value)
            x += w
        top -= height + 6
    pdf.save()
    return FaxCase(f"boxes_{index}", "boxes", buf.getvalue(), _truth(shared, meds))


def _table(rng: random.Random, index: int, labels: dict[str, str]) -> FaxCase:
    count = 2 + index % 2
    shared, meds = _shared(rng), _meds(rng, count)
    regular, bold = FONTS[index % len(FONTS)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=letter, invariant=1, leftMargin=54, rightMargin=54)
    head = ParagraphStyle("h", fontName=bold, fontSize=15, leading=18)
    body = ParagraphStyle("b", fontName=regular, fontSize=10, leading=13)
    cell = ParagraphStyle("c", fontName=regular, fontSize=9.5, leading=11.5)
    story: list[object] = [
        Paragraph(shared["pharmacy"], head),
        Paragraph(
            f"{labels['pharmacy_fax']}: {shared['fax_text']} &nbsp;&nbsp; Phone: 555-000-1212", body
        ),
        Spacer(1, 14),
        Paragraph(f"<b>{labels['client_name']}:</b> {shared['client_name']}", body),
        Paragraph(f"<b>{labels['patient_name']}:</b> {shared['patient_name']}", body),
        Paragraph(f"<b>Species:</b> {shared['species_word']}", body),
        Paragraph(f"<b>{labels['prescriber']}:</b> Dr. {shared['prescriber']}", body),
        Spacer(1, 14),
    ]
    combined = index % 2 == 1
    header = [labels["drug"]] + ([] if combined else ["Strength"])
    header += [labels["quantity"], labels["directions"]]
    data: list[list[object]] = [[Paragraph(f"<b>{h}</b>", cell) for h in header]]
    for med in meds:
        row = [med["drug"] + (f" {med['strength']}" if combined else "")]
        row += [] if combined else [med["strength"]]
        row += [med["quantity"], med["directions"]]
        data.append([Paragraph(value, cell) for value in row])
    widths = [150, 90, 60, 204] if not combined else [160, 70, 274]
    table = Table(data, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    story += [table, Spacer(1, 18), Paragraph("Signature: ____________________", body)]
    doc.build(story)  # type: ignore[arg-type]
    return FaxCase(f"table_{index}", "table", buf.getvalue(), _truth(shared, meds))


LETTERS = [
    "Please authorize a refill of {Drug} {strength}, #{qty}, for {pet} ({species}), owner "
    "{client}. Directions: {sig}. Please fax your reply to {fax}.",
    "We received a request from {client} for {pet}, a {species}, who needs a refill of {Drug} "
    '{strength} tablets. The client asks for {qty} tablets with the directions "{sig}". '
    "Please fax the authorization back to {fax}.",
    "Our mutual client {client} has requested a renewal of {Drug} {strength} (quantity {qty}) "
    "for {pet}, {species}. Sig: {sig}. Kindly fax your decision to us at {fax}.",
]


def _letter(rng: random.Random, index: int, labels: dict[str, str]) -> FaxCase:
    shared, meds = _shared(rng), _meds(rng, 1)
    med = meds[0]
    regular, bold = FONTS[index % len(FONTS)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=letter, invariant=1, leftMargin=72, rightMargin=72)
    head = ParagraphStyle("h", fontName=bold, fontSize=16, leading=20)
    body = ParagraphStyle("b", fontName=regular, fontSize=11, leading=15)
    species_word = shared["species_word"].lower() if index % 2 else shared["species_word"]
    text = LETTERS[index % len(LETTERS)].format(
        Drug=med["drug"],
        strength=med["strength"],
        qty=med["quantity"],
        pet=shared["patient_name"],
        species=species_word,
        client=shared["client_name"],
        sig=med["directions"].lower(),
        fax=shared["fax_text"],
    )
    story = [
        Paragraph(shared["pharmacy"], head),
        Paragraph("1200 Commerce Way, Suite 4, Springfield", body),
        Spacer(1, 20),
        Paragraph("March 14, 2026", body),
        Spacer(1, 12),
        Paragraph(f"Dear Dr. {shared['prescriber']},", body),
        Spacer(1, 8),
        Paragraph(text, body),
        Spacer(1, 8),
        Paragraph("Thank you for caring for our patients.", body),
        Spacer(1, 16),
        Paragraph("Sincerely,<br/>Pat Morgan, PharmD", body),
    ]
    doc.build(story)  # type: ignore[arg-type]
    truth = _truth(shared, meds)
    truth[0]["directions"] = med["directions"].lower()
    return FaxCase(f"letter_{index}", "letter", buf.getvalue(), truth)


BUILDERS = {"label_left": _label_left, "boxes": _boxes, "table": _table, "letter": _letter}


def text_corpus(per_layout: int = 5, seed: int = 20260314) -> list[FaxCase]:
    """per_layout faxes of each layout; the label synonyms rotate so every one is used."""
    rng = random.Random(seed)
    cases = []
    for index in range(per_layout):
        for layout in LAYOUTS:
            labels = _labels(index + LAYOUTS.index(layout))
            case = BUILDERS[layout](rng, index, labels)
            case.labels = labels
            cases.append(case)
    return cases


def scan(pdf: bytes, seed: int, dpi: int = 200) -> bytes:
    """The PDF as a fax machine would send it: a slightly rotated, speckled image, no text layer."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp) / "page")],
            check=True,
        )
        pages = []
        for png in sorted(Path(tmp).glob("page*.png")):
            image = Image.open(png).convert("L")
            image = image.rotate(rng.uniform(-0.6, 0.6), fillcolor=255, resample=Image.BICUBIC)
            pixels = image.load()
            assert pixels is not None
            for _ in range(image.width * image.height // 2500):
                pixels[rng.randrange(image.width), rng.randrange(image.height)] = 0
            image = image.filter(ImageFilter.GaussianBlur(0.4)).point(
                lambda v: 255 if v > 150 else 0
            )
            pages.append(image.convert("1").convert("L"))
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return out.getvalue()


def scan_corpus(per_layout: int = 2, seed: int = 7) -> list[FaxCase]:
    """Image-only versions of the first per_layout faxes of each layout."""
    cases = text_corpus(per_layout)
    return [
        FaxCase(f"scan_{c.name}", c.layout, scan(c.pdf, seed + i), c.expected, c.labels, scan=True)
        for i, c in enumerate(cases)
    ]


def blank_scan() -> bytes:
    """A scanned page with nothing written on it (a fax machine's empty page)."""
    out = io.BytesIO()
    Image.new("L", (1700, 2200), 255).save(out, "PDF", resolution=200.0)
    return out.getvalue()


def same(field_name: str, got: str, want: str) -> bool:
    """Field equality as a CSR would judge it: case and spacing do not matter."""
    return " ".join(str(got).lower().split()) == " ".join(str(want).lower().split())


def accuracy(cases: list[FaxCase]) -> tuple[int, int, list[str]]:
    """(fields right, fields expected, one line per miss) of the extractor over the cases."""
    from rxflow.fax import extract
    from rxflow.fax.fields import FIELDS

    right, total, misses = 0, 0, []
    for case in cases:
        items = extract(case.pdf).items
        for number, want in enumerate(case.expected):
            got = items[number] if number < len(items) else None
            for name in FIELDS:
                total += 1
                value = getattr(got, name) if got else ""
                if same(name, value, want[name]):
                    right += 1
                else:
                    misses.append(f"{case.name}[{number}].{name}: {value!r} != {want[name]!r}")
    return right, total, misses
