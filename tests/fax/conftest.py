"""Fax fixtures: the generated corpus (built once per session) and the binaries OCR needs."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from corpus import FaxCase, scan_corpus, text_corpus  # noqa: E402


def require_binary(name: str) -> None:
    """Fail (not skip) when a Debian binary the fax intake depends on is missing."""
    if shutil.which(name) is None:
        pytest.fail(
            f"{name} is not installed: run `make system-deps` (tesseract-ocr, poppler-utils)."
        )


@pytest.fixture(scope="session")
def text_cases() -> list[FaxCase]:
    return text_corpus(per_layout=6)


@pytest.fixture(scope="session")
def scan_cases() -> list[FaxCase]:
    require_binary("pdftoppm")
    require_binary("tesseract")
    return scan_corpus(per_layout=3)
