"""Image-only faxes are read with tesseract and say so; accuracy on scans is at least 85%."""

from __future__ import annotations

from corpus import FaxCase, accuracy

from rxflow.fax import extract
from rxflow.fax.ocr import without_rulings


def test_a_scan_is_read_by_ocr_and_says_so(scan_cases: list[FaxCase]) -> None:
    result = extract(scan_cases[0].pdf)
    assert result.text_source == "ocr"
    assert result.items and result.items[0].client_name


def test_field_accuracy_on_scans_is_at_least_85_percent(scan_cases: list[FaxCase]) -> None:
    right, total, misses = accuracy(scan_cases)
    assert right / total >= 0.85, misses


def test_ocr_confidence_is_below_text_layer_confidence(
    scan_cases: list[FaxCase], text_cases: list[FaxCase]
) -> None:
    scanned = extract(scan_cases[0].pdf).items[0]
    typed = extract(text_cases[0].pdf).items[0]
    assert scanned.confidence["client_name"] < typed.confidence["client_name"]


def test_table_rulings_are_whitened_but_text_is_kept() -> None:
    from PIL import Image, ImageDraw

    page = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(page)
    draw.line([(10, 50), (590, 50)], fill=0, width=3)
    draw.line([(300, 10), (300, 190)], fill=0, width=3)
    draw.rectangle([(40, 100), (46, 118)], fill=0)  # a letter-sized stroke
    cleaned = without_rulings(page)
    assert cleaned.getpixel((150, 50)) == 255 and cleaned.getpixel((300, 150)) == 255
    assert cleaned.getpixel((43, 110)) == 0
