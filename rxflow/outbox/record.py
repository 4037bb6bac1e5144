"""Recording how a send went, and moving the request to match its newest fax job.

The record is fenced by the claim (status 'sending' and our worker name): a worker whose lease
ran out and whose row was taken over records nothing. The request's step (fax_confirmed /
fax_failed) is a second transaction through the workflow engine; `settle` is idempotent and
also runs every round, so a crash between the two leaves nothing stuck.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update

from rxflow.db.models import OutboxMessage, RefillRequest
from rxflow.db.session import Database
from rxflow.errors import Conflict, RuleViolation
from rxflow.outbox.claim import Job
from rxflow.service import workflow
from rxflow.service.snapshot import practice_rules
from rxflow.settings import PracticeRules
from rxflow.states.definition import State

log = logging.getLogger("rxflow.outbox")
MAX_BACKOFF = timedelta(hours=6)


def backoff(rules: PracticeRules, attempts: int) -> timedelta:
    """Wait before the next try: base × 2^(attempts − 1), at most six hours."""
    delay = timedelta(seconds=rules.fax_backoff_seconds * 2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


def record_sent(
    db: Database, job: Job, worker: str, status: str, reference: str, now: datetime
) -> bool:
    with db.write() as session:
        done = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == job.id,
                OutboxMessage.status == "sending",
                OutboxMessage.claimed_by == worker,
            )
            .values(
                status=status,
                sent_at=now,
                delivered_at=now if status == "delivered" else None,
                transport_ref=reference[:255],
                last_error="",
            )
        )
        return getattr(done, "rowcount", 0) == 1


def record_failure(
    db: Database, job: Job, worker: str, reason: str, *, retryable: bool, now: datetime
) -> str:
    """'retry' (back to pending after the backoff) or 'failed' (no more tries)."""
    with db.write() as session:
        rules = practice_rules(session)
        again = retryable and job.attempts < rules.fax_max_attempts
        values: dict[str, object] = {"last_error": reason[:2000]}
        if again:
            values.update(status="pending", next_attempt_at=now + backoff(rules, job.attempts))
        else:
            values.update(status="failed")
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == job.id,
                OutboxMessage.status == "sending",
                OutboxMessage.claimed_by == worker,
            )
            .values(**values)
        )
    return "retry" if again else "failed"


def settle(
    db: Database, request_id: int, actor_id: int, now: datetime, detail: str | None = None
) -> str | None:
    """Fire fax_confirmed / fax_failed when a faxing request's newest fax job says so."""
    with db.read() as session:
        state = session.scalar(select(RefillRequest.state).where(RefillRequest.id == request_id))
        newest = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.request_id == request_id, OutboxMessage.channel == "fax")
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        ).first()
    if state != State.FAXING.value or newest is None:
        return None
    if newest.status == "delivered":
        trigger, payload = "fax_confirmed", {"detail": detail or None}
    elif newest.status == "failed":
        reason = newest.last_error or "The fax could not be sent."
        trigger, payload = "fax_failed", {"reason": reason[:2000]}
    else:
        return None
    try:
        workflow.fire(db, request_id, trigger, actor_id=actor_id, payload=payload, now=now)
    except (Conflict, RuleViolation) as refusal:  # someone else moved it first
        log.info("request %s: %s not applied (%s)", request_id, trigger, refusal.code)
        return None
    return trigger


def settle_all(db: Database, actor_id: int, now: datetime) -> int:
    """Settle every request still faxing; returns how many moved."""
    with db.read() as session:
        ids = list(
            session.scalars(
                select(RefillRequest.id).where(RefillRequest.state == State.FAXING.value)
            )
        )
    return sum(1 for request_id in ids if settle(db, request_id, actor_id, now))
