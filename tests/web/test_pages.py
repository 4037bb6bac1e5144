"""The pages a DVM and a CSR use, each role, and a refill from phone call to dispensed."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from builders import World
from rxflow.db.base import utcnow
from rxflow.db.models import Document, RefillRequest
from rxflow.service import workflow

if TYPE_CHECKING:
    from starlette.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::starlette.exceptions.StarletteDeprecationWarning")

Browser = Callable[[str], "tuple[TestClient, str]"]


def _phone_request(world: World, hours_ago: float = 0) -> int:
    view = workflow.receive_request(
        world.db,
        {"prescription_id": world["rx"], "source": "phone"},
        actor_id=world["csr"],
        now=utcnow() - timedelta(hours=hours_ago),
    )
    return view.id


def _awaiting(world: World, hours_ago: float = 0) -> int:
    request_id = _phone_request(world, hours_ago)
    workflow.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    return request_id


def _version(world: World, request_id: int) -> int:
    return workflow.get_request(world.db, request_id).version


def test_dvm_lands_on_the_queue_oldest_first_with_flags(world: World, browser: Browser) -> None:
    first, second = _awaiting(world), _awaiting(world)
    client, _ = browser("dvm")
    page = client.get("/queue")
    assert page.status_code == 200
    order = [int(i) for i in re.findall(r'data-id="(\d+)"', page.text)]
    assert order == [first, second]
    rows = client.get("/queue/rows")
    assert rows.status_code == 200 and f'data-id="{first}"' in rows.text


def test_queue_flags_controlled_and_no_refills(world: World, browser: Browser) -> None:
    view = workflow.receive_request(
        world.db,
        {"patient_id": world["dog"], "product_id": world["tramadol"],
         "directions": "1 tab PO q12h prn pain", "quantity": 20},
        actor_id=world["csr"],
    )  # fmt: skip
    workflow.fire(world.db, view.id, "request_approval", actor_id=world["csr"])
    client, _ = browser("dvm")
    page = client.get("/queue").text
    assert "controlled C-IV" in page
    assert "no refills left" in page


def test_dvm_approves_from_the_request_page(world: World, browser: Browser) -> None:
    request_id = _awaiting(world)
    client, token = browser("dvm")
    page = client.get(f"/requests/{request_id}")
    assert page.status_code == 200
    assert "approve-form" in page.text and "Max" in page.text and "30" in page.text
    response = client.post(
        f"/requests/{request_id}/do/approve",
        data={"csrf": token, "version": _version(world, request_id), "response": "approved"},
    )
    assert response.status_code == 303
    assert workflow.get_request(world.db, request_id).state == "approved"


def test_approve_with_changes_and_deny_with_reason(world: World, browser: Browser) -> None:
    changed, denied = _awaiting(world), _awaiting(world)
    client, token = browser("dvm")
    client.post(
        f"/requests/{changed}/do/approve",
        data={"csrf": token, "version": _version(world, changed),
              "response": "approved_with_changes", "quantity": "30", "refills": "1"},
    )  # fmt: skip
    assert workflow.get_request(world.db, changed).quantity == 30
    client.post(
        f"/requests/{denied}/do/deny",
        data={"csrf": token, "version": _version(world, denied),
              "reason_code": "EXAM_REQUIRED", "note": "Book a recheck."},
    )  # fmt: skip
    assert workflow.get_request(world.db, denied).state == "denied"


def test_batch_approve_from_the_queue(world: World, browser: Browser) -> None:
    ids = [_awaiting(world), _awaiting(world)]
    client, token = browser("dvm")
    picks = [f"{i}:{_version(world, i)}" for i in ids]
    response = client.post("/queue/approve", data={"csrf": token, "pick": picks})
    assert response.status_code == 200
    assert "Approved 2" in response.text
    assert {workflow.get_request(world.db, i).state for i in ids} == {"approved"}


def test_csr_sees_no_approve_button_and_gets_403_posting_one(
    world: World, browser: Browser
) -> None:
    request_id = _awaiting(world)
    client, token = browser("csr")
    page = client.get(f"/requests/{request_id}")
    assert page.status_code == 200 and "approve-form" not in page.text
    assert "Approve ticked" not in client.get("/queue").text
    response = client.post(
        f"/requests/{request_id}/do/approve",
        data={"csrf": token, "version": _version(world, request_id)},
    )
    assert response.status_code == 403
    assert "Traceback" not in response.text
    batch = client.post("/queue/approve", data={"csrf": token, "pick": f"{request_id}:2"})
    assert batch.status_code == 403
    assert workflow.get_request(world.db, request_id).state == "awaiting_approval"


def test_stale_form_gets_409_with_who_changed_it(world: World, browser: Browser) -> None:
    request_id = _awaiting(world)
    client, token = browser("dvm")
    stale = _version(world, request_id)
    workflow.fire(
        world.db, request_id, "hold", actor_id=world["csr2"], payload={"reason": "owner called"}
    )
    response = client.post(
        f"/requests/{request_id}/do/approve", data={"csrf": token, "version": stale}
    )
    assert response.status_code == 409
    assert "changed by csr2" in response.text and "reload" in response.text


def test_double_click_approves_once(world: World, browser: Browser) -> None:
    request_id = _awaiting(world)
    client, token = browser("dvm")
    form = {"csrf": token, "version": _version(world, request_id)}
    first = client.post(f"/requests/{request_id}/do/approve", data=form)
    second = client.post(f"/requests/{request_id}/do/approve", data=form)
    assert first.status_code == 303
    assert second.status_code == 409
    events = workflow.history(world.db, request_id)
    assert [e.action for e in events].count("approve") == 1


def test_desk_counts_and_overdue(world: World, browser: Browser) -> None:
    _awaiting(world, hours_ago=6)
    client, _ = browser("csr")
    page = client.get("/desk")
    assert page.status_code == 200
    assert re.search(r"<b>1</b><span>awaiting approval</span>", page.text)
    assert "waiting for approval over" in page.text  # practice default: 4 hours
    filtered = client.get("/desk?state=awaiting_approval")
    assert filtered.status_code == 200 and "Max" in filtered.text


def test_intake_search_and_phone_request(world: World, browser: Browser) -> None:
    client, token = browser("csr")
    assert client.get("/intake").status_code == 200
    found = client.get("/search/patients?q=Do").json()
    assert found[0]["patient"] == "Max"
    assert found[0]["prescriptions"][0]["id"] == world["rx"]
    response = client.post(
        "/intake",
        data={"csrf": token, "prescription_id": str(world["rx"]), "source": "phone",
              "fulfillment": "in_house"},
    )  # fmt: skip
    assert response.status_code == 303
    request_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert workflow.get_request(world.db, request_id).source == "phone"


def test_intake_refusal_keeps_what_was_typed(world: World, browser: Browser) -> None:
    client, token = browser("csr")
    response = client.post(
        "/intake", data={"csrf": token, "directions": "1 tab daily", "source": "phone"}
    )
    assert response.status_code == 422
    assert 'value="1 tab daily"' in response.text
    assert 'class="alert"' in response.text


def test_fill_checklist_label_and_dispense(world: World, browser: Browser) -> None:
    request_id = _phone_request(world)
    workflow.fire(world.db, request_id, "authorize", actor_id=world["csr"])
    csr, token = browser("csr")
    assert csr.get(f"/requests/{request_id}/fill").status_code == 200
    match = csr.get(f"/requests/{request_id}/scan?code=00000000075").json()
    assert match["match"] is True
    wrong = csr.get(f"/requests/{request_id}/scan?code=00000000100").json()
    assert wrong["match"] is False
    filled = csr.post(
        f"/requests/{request_id}/do/fill",
        data={"csrf": token, "version": _version(world, request_id), "lot_id": world["lot"],
              "quantity": "60", "scanned_code": "00000000075"},
    )  # fmt: skip
    assert filled.status_code == 303, filled.text
    dvm, dvm_token = browser("dvm")
    page = dvm.get(f"/requests/{request_id}/checklist/verify")
    assert page.status_code == 200
    boxes = re.findall(r'name="(attest:[a-z0-9_]+)"', page.text)
    refused = dvm.post(
        f"/requests/{request_id}/do/verify",
        data={"csrf": dvm_token, "version": _version(world, request_id)},
    )
    assert refused.status_code == 422 and 'class="alert"' in refused.text
    verified = dvm.post(
        f"/requests/{request_id}/do/verify",
        data={"csrf": dvm_token, "version": _version(world, request_id),
              "scanned_code": "00000000075", "counted_quantity": "60",
              **{box: "on" for box in boxes}},
    )  # fmt: skip
    assert verified.status_code == 303, verified.text
    with world.db.read() as session:
        label = session.scalar(
            select(Document.id).where(Document.request_id == request_id, Document.kind == "label")
        )
    assert label is not None
    pdf = csr.get(f"/documents/{label}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    page = csr.get(f"/requests/{request_id}/checklist/dispense")
    boxes = re.findall(r'name="(attest:[a-z0-9_]+)"', page.text)
    dispensed = csr.post(
        f"/requests/{request_id}/do/dispense",
        data={"csrf": token, "version": _version(world, request_id),
              **{box: "on" for box in boxes}},
    )  # fmt: skip
    assert dispensed.status_code == 303, dispensed.text
    assert workflow.get_request(world.db, request_id).state == "dispensed"
    timeline = csr.get(f"/requests/{request_id}").text
    assert "dispense" in timeline and 'target="_blank"' in timeline


def test_hold_resume_and_cancel(world: World, browser: Browser) -> None:
    request_id = _awaiting(world)
    client, token = browser("csr")
    client.post(
        f"/requests/{request_id}/do/hold",
        data={"csrf": token, "version": _version(world, request_id), "reason": "owner away"},
    )
    assert workflow.get_request(world.db, request_id).state == "on_hold"
    assert "Resume" in client.get(f"/requests/{request_id}").text
    client.post(
        f"/requests/{request_id}/do/resume",
        data={"csrf": token, "version": _version(world, request_id)},
    )
    assert workflow.get_request(world.db, request_id).state == "awaiting_approval"
    client.post(
        f"/requests/{request_id}/do/cancel",
        data={"csrf": token, "version": _version(world, request_id), "reason": "pet passed"},
    )
    assert workflow.get_request(world.db, request_id).state == "cancelled"


def test_request_page_shows_diagram_with_current_state(world: World, browser: Browser) -> None:
    request_id = _awaiting(world)
    client, _ = browser("manager")
    page = client.get(f"/requests/{request_id}").text
    assert 'class="from-here"' in page and "awaiting approval → approved" in page


def test_missing_request_and_page_are_friendly(world: World, browser: Browser) -> None:
    client, _ = browser("csr")
    missing = client.get("/requests/999999")
    assert missing.status_code == 404 and "No refill request with id 999999" in missing.text
    nowhere = client.get("/no/such/page")
    assert nowhere.status_code == 404 and "There is no page" in nowhere.text


def test_unknown_step_is_404(world: World, browser: Browser) -> None:
    request_id = _awaiting(world)
    client, token = browser("dvm")
    response = client.post(f"/requests/{request_id}/do/explode", data={"csrf": token})
    assert response.status_code == 404


def test_requests_seen_by_every_role(world: World, browser: Browser) -> None:
    request_id = _awaiting(world)
    for role in ("csr", "dvm", "manager"):
        client, _ = browser(role)
        for path in ("/queue", "/desk", "/intake", f"/requests/{request_id}"):
            assert client.get(path).status_code == 200, (role, path)
    with world.db.read() as session:
        assert session.get(RefillRequest, request_id) is not None


def test_only_a_doctor_sees_override_fields_on_the_checklist(
    world: World, browser: Browser
) -> None:
    request_id = _phone_request(world)
    workflow.fire(world.db, request_id, "authorize", actor_id=world["csr"])
    workflow.fire(
        world.db, request_id, "fill", actor_id=world["csr"],
        payload={"lot_id": world["lot"], "quantity": 60, "scanned_code": "00000000075"},
    )  # fmt: skip
    dvm, _ = browser("dvm")
    csr, _ = browser("csr2")
    assert 'name="override:' in dvm.get(f"/requests/{request_id}/checklist/verify").text
    page = csr.get(f"/requests/{request_id}/checklist/verify")
    assert page.status_code == 200 and 'name="override:' not in page.text
    assert 'name="attest:' in page.text
