"""Documents issued by the workflow steps: stored immutable, readable, voided on correction."""

from __future__ import annotations

import hashlib
import io

import pdfplumber
from sqlalchemy import select

from builders import World, build_world
from rxflow.db.models import AuditEvent, Document
from rxflow.db.session import Database
from rxflow.service import workflow as wf
from rxflow.service.paperwork.issue import reprint


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def documents(db: Database, request_id: int) -> list[Document]:
    with db.read() as session:
        rows = list(session.scalars(select(Document).where(Document.request_id == request_id)))
        for row in rows:
            session.expunge(row)
        return rows


def filled(world: World) -> int:
    request_id = wf.receive_request(
        world.db, {"prescription_id": world["rx"]}, actor_id=world["csr"]
    ).id
    wf.fire(world.db, request_id, "authorize", actor_id=world["csr"])
    wf.fire(
        world.db,
        request_id,
        "fill",
        actor_id=world["csr"],
        payload={"lot_id": world["lot"], "quantity": 60, "scanned_code": "00000-0000-75"},
    )
    return request_id


def test_fill_issues_a_label_with_the_plain_directions(db: Database) -> None:
    world = build_world(db)
    request_id = filled(world)
    (label,) = documents(db, request_id)
    assert label.kind == "label" and label.sha256 == hashlib.sha256(label.content).hexdigest()
    text = " ".join(text_of(label.content).split())
    assert f"RX{request_id:06d}" in text
    assert "Max" in text and "Jane Doe" in text
    assert "by mouth" in text and "twice a day" in text
    assert "BID" not in text and "PO" not in text.split()
    _, again = reprint(db, label.id)
    assert again == label.content


def test_reject_voids_the_label_and_keeps_it(db: Database) -> None:
    world = build_world(db)
    request_id = filled(world)
    wf.fire(world.db, request_id, "reject", actor_id=world["csr"], payload={"reason": "miscount"})
    (label,) = documents(db, request_id)
    assert label.voided_at is not None and "miscount" in label.void_reason
    with db.read() as session:
        reject = session.scalars(select(AuditEvent).where(AuditEvent.action == "reject")).one()
        assert reject.detail["documents"] == [-label.id]


def test_request_for_a_dvm_issues_the_one_page_summary(db: Database) -> None:
    world = build_world(db)
    request_id = wf.receive_request(
        world.db, {"prescription_id": world["rx"]}, actor_id=world["csr"]
    ).id
    wf.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    (summary,) = documents(db, request_id)
    text = text_of(summary.content)
    assert summary.kind == "refill_summary"
    assert "Max" in text and "carprofen" in text.lower() and "30" in text


def test_unreadable_directions_refuse_the_fill_and_write_nothing(db: Database) -> None:
    world = build_world(db)
    request_id = wf.receive_request(
        world.db,
        {"patient_id": world["dog"], "product_id": world["carprofen"],
         "directions": "1 tab PO qxd", "quantity": 30},
        actor_id=world["csr"],
    ).id  # fmt: skip
    wf.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    wf.fire(world.db, request_id, "approve", actor_id=world["dvm"])
    import pytest

    from rxflow.errors import InvalidInput

    with pytest.raises(InvalidInput, match="qxd"):
        wf.fire(
            world.db,
            request_id,
            "fill",
            actor_id=world["csr"],
            payload={"lot_id": world["lot"], "quantity": 30, "scanned_code": "00000-0000-75"},
        )
    assert wf.get_request(db, request_id).state == "approved"
    assert [d.kind for d in documents(db, request_id)] == ["refill_summary"]
