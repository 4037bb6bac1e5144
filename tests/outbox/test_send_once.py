"""Send once: a worker killed between send and record, and several workers on one outbox."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from outbox_support import Desk, MailServer, config_for, desk_world, outbox_rows, worker

from rxflow.db.base import utcnow
from rxflow.db.models import OutboxMessage
from rxflow.db.session import Database
from rxflow.outbox.claim import LEASE
from rxflow.service import workflow as wf

ROOT = Path(__file__).resolve().parents[2]


def test_worker_killed_after_sending_resends_the_same_fax_never_another(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    world = desk_world(db)
    rid = Desk(world).faxing()
    env = {
        **os.environ,
        "RXFLOW_DATABASE_URL": db.url,
        "RXFLOW_FAX_TRANSPORT": "smtp",
        "RXFLOW_SMTP_HOST": "127.0.0.1",
        "RXFLOW_SMTP_PORT": str(smtp.port),
        "RXFLOW_SMTP_FROM": "pharmacy@maple.example",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "rxflow", "fax-worker", "--once"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # The gateway has the fax; the worker dies before it hears "250" and before it records.
    smtp.inbox.on_data = lambda: os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL
    smtp.inbox.on_data = None
    (job,) = outbox_rows(db, channel="fax")
    assert (job.status, job.attempts) == ("sending", 1)

    restarted = worker(db, config_for(smtp, tmp_path))
    assert restarted.run_once(now=utcnow() + timedelta(minutes=1)).sent == 0  # lease still held
    assert restarted.run_once(now=utcnow() + LEASE + timedelta(seconds=5)).sent == 1
    first, second = smtp.inbox.messages
    assert first["Message-ID"] == second["Message-ID"] == f"<fax-{rid}-1@maple.example>"
    attachments = [[p.get_content() for p in m.iter_attachments()] for m in (first, second)]
    assert attachments[0] == attachments[1]  # the same fax, byte for byte
    (job,) = outbox_rows(db, channel="fax")
    assert (job.status, job.attempts) == ("sent", 2)
    assert wf.get_request(db, rid).state == "faxing"


def test_hot_folder_resend_after_a_crash_writes_nothing_new(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    world = desk_world(db)
    desk = Desk(world)
    rid = desk.faxing()
    config = config_for(smtp, tmp_path, fax="hotfolder")
    crashed = worker(db, config, name="crashed")
    from rxflow.outbox.claim import claim_next

    now = desk.tick()
    job = claim_next(db, crashed.name, now)
    assert job is not None
    crashed.send(job)  # handed over, then the process died: nothing recorded
    pdf = config.hot_folder / f"fax-{rid}-1.pdf"
    written = pdf.stat().st_mtime_ns
    later = now + LEASE + timedelta(seconds=1)
    assert worker(db, config).run_once(now=later).sent == 1
    assert pdf.stat().st_mtime_ns == written
    assert sorted(p.name for p in config.hot_folder.glob("*.pdf")) == [pdf.name]


@pytest.mark.parametrize("workers", [4])
def test_several_workers_never_send_the_same_message_twice(
    db: Database, smtp: MailServer, tmp_path: Path, workers: int
) -> None:
    desk_world(db)
    now = utcnow()
    with db.write() as session:
        for n in range(40):
            session.add(
                OutboxMessage(
                    channel="email",
                    kind="ready_for_pickup",
                    idempotency_key=f"load:{n}",
                    recipient=f"client{n}@example.com",
                    subject="Ready",
                    body="Your order is ready.",
                    document_ids=[],
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    config = config_for(smtp, tmp_path)
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            start.wait()
            worker(db, config, name=name).run_once(now=now)
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    ids = smtp.inbox.ids()
    assert len(ids) == 40 and len(set(ids)) == 40
    rows = outbox_rows(db)
    assert {r.status for r in rows} == {"sent"} and {r.attempts for r in rows} == {1}
    assert len({r.claimed_by for r in rows}) > 1, "the work was shared between workers"
