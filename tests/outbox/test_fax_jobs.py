"""Fax jobs through the worker: sent, confirmed (API or hot-folder receipt), retried, failed."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pdfplumber
import pytest
from outbox_support import Desk, Inbox, MailServer, config_for, desk_world, outbox_rows, worker

from rxflow.db.session import Database
from rxflow.errors import Forbidden, NotFound
from rxflow.notify.views import MessageView, timeline_messages
from rxflow.outbox.confirm import confirm_fax
from rxflow.service import workflow as wf
from rxflow.settings import Config


def test_fax_goes_to_the_gateway_and_a_confirmation_marks_it_faxed(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    world = desk_world(db)
    desk = Desk(world)
    rid = desk.faxing()
    done = worker(db, config_for(smtp, tmp_path)).run_once(now=desk.tick())
    assert done.sent == 1
    (mail,) = smtp.inbox.messages
    assert mail["To"] == "5415550199@fax-gateway.example"
    assert mail["Message-ID"] == f"<fax-{rid}-1@maple.example>"
    pdfs = [part.get_content() for part in mail.iter_attachments()]
    with pdfplumber.open(io.BytesIO(pdfs[-1])) as pdf:
        assert "carprofen" in (pdf.pages[0].extract_text() or "").lower()
    (job,) = outbox_rows(db, channel="fax")
    assert (job.status, job.attempts) == ("sent", 1)
    assert wf.get_request(db, rid).state == "faxing"  # accepted by the gateway is not delivered

    result = confirm_fax(db, f"fax-{rid}-1", True, "OK 2 pages", actor_id=world["csr"])
    assert (result.job_status, result.request_state) == ("delivered", "faxed")
    again = confirm_fax(db, f"<fax-{rid}-1@maple.example>", True, "", actor_id=world["csr"])
    assert again.request_state == "faxed"
    assert [e.action for e in wf.history(db, rid)].count("fax_confirmed") == 1


def test_a_confirmation_names_a_known_job_and_comes_from_staff(db: Database) -> None:
    world = desk_world(db)
    rid = Desk(world).faxing()
    with pytest.raises(NotFound):
        confirm_fax(db, "fax-999-1", True, "", actor_id=world["csr"])
    with db.write() as session:
        from rxflow.service.actors import add_user

        admin = add_user(session, "it", "admin").id
    with pytest.raises(Forbidden):
        confirm_fax(db, f"fax:{rid}:1", True, "", actor_id=admin)


def test_hot_folder_receipt_confirms_delivery_once(db: Database, tmp_path: Path) -> None:
    world = desk_world(db)
    desk = Desk(world)
    rid = desk.faxing()
    config = config_for_hotfolder(tmp_path)
    fax_worker = worker(db, config)
    assert fax_worker.run_once(now=desk.tick()).sent == 1
    folder = config.hot_folder
    assert (folder / f"fax-{rid}-1.pdf").exists() and (folder / f"fax-{rid}-1.json").exists()
    (folder / "receipts").mkdir()
    (folder / "receipts" / f"fax-{rid}-1.ok").write_text("delivered, 2 pages")
    assert fax_worker.run_once(now=desk.tick()).receipts == 1
    assert wf.get_request(db, rid).state == "faxed"
    assert (folder / "receipts" / "done" / f"fax-{rid}-1.ok").exists()
    assert fax_worker.run_once(now=desk.tick()).receipts == 0


def test_failed_receipt_puts_the_request_on_the_desk_and_retry_sends_a_new_job(
    db: Database, tmp_path: Path
) -> None:
    world = desk_world(db)
    desk = Desk(world)
    rid = desk.faxing()
    config = config_for_hotfolder(tmp_path)
    fax_worker = worker(db, config)
    fax_worker.run_once(now=desk.tick())
    (config.hot_folder / "receipts").mkdir()
    (config.hot_folder / "receipts" / f"fax-{rid}-1.fail").write_text("Line busy after 3 tries")
    fax_worker.run_once(now=desk.tick())
    view = wf.get_request(db, rid)
    assert (view.state, view.status_reason) == ("fax_failed", "Line busy after 3 tries")
    desk.fire(rid, "retry")
    fax_worker.run_once(now=desk.tick())
    assert (config.hot_folder / f"fax-{rid}-2.pdf").exists()
    keys = [(m.kind, m.status) for m in timeline(db, rid) if m.channel == "fax"]
    assert keys == [("prescription_fax", "failed"), ("prescription_fax", "sent")]


def test_gateway_busy_is_retried_with_growing_waits_then_fails_to_the_desk(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    world = desk_world(db, {"fax_max_attempts": 3, "fax_backoff_seconds": 60})
    desk = Desk(world)
    rid = desk.faxing()
    smtp.inbox.answer = "451 Try again later"
    fax_worker = worker(db, config_for(smtp, tmp_path))
    start = desk.tick()
    assert fax_worker.run_once(now=start).retried == 1
    (job,) = outbox_rows(db, channel="fax")
    assert job.next_attempt_at == start + timedelta(seconds=60)
    assert fax_worker.run_once(now=start + timedelta(seconds=59)).retried == 0  # not due yet
    second = start + timedelta(seconds=60)
    assert fax_worker.run_once(now=second).retried == 1
    (job,) = outbox_rows(db, channel="fax")
    assert job.next_attempt_at == second + timedelta(seconds=120)  # doubled
    assert fax_worker.run_once(now=second + timedelta(seconds=120)).failed == 1
    (job,) = outbox_rows(db, channel="fax")
    assert (job.status, job.attempts) == ("failed", 3)
    view = wf.get_request(db, rid)
    assert view.state == "fax_failed" and "451" in view.status_reason
    fire = [e for e in wf.history(db, rid) if e.action == "fax_failed"]
    assert fire and fire[0].actor == "fax-worker"
    assert smtp.inbox.messages == []


def test_refused_number_fails_at_once(db: Database, smtp: MailServer, tmp_path: Path) -> None:
    world = desk_world(db)
    desk = Desk(world)
    rid = desk.faxing()
    smtp.inbox.answer = "554 No such fax number"
    assert worker(db, config_for(smtp, tmp_path)).run_once(now=desk.tick()).failed == 1
    assert wf.get_request(db, rid).state == "fax_failed"


def config_for_hotfolder(tmp_path: Path) -> Config:
    return config_for(MailServer(Inbox(), 1), tmp_path, fax="hotfolder")


def timeline(db: Database, rid: int) -> list[MessageView]:
    with db.read() as session:
        return timeline_messages(session, rid)
