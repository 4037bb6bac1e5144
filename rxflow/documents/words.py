"""Quantities in words, as a written prescription spells them out so they cannot be altered."""

from __future__ import annotations

from decimal import Decimal

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        parts.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest or not parts:
        parts.append(_ONES[rest])
    return " ".join(parts)


def integer_in_words(n: int) -> str:
    """120 -> "one hundred twenty"; 0 -> "zero"."""
    if n < 0:
        return "minus " + integer_in_words(-n)
    parts: list[str] = []
    for scale, name in _SCALES:
        count, n = divmod(n, scale)
        if count:
            parts.append(f"{integer_in_words(count)} {name}")
    if n or not parts:
        parts.append(_below_thousand(n))
    return " ".join(parts)


def quantity_in_words(quantity: Decimal | int) -> str:
    """60 -> "sixty"; 7.5 -> "seven point five" (each decimal digit read out, as pharmacists do)."""
    text = format(Decimal(quantity).normalize(), "f")
    whole, _, fraction = text.partition(".")
    words = integer_in_words(int(whole))
    if fraction:
        words += " point " + " ".join(_ONES[int(d)] for d in fraction)
    return words
