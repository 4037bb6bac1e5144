"""Two front-desk stories in headless Chromium against the demo hospital:
a phone refill from intake to the client's hands, and an outside-pharmacy refill to a queued fax."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable

import pytest
from e2e_support import LiveServer, screenshot
from playwright.sync_api import Page, expect
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from rxflow.codes import ndc10_candidates, parse_scan, scan_matches, upc_for
from rxflow.db.models import InboundFax, OutboxMessage, Product, RefillRequest, User
from rxflow.service import workflow

pytestmark = pytest.mark.browser

OpenDesk = Callable[[str], Page]


def state_of(page: Page) -> str:
    return page.locator("h1 .state").inner_text().strip()


def request_id_of(page: Page) -> int:
    found = re.search(r"/requests/(\d+)$", page.url)
    assert found, page.url
    return int(found.group(1))


def take_phone_request(page: Page, pet: str, drug: str) -> int:
    """Type-ahead for the pet, pick its prescription, take the request."""
    page.goto("/intake")
    page.locator("#find").press_sequentially(pet, delay=40)
    page.locator("#found li", has_text=pet).first.click()
    option = page.locator("#prescription_id option", has_text=drug).first
    page.select_option("#prescription_id", value=option.get_attribute("value"))
    page.click("#intake-form button[type=submit]")
    page.wait_for_url(re.compile(r"/requests/\d+$"))
    return request_id_of(page)


def step(page: Page, label: str) -> None:
    """Press one of the request page's step buttons and wait for the page to come back."""
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def barcode_for(server: LiveServer, request_id: int) -> str:
    """The UPC-A a stock bottle of the request's drug carries (what the scanner types)."""
    with server.db.read() as session:
        request = session.get(RefillRequest, request_id)
        assert request is not None
        product = session.get(Product, request.product_id)
        assert product is not None and product.ndc11
        ndc11 = product.ndc11
    for ndc10 in sorted(ten for ten in _tens(ndc11)):
        code = upc_for(ndc10)
        if scan_matches(parse_scan(code), ndc11):
            return code
    return ndc11


def _tens(ndc11: str) -> set[str]:
    """10-digit NDCs that normalise to `ndc11` (drop the padding zero of one segment)."""
    options = {ndc11[1:], ndc11[:5] + ndc11[6:], ndc11[:9] + ndc11[10:]}
    return {ten for ten in options if ndc11 in ndc10_candidates(ten)}


def tick_all_and_submit(page: Page, button: str) -> None:
    for box in page.locator("form.checklist input[type=checkbox]").all():
        box.check()
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_phone_refill_from_intake_to_dispensed(desk_for: OpenDesk, live_server: LiveServer) -> None:
    sam = desk_for("sam")
    expect(sam.locator("h1")).to_contain_text("Front desk")
    screenshot(sam, "web-desk")

    rid = take_phone_request(sam, "Max", "75 mg")
    assert state_of(sam) == "received"
    step(sam, "Request approval")
    assert state_of(sam) == "awaiting approval"
    expect(sam.get_by_role("button", name="Approve", exact=True)).to_have_count(0)

    doctor = desk_for("drpatel")
    expect(doctor).to_have_url(re.compile(r"/queue$"))
    row = doctor.locator(f"tr[data-id='{rid}']")
    expect(row).to_contain_text("Max")
    screenshot(doctor, "web-queue")
    row.get_by_role("link", name="Max").click()
    doctor.wait_for_url(f"**/requests/{rid}")
    screenshot(doctor, "web-request-dvm")
    with doctor.expect_navigation():
        doctor.locator("#approve-form button[type=submit]").click()
    assert state_of(doctor) == "approved"

    sam.goto(f"/requests/{rid}")
    sam.get_by_role("link", name=re.compile("^Fill")).click()
    sam.wait_for_url(f"**/requests/{rid}/fill")
    expect(sam.locator("#scan")).to_be_focused()
    sam.keyboard.type(barcode_for(live_server, rid), delay=15)
    expect(sam.locator("#scan-result")).to_contain_text("Matches")
    screenshot(sam, "web-fill")
    with sam.expect_navigation():
        sam.get_by_role("button", name="Record the fill").click()
    assert state_of(sam) == "filled"

    label = sam.locator("a[href^='/documents/']", has_text="label").first
    assert label.get_attribute("target") == "_blank"
    with sam.context.expect_page() as opened:
        label.click()
    tab = opened.value
    assert re.search(r"/documents/\d+$", tab.url)
    pdf = sam.context.request.get(tab.url)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    tab.close()

    sam.get_by_role("link", name="Run the checklist").click()
    sam.wait_for_url(f"**/requests/{rid}/checklist/verify")
    scan_again = sam.locator("input[name=scanned_code]")
    if scan_again.count():
        scan_again.fill(barcode_for(live_server, rid))
    sam.fill("input[name=counted_quantity]", "60")
    screenshot(sam, "web-checklist")
    tick_all_and_submit(sam, "Verify")
    assert state_of(sam) == "verified", sam.locator(".alert").all_inner_texts()

    sam.get_by_role("link", name="Dispense").click()
    sam.wait_for_url(f"**/requests/{rid}/checklist/dispense")
    tick_all_and_submit(sam, "Dispense")
    assert state_of(sam) == "dispensed", sam.locator(".alert").all_inner_texts()
    timeline = sam.locator("ol.timeline")
    for action in ("receive", "request approval", "approve", "fill", "verify", "dispense"):
        expect(timeline).to_contain_text(action)
    screenshot(sam, "web-timeline")


