"""The day report: what came in, what was decided and handed over, who did it, and how long it took.

Figures come from the audit trail (one row per transition, never updated), so a report for a past
day says what was true at that day's close, whatever happened to the requests afterwards.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rxflow.db.models import (
    AuditEvent,
    Fill,
    Product,
    RefillRequest,
    StockLot,
    StockMovement,
    User,
)
from rxflow.states.definition import TERMINAL

AGE_BANDS: tuple[tuple[str, timedelta], ...] = (
    ("under 1 day", timedelta(days=1)),
    ("1-2 days", timedelta(days=3)),
    ("3-6 days", timedelta(days=7)),
)
OLDEST_BAND = "7 days or more"

COUNTED = {
    "approved": "approved",
    "denied": "denied",
    "dispensed": "dispensed",
    "faxed": "faxed",
    "returned_to_stock": "returned to stock",
}


@dataclass(frozen=True)
class Turnaround:
    """Hours from received to a milestone, for requests that reached it on the day."""

    count: int
    median_hours: float | None
    worst_hours: float | None
    worst_request_id: int | None


@dataclass(frozen=True)
class StaffLine:
    name: str
    fills: int
    verifications: int


@dataclass(frozen=True)
class ControlledLine:
    """One movement of a scheduled drug, with the lot's balance after it."""

    at: datetime
    product: str
    schedule: int
    lot_number: str
    reason: str
    request_id: int | None
    delta: Decimal
    balance_after: Decimal
    by: str


@dataclass(frozen=True)
class LotBalance:
    """A scheduled drug's lot over the day: what it opened with, what moved, what it closed with."""

    product: str
    lot_number: str
    opening: Decimal
    moved: Decimal
    closing: Decimal


@dataclass
class DayReport:
    day: date
    zone: str = "UTC"
    received: int = 0
    decided: dict[str, int] = field(default_factory=dict)  # approved, denied, dispensed, ...
    open_by_state: dict[str, dict[str, int]] = field(default_factory=dict)  # state -> band -> n
    to_approved: Turnaround = Turnaround(0, None, None, None)
    to_ready: Turnaround = Turnaround(0, None, None, None)
    staff: list[StaffLine] = field(default_factory=list)
    controlled: list[ControlledLine] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(sum(bands.values()) for bands in self.open_by_state.values())

    @property
    def lot_balances(self) -> list[LotBalance]:
        """Opening and closing balance of each scheduled lot that moved (the log's check sums)."""
        lots: dict[tuple[str, str], list[ControlledLine]] = defaultdict(list)
        for line in self.controlled:
            lots[(line.product, line.lot_number)].append(line)
        return [
            LotBalance(
                product,
                lot,
                lines[0].balance_after - lines[0].delta,
                sum((line.delta for line in lines), Decimal(0)),
                lines[-1].balance_after,
            )
            for (product, lot), lines in lots.items()
        ]


def day_bounds(day: date, zone: tzinfo = UTC) -> tuple[datetime, datetime]:
    """The day as a half-open interval [midnight, next midnight) on the practice's clock, in UTC.

    The front desk's day is local: an evening in Chicago is already tomorrow in UTC. Days that
    change to or from daylight time are 23 or 25 hours long, as on the clinic's wall clock.
    """
    start = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return start, end


def age_band(age: timedelta) -> str:
    for name, below in AGE_BANDS:
        if age < below:
            return name
    return OLDEST_BAND


def _turnaround(spans: dict[int, timedelta]) -> Turnaround:
    if not spans:
        return Turnaround(0, None, None, None)
    hours = {rid: span.total_seconds() / 3600 for rid, span in spans.items()}
    worst_id = max(sorted(hours), key=lambda rid: hours[rid])
    return Turnaround(
        len(hours), round(statistics.median(hours.values()), 2), round(hours[worst_id], 2), worst_id
    )


