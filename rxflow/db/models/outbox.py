"""Messages waiting to leave the building (fax, email, text) and faxes that came in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rxflow.db.base import Base, intpk, str40, utcnow


class OutboxMessage(Base):
    """Written in the same transaction as the step that causes it; sent by a worker after commit.

    `idempotency_key` is unique, so the same step can never queue the same message twice, and
    transports pass it on (Message-ID, file name) so a resend is recognisable as the same fax.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[intpk]
    channel: Mapped[str] = mapped_column(String(10))  # fax | email | sms
    kind: Mapped[str40]  # prescription_fax, pharmacy_response, ready_for_pickup, ...
    request_id: Mapped[int | None] = mapped_column(ForeignKey("refill_requests.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    recipient: Mapped[str] = mapped_column(String(255))
    recipient_name: Mapped[str] = mapped_column(String(255), default="")
    subject: Mapped[str] = mapped_column(String(255), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    document_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[str] = mapped_column(String(80), default="")
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    transport_ref: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboundFax(Base):
    """An incoming fax PDF, stored before anything reads it; extraction and triage ride on it."""

    __tablename__ = "inbound_faxes"

    id: Mapped[intpk]
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(12), default="stored")  # stored|triage|matched|error
    text_source: Mapped[str | None] = mapped_column(String(10))
    extraction: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
