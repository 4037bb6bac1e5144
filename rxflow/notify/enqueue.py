"""Put one client message in the outbox, at most once per idempotency key.

The insert is `ON CONFLICT DO NOTHING` on the unique key, so a step, a reminder run repeated, or
two reminder runs at once can never queue the same message twice nor fail on the duplicate.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from rxflow.db.models import OutboxMessage
from rxflow.notify.routing import Route
from rxflow.notify.templates import render


def insert_once(session: Session, values: dict[str, Any]) -> bool:
    """Insert an outbox row unless its idempotency key exists; True when it was inserted."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(OutboxMessage.id)
    )
    # RETURNING, not rowcount: psycopg reports no rowcount for an ORM-enabled insert.
    return session.execute(statement).first() is not None


def enqueue(
    session: Session,
    *,
    kind: str,
    key: str,
    request_id: int | None,
    route: Route,
    recipient_name: str,
    context: dict[str, Any],
    now: datetime,
) -> bool:
    """Render `kind` for the route's channel and queue it; a callback route waits for a person."""
    rendered = render(kind, route.channel, context)
    return insert_once(
        session,
        {
            "channel": route.channel,
            "kind": kind,
            "request_id": request_id,
            "idempotency_key": key,
            "recipient": route.address,
            "recipient_name": recipient_name,
            "subject": rendered.subject[:255],
            "body": rendered.body,
            "document_ids": [],
            "status": "callback" if route.callback_reason else "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "last_error": route.callback_reason,
            "claimed_by": "",
            "transport_ref": "",
            "created_at": now,
        },
    )