def day_report(session: Session, day: date, zone: tzinfo = UTC) -> DayReport:
    """Build the report for `day` on the practice's clock (`zone`) from the audit trail, fills
    and stock movements."""
    start, end = day_bounds(day, zone)
    report = DayReport(day=day, zone=str(zone))
    names = {user.id: user.display_name or user.username for user in session.scalars(select(User))}

    received_at: dict[int, datetime] = {
        rid: at
        for rid, at in session.execute(
            select(RefillRequest.id, RefillRequest.received_at).where(
                RefillRequest.received_at < end
            )
        )
    }
    report.received = sum(1 for at in received_at.values() if at >= start)

    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.at < end, AuditEvent.request_id.is_not(None))
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    state_at_close: dict[int, str] = {}
    first_reached: dict[tuple[int, str], datetime] = {}
    decided: Counter[str] = Counter()
    verifications: Counter[int] = Counter()
    for event in events:
        rid = event.request_id
        assert rid is not None
        if event.to_state is None or event.to_state == event.from_state:
            continue
        state_at_close[rid] = event.to_state
        first_reached.setdefault((rid, event.to_state), event.at)
        if event.at >= start and event.action == "verify" and event.actor_id is not None:
            verifications[event.actor_id] += 1
    for (_, state), at in first_reached.items():
        if state in COUNTED and at >= start:
            decided[state] += 1  # each request once, even after a reject and a second approval
    report.decided = {label: decided[state] for state, label in COUNTED.items()}

    open_by_state: dict[str, Counter[str]] = defaultdict(Counter)
    for rid, state in state_at_close.items():
        if state not in TERMINAL and rid in received_at:
            open_by_state[state][age_band(end - received_at[rid])] += 1
    report.open_by_state = {state: dict(bands) for state, bands in sorted(open_by_state.items())}

    def spans(milestone: str) -> dict[int, timedelta]:
        return {
            rid: at - received_at[rid]
            for (rid, state), at in first_reached.items()
            if state == milestone and start <= at < end and rid in received_at
        }

    report.to_approved = _turnaround(spans("approved"))
    report.to_ready = _turnaround(spans("verified"))

    fills = Counter(
        session.scalars(
            # every fill made that day counts as work done, even one voided later by a reject
            select(Fill.filled_by_id).where(Fill.filled_at >= start, Fill.filled_at < end)
        ).all()
    )
    people = sorted(set(fills) | set(verifications), key=lambda uid: (names.get(uid, ""), uid))
    report.staff = [
        StaffLine(names.get(uid, f"user {uid}"), fills[uid], verifications[uid]) for uid in people
    ]
    report.controlled = controlled_log(session, start, end, names, zone)
    return report


def controlled_log(
    session: Session,
    start: datetime,
    end: datetime,
    names: dict[int, str],
    zone: tzinfo = UTC,
) -> list[ControlledLine]:
    """Every movement of a scheduled drug in [start, end), by lot then time, with balances."""
    rows = session.execute(
        select(StockMovement, Product, StockLot)
        .join(Product, Product.id == StockMovement.product_id)
        .join(StockLot, StockLot.id == StockMovement.lot_id)
        .where(
            Product.schedule.is_not(None),
            StockMovement.at >= start,
            StockMovement.at < end,
        )
        .order_by(Product.generic_name, StockLot.lot_number, StockMovement.at, StockMovement.id)
    ).all()
    return [
        ControlledLine(
            at=movement.at.astimezone(zone),
            product=f"{product.generic_name} {product.strength}".strip(),
            schedule=int(product.schedule or 0),
            lot_number=lot.lot_number,
            reason=movement.reason,
            request_id=movement.request_id,
            delta=movement.delta,
            balance_after=movement.balance_after,
            by=names.get(movement.actor_id, "") if movement.actor_id else "",
        )
        for movement, product, lot in rows
    ]


def report_json(report: DayReport) -> dict[str, Any]:
    """The report as plain JSON types, for the web view's day-report page and API."""

    def turnaround(value: Turnaround) -> dict[str, Any]:
        return {
            "count": value.count,
            "median_hours": value.median_hours,
            "worst_hours": value.worst_hours,
            "worst_request_id": value.worst_request_id,
        }

    return {
        "day": report.day.isoformat(),
        "zone": report.zone,
        "received": report.received,
        "decided": dict(report.decided),
        "open_by_state": {state: dict(bands) for state, bands in report.open_by_state.items()},
        "open_total": report.open_total,
        "turnaround": {
            "received_to_approved": turnaround(report.to_approved),
            "received_to_ready": turnaround(report.to_ready),
        },
        "staff": [
            {"name": line.name, "fills": line.fills, "verifications": line.verifications}
            for line in report.staff
        ],
        "lot_balances": [
            {
                "product": lot.product,
                "lot_number": lot.lot_number,
                "opening": float(lot.opening),
                "moved": float(lot.moved),
                "closing": float(lot.closing),
            }
            for lot in report.lot_balances
        ],
        "controlled": [
            {
                "at": line.at.isoformat(),
                "product": line.product,
                "schedule": line.schedule,
                "lot_number": line.lot_number,
                "reason": line.reason,
                "request_id": line.request_id,
                "delta": float(line.delta),
                "balance_after": float(line.balance_after),
                "by": line.by,
            }
            for line in report.controlled
        ],
    }
