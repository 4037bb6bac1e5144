"""Product codes a barcode scanner types: NDC, UPC-A, EAN-13, GTIN-14 and GS1 element strings.

Pure. Everything is compared by the 11-digit NDC (5-4-2). A 10-digit NDC typed without hyphens
is ambiguous (4-4-2, 5-3-2 or 5-4-1): every reading is kept as a candidate, and a scan matches a
product when any candidate equals the product's NDC-11. Drug UPC-A codes are "3" + NDC-10 +
check digit (FDA, 21 CFR 207.35); a drug GTIN-14 is a packaging indicator + "03" + NDC-10 + check.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from rxflow.errors import InvalidInput

GS = "\x1d"  # FNC1 as a keyboard-wedge scanner types it: ASCII group separator
_SYMBOLOGY_PREFIXES = ("]d2", "]C1", "]Q3", "]e0")  # DataMatrix, GS1-128, QR, DataBar
_AI_FIXED = {"00": 18, "01": 14, "02": 14, "11": 6, "13": 6, "15": 6, "16": 6, "17": 6}
_AI_VARIABLE = ("10", "21", "22", "30", "240", "241", "710", "711", "712", "713", "714")
_NDC_LAYOUTS = {(4, 4, 2), (5, 3, 2), (5, 4, 1), (5, 4, 2)}


@dataclass(frozen=True)
class Scan:
    """What one scan said: the NDC-11 readings it allows, and the GS1 extras when present."""

    ndc11_candidates: frozenset[str]
    gtin14: str | None = None
    lot: str | None = None
    expires_on: date | None = None
    raw: str = ""


def gs1_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for `body` (UPC-A, EAN-13 and GTIN-14 share it)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def check_digit_ok(digits: str) -> bool:
    return len(digits) > 1 and digits.isdigit() and gs1_check_digit(digits[:-1]) == digits[-1]


def _pad(labeler: str, product: str, package: str) -> str:
    return labeler.zfill(5) + product.zfill(4) + package.zfill(2)


def ndc10_candidates(ten: str) -> frozenset[str]:
    """The NDC-11 readings of 10 bare digits: as 4-4-2, 5-3-2 and 5-4-1."""
    return frozenset(
        {
            _pad(ten[:4], ten[4:8], ten[8:]),
            _pad(ten[:5], ten[5:8], ten[8:]),
            _pad(ten[:5], ten[5:9], ten[9:]),
        }
    )


def normalize_ndc(text: str) -> str:
    """An NDC typed as 4-4-2, 5-3-2, 5-4-1 or 5-4-2 (hyphenated) or 11 bare digits, as 11 digits."""
    value = text.strip().removeprefix("NDC").removeprefix("ndc").strip(" :")
    parts = value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        if tuple(len(p) for p in parts) in _NDC_LAYOUTS:
            return _pad(*parts)
    if value.isdigit() and len(value) == 11:
        return value
    if value.isdigit() and len(value) == 10:
        raise InvalidInput(
            f"The NDC '{text}' has 10 digits and no hyphens, so it could be read three ways; "
            "type it with its hyphens as printed on the bottle."
        )
    raise InvalidInput(
        f"'{text}' is not an NDC: type it as printed (4-4-2, 5-3-2 or 5-4-1) or as 11 digits."
    )


def format_ndc11(ndc11: str) -> str:
    """The 11-digit NDC as printed on labels and prescriptions: 12345-6789-01."""
    return f"{ndc11[:5]}-{ndc11[5:9]}-{ndc11[9:]}"


def upc_for(ndc10: str) -> str:
    """The UPC-A a stock bottle carries for an NDC-10 (bare digits): "3" + NDC + check digit."""
    return "3" + ndc10 + gs1_check_digit("3" + ndc10)


def gtin14_for(ndc10: str, indicator: str = "0") -> str:
    """The GTIN-14 of an NDC-10 at packaging level `indicator` (0 = the unit itself)."""
    body = indicator + "03" + ndc10
    return body + gs1_check_digit(body)


def _gtin_ndc(gtin14: str) -> frozenset[str]:
    """The NDC readings inside a GTIN-14; none when it is not a US drug code ("03" prefix)."""
    return ndc10_candidates(gtin14[3:13]) if gtin14[1:3] == "03" else frozenset()


def _expiry(yymmdd: str) -> date:
    """GS1 AI (17) YYMMDD, day 00 = the month's last day; years 2000-2099 (drug expiry)."""
    if not (yymmdd.isdigit() and len(yymmdd) == 6):
        raise InvalidInput(f"The expiry '{yymmdd}' in the scan is not a YYMMDD date.")
    year, month, day = 2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if not 1 <= month <= 12 or day > calendar.monthrange(year, month)[1]:
        raise InvalidInput(f"The expiry '{yymmdd}' in the scan is not a real date; scan again.")
    return date(year, month, day or calendar.monthrange(year, month)[1])


