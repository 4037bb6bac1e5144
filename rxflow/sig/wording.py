"""Plain-English wording of a read sig: what labels, handouts and written prescriptions print.

No abbreviation survives (no SID, BID, PO, OU, q12h, prn, cc, U); fractions of a tablet are
written in words ("one-half of a tablet"), since "1/2" and "½" are misread on faxes and small
labels; decimals keep a leading zero and lose trailing ones ("0.5 mL", never ".5" or "1.0").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rxflow.sig.lexicon import Duration, Frequency, Value

_PLURAL = {"patch": "patches", "mL": "mL", "mg": "mg", "inch": "inches"}
_SPLITTABLE = frozenset({"tablet", "chewable", "patch", "packet", "capsule"})
_FRACTION_WORDS = {0.25: "one-quarter", 0.5: "one-half", 0.75: "three-quarters"}
_THIRDS = {1 / 3: "one-third", 2 / 3: "two-thirds"}
_APPLIED_ROUTES = frozenset(
    {"to the skin", "to the affected area", "on the skin", "to the inner ear flap"}
)
_EYE_AND_EAR = frozenset(
    {"in both eyes", "in the right eye", "in the left eye", "in the affected eye",
     "in both ears", "in the right ear", "in the left ear", "in the affected ear"}
)  # fmt: skip
_INJECTED = frozenset({"under the skin", "into the muscle", "into a vein"})


@dataclass
class Reading:
    """What the scan found: field values, clashing values, and tokens no rule could read."""

    fields: dict[str, Value] = field(default_factory=dict)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)
    unknown_at: list[int] = field(default_factory=list)


def sentence(reading: Reading, amount: float, unit: str) -> str:
    """The full plain-English directions: one main sentence, then any follow-up sentences."""
    f = reading.fields
    route = f.get("route")
    parts = [
        _verb(unit, route),
        _how_much(f, amount, unit),
        route,
        _words(f.get("frequency")),
        f.get("timing"),
        f.get("food"),
        _words(f.get("duration")),
        "until all of the medication is gone" if f.get("until_gone") else None,
    ]
    if f.get("as_needed"):
        parts.append("as needed" + (f" for {f['indication']}" if "indication" in f else ""))
    elif "indication" in f:
        parts.append(f"for {f['indication']}")
    main = " ".join(str(part) for part in parts if part)
    if f.get("stop"):
        main += ", then stop"
    sentences = [main + "."]
    if f.get("shake"):
        sentences.insert(0, "Shake well before each use.")
    if "recheck" in f:
        sentences.append(f"Schedule a recheck with your veterinarian{f['recheck']}.")
    return " ".join(sentences)


def _verb(unit: str, route: Value) -> str:
    if unit in ("application", "patch", "inch") or route in _APPLIED_ROUTES:
        return "Apply"
    if unit == "drop" and route in _EYE_AND_EAR:
        return "Place"
    if route in _INJECTED:
        return "Inject"
    return "Give"


def _words(value: Value) -> str | None:
    return value.words if isinstance(value, Frequency | Duration) else None


def _how_much(f: dict[str, Value], amount: float, unit: str) -> str | None:
    if unit == "application" and amount == 1:
        return "a thin layer" if f.get("thin_layer") else None
    if unit == "inch":
        return f"a {_number(amount, words=True)}-inch strip"
    return quantity(amount, unit)


def quantity(amount: float, unit: str) -> str:
    """ "1 tablet", "one-half of a tablet", "1 and one-half tablets", "0.5 mL", "2 drops"."""
    whole = int(amount)
    fraction = amount - whole
    plural = _PLURAL.get(unit, unit + "s")
    if unit in _SPLITTABLE and fraction and _fraction_word(fraction):
        if whole == 0:
            return f"{_fraction_word(fraction)} of a {unit}"
        return f"{whole} and {_fraction_word(fraction)} {plural}"
    return f"{_number(amount, words=False)} {unit if amount == 1 else plural}"


def _number(amount: float, *, words: bool) -> str:
    whole = int(amount)
    fraction = _fraction_word(amount - whole) if words else None
    if fraction:
        return fraction if whole == 0 else f"{whole} and {fraction}"
    # Decimal keeps "0.0625" whole and never prints "1e-05" or a trailing ".0".
    return format(Decimal(repr(round(amount, 4))).normalize(), "f")


def _fraction_word(fraction: float) -> str | None:
    for value, word in (_FRACTION_WORDS | _THIRDS).items():
        if abs(fraction - value) < 1e-6:
            return word
    return None
