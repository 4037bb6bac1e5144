"""Refill-due dates: from the directions and quantity (pure), and from the desk's own history."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from outbox_support import Desk, MailServer, config_for, desk_world, outbox_rows, worker

from builders import prescription
from rxflow.db.session import Database
from rxflow.notify.refill_due import refill_due
from rxflow.notify.reminders import queue_reminders

FILLED = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("directions", "quantity", "days"),
    [
        ("1 tab PO BID x 30d", 60, 30),  # twice a day
        ("1/2 tab PO SID", 60, 120),  # half a tablet once a day
        ("1 tab PO q8h", 60, 20),  # every 8 hours: three a day
        ("2 caps PO TID", 60, 10),
        ("Give 1 tablet by mouth once a day", 30, 30),  # written out in words
        ("1 tab PO q12h", 61, 30),  # an odd tablet does not make a day
    ],
)
def test_days_supply_sets_the_run_out_date(directions: str, quantity: int, days: int) -> None:
    due = refill_due(FILLED, directions, quantity, lead_days=7)
    assert due is not None
    assert due.days_supply == days
    assert due.runs_out_on == FILLED + timedelta(days=days)
    assert due.due_on == FILLED + timedelta(days=days - 7)


@pytest.mark.parametrize("directions", ["1 tab PO PRN", "1 tab PO q12h prn pain", "1 tab qxd"])
def test_no_date_when_nobody_can_say_when_it_runs_out(directions: str) -> None:
    assert refill_due(FILLED, directions, 60, lead_days=7) is None


def test_lead_time_longer_than_the_supply_reminds_on_the_fill_day() -> None:
    due = refill_due(FILLED, "1 tab PO BID", 10, lead_days=7)
    assert due is not None and (due.due_on, due.runs_out_on) == (FILLED, FILLED + timedelta(5))


def test_course_with_a_set_length_is_not_ongoing_but_daily_medication_is() -> None:
    course = refill_due(FILLED, "1 tab PO BID x 7d", 14, lead_days=3)
    ongoing = refill_due(FILLED, "1 tab PO BID", 14, lead_days=3)
    assert course is not None and ongoing is not None
    assert (course.ongoing, ongoing.ongoing) == (False, True)


def test_reminder_goes_out_on_the_due_day_once_and_stops_after_run_out(
    db: Database, smtp: MailServer, tmp_path: Path
) -> None:
    desk = Desk(desk_world(db, {"refill_reminder_lead_days": 7}))
    desk.dispensed()  # 60 tablets twice a day: 30 days
    filled = desk.now.date()
    run = lambda day: queue_reminders(db, filled + timedelta(days=day), now=desk.now)  # noqa: E731
    assert run(22).refill_due == 0
    assert run(23).refill_due == 1
    assert run(23).refill_due == 0 and run(26).refill_due == 0  # already queued
    assert run(31).refill_due == 0  # past the run-out day
    (row,) = outbox_rows(db, kind="refill_due")
    rx_id = desk.world["rx"]
    assert row.idempotency_key == f"refill_due:{rx_id}:{(filled + timedelta(23)).isoformat()}"
    worker(db, config_for(smtp, tmp_path)).run_once(now=desk.tick())
    (mail,) = [m for m in smtp.inbox.messages if "runs out" in str(m["Subject"])]
    assert str(mail["Subject"]) == "Max's carprofen 75 mg runs out around Wednesday, December 2"
    assert "To order the refill, call us at 555-0100" in str(mail.get_content())


def test_no_refill_reminder_while_a_refill_is_already_under_way(db: Database) -> None:
    desk = Desk(desk_world(db))
    desk.dispensed()
    filled = desk.now.date()
    desk.receive()  # the client already called
    assert queue_reminders(db, filled + timedelta(days=24), now=desk.now).refill_due == 0


def test_the_newest_supply_decides(db: Database) -> None:
    desk = Desk(desk_world(db))
    desk.dispensed()
    desk.now += timedelta(days=20)
    desk.dispensed()  # refilled early: the clock restarts
    refilled = desk.now.date()
    assert queue_reminders(db, refilled + timedelta(days=10), now=desk.now).refill_due == 0
    assert queue_reminders(db, refilled + timedelta(days=23), now=desk.now).refill_due == 1


def test_last_refill_used_asks_for_the_doctor(db: Database) -> None:
    world = desk_world(db)
    world.add("last", prescription(world, "carprofen", refills=1, directions="1 tab PO BID"))
    desk = Desk(world)
    desk.dispensed("last")  # spends the only refill; daily medication goes on
    day = desk.now.date() + timedelta(days=25)
    assert queue_reminders(db, day, now=desk.now).refill_due == 1
    (row,) = outbox_rows(db, kind="refill_due")
    assert "needs to approve a new prescription" in row.body


def test_a_finished_course_without_refills_is_not_chased(db: Database) -> None:
    world = desk_world(db)
    world.add(
        "course", prescription(world, "carprofen", refills=1, directions="1 tab PO BID x 30d")
    )
    desk = Desk(world)
    desk.dispensed("course")
    day = desk.now.date() + timedelta(days=25)
    assert queue_reminders(db, day, now=desk.now).refill_due == 0
