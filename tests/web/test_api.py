"""The JSON API under /api/v1: tokens, setup records, refill requests and their steps, intake."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from pypdf import PdfWriter
from sqlalchemy import select
from web_helpers import make_client

from builders import World
from rxflow.db.models import Document
from rxflow.service import workflow

if TYPE_CHECKING:
    from starlette.testclient import TestClient

pytestmark = pytest.mark.filterwarnings("ignore::starlette.exceptions.StarletteDeprecationWarning")

Api = Callable[[str], "TestClient"]


def _new(api: Api, world: World, who: str = "csr", **extra: Any) -> dict[str, Any]:
    response = api(who).post(
        "/api/v1/refill-requests",
        json={"prescription_id": world["rx"], "source": "online", **extra},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_token_required_and_checked(world: World) -> None:
    client = make_client(world.db)
    missing = client.get("/api/v1/refill-requests")
    assert missing.status_code == 401 and missing.json()["error"] == "UNAUTHORIZED"
    client.headers["Authorization"] = "Bearer rxf_not-a-real-token"
    assert client.get("/api/v1/clients").status_code == 401


def test_openapi_lists_the_paths(world: World) -> None:
    spec = make_client(world.db).get("/api/v1/openapi.json").json()
    wanted = ["/clients", "/patients/{id}", "/refill-requests", "/documents/{id}", "/intake"]
    for path in [*wanted, "/refill-requests/{id}/transitions/{trigger}"]:
        assert path in spec["paths"]


def test_setup_records_create_list_get(world: World, api: Api) -> None:
    manager = api("manager")
    client = manager.post("/api/v1/clients", json={"first_name": "Ann", "last_name": "Lee"})
    assert client.status_code == 201
    client_id = client.json()["id"]
    pet = manager.post(
        "/api/v1/patients", json={"client_id": client_id, "name": "Tom", "species": "feline"}
    )
    assert pet.status_code == 201
    assert manager.get(f"/api/v1/patients/{pet.json()['id']}").json()["name"] == "Tom"
    names = [c["last_name"] for c in manager.get("/api/v1/clients").json()["items"]]
    assert "Lee" in names
    for kind in ("products", "stock-lots", "pharmacies", "prescriptions"):
        listed = manager.get(f"/api/v1/{kind}")
        assert listed.status_code == 200 and listed.json()["items"], kind
    product = manager.post(
        "/api/v1/products",
        json={"generic_name": "gabapentin", "strength": "100 mg", "dosage_form": "capsule"},
    )
    assert product.status_code == 201
    lot = manager.post(
        "/api/v1/stock-lots",
        json={"product_id": product.json()["id"], "lot_number": "G1",
              "expires_on": "2030-01-01", "quantity_on_hand": 100},
    )  # fmt: skip
    assert lot.status_code == 201
    rx = api("dvm").post(
        "/api/v1/prescriptions",
        json={"patient_id": pet.json()["id"], "product_id": product.json()["id"],
              "prescriber_id": world["dvm"], "directions": "1 cap PO q12h", "quantity": 60,
              "refills_authorized": 2, "written_on": "2026-11-01", "expires_on": "2027-11-01"},
    )  # fmt: skip
    assert rx.status_code == 201 and rx.json()["refills_remaining"] == 2
    pharmacy = manager.post("/api/v1/pharmacies", json={"name": "Town Drug", "fax": "555-0101"})
    assert pharmacy.status_code == 201


def test_setup_records_refuse_typos_unknown_and_wrong_role(world: World, api: Api) -> None:
    manager = api("manager")
    typo = manager.post("/api/v1/clients", json={"first_name": "A", "lastname": "B"})
    assert typo.status_code == 422 and typo.json()["error"] == "INVALID_INPUT"
    assert manager.get("/api/v1/clients/999999").status_code == 404
    assert manager.get("/api/v1/unicorns").status_code == 404
    bad_ref = manager.post(
        "/api/v1/patients", json={"client_id": 9999, "name": "X", "species": "canine"}
    )
    assert bad_ref.status_code == 404
    csr = api("csr")
    refused = csr.post("/api/v1/products", json={"generic_name": "x" * 3, "strength": "1 mg",
                                                   "dosage_form": "tablet"})  # fmt: skip
    assert refused.status_code == 403
    not_json = manager.post(
        "/api/v1/clients", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 422 and "JSON" in not_json.json()["reason"]


def test_refill_request_lifecycle(world: World, api: Api) -> None:
    created = _new(api, world)
    assert created["state"] == "received" and created["source"] == "online"
    assert "authorize" in created["allowed_triggers"]
    assert created["events"][0]["action"] == "receive"
    request_id = created["id"]
    csr = api("csr")
    moved = csr.post(
        f"/api/v1/refill-requests/{request_id}/transitions/request_approval",
        json={"version": created["version"]},
    )
    assert moved.status_code == 200 and moved.json()["state"] == "awaiting_approval"
    version = moved.json()["version"]
    forbidden = csr.post(
        f"/api/v1/refill-requests/{request_id}/transitions/approve", json={"version": version}
    )
    assert forbidden.status_code == 403 and forbidden.json()["error"] == "FORBIDDEN"
    dvm = api("dvm")
    assert "approve" in dvm.get(f"/api/v1/refill-requests/{request_id}").json()["allowed_triggers"]
    stale = dvm.post(
        f"/api/v1/refill-requests/{request_id}/transitions/approve", json={"version": version - 1}
    )
    assert stale.status_code == 409 and "reload" in stale.json()["reason"]
    approved = dvm.post(
        f"/api/v1/refill-requests/{request_id}/transitions/approve", json={"version": version}
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    listed = csr.get("/api/v1/refill-requests?state=approved").json()["items"]
    assert [r["id"] for r in listed] == [request_id]


def test_transition_errors(world: World, api: Api) -> None:
    created = _new(api, world)
    csr = api("csr")
    path = f"/api/v1/refill-requests/{created['id']}/transitions"
    no_version = csr.post(f"{path}/hold", json={"reason": "owner away"})
    assert no_version.status_code == 422 and "version" in no_version.json()["reason"]
    illegal = csr.post(f"{path}/dispense", json={"version": created["version"]})
    assert illegal.status_code == 422 and illegal.json()["error"] == "ILLEGAL_TRANSITION"
    bad_field = csr.post(f"{path}/hold", json={"version": created["version"], "why": "x"})
    assert bad_field.status_code == 422
    missing = csr.post("/api/v1/refill-requests/999999/transitions/hold",
                       json={"version": 1, "reason": "owner away"})  # fmt: skip
    assert missing.status_code == 404
    assert csr.get("/api/v1/refill-requests?state=flying").status_code == 422


def test_outside_request_and_document_pdf(world: World, api: Api) -> None:
    created = _new(api, world, fulfillment="outside", pharmacy_id=world["pharmacy"])
    request_id = created["id"]
    workflow.fire(world.db, request_id, "authorize", actor_id=world["csr"])
    workflow.fire(world.db, request_id, "prepare", actor_id=world["dvm"])
    with world.db.read() as session:
        document_id = session.scalar(select(Document.id).where(Document.request_id == request_id))
    assert document_id is not None
    csr = api("csr")
    detail = csr.get(f"/api/v1/refill-requests/{request_id}").json()
    assert detail["documents"][0]["id"] == document_id
    pdf = csr.get(f"/api/v1/documents/{document_id}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert csr.get("/api/v1/documents/999999").status_code == 404


def test_intake_reads_a_pdf_and_refuses_others(world: World, api: Api) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    csr = api("csr")
    read = csr.post(
        "/api/v1/intake", files={"file": ("fax.pdf", out.getvalue(), "application/pdf")}
    )
    assert read.status_code in (200, 201)
    assert read.json()["inbound_fax_id"] is not None
    refused = csr.post("/api/v1/intake", files={"file": ("x.pdf", b"not a pdf", "application/pdf")})
    assert refused.status_code == 422 and refused.json()["reason"].startswith("That file is not")


def test_fax_confirmation_validates_and_reaches_the_outbox(world: World, api: Api) -> None:
    system = api("manager")
    bad = system.post("/api/v1/fax-confirmations", json={"job_key": "", "delivered": "yes"})
    assert bad.status_code == 422
    unknown = system.post(
        "/api/v1/fax-confirmations", json={"job_key": "no-such-job", "delivered": True}
    )
    assert unknown.status_code in (403, 404, 422)
    assert set(unknown.json()) == {"error", "reason"}
