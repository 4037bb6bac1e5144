"""The back office pages: day report (page and PDF), audit CSV for managers, callback list."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pdfplumber
from sqlalchemy import select
from web_helpers import TestClient

from builders import World
from rxflow.db.base import utcnow
from rxflow.db.models import AuditEvent, OutboxMessage
from rxflow.service import workflow as wf

Browser = Callable[[str], tuple[TestClient, str]]


def a_day_of_work(world: World) -> int:
    request_id = wf.receive_request(
        world.db, {"prescription_id": world["rx"]}, actor_id=world["csr"]
    ).id
    wf.fire(world.db, request_id, "authorize", actor_id=world["csr"])
    wf.fire(
        world.db, request_id, "fill", actor_id=world["csr"],
        payload={"lot_id": world["lot"], "quantity": 60, "scanned_code": "00000-0000-75"},
    )  # fmt: skip
    return request_id


def test_the_day_report_page_and_its_pdf_show_the_days_figures(
    world: World, browser: Browser
) -> None:
    a_day_of_work(world)
    client, _ = browser("csr")
    today = utcnow().date().isoformat()
    page = client.get(f"/reports/day?date={today}")
    assert page.status_code == 200
    assert "Day report" in page.text and "Received" in page.text and "csr" in page.text
    assert "Download CSV" not in page.text  # the audit trail is for managers
    pdf = client.get(f"/reports/day.pdf?date={today}")
    assert pdf.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        text = document.pages[0].extract_text() or ""
    assert "Day report" in text and "Test Animal Hospital" in text
    bad = client.get("/reports/day?date=yesterday")
    assert bad.status_code == 422 and "not a date" in bad.text


def test_only_a_manager_downloads_the_audit_trail(world: World, browser: Browser) -> None:
    request_id = a_day_of_work(world)
    today = utcnow().date().isoformat()
    csr, _ = browser("csr")
    refused = csr.get(f"/reports/audit.csv?from={today}&to={today}")
    assert refused.status_code == 403 and "practice manager" in refused.text
    manager, _ = browser("manager")
    response = manager.get(f"/reports/audit.csv?from={today}&to={today}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    with world.db.read() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.request_id == request_id))
        assert len(rows) - 1 == len(list(events))


def test_the_callback_list_shows_failed_messages_and_takes_them_off(
    world: World, browser: Browser
) -> None:
    request_id = a_day_of_work(world)
    with world.db.write() as session:
        session.add(
            OutboxMessage(
                channel="email", kind="ready_for_pickup", request_id=request_id,
                idempotency_key=f"notify:{request_id}:ready_for_pickup", recipient="bad@",
                status="failed", last_error="Mailbox unavailable",
            )
        )  # fmt: skip
    client, token = browser("csr")
    page = client.get("/callbacks")
    assert page.status_code == 200 and "Jane Doe" in page.text
    with world.db.read() as session:
        message_id = session.scalars(select(OutboxMessage.id)).one()
    done = client.post(
        f"/callbacks/{message_id}/done", data={"csrf": token, "note": "Told her it is ready"}
    )
    assert done.status_code == 303
    assert "Nobody to call back" in client.get("/callbacks").text
    forged = client.post(f"/callbacks/{message_id}/done", data={"csrf": "wrong"})
    assert forged.status_code in {400, 403}


def test_the_request_page_lists_its_messages_with_how_they_went(
    world: World, browser: Browser
) -> None:
    request_id = wf.receive_request(
        world.db,
        {
            "prescription_id": world["rx"],
            "fulfillment": "outside",
            "pharmacy_id": world["pharmacy"],
        },
        actor_id=world["csr"],
    ).id
    wf.fire(world.db, request_id, "authorize", actor_id=world["csr"])
    wf.fire(world.db, request_id, "prepare", actor_id=world["csr"])
    answers = {"attestations": {"written_rx_reviewed": True, "pharmacy_confirmed": True}}
    wf.fire(world.db, request_id, "verify", actor_id=world["csr2"], payload=answers)
    wf.fire(world.db, request_id, "send_fax", actor_id=world["csr"])
    client, _ = browser("csr")
    page = client.get(f"/requests/{request_id}")
    assert page.status_code == 200
    assert "Messages" in page.text and "prescription fax" in page.text
    assert "Chewy Pharmacy" in page.text and "pending" in page.text
