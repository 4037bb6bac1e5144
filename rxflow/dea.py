"""DEA registration numbers: format and check digit (21 CFR 1301; the DEA's published formula)."""

from __future__ import annotations

import re

_FORMAT = re.compile(r"^[A-Z][A-Z9][0-9]{7}$")


def dea_problem(number: str) -> str | None:
    """Why `number` is not a valid DEA registration number, or None when it is.

    Two letters then seven digits; with digits d1..d7, (d1+d3+d5) + 2*(d2+d4+d6) ends in d7.
    """
    text = number.strip().upper()
    if not _FORMAT.match(text):
        return f"'{number}' is not a DEA number: two letters followed by seven digits."
    digits = [int(c) for c in text[2:]]
    total = digits[0] + digits[2] + digits[4] + 2 * (digits[1] + digits[3] + digits[5])
    if total % 10 != digits[6]:
        return f"DEA number {text} fails its check digit; check it for a typo."
    return None


def dea_number_valid(number: str) -> bool:
    """True for a well-formed DEA number with a correct check digit (21 CFR 1306.05 asks for it)."""
    return bool(number) and dea_problem(number) is None