def test_outside_pharmacy_refill_to_a_queued_fax(
    desk_for: OpenDesk, live_server: LiveServer
) -> None:
    alex = desk_for("alex")
    alex.goto("/intake")
    alex.locator("#find").press_sequentially("Pepper", delay=40)
    alex.locator("#found li", has_text="Pepper").first.click()
    alex.select_option("#fulfillment", value="outside")
    alex.select_option("select[name=pharmacy_id]", label="PetMeds Online Pharmacy")
    alex.select_option("select[name=source]", value="online")
    alex.click("#intake-form button[type=submit]")
    alex.wait_for_url(re.compile(r"/requests/\d+$"))
    rid = request_id_of(alex)

    step(alex, "Authorize")
    assert state_of(alex) == "approved", alex.locator(".alert").all_inner_texts()
    step(alex, "Prepare")
    assert state_of(alex) == "filled", alex.locator(".alert").all_inner_texts()
    expect(alex.locator("a[href^='/documents/']").first).to_be_visible()

    alex.get_by_role("link", name="Run the checklist").click()
    tick_all_and_submit(alex, "Verify")
    assert state_of(alex) == "verified", alex.locator(".alert").all_inner_texts()
    step(alex, "Send fax")
    assert state_of(alex) == "faxing"
    screenshot(alex, "web-outside-faxing")

    with live_server.db.read() as session:
        queued = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.request_id == rid, OutboxMessage.channel == "fax"
            )
        ).all()
    assert len(queued) == 1
    assert queued[0].document_ids


def test_doctor_approves_from_the_queue_with_the_keyboard(desk_for: OpenDesk) -> None:
    doctor = desk_for("drpatel")
    rows = doctor.locator("#queue tbody tr[data-id]")
    before = rows.count()
    assert before >= 2
    doctor.keyboard.press("j")
    chosen = doctor.locator("#queue tbody tr.cursor")
    expect(chosen).to_have_count(1)
    rid = chosen.get_attribute("data-id")
    assert rid == rows.nth(1).get_attribute("data-id")
    doctor.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile("cursor"))
    doctor.keyboard.press("j")
    with doctor.expect_navigation():
        doctor.keyboard.press("a")
    expect(doctor.locator(".ok")).to_contain_text(f"#{rid}")
    expect(doctor.locator(f"#queue tr[data-id='{rid}']")).to_have_count(0)
    expect(doctor.locator("#queue tbody tr[data-id]")).to_have_count(before - 1)


def fax_pdf() -> bytes:
    """A pharmacy's refill-authorization request for Max, as the demo's online pharmacy sends it."""
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=letter)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, 730, "REFILL AUTHORIZATION REQUEST")
    pdf.setFont("Helvetica", 11)
    lines = [
        "To: Maple Street Animal Hospital",
        "Pharmacy: PetMeds Online Pharmacy",
        "Pharmacy Fax: (800) 555-0111",
        "Client: Jane Doe",
        "Patient: Max        Species: Canine",
        "Drug: carprofen        Strength: 75 mg",
        "Quantity: 60 tablets        Refills: 3",
        "Directions: 1 tab PO BID x 30d",
        "Prescriber: Dr. Priya Patel",
    ]
    for number, text in enumerate(lines):
        pdf.drawString(72, 690 - 22 * number, text)
    pdf.save()
    return buffer.getvalue()


