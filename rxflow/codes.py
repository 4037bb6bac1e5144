"""Product codes a barcode scanner types: NDC (10 and 11 digits), UPC-A, GTIN-14 and GS1
element strings (with lot and expiry). Pure; compare by the 11-digit NDC.

A bare 10-digit NDC is ambiguous (4-4-2, 5-3-2 or 5-4-1): every reading is kept as a candidate
and a scan matches a product when any candidate equals the product's NDC-11.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from rxflow.errors import InvalidInput

GS = "\x1d"
_AI_FIXED = {"01": 14, "17": 6, "11": 6, "15": 6, "00": 18}
_AI_VARIABLE = {"10", "21", "30", "240"}


@dataclass(frozen=True)
class Scan:
    raw: str
    ndc11_candidates: frozenset[str]
    gtin14: str | None = None
    lot: str | None = None
    expires_on: date | None = None


def check_digit_ok(digits: str) -> bool:
    """GS1 mod-10 check digit (UPC-A, GTIN-14)."""
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def _pad(a: str, b: str, c: str) -> str:
    return a.zfill(5) + b.zfill(4) + c.zfill(2)


def _ndc10_candidates(ten: str) -> frozenset[str]:
    return frozenset(
        {_pad(ten[:4], ten[4:8], ten[8:]), _pad(ten[:5], ten[5:8], ten[8:]),
         _pad(ten[:5], ten[5:9], ten[9:])}
    )  # fmt: skip


def normalize_ndc(text: str) -> str:
    """An NDC in any hyphenated form, or 11 bare digits, as 11 digits (5-4-2)."""
    value = text.strip()
    parts = value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        sizes = tuple(len(p) for p in parts)
        if sizes in {(4, 4, 2), (5, 3, 2), (5, 4, 1), (5, 4, 2)}:
            return _pad(*parts)
    if value.isdigit() and len(value) == 11:
        return value
    raise InvalidInput(f"'{text}' is not an NDC (use 4-4-2, 5-3-2, 5-4-1 or 11 digits).")


def format_ndc11(ndc11: str) -> str:
    return f"{ndc11[:5]}-{ndc11[5:9]}-{ndc11[9:]}"


def _gs1(text: str) -> Scan | None:
    """GS1 element strings, human form "(01)…(17)…(10)…" or raw with FNC1 (GS) separators."""
    raw = text
    if text.startswith("]d2") or text.startswith("]C1") or text.startswith("]Q3"):
        text = text[3:]
    fields: dict[str, str] = {}
    if text.startswith("("):
        for ai, value in re.findall(r"\((\d{2,4})\)([^(]*)", text):
            fields[ai] = value.strip()
    elif text[:2] in _AI_FIXED and len(text) >= 16 and (GS in text or len(text) > 16):
        rest = text
        while rest:
            ai = next((a for a in ("240", *_AI_FIXED, *_AI_VARIABLE) if rest.startswith(a)), None)
            if ai is None:
                return None
            rest = rest[len(ai) :]
            if ai in _AI_FIXED:
                fields[ai], rest = rest[: _AI_FIXED[ai]], rest[_AI_FIXED[ai] :]
            else:
                value, _, rest = rest.partition(GS)
                fields[ai] = value
            rest = rest.lstrip(GS)
    else:
        return None
    gtin = fields.get("01")
    if not gtin or not gtin.isdigit() or len(gtin) != 14 or not check_digit_ok(gtin):
        return None
    return Scan(raw, _gtin_ndc(gtin), gtin, fields.get("10") or None, _expiry(fields.get("17")))


def _expiry(yymmdd: str | None) -> date | None:
    """GS1 (17) YYMMDD; day 00 means the last day of the month."""
    if not yymmdd or not yymmdd.isdigit() or len(yymmdd) != 6:
        return None
    year, month, day = 2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if day == 0 else min(day, last))


def _gtin_ndc(gtin14: str) -> frozenset[str]:
    """A drug GTIN-14 is 0 + "03" + NDC-10 + check (from the UPC-A with number system 3)."""
    if gtin14[:3] != "003":
        return frozenset()
    return _ndc10_candidates(gtin14[3:13])


def parse_scan(text: str) -> Scan:
    """Whatever the scanner typed, read; raises InvalidInput with a sentence when unreadable."""
    value = text.strip().replace(" ", "")
    if not value:
        raise InvalidInput("Nothing was scanned.")
    gs1 = _gs1(value)
    if gs1 is not None:
        return gs1
    digits = value.replace("-", "")
    if "-" in value:
        return Scan(text, frozenset({normalize_ndc(value)}))
    if digits.isdigit():
        if len(digits) == 11:
            return Scan(text, frozenset({digits}))
        if len(digits) == 10:
            return Scan(text, _ndc10_candidates(digits))
        if len(digits) == 12 and check_digit_ok(digits):
            ndc = _ndc10_candidates(digits[1:11]) if digits[0] == "3" else frozenset()
            return Scan(text, ndc, gtin14="00" + digits)
        if len(digits) == 14 and check_digit_ok(digits):
            return Scan(text, _gtin_ndc(digits), gtin14=digits)
    raise InvalidInput(f"The scan '{text}' is not a product code this desk can read.")


def scan_matches(scan: Scan, product_ndc11: str) -> bool:
    return bool(product_ndc11) and product_ndc11 in scan.ndc11_candidates


def upc_for(ndc11_10digit: str) -> str:
    """UPC-A for a 10-digit NDC (number system 3 + NDC + check digit), for test stock bottles."""
    body = "3" + ndc11_10digit
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)
