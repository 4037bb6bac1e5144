"""Issuing, reprinting and voiding documents: immutable bytes with their SHA-256."""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from rxflow.db.models import AuditEvent, Document
from rxflow.db.session import Database
from rxflow.documents.render import render
from rxflow.errors import NotFound


def issue(
    session: Session,
    kind: str,
    data: BaseModel,
    *,
    request_id: int | None,
    actor_id: int | None,
    now: datetime,
    replaces: Document | None = None,
) -> Document:
    """Render `data` as `kind` and store it; the bytes never change after this."""
    content = render(kind, data)
    number = f"{request_id:06d}" if request_id else now.strftime("%Y%m%d")
    document = Document(
        request_id=request_id,
        kind=kind,
        filename=f"{kind}-{number}.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        created_at=now,
        created_by_id=actor_id,
        replaces_id=replaces.id if replaces else None,
    )
    session.add(document)
    session.flush()
    return document


def void(
    session: Session,
    document: Document,
    reason: str,
    *,
    actor_id: int,
    now: datetime,
    audit: bool = True,
) -> None:
    """Mark a document void (kept, never deleted). Inside a step the step's own audit event names
    it (audit=False); a correction on its own writes an audit event of its own."""
    document.voided_at = now
    document.void_reason = reason
    if not audit:
        return
    session.add(
        AuditEvent(
            request_id=document.request_id,
            at=now,
            actor_id=actor_id,
            action="void_document",
            detail={"document_id": document.id, "kind": document.kind, "reason": reason},
        )
    )


def active(session: Session, request_id: int, kind: str) -> Document | None:
    return session.scalar(
        select(Document)
        .where(
            Document.request_id == request_id,
            Document.kind == kind,
            Document.voided_at.is_(None),
        )
        .order_by(Document.id.desc())
        .limit(1)
    )


def reprint(db: Database, document_id: int) -> tuple[Document, bytes]:
    """The stored bytes, exactly as issued (a reprint is the same file)."""
    with db.read() as session:
        document = session.get(Document, document_id)
        if document is None:
            raise NotFound("document", document_id)
        session.expunge(document)
        return document, document.content
