"""OCR of image-only fax pages with tesseract, as positioned words the layout reader understands."""

from __future__ import annotations

import os
from typing import Any

import pytesseract
from PIL import Image as PILImage
from PIL import ImageChops, ImageFilter
from PIL.Image import Image

from rxflow.fax.errors import IntakeError
from rxflow.fax.layout import Word

DPI = 300
PSM = "6"  # one uniform block: keeps a form's rows and table rows together
DENOISE = True


def page_words(image: Image, dpi: int = DPI) -> list[Word]:
    """The words tesseract reads on one page image, with boxes in points like pdfplumber's."""
    # One thread per tesseract process: faster than OpenMP's contention on small pages.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    image = without_rulings(image.convert("L"))
    if DENOISE:
        image = image.filter(ImageFilter.MedianFilter(3))
    try:
        data: dict[str, list[Any]] = pytesseract.image_to_data(
            image, lang="eng", config=f"--psm {PSM}", output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractNotFoundError as error:
        raise IntakeError(
            "This fax is a scanned image and OCR is not installed on this server "
            "(Debian package tesseract-ocr), so it must be entered by hand."
        ) from error
    scale = 72.0 / dpi
    words = []
    for text, conf, left, top, width, height in zip(
        data["text"],
        data["conf"],
        data["left"],
        data["top"],
        data["width"],
        data["height"],
        strict=True,
    ):
        confidence = float(conf)
        text = str(text).strip()
        # With the rulings gone a lone bar is the digit one ("Give | tablet"), not a line.
        text = "1" if text == "|" else text.strip("|")
        if confidence < 0 or not (text == ":" or any(c.isalnum() for c in text)):
            continue  # table rulings and speckle read as '|', '_', '.'
        words.append(
            Word(
                text,
                left * scale,
                (left + width) * scale,
                top * scale,
                (top + height) * scale,
                confidence / 100.0,
            )
        )
    return words


def without_rulings(image: Image, run: int = 60) -> Image:
    """The page with long horizontal and vertical lines (form boxes, table grids) whitened.

    Tesseract misreads letters that touch a ruling, reads a box corner as 'L' or '1', and drops
    whole table rows. Shrinking the page by `run` pixels along one axis (a box average) leaves
    black only where a line runs that far; text never does. Two phases catch lines that start
    mid-block; detection then stops up to run/2 short of a line's ends, so the mask is pushed
    that far further along the line, and widened a little across it.
    """
    width, height = image.size
    mask = PILImage.new("L", image.size, 0)
    for horizontal in (True, False):
        step = (run // 2, 0) if horizontal else (0, run // 2)
        small = (max(1, width // run), height) if horizontal else (width, max(1, height // run))
        found = PILImage.new("L", image.size, 0)
        for phase in (0, 1):
            shifted = ImageChops.offset(image, step[0] * phase, step[1] * phase)
            lines = (
                shifted.resize(small, PILImage.Resampling.BOX)
                .point(lambda v: 255 if v < 25 else 0)
                .resize(image.size, PILImage.Resampling.NEAREST)
            )
            found = ImageChops.lighter(
                found, ImageChops.offset(lines, -step[0] * phase, -step[1] * phase)
            )
        for sign in (1, -1):
            found = ImageChops.lighter(
                found, ImageChops.offset(found, sign * step[0], sign * step[1])
            )
        mask = ImageChops.lighter(mask, found)
    return ImageChops.add(image, mask.filter(ImageFilter.MaxFilter(5)))
