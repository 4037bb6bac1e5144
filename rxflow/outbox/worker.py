"""The outbox worker loop: read receipts, settle requests, then claim → send → record until empty.

`rxflow fax-worker` runs this; several may run at once (see claim.py). A fax goes to the
practice's fax transport, an email or text to the notification sender of its channel.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from rxflow.db.base import utcnow
from rxflow.db.models import User
from rxflow.db.session import Database
from rxflow.errors import InvalidInput, NotFound, StorageUnavailable
from rxflow.fax.errors import TransportError
from rxflow.fax.hotfolder import archive_receipt, read_receipts
from rxflow.fax.transports import FaxJob
from rxflow.notify.senders import Outgoing, SendError
from rxflow.outbox.claim import LEASE, Job, claim_next
from rxflow.outbox.confirm import confirm_fax
from rxflow.outbox.ids import job_id
from rxflow.outbox.record import record_failure, record_sent, settle, settle_all
from rxflow.outbox.transports import Transports

log = logging.getLogger("rxflow.outbox")
WORKER_USER = "fax-worker"


@dataclass
class Round:
    """What one pass did (counts only: no patient or client data)."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    receipts: int = 0
    settled: int = 0

    @property
    def busy(self) -> bool:
        return bool(self.sent or self.retried or self.failed or self.receipts or self.settled)


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def worker_user_id(db: Database) -> int:
    """The system user the worker acts as when it fires fax_confirmed / fax_failed."""
    with db.read() as session:
        found = session.scalar(select(User.id).where(User.username == WORKER_USER))
    if found is None:
        raise NotFound("user", f"{WORKER_USER} (run `rxflow init` to create it)")
    return found


class Worker:
    """One worker (process or thread): its own name, the transports, the system user it acts as."""

    def __init__(
        self,
        db: Database,
        transports: Transports,
        *,
        name: str | None = None,
        lease: timedelta = LEASE,
    ) -> None:
        self.db = db
        self.transports = transports
        self.name = name or worker_name()
        self.lease = lease
        self._actor_id: int | None = None

    @property
    def actor_id(self) -> int:
        if self._actor_id is None:
            self._actor_id = worker_user_id(self.db)
        return self._actor_id

    def run_once(self, now: datetime | None = None) -> Round:
        """Read receipts, settle requests, then send every due row; returns the counts."""
        now = now or utcnow()
        done = Round(receipts=self.poll_receipts(now))
        done.settled = settle_all(self.db, self.actor_id, now)
        while (job := claim_next(self.db, self.name, now, self.lease)) is not None:
            outcome = self.process(job, now)
            if outcome == "sent":
                done.sent += 1
            elif outcome == "retry":
                done.retried += 1
            else:
                done.failed += 1
        return done

    def run_forever(self, poll_seconds: float, stop: threading.Event | None = None) -> None:
        """Loop until `stop` is set (or the process is stopped), pausing between passes."""
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                done = self.run_once()
                if done.busy:
                    log.info("outbox pass: %s", done)
            except StorageUnavailable as error:
                log.warning("outbox pass skipped: %s", error.reason)
            stop.wait(poll_seconds)

    def process(self, job: Job, now: datetime) -> str:
        """Send one claimed job and record it: 'sent', 'retry' or 'failed'."""
        if job.reclaimed:
            log.warning("job %s reclaimed after its lease: re-sending under the same id", job.id)
        try:
            status, reference = self.send(job)
        except (TransportError, SendError) as error:
            outcome = record_failure(
                self.db, job, self.name, error.reason, retryable=error.retryable, now=now
            )
        except InvalidInput as error:  # a job that can never be sent (no documents, bad id)
            outcome = record_failure(
                self.db, job, self.name, error.reason, retryable=False, now=now
            )
        else:
            record_sent(self.db, job, self.name, status, reference, now)
            outcome = "sent"
        log.info("job %s (%s %s): %s", job.id, job.channel, job.kind, outcome)
        if job.channel == "fax" and job.request_id is not None and outcome != "retry":
            settle(self.db, job.request_id, self.actor_id, now)
        return outcome

    def send(self, job: Job) -> tuple[str, str]:
        """Hand the job to its transport: (status 'sent' or 'delivered', transport reference)."""
        if job.channel == "fax":
            fax = FaxJob(job_id(job.key), job.recipient, job.recipient_name, job.documents)
            result = self.transports.fax.send(fax)
            return result.status, result.transport_ref
        sender = self.transports.senders.get(job.channel)
        if sender is None:
            raise SendError(f"No sender is set up for {job.channel} messages.", retryable=False)
        outgoing = Outgoing(
            job_id(job.key), job.channel, job.recipient, job.recipient_name, job.subject, job.body
        )
        return "sent", sender.send(outgoing)

    def poll_receipts(self, now: datetime) -> int:
        """Delivery receipts from the hot folder's fax server: each recorded once, then archived."""
        folder = self.transports.hot_folder
        if folder is None:
            return 0
        count = 0
        for receipt in read_receipts(folder.folder):
            try:
                confirm_fax(
                    self.db,
                    receipt.job_id,
                    receipt.delivered,
                    receipt.detail,
                    actor_id=self.actor_id,
                    now=now,
                )
            except NotFound:
                continue  # not one of ours: leave it for whoever wrote it
            archive_receipt(folder.folder, receipt)
            count += 1
        return count
