"""The parsed sig, its error, and the days'-supply arithmetic refills and lot checks rely on."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from rxflow.errors import InvalidInput

# Units a dispensed quantity is counted in, so quantity / units-per-day means days. Drops, puffs,
# pumps, insulin units, ointment strips and applications are dispensed as bottles, inhalers, tubes
# or vials, whose size in those units the sig cannot know.
COUNTED_UNITS = frozenset({"tablet", "capsule", "chewable", "mL", "patch", "packet"})


@dataclass(frozen=True)
class Sig:
    """One set of directions, read: what the label, handout and refill reminder work from."""

    text: str
    dose: float
    unit: str
    route: str | None
    times_per_day: float | None
    duration_days: int | None
    as_needed: bool
    indication: str | None
    plain: str

    def units_per_day(self) -> float | None:
        """Most units given in a day (for "as needed" sigs, at the stated interval), if known."""
        if self.times_per_day is None:
            return None
        return self.dose * self.times_per_day


class SigError(InvalidInput, ValueError):
    """Directions that cannot be read safely; `unknown` holds the words that could not be read."""

    code = "SIG_UNREADABLE"

    def __init__(self, reason: str, unknown: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.unknown = unknown


def days_supply(sig: Sig, quantity: float) -> int | None:
    """Whole days `quantity` (counted in `sig.unit`) lasts; None when the sig cannot say.

    None for "as needed" with no interval, single doses, "as directed", and units that are not
    dispensed by count (drops, applications, puffs...). Exact rational arithmetic, so 1/7 a day
    and 30 tablets give 210 days, never 209 from a rounding error.
    """
    if sig.times_per_day is None or sig.unit not in COUNTED_UNITS or quantity < 0:
        return None
    per_day = _exact(sig.dose) * _exact(sig.times_per_day)
    if per_day <= 0:
        return None
    # str() keeps the quantity as typed: 0.3 mL is 3/10, not 0.29999... (which would lose a day).
    return math.floor(Fraction(str(quantity)) / per_day)


def _exact(value: float) -> Fraction:
    """The small fraction a float stands for (0.14285714285714285 -> 1/7, 0.5 -> 1/2)."""
    return Fraction(value).limit_denominator(10_000)
