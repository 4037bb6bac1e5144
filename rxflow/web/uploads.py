"""Uploaded fax PDFs: size-limited, and it must be a PDF that opens, before anything keeps it."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from starlette.datastructures import UploadFile

from rxflow.errors import InvalidInput


async def read_pdf_upload(field: object, max_bytes: int) -> tuple[bytes, str]:
    """The bytes and filename of an uploaded PDF; anything else is one clear sentence."""
    if not isinstance(field, UploadFile) or not field.filename:
        raise InvalidInput("Choose a PDF file to upload.")
    content = await field.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise InvalidInput(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    if not content:
        raise InvalidInput("The file is empty (0 bytes).")
    if not content.lstrip()[:5] == b"%PDF-":
        raise InvalidInput("That file is not a PDF; upload the fax as a PDF.")
    try:
        reader = PdfReader(io.BytesIO(content))
        if len(reader.pages) < 1:
            raise InvalidInput("The PDF has no pages.")
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        raise InvalidInput("The PDF is damaged and cannot be opened.") from None
    return content, field.filename[:255]