def _human_fields(text: str) -> dict[str, str]:
    """Human form, (01)00312345678906(17)271231(10)LOT42, as {"01": ..., "17": ..., "10": ...}."""
    return {ai: value.strip(GS) for ai, value in re.findall(r"\((\d{2,4})\)([^(]*)", text)}


def _raw_fields(text: str) -> dict[str, str]:
    """Raw element strings: fixed-length AIs run on, variable ones end at GS or the end."""
    fields: dict[str, str] = {}
    rest = text
    while rest:
        ai = next((a for a in (*_AI_FIXED, *_AI_VARIABLE) if rest.startswith(a)), None)
        if ai is None:
            raise InvalidInput("The scan holds a GS1 field this desk does not know; scan again.")
        rest = rest[len(ai) :]
        if ai in _AI_FIXED:
            size = _AI_FIXED[ai]
            if len(rest) < size or GS in rest[:size]:
                raise InvalidInput(f"The GS1 field ({ai}) in the scan is cut short; scan again.")
            fields[ai], rest = rest[:size], rest[size:]
        else:
            fields[ai], _, rest = rest.partition(GS)
        rest = rest.lstrip(GS)
    return fields


def _looks_gs1(text: str) -> bool:
    """Human form, a symbology prefix, a GS separator, or "01" + GTIN and more (raw form)."""
    return (
        text.startswith(("(", *_SYMBOLOGY_PREFIXES))
        or GS in text
        or (text.startswith("01") and len(text) >= 16)
    )


def _gs1(raw: str, text: str) -> Scan:
    for prefix in _SYMBOLOGY_PREFIXES:
        text = text.removeprefix(prefix)
    text = text.lstrip(GS)  # a leading FNC1 marks GS1 data
    fields = _human_fields(text) if text.startswith("(") else _raw_fields(text)
    gtin = fields.get("01", "")
    if not (len(gtin) == 14 and check_digit_ok(gtin)):
        raise InvalidInput("The scan holds no valid product code (GTIN); scan the bottle again.")
    expiry = fields.get("17")
    return Scan(
        ndc11_candidates=_gtin_ndc(gtin),
        gtin14=gtin,
        lot=fields.get("10") or None,
        expires_on=_expiry(expiry) if expiry else None,
        raw=raw,
    )


def _digits_scan(raw: str, digits: str) -> Scan | None:
    """A code of bare digits: NDC-11, NDC-10, UPC-A, EAN-13 or GTIN-14."""
    if len(digits) == 11:
        return Scan(frozenset({digits}), raw=raw)
    if len(digits) == 10:
        return Scan(ndc10_candidates(digits), raw=raw)
    if len(digits) in (12, 13, 14) and check_digit_ok(digits):
        gtin = digits.zfill(14)
        return Scan(_gtin_ndc(gtin), gtin14=gtin, raw=raw)
    return None


def parse_scan(text: str) -> Scan:
    """Whatever the scanner (or a person) typed, read; raises InvalidInput when unreadable."""
    value = text.strip().replace(" ", "")  # str.strip also drops a trailing GS, CR or LF
    if not value:
        raise InvalidInput("Nothing was scanned.")
    if _looks_gs1(value):
        return _gs1(text, value)
    if "-" in value:
        return Scan(frozenset({normalize_ndc(value)}), raw=text)
    scan = _digits_scan(text, value) if value.isdigit() else None
    if scan is None:
        raise InvalidInput(
            f"The scan '{text.strip()}' is not a product code this desk can read "
            "(NDC, UPC, GTIN or a GS1 DataMatrix); scan the bottle again."
        )
    return scan


def scan_matches(scan: Scan, product_ndc11: str) -> bool:
    """True when the scan can be the product: a wrong strength has its own code and fails."""
    if not product_ndc11:
        return False
    wanted = product_ndc11 if product_ndc11.isdigit() else normalize_ndc(product_ndc11)
    return wanted in scan.ndc11_candidates
