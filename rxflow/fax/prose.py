"""Fields from running text, for faxes written as letters ('refill of Carprofen 75 mg, #60')."""

from __future__ import annotations

import re
from typing import Final

from rxflow.fax import fields

_NAME: Final = r"[A-Z][A-Za-z'\u2019-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][A-Za-z'\u2019-]+){1,2}"
_SPECIES_WORDS: Final = "|".join(
    sorted((re.escape(w) for w in fields.SPECIES), key=len, reverse=True)
)
_UNIT: Final = r"(?:mg/ml|mcg/ml|mg|mcg|ml|iu|g|%)"
_NOT_DRUGS: Final = frozenset(
    "of for the a an and refill renewal to with authorize please give take new request".split()
)

# Each pattern names one group after the field it yields; the first pattern that matches wins.
PATTERNS: Final[dict[str, list[tuple[re.Pattern[str], float]]]] = {
    "client_name": [
        (
            re.compile(
                r"(?i:\b(?:owner|client|pet parent|guardian|customer|request from|on behalf of))"
                r"(?:\s+(?:is|named))?[,:]?\s+(?P<v>" + _NAME + r")"
            ),
            0.8,
        ),
    ],
    "patient_name": [
        (
            re.compile(
                r"(?P<v>[A-Z][a-z'-]+)\s*(?:\(|,\s*(?:an?\s+)?(?:\d+[- ]year[- ]old\s+)?)"
                r"(?i:" + _SPECIES_WORDS + r")\b"
            ),
            0.8,
        ),
        (
            re.compile(
                r"(?i:\b(?:patient|pet|animal))(?i:\s+name|\s+named)?[,:]?\s+(?P<v>[A-Z][a-z'-]+)"
            ),
            0.7,
        ),
    ],
    "species": [
        (
            re.compile(
                r"[A-Z][a-z'-]+\s*(?:\(|,\s*(?:an?\s+)?(?:\d+[- ]year[- ]old\s+)?)"
                r"(?P<v>(?i:" + _SPECIES_WORDS + r"))\b"
            ),
            0.8,
        ),
        (re.compile(r"(?i)\b(?P<v>" + _SPECIES_WORDS + r")\b"), 0.5),
    ],
    "drug": [
        (
            re.compile(r"(?P<v>[A-Za-z][A-Za-z-]{3,})\s+\d+(?:\.\d+)?\s?" + _UNIT + r"(?![a-z])"),
            0.75,
        ),
    ],
    "strength": [
        (
            re.compile(r"[A-Za-z][A-Za-z-]{3,}\s+(?P<v>\d+(?:\.\d+)?\s?" + _UNIT + r")(?![a-z])"),
            0.75,
        ),
    ],
    "quantity": [
        (re.compile(r"#\s?(?P<v>\d{1,5})\b"), 0.8),
        (
            re.compile(
                r"(?i)\b(?:quantity|qty|dispense|disp)\.?(?:\s+of)?[:\s]+#?(?P<v>\d{1,5})\b"
            ),
            0.8,
        ),
        (
            re.compile(
                r"(?i)\b(?:for|dispense|send)\s+(?P<v>\d{1,5})\s+"
                r"(?:tablets|capsules|tabs|caps|chews|ml)\b"
            ),
            0.7,
        ),
    ],
    "directions": [
        (
            re.compile(
                r"(?i)\b(?:sig|directions|instructions)(?:\s+(?:are|read|of))?\s*:\s*"
                r"[\"\u201c]?(?P<v>[^\"\u201d]+?)[\"\u201d]?(?:\.\s|\.$|$)"
            ),
            0.75,
        ),
        (
            re.compile(
                r"(?i)\b(?:sig|directions|instructions)\s+[\"\u201c](?P<v>[^\"\u201d]+)"
                r"[\"\u201d]"
            ),
            0.75,
        ),
    ],
    "prescriber": [
        (re.compile(r"\bDr\.?\s+(?P<v>" + _NAME + r")"), 0.75),
        (re.compile(r"(?P<v>" + _NAME + r"),?\s+(?:DVM|VMD)\b"), 0.75),
    ],
    "pharmacy": [
        (
            re.compile(
                r"(?P<v>(?:[A-Z][\w&'.-]*\s+){0,4}?"
                r"(?:Pharmacy|Pharmacies|Apothecary|Drugs|Drug Store|Rx))\b"
            ),
            0.7,
        ),
    ],
    "pharmacy_fax": [
        (
            re.compile(
                r"(?i)\bfax\b[^0-9\n]{0,40}?(?P<v>\+?1?[\s(.-]*\d{3}[\s).-]*\d{3}[\s.-]*\d{4})"
            ),
            0.75,
        ),
    ],
}


def find(text: str) -> dict[str, tuple[str, float]]:
    """Each field's first plausible value in running text, with a confidence."""
    flat = " ".join(text.split())
    found: dict[str, tuple[str, float]] = {}
    for name, patterns in PATTERNS.items():
        for pattern, confidence in patterns:
            value = _first(pattern, flat, name)
            if value:
                found[name] = (value, confidence)
                break
    return found


def _first(pattern: re.Pattern[str], text: str, name: str) -> str:
    for match in pattern.finditer(text):
        raw = match.group("v")
        if name == "drug" and raw.lower() in _NOT_DRUGS:
            continue
        value = fields.normalise(name, raw)
        if value:
            return value
    return ""
