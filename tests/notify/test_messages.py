"""Each kind of client message, through the worker to a real SMTP server, in plain words."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from outbox_support import Desk, MailServer, config_for, desk_world, outbox_rows, worker
from sqlalchemy import update

from rxflow.db.models import Client, Patient
from rxflow.db.session import Database
from rxflow.notify.reminders import queue_reminders
from rxflow.notify.views import callback_list, record_callback, timeline_messages
from rxflow.outbox.confirm import confirm_fax

ABBREVIATIONS = re.compile(r"\b(BID|SID|TID|QID|PO|PRN|q\d+h|tab|tabs|caps?|x\s?\d+d)\b")


def send_all(db: Database, smtp: MailServer, tmp_path: Path, desk: Desk) -> None:
    worker(db, config_for(smtp, tmp_path)).run_once(now=desk.tick())


def body(message: EmailMessage) -> str:
    text = message.get_body(("plain",))
    assert text is not None
    return str(text.get_content())


def plain(message: EmailMessage) -> str:
    words = f"{message['Subject'] or ''}\n{body(message)}"
    assert not ABBREVIATIONS.search(words), words
    return words


def set_client(db: Database, **values: object) -> None:
    with db.write() as session:
        session.execute(update(Client).values(**values))


def test_ready_for_pickup_email(db: Database, smtp: MailServer, tmp_path: Path) -> None:
    desk = Desk(desk_world(db))
    rid = desk.verified()
    send_all(db, smtp, tmp_path, desk)
    (mail,) = smtp.inbox.to("jane@example.com")
    words = plain(mail)
    assert mail["Subject"] == "Max's carprofen 75 mg is ready for pickup"
    assert "Give 1 tablet by mouth twice a day for 30 days." in words
    assert "Monday, November 16" in words  # held for the practice's 14 unclaimed days
    assert mail["Message-ID"] == f"<notify-{rid}-ready_for_pickup@maple.example>"


def test_denied_for_an_exam_says_how_to_book(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    desk = Desk(desk_world(db))
    rid = desk.receive()
    desk.fire(rid, "request_approval")
    desk.fire(rid, "deny", "dvm", reason_code="EXAM_REQUIRED", note="needs T4 recheck, BW")
    send_all(db, smtp, tmp_path, desk)
    (mail,) = smtp.inbox.messages
    words = plain(mail)
    assert "needs to see Max for a checkup" in words
    assert "To book the visit, call us at 555-0100" in words
    assert "T4" not in words  # the doctor's clinical note stays in the chart


def test_denied_too_soon_has_no_booking_line(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    desk = Desk(desk_world(db))
    rid = desk.receive()
    desk.fire(rid, "request_approval")
    desk.fire(rid, "deny", "dvm", reason_code="TOO_SOON")
    send_all(db, smtp, tmp_path, desk)
    words = plain(smtp.inbox.messages[0])
    assert "too soon" in words and "book" not in words


def test_faxed_to_pharmacy_email_after_confirmation(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    world = desk_world(db)
    desk = Desk(world)
    rid = desk.faxing()
    send_all(db, smtp, tmp_path, desk)
    assert smtp.inbox.to("jane@example.com") == []  # accepted by the gateway is not delivered
    confirm_fax(db, f"fax:{rid}:1", True, "OK", actor_id=world["worker"], now=desk.tick())
    send_all(db, smtp, tmp_path, desk)
    (mail,) = smtp.inbox.to("jane@example.com")
    assert "sent to Chewy Pharmacy" in plain(mail)


def test_text_message_goes_to_the_sms_gateway(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    desk = Desk(desk_world(db))
    set_client(db, contact_preference="sms", phone="(541) 555-0123")
    desk.verified()
    send_all(db, smtp, tmp_path, desk)
    (text,) = smtp.inbox.to("5415550123@sms-gateway.example")
    assert text["Subject"] is None
    content = body(text).strip()
    assert content.startswith("Test Animal Hospital: Max's carprofen 75 mg is ready for pickup.")
    assert len(content) <= 160


def test_opted_out_client_gets_nothing(db: Database, smtp: MailServer, tmp_path: Path) -> None:
    desk = Desk(desk_world(db))
    set_client(db, opted_out=True)
    desk.dispensed()
    assert queue_reminders(db, desk.now.date() + timedelta(days=25)).refill_due == 0
    send_all(db, smtp, tmp_path, desk)
    assert outbox_rows(db) == [] and smtp.inbox.messages == []


def test_nothing_is_sent_about_a_deceased_patient(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    world = desk_world(db)
    desk = Desk(world)
    rid = desk.verified()
    waiting = desk.receive()
    desk.fire(waiting, "request_approval")
    with db.write() as session:
        session.execute(update(Patient).values(deceased=True))
    session_rows = [r.kind for r in outbox_rows(db)]
    desk.fire(waiting, "deny", "dvm", reason_code="PATIENT_DECEASED")
    assert queue_reminders(db, desk.now.date() + timedelta(days=8)).unclaimed == 0
    assert [r.kind for r in outbox_rows(db)] == session_rows == ["ready_for_pickup"]
    assert rid


def test_phone_preference_becomes_a_callback_not_a_message(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    world = desk_world(db)
    desk = Desk(world)
    set_client(db, contact_preference="phone", phone="541-555-0123")
    rid = desk.verified()
    send_all(db, smtp, tmp_path, desk)
    assert smtp.inbox.messages == []
    with db.read() as session:
        (call,) = callback_list(session)
    assert (call.request_id, call.pet, call.phone) == (rid, "Max", "541-555-0123")
    assert "prefers a phone call" in call.reason
    record_callback(db, call.message_id, actor_id=world["csr"], note="left voicemail", now=desk.now)
    with db.read() as session:
        assert callback_list(session) == []
        assert [m.status for m in timeline_messages(session, rid)] == ["called"]


def test_failed_email_lands_on_the_callback_list_and_the_timeline(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    desk = Desk(desk_world(db))
    rid = desk.verified()
    smtp.inbox.answer = "550 Mailbox unavailable"
    send_all(db, smtp, tmp_path, desk)
    with db.read() as session:
        (call,) = callback_list(session)
        (entry,) = timeline_messages(session, rid)
    assert call.client_name == "Jane Doe" and "550" in call.reason
    assert (entry.kind, entry.status, entry.recipient) == (
        "ready_for_pickup",
        "failed",
        "jane@example.com",
    )


def test_a_message_is_sent_once_even_if_the_jobs_run_twice(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    desk = Desk(desk_world(db))
    desk.verified()
    later = desk.now.date() + timedelta(days=8)
    assert queue_reminders(db, later, now=desk.now).unclaimed == 1
    assert queue_reminders(db, later, now=desk.now).unclaimed == 0
    assert queue_reminders(db, later + timedelta(days=1), now=desk.now).unclaimed == 0
    send_all(db, smtp, tmp_path, desk)
    send_all(db, smtp, tmp_path, desk)
    kinds = sorted(str(m["Subject"]) for m in smtp.inbox.messages)
    assert len(kinds) == 2 and len(set(smtp.inbox.ids())) == 2


def test_unclaimed_reminder_names_the_last_day(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    desk = Desk(desk_world(db, {"pickup_overdue_days": 5, "unclaimed_days": 10}))
    desk.verified()
    ready = desk.now.date()
    assert queue_reminders(db, ready + timedelta(days=4)).unclaimed == 0
    assert queue_reminders(db, ready + timedelta(days=5), now=desk.now).unclaimed == 1
    send_all(db, smtp, tmp_path, desk)
    reminder = next(m for m in smtp.inbox.messages if "waiting" in str(m["Subject"]))
    assert "until Thursday, November 12" in plain(reminder)


def test_practice_templates_override_the_shipped_ones(
    db: Database, smtp: MailServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "ready_for_pickup.j2").write_text(
        "{% block subject %}Pickup: {{ pet }}{% endblock %}"
        "{% block email %}Come by Maple Street, {{ client_first_name }}.{% endblock %}"
        "{% block sms %}Come by.{% endblock %}"
    )
    monkeypatch.setenv("RXFLOW_TEMPLATES_DIR", str(folder))
    desk = Desk(desk_world(db))
    desk.verified()
    send_all(db, smtp, tmp_path, desk)
    (mail,) = smtp.inbox.messages
    assert mail["Subject"] == "Pickup: Max" and body(mail).strip() == "Come by Maple Street, Jane."
