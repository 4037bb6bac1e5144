"""When a refill is due: the last fill's date plus its days' supply, less the practice's lead time.

Pure: the parsed directions and the quantity decide; "as needed" and unreadable directions give no
date, because nobody can say when such a supply runs out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rxflow.sig import SigError, days_supply, parse_sig


@dataclass(frozen=True)
class RefillDue:
    due_on: date  # the day the reminder goes out
    runs_out_on: date
    days_supply: int
    ongoing: bool  # no stated course length: a long-term medication


def refill_due(
    filled_on: date, directions: str, quantity: float, lead_days: int
) -> RefillDue | None:
    """The reminder date for a supply filled on `filled_on`; None when it cannot be known."""
    try:
        sig = parse_sig(directions)
    except SigError:
        return None
    if sig.as_needed:
        return None
    days = days_supply(sig, quantity)
    if not days:
        return None
    runs_out = filled_on + timedelta(days=days)
    due = max(filled_on, runs_out - timedelta(days=lead_days))
    return RefillDue(due, runs_out, days, sig.duration_days is None)
