"""What the web view shows of client messages: a request's timeline and the callback list."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rxflow.db.models import AuditEvent, Client, OutboxMessage, Patient, RefillRequest
from rxflow.db.session import Database
from rxflow.errors import InvalidInput, NotFound

CALLBACK_STATUSES = ("failed", "callback")


class MessageView(BaseModel):
    """One outbox row on a request's timeline: what, to whom, when, how it went."""

    id: int
    channel: str
    kind: str
    recipient: str
    recipient_name: str
    subject: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    last_error: str


class CallbackView(BaseModel):
    """A client the front desk must call: a message failed or could not be sent."""

    message_id: int
    request_id: int | None
    kind: str
    client_name: str
    phone: str
    pet: str
    reason: str
    since: datetime


def _view(row: OutboxMessage) -> MessageView:
    return MessageView(
        id=row.id,
        channel=row.channel,
        kind=row.kind,
        recipient=row.recipient,
        recipient_name=row.recipient_name,
        subject=row.subject,
        status=row.status,
        attempts=row.attempts,
        created_at=row.created_at,
        sent_at=row.sent_at,
        delivered_at=row.delivered_at,
        last_error=row.last_error,
    )


def timeline_messages(session: Session, request_id: int) -> list[MessageView]:
    """Every fax, email, text and callback of a request, oldest first."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.request_id == request_id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return [_view(row) for row in rows]


def callback_list(session: Session) -> list[CallbackView]:
    """Client messages that failed or need a person (phone preference, missing address)."""
    rows = session.execute(
        select(OutboxMessage, Client, Patient)
        .join(RefillRequest, RefillRequest.id == OutboxMessage.request_id)
        .join(Patient, Patient.id == RefillRequest.patient_id)
        .join(Client, Client.id == Patient.client_id)
        .where(
            OutboxMessage.channel.in_(("email", "sms", "phone")),
            OutboxMessage.status.in_(CALLBACK_STATUSES),
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    return [
        CallbackView(
            message_id=message.id,
            request_id=message.request_id,
            kind=message.kind,
            client_name=client.name,
            phone=client.phone,
            pet=patient.name,
            reason=message.last_error,
            since=message.created_at,
        )
        for message, client, patient in rows
    ]


def record_callback(
    db: Database, message_id: int, *, actor_id: int, note: str, now: datetime
) -> None:
    """The desk called the client: the item leaves the list and the call goes on the audit trail."""
    with db.write() as session:
        message = session.get(OutboxMessage, message_id)
        if message is None:
            raise NotFound("message", message_id)
        done = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(CALLBACK_STATUSES))
            .values(status="called")
        )
        if getattr(done, "rowcount", 0) != 1:
            raise InvalidInput("This message is not on the callback list any more.")
        session.add(
            AuditEvent(
                request_id=message.request_id,
                at=now,
                actor_id=actor_id,
                action="callback",
                detail={"message_id": message_id, "kind": message.kind, "note": note},
            )
        )