def test_incoming_fax_upload_shows_what_was_read_beside_the_pdf(
    desk_for: OpenDesk, live_server: LiveServer
) -> None:
    sam = desk_for("sam")
    sam.goto("/intake")
    content = fax_pdf()
    sam.set_input_files(
        "input[name=fax]",
        files=[{"name": "petmeds-max.pdf", "mimeType": "application/pdf", "buffer": content}],
    )
    with sam.expect_navigation():
        sam.get_by_role("button", name="Upload and read").click()
    assert re.search(r"/intake/fax/\d+$", sam.url), sam.url
    frame = sam.locator("iframe")
    expect(frame).to_have_attribute("src", re.compile(r"/intake/fax/\d+/pdf$"))
    expect(sam.locator("main")).to_contain_text("carprofen")
    screenshot(sam, "web-fax-triage")
    stored = sam.context.request.get(frame.get_attribute("src") or "")
    assert stored.body() == content

    with live_server.db.read() as session:
        fax = session.scalars(select(InboundFax).order_by(InboundFax.id.desc())).first()
        assert fax is not None
        assert fax.sha256 == hashlib.sha256(content).hexdigest()


def test_a_csr_is_told_plainly_when_the_upload_is_not_a_pdf(desk_for: OpenDesk) -> None:
    sam = desk_for("sam")
    sam.goto("/intake")
    sam.set_input_files(
        "input[name=fax]",
        files=[{"name": "fax.pdf", "mimeType": "application/pdf", "buffer": b"hello"}],
    )
    with sam.expect_navigation():
        sam.get_by_role("button", name="Upload and read").click()
    expect(sam.locator(".alert")).to_contain_text("not a PDF")


def test_a_double_click_takes_the_step_once(desk_for: OpenDesk) -> None:
    sam = desk_for("sam")
    take_phone_request(sam, "Sadie", "pimobendan")
    with sam.expect_navigation():
        sam.get_by_role("button", name="Request approval", exact=True).dblclick()
    assert state_of(sam) == "awaiting approval"
    expect(sam.locator("ol.timeline li", has_text="request approval")).to_have_count(1)


def test_a_stale_form_says_who_changed_the_request_and_when(desk_for: OpenDesk) -> None:
    sam = desk_for("sam")
    rid = take_phone_request(sam, "Max", "75 mg")
    step(sam, "Request approval")
    first = desk_for("drpatel")
    first.goto(f"/requests/{rid}")
    second = first.context.new_page()
    second.goto(f"/requests/{rid}")  # the same doctor, an older tab
    with first.expect_navigation():
        first.locator("#approve-form button[type=submit]").click()
    assert state_of(first) == "approved"
    with second.expect_navigation():
        second.locator("#deny-form button[type=submit]").click()
    alert = second.locator(".alert")
    expect(alert).to_contain_text("changed by Dr. Priya Patel")
    expect(alert).to_contain_text("reload")
    assert state_of(second) == "approved"
    screenshot(second, "web-stale-form")


def test_a_failed_fax_surfaces_on_the_desk_and_is_retried(
    desk_for: OpenDesk, live_server: LiveServer
) -> None:
    """The fax worker gives up on a send (as it does after its last attempt); the CSR sees it
    under Overdue on the desk, opens it and retries: the fax is queued again."""
    alex = desk_for("alex")
    alex.goto("/intake")
    alex.locator("#find").press_sequentially("Pepper", delay=40)
    alex.locator("#found li", has_text="Pepper").first.click()
    alex.select_option("#fulfillment", value="outside")
    alex.select_option("select[name=pharmacy_id]", label="PetMeds Online Pharmacy")
    alex.click("#intake-form button[type=submit]")
    alex.wait_for_url(re.compile(r"/requests/\d+$"))
    rid = request_id_of(alex)
    step(alex, "Authorize")
    step(alex, "Prepare")
    alex.get_by_role("link", name="Run the checklist").click()
    tick_all_and_submit(alex, "Verify")
    assert state_of(alex) == "verified", alex.locator(".alert").all_inner_texts()
    step(alex, "Send fax")
    assert state_of(alex) == "faxing"

    with live_server.db.read() as session:
        worker = session.scalar(select(User.id).where(User.username == "fax-worker"))
    assert worker is not None
    workflow.fire(
        live_server.db, rid, "fax_failed", actor_id=worker,
        payload={"reason": "No answer after 5 attempts"},
    )  # fmt: skip

    alex.goto("/desk")
    overdue = alex.locator("section", has=alex.get_by_role("heading", name=re.compile("Overdue")))
    row = overdue.locator("tr", has=alex.locator(f"a[href='/requests/{rid}']"))
    expect(row).to_contain_text("fax failed")
    row.get_by_role("link").first.click()
    alex.wait_for_url(f"**/requests/{rid}")
    assert state_of(alex) == "fax failed"
    step(alex, "Retry")
    assert state_of(alex) == "faxing"
    with live_server.db.read() as session:
        sends = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.request_id == rid, OutboxMessage.channel == "fax"
            )
        ).all()
    assert len(sends) == 2
