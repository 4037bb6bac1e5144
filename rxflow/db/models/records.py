"""Issued documents (immutable, hashed) and the append-only audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rxflow.db.base import Base, intpk, str40, utcnow


class Document(Base):
    """A PDF as issued; never changed: a correction voids it and issues a new row."""

    __tablename__ = "documents"

    id: Mapped[intpk]
    request_id: Mapped[int | None] = mapped_column(ForeignKey("refill_requests.id"), index=True)
    kind: Mapped[str40]
    filename: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str] = mapped_column(Text, default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))


class AuditEvent(Base):
    """One row per transition or document; the database refuses updates and deletes."""

    __tablename__ = "audit_events"

    id: Mapped[intpk]
    request_id: Mapped[int | None] = mapped_column(ForeignKey("refill_requests.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str40]  # a trigger, "receive", "document", "void", ...
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
