"""A fax's delivery confirmed or refused by the far end (API or hot-folder receipt).

`POST /api/v1/fax-confirmations` calls `confirm_fax`. The job is named by its idempotency key,
its job id (the file name) or its Message-ID; a repeated confirmation changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rxflow.db.base import utcnow
from rxflow.db.models import OutboxMessage, RefillRequest
from rxflow.db.session import Database
from rxflow.errors import Forbidden, NotFound
from rxflow.outbox.ids import key_candidates
from rxflow.outbox.record import settle
from rxflow.service.actors import load_actor
from rxflow.states.definition import ROLES_BY_TRIGGER


class FaxConfirmation(BaseModel):
    job_key: str
    request_id: int | None
    job_status: str
    request_state: str | None


def find_fax_job(session: Session, reference: str, *, lock: bool = False) -> OutboxMessage:
    query = select(OutboxMessage).where(
        OutboxMessage.channel == "fax",
        or_(
            OutboxMessage.idempotency_key == reference.strip(),
            func.replace(OutboxMessage.idempotency_key, ":", "-") == key_candidates(reference),
        ),
    )
    if lock:
        query = query.with_for_update()
    row = session.scalars(query.limit(1)).first()
    if row is None:
        raise NotFound("fax job", reference)
    return row


def confirm_fax(
    db: Database,
    job_key: str,
    delivered: bool,
    detail: str,
    actor_id: int,
    now: datetime | None = None,
) -> FaxConfirmation:
    """Record the far end's word on a fax; a delivered fax moves its request to `faxed`."""
    now = now or utcnow()
    with db.write() as session:
        actor = load_actor(session, actor_id)
        if actor.role not in ROLES_BY_TRIGGER["fax_confirmed"]:
            raise Forbidden("Only front-desk staff or the fax worker record fax confirmations.")
        job = find_fax_job(session, job_key, lock=db.is_postgres)
        if job.status not in ("delivered", "cancelled"):
            if delivered:
                job.status, job.delivered_at, job.last_error = "delivered", now, ""
                job.sent_at = job.sent_at or now
            else:
                job.status = "failed"
                job.last_error = detail.strip()[:2000] or "The receiving fax did not take the fax."
        key, request_id = job.idempotency_key, job.request_id
    if request_id is not None:
        settle(db, request_id, actor_id, now, detail=detail.strip()[:2000] or None)
    with db.read() as session:
        status = session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == job.id))
        state = session.scalar(select(RefillRequest.state).where(RefillRequest.id == request_id))
    return FaxConfirmation(
        job_key=key, request_id=request_id, job_status=status or "", request_state=state
    )
