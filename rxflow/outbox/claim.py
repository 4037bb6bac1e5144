"""Claiming one due outbox row so that, with any number of workers, each row has one sender.

PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED` picks a row no other worker holds. SQLite: the
write transaction is BEGIN IMMEDIATE (one writer at a time) and the claim is a conditional
UPDATE that only succeeds while the row is still claimable. A claim older than the lease is
claimable again: its worker died, perhaps after sending (see docs/outbox.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from rxflow.db.models import Document, OutboxMessage, RefillRequest
from rxflow.db.session import Database
from rxflow.states.definition import State

LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Job:
    """A claimed row, detached from the session: everything the send needs."""

    id: int
    channel: str
    kind: str
    key: str
    request_id: int | None
    recipient: str
    recipient_name: str
    subject: str
    body: str
    documents: list[tuple[str, bytes]]
    attempts: int  # including this one
    reclaimed: bool  # a previous claim expired: it may already have been sent


def _claimable(now: datetime, lease: timedelta) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - lease),
    )


def claim_next(db: Database, worker: str, now: datetime, lease: timedelta = LEASE) -> Job | None:
    """Claim the most overdue row for `worker`; None when nothing is due."""
    with db.write() as session:
        while True:
            query = (
                select(OutboxMessage.id, OutboxMessage.status)
                .where(_claimable(now, lease))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(1)
            )
            if db.is_postgres:
                query = query.with_for_update(skip_locked=True)
            found = session.execute(query).first()
            if found is None:
                return None
            row_id, status = found
            claimed = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, _claimable(now, lease))
                .values(
                    status="sending",
                    claimed_by=worker,
                    claimed_at=now,
                    attempts=OutboxMessage.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if getattr(claimed, "rowcount", 0) != 1:
                continue
            row = session.get(OutboxMessage, row_id, populate_existing=True)
            assert row is not None
            if _fax_no_longer_wanted(session, row):
                row.status = "cancelled"
                row.last_error = "The request is no longer waiting for this fax."
                continue
            return _job(session, row, reclaimed=status == "sending")


def _fax_no_longer_wanted(session: Session, row: OutboxMessage) -> bool:
    if row.channel != "fax" or row.request_id is None:
        return False
    state = session.scalar(select(RefillRequest.state).where(RefillRequest.id == row.request_id))
    return state != State.FAXING.value


def _job(session: Session, row: OutboxMessage, *, reclaimed: bool) -> Job:
    documents: list[tuple[str, bytes]] = []
    if row.document_ids:
        ids = [int(i) for i in row.document_ids]
        found = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))}
        documents = [(found[i].filename, found[i].content) for i in ids if i in found]
    return Job(
        id=row.id,
        channel=row.channel,
        kind=row.kind,
        key=row.idempotency_key,
        request_id=row.request_id,
        recipient=row.recipient,
        recipient_name=row.recipient_name,
        subject=row.subject,
        body=row.body,
        documents=documents,
        attempts=row.attempts,
        reclaimed=reclaimed,
    )
