"""Read an incoming fax PDF into one pre-filled item per medication, each field with a confidence.

Pages with a text layer are read with pdfplumber; a page with almost no text (a scan) is rendered
and read with tesseract, and the result says text_source="ocr". Fields come from the layout
reader (labels beside, above, or heading a table; see layout.py) and, for what it misses, from
running text (see prose.py), which is why a letter yields fields at a lower confidence.

Limits, chosen so a bad fax fails fast with one sentence instead of tying up a worker:
at most MAX_PAGES pages (a refill request is one or two pages; a 50-page fax is a misdial or a
records transfer, which a person should look at), no password-protected or unreadable files.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Literal

import pdfplumber
from pdfplumber.page import Page

from rxflow.fax import fields, layout, ocr, prose
from rxflow.fax.errors import IntakeError
from rxflow.fax.layout import Hit, Word

__all__ = ["MAX_PAGES", "ExtractedItem", "Extraction", "IntakeError", "extract"]

MAX_PAGES = 20
MIN_TEXT_CHARS = 20  # fewer characters than this on a page means the page is an image
log = logging.getLogger(__name__)


@dataclass
class ExtractedItem:
    """One medication requested on the fax, with the client, pet and pharmacy it is for."""

    client_name: str = ""
    patient_name: str = ""
    species: str = ""
    drug: str = ""
    strength: str = ""
    quantity: str = ""
    directions: str = ""
    prescriber: str = ""
    pharmacy: str = ""
    pharmacy_fax: str = ""
    confidence: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """The item as `rxflow intake --json` prints it."""
        out: dict[str, object] = {name: getattr(self, name) for name in fields.FIELDS}
        out["confidence"] = dict(self.confidence)
        return out


@dataclass
class Extraction:
    """What a fax yielded: where the text came from, how many pages, and the items found."""

    text_source: Literal["text", "ocr"]
    pages: int
    items: list[ExtractedItem]


def extract(pdf: bytes, *, max_pages: int = MAX_PAGES) -> Extraction:
    """The medications requested on a fax; IntakeError with one sentence when it is unreadable."""
    if not pdf:
        raise IntakeError("The fax file is empty (0 bytes); ask the sender to fax it again.")
    if b"%PDF-" not in pdf[:1024]:
        raise IntakeError("The fax file is not a PDF; only PDF faxes can be read.")
    try:
        document = pdfplumber.open(io.BytesIO(pdf))
    except Exception as error:  # pdfminer raises many types; the person needs one sentence
        raise _unreadable(error) from error
    with document:
        try:
            count = len(document.pages)
            if count == 0:
                raise IntakeError("The fax PDF has no pages; ask the sender to fax it again.")
            if count > max_pages:
                raise IntakeError(
                    f"The fax has {count} pages and rxflow reads at most {max_pages}; "
                    "a person must look at it and enter the request by hand."
                )
            pages, used_ocr = _words(document.pages)
        except IntakeError:
            raise
        except Exception as error:
            raise _unreadable(error) from error
    if not any(pages):
        raise IntakeError(
            "No text could be read on this fax, even with OCR; a person must read it."
        )
    return Extraction("ocr" if used_ocr else "text", count, items_from(pages))


def _unreadable(error: Exception) -> IntakeError:
    log.info("unreadable fax PDF: %s", type(error).__name__)
    if (
        "password" in f"{type(error).__name__} {error!r}".lower()
        or "encrypt" in repr(error).lower()
    ):
        return IntakeError(
            "The fax PDF is password-protected; ask the sender to fax it without a password."
        )
    return IntakeError(
        "The fax file is damaged and is not a readable PDF; ask the sender to resend."
    )


def _words(pages: list[Page]) -> tuple[list[list[Word]], bool]:
    out, used_ocr = [], False
    for page in pages:
        words = [
            Word(w["text"], float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]))
            for w in page.extract_words(x_tolerance=1.5, keep_blank_chars=False)
        ]
        if sum(len(w.text) for w in words) < MIN_TEXT_CHARS and page.images:
            image = page.to_image(resolution=ocr.DPI).original
            words = ocr.page_words(image, ocr.DPI)
            used_ocr = True
        out.append(words)
    return out, used_ocr


def items_from(pages: list[list[Word]]) -> list[ExtractedItem]:
    """Items from positioned words per page: layout first, running text for what it missed."""
    hits: list[Hit] = []
    rows = 0
    for number, words in enumerate(pages):
        found = layout.page_hits(words, rows, page_order=number * 10000.0)
        hits.extend(found.hits)
        rows = found.rows
    items = _assemble(hits)
    text = "\n".join(line.text for words in pages for line in layout.lines_of(words))
    _fill_from_prose(items, prose.find(text))
    for item in items:
        item.confidence = {name: item.confidence.get(name, 0.0) for name in fields.FIELDS}
    return [item for item in items if any(getattr(item, f) for f in fields.FIELDS)]


def _assemble(hits: list[Hit]) -> list[ExtractedItem]:
    """Shared fields go on every item; each table row, or each repeat of a field, is a new item."""
    shared = ExtractedItem()
    per_row: dict[int, ExtractedItem] = {}
    loose: list[ExtractedItem] = []
    for hit in sorted(hits, key=lambda h: h.order):
        value = fields.normalise(hit.field, hit.raw)
        if hit.row is not None:
            target = per_row.setdefault(hit.row, ExtractedItem())
        elif hit.field in fields.MEDICATION_FIELDS:
            if not loose or getattr(loose[-1], hit.field):
                loose.append(ExtractedItem())
            target = loose[-1]
        else:
            target = shared
        if getattr(target, hit.field):
            continue
        _set(target, hit.field, value, hit.conf if value else 0.0)
        if hit.field == "drug" and not target.strength:
            _set(target, "strength", fields.strength(hit.raw), hit.conf)
    items = [per_row[row] for row in sorted(per_row)] + loose or [ExtractedItem()]
    for item in items:
        for name in fields.FIELDS:
            if not getattr(item, name) and getattr(shared, name):
                _set(item, name, getattr(shared, name), shared.confidence[name])
    return items


def _fill_from_prose(items: list[ExtractedItem], found: dict[str, tuple[str, float]]) -> None:
    for name, (value, confidence) in found.items():
        if name in fields.MEDICATION_FIELDS and len(items) > 1:
            continue  # one sentence cannot say which of several medications it belongs to
        for item in items:
            if not getattr(item, name):
                _set(item, name, value, confidence)


def _set(item: ExtractedItem, name: str, value: str, confidence: float) -> None:
    if not value:
        item.confidence.setdefault(name, 0.0)
        return
    setattr(item, name, value)
    item.confidence[name] = round(min(1.0, max(0.0, confidence)), 2)
