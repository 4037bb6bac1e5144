"""Queues the outbound fax in the same transaction as `send_fax` / `retry` (sent after commit)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from rxflow.db.models import OutboxMessage
from rxflow.service.effects import Step
from rxflow.service.paperwork.issue import active


def queue_fax(step: Step) -> dict[str, Any]:
    """One outbox row per attempt, keyed so the same attempt can never be queued twice."""
    if step.trigger not in {"send_fax", "retry"}:
        return {}
    request = step.request
    assert request.pharmacy is not None
    cover = active(step.session, request.id, "fax_cover_sheet")
    written = active(step.session, request.id, "written_prescription")
    documents = [doc.id for doc in (cover, written) if doc is not None]
    attempt = 1 + (
        step.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.request_id == request.id, OutboxMessage.channel == "fax"
            )
        )
        or 0
    )
    message = OutboxMessage(
        channel="fax",
        kind="prescription_fax",
        request_id=request.id,
        idempotency_key=f"fax:{request.id}:{attempt}",
        recipient=re.sub(r"\D", "", request.pharmacy.fax),
        recipient_name=request.pharmacy.name,
        subject=f"Prescription RX{request.id:06d}",
        document_ids=documents,
        next_attempt_at=step.now,
        created_at=step.now,
    )
    step.session.add(message)
    step.session.flush()
    return {"outbox_id": message.id}
