"""The audit trail for a date range as CSV, for the practice manager (and inspectors).

One row per audit event, oldest first; the detail stays JSON so nothing is lost in the export.
Cells that a spreadsheet would run as a formula are prefixed with a quote.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from rxflow.db.models import AuditEvent, User
from rxflow.errors import InvalidInput
from rxflow.reports.day import day_bounds

HEADER = [
    "event_id",
    "at_utc",
    "request",
    "actor",
    "role",
    "action",
    "from_state",
    "to_state",
    "detail",
]


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def audit_rows(
    session: Session, first: date, last: date, zone: tzinfo = UTC
) -> Iterator[list[str]]:
    """Rows for events from `first` through `last` (whole days on the practice's clock)."""
    if last < first:
        raise InvalidInput("The audit range ends before it starts.")
    start, _ = day_bounds(first, zone)
    _, end = day_bounds(last, zone)
    users = {user.id: user for user in session.scalars(select(User))}
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.at >= start, AuditEvent.at < end)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    for event in events:
        user = users.get(event.actor_id) if event.actor_id is not None else None
        yield [
            str(event.id),
            event.at.isoformat(timespec="seconds"),
            f"RX{event.request_id:06d}" if event.request_id else "",
            _cell(user.username) if user else "",
            user.role if user else "",
            event.action,
            event.from_state or "",
            event.to_state or "",
            _cell(json.dumps(event.detail or {}, sort_keys=True, default=str)),
        ]


def audit_csv(session: Session, first: date, last: date, zone: tzinfo = UTC) -> str:
    """The CSV text (header first) for the range."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(audit_rows(session, first, last, zone))
    return out.getvalue()
