"""The engine's rules through the service on SQLite and PostgreSQL; a refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from builders import TODAY, World, build_world, prescription
from rxflow.db.models import AuditEvent, Prescription, RefillRequest, StockLot
from rxflow.db.session import Database
from rxflow.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NotFound,
    RuleViolation,
    StorageUnavailable,
)
from rxflow.service import workflow as wf


@pytest.fixture
def world(db: Database) -> World:
    return build_world(db)


def snapshot(db: Database) -> dict[str, Any]:
    with db.read() as session:
        return {
            "requests": [
                (r.id, r.state, r.version) for r in session.scalars(select(RefillRequest))
            ],
            "audit": session.scalar(select(func.count(AuditEvent.id))),
            "refills": [(p.id, p.refills_remaining) for p in session.scalars(select(Prescription))],
            "stock": [(lot.id, lot.quantity_on_hand) for lot in session.scalars(select(StockLot))],
        }


def refused(
    db: Database, code: str, request_id: int, trigger: str, actor: int, **payload: Any
) -> RuleViolation:
    before = snapshot(db)
    with pytest.raises(RuleViolation) as caught:
        wf.fire(db, request_id, trigger, actor_id=actor, payload=payload or None)
    assert caught.value.code == code, caught.value.reason
    assert snapshot(db) == before, "a refused step must change nothing"
    return caught.value


def receive(world: World, rx_key: str = "rx", **extra: Any) -> int:
    return wf.receive_request(
        world.db, {"prescription_id": world[rx_key], **extra}, actor_id=world["csr"]
    ).id


def rx_remaining(world: World, key: str = "rx") -> int:
    with world.db.read() as session:
        rx = session.get(Prescription, world[key])
        assert rx is not None
        return rx.refills_remaining


def on_hand(world: World, key: str = "lot") -> float:
    with world.db.read() as session:
        lot = session.get(StockLot, world[key])
        assert lot is not None
        return float(lot.quantity_on_hand)


def fill(world: World, request_id: int, lot: str = "lot", code: str = "00000-0000-75") -> None:
    wf.fire(
        world.db,
        request_id,
        "fill",
        actor_id=world["csr"],
        payload={"lot_id": world[lot], "quantity": 60, "scanned_code": code},
    )


def test_standing_prescription_authorizes_and_the_fill_spends_one_refill(world: World) -> None:
    request_id = receive(world)
    assert wf.fire(world.db, request_id, "authorize", actor_id=world["csr"]).state == "approved"
    assert rx_remaining(world) == 3
    fill(world, request_id)
    assert rx_remaining(world) == 2
    assert on_hand(world) == 440


def test_no_refills_left_needs_a_veterinarian(world: World) -> None:
    world.add("empty", prescription(world, "carprofen", refills=2, remaining=0))
    request_id = receive(world, "empty")
    error = refused(world.db, "RX_NO_REFILLS_LEFT", request_id, "authorize", world["csr"])
    assert f"prescription #{world['empty']} has no refills left" in error.reason
    wf.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    view = wf.fire(world.db, request_id, "approve", actor_id=world["dvm"])
    assert (view.state, view.authorization) == ("approved", "dvm")


def test_expired_prescription_needs_a_veterinarian(world: World) -> None:
    world.add(
        "old", prescription(world, "carprofen", refills=5, written_on=TODAY - timedelta(days=400))
    )
    refused(world.db, "RX_EXPIRED", receive(world, "old"), "authorize", world["csr"])


def test_lapsed_exam_needs_a_veterinarian(world: World) -> None:
    with world.db.write() as session:
        session.execute(
            text("UPDATE patients SET last_exam_on = :d"), {"d": TODAY - timedelta(days=400)}
        )
    refused(world.db, "VCPR_EXAM_LAPSED", receive(world), "authorize", world["csr"])


def test_deceased_patient_is_never_refilled(world: World) -> None:
    with world.db.write() as session:
        session.execute(text("UPDATE patients SET deceased = :t"), {"t": True})
    request_id = receive(world)
    refused(world.db, "PATIENT_DECEASED", request_id, "authorize", world["csr"])
    wf.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    refused(world.db, "PATIENT_DECEASED", request_id, "approve", world["dvm"])


def test_schedule_ii_is_never_refilled_from_a_standing_prescription(world: World) -> None:
    world.add("c2", prescription(world, "hydrocodone", refills=0))
    refused(world.db, "SCHEDULE_II_NO_REFILLS", receive(world, "c2"), "authorize", world["csr"])


def test_only_a_veterinarian_approves_or_denies(world: World) -> None:
    request_id = receive(world)
    wf.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    before = snapshot(world.db)
    for trigger, payload in (("approve", None), ("deny", {"reason_code": "EXAM_REQUIRED"})):
        with pytest.raises(Forbidden) as caught:
            wf.fire(world.db, request_id, trigger, actor_id=world["csr"], payload=payload)
        assert "client service representative cannot" in caught.value.reason
    assert snapshot(world.db) == before


def test_controlled_drug_needs_a_dvm_with_a_valid_dea_number(world: World) -> None:
    world.add("c4", prescription(world, "tramadol", refills=0))
    request_id = receive(world, "c4")
    wf.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    refused(world.db, "DEA_REQUIRED", request_id, "approve", world["dvm_no_dea"])
    assert wf.fire(world.db, request_id, "approve", actor_id=world["dvm"]).state == "approved"


def test_approval_with_refills_over_the_schedule_limit_is_refused(world: World) -> None:
    world.add("c4", prescription(world, "tramadol", refills=0))
    request_id = receive(world, "c4")
    wf.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    refused(
        world.db,
        "SCHEDULE_REFILL_LIMIT",
        request_id,
        "approve",
        world["dvm"],
        response="replace",
        refills=6,
    )


def test_approve_with_refills_writes_a_renewal(world: World) -> None:
    world.add("empty", prescription(world, "carprofen", refills=2, remaining=0))
    request_id = receive(world, "empty")
    wf.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    view = wf.fire(
        world.db,
        request_id,
        "approve",
        actor_id=world["dvm"],
        payload={"response": "approved_with_changes", "refills": 3, "quantity": 30},
    )
    assert view.prescription_id != world["empty"] and view.quantity == 30
    with world.db.read() as session:
        old = session.get(Prescription, world["empty"])
        new = session.get(Prescription, view.prescription_id)
        assert old is not None and new is not None
        assert old.status == "renewed" and new.renews_id == old.id
        assert (new.refills_authorized, new.refills_remaining, new.prescriber_id) == (
            3,
            3,
            world["dvm"],
        )


def test_deny_needs_a_reason_and_closes_the_request(world: World) -> None:
    request_id = receive(world)
    wf.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    with pytest.raises(InvalidInput, match="reason_code is required"):
        wf.fire(world.db, request_id, "deny", actor_id=world["dvm"])
    view = wf.fire(
        world.db,
        request_id,
        "deny",
        actor_id=world["dvm"],
        payload={"reason_code": "EXAM_REQUIRED"},
    )
    assert view.state == "denied" and "examine" in view.status_reason


def test_fill_from_a_lot_of_another_drug_is_refused(world: World) -> None:
    request_id = receive(world)
    wf.fire(world.db, request_id, "authorize", actor_id=world["csr"])
    refused(
        world.db,
        "LOT_WRONG_PRODUCT",
        request_id,
        "fill",
        world["csr"],
        lot_id=world["tramadol_lot"],
        quantity=60,
        scanned_code="x",
    )
    refused(
        world.db,
        "LOT_INSUFFICIENT",
        request_id,
        "fill",
        world["csr"],
        lot_id=world["lot"],
        quantity=900,
        scanned_code="x",
    )


def test_reject_voids_the_fill_and_gives_back_stock_and_refill(world: World) -> None:
    request_id = receive(world)
    wf.fire(world.db, request_id, "authorize", actor_id=world["csr"])
    fill(world, request_id)
    view = wf.fire(
        world.db, request_id, "reject", actor_id=world["csr"], payload={"reason": "miscounted"}
    )
    assert view.state == "approved" and view.status_reason == "miscounted"
    assert (rx_remaining(world), on_hand(world)) == (3, 500)


def test_cancel_after_fill_gives_back_stock_and_refill(world: World) -> None:
    request_id = receive(world)
    wf.fire(world.db, request_id, "authorize", actor_id=world["csr"])
    fill(world, request_id)
    wf.fire(
        world.db, request_id, "hold", actor_id=world["csr"], payload={"reason": "client travelling"}
    )
    view = wf.fire(
        world.db, request_id, "cancel", actor_id=world["csr"], payload={"reason": "client moved"}
    )
    assert view.state == "cancelled"
    assert (rx_remaining(world), on_hand(world)) == (3, 500)


def test_hold_and_resume_return_to_the_same_step(world: World) -> None:
    request_id = receive(world)
    wf.fire(world.db, request_id, "request_approval", actor_id=world["csr"])
    wf.fire(
        world.db,
        request_id,
        "hold",
        actor_id=world["csr"],
        payload={"reason": "owner calling back"},
    )
    assert wf.allowed_triggers(world.db, request_id, actor_id=world["csr"]) == ["resume", "cancel"]
    assert (
        wf.fire(world.db, request_id, "resume", actor_id=world["csr"]).state == "awaiting_approval"
    )


def test_wrong_state_is_refused_with_a_sentence(world: World) -> None:
    request_id = receive(world)
    with pytest.raises(IllegalTransition, match="Cannot dispense a request that is received"):
        wf.fire(world.db, request_id, "dispense", actor_id=world["csr"])


def test_stale_version_is_a_conflict_naming_who_changed_it(world: World) -> None:
    request_id = receive(world)
    first = wf.fire(world.db, request_id, "authorize", actor_id=world["csr2"], expected_version=1)
    assert first.version > 1
    before = snapshot(world.db)
    with pytest.raises(Conflict, match="changed by csr2 at"):
        wf.fire(
            world.db,
            request_id,
            "hold",
            actor_id=world["csr"],
            payload={"reason": "wait"},
            expected_version=1,
        )
    assert snapshot(world.db) == before


@pytest.mark.parametrize(
    ("trigger", "payload", "error", "message"),
    [
        ("teleport", None, InvalidInput, "Unknown step 'teleport'"),
        ("hold", None, InvalidInput, "Hold: reason is required"),
        ("hold", {"reason": "wait", "color": 1}, InvalidInput, "color is not a field"),
        ("fill", {"lot_id": "one", "quantity": 1, "scanned_code": "x"}, InvalidInput, "lot_id"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    world: World, trigger: str, payload: Any, error: type[Exception], message: str
) -> None:
    request_id = receive(world)
    before = snapshot(world.db)
    with pytest.raises(error, match=message):
        wf.fire(world.db, request_id, trigger, actor_id=world["csr"], payload=payload)
    assert snapshot(world.db) == before


def test_unknown_request_is_not_found(world: World) -> None:
    with pytest.raises(NotFound, match="No refill request with id 999"):
        wf.fire(world.db, 999, "authorize", actor_id=world["csr"])


def test_audit_trail_refuses_updates_and_deletes(world: World) -> None:
    receive(world)
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"), world.db.write() as session:
            session.execute(text(statement))
    assert snapshot(world.db)["audit"] == 1


def test_unreachable_database_is_a_clear_error() -> None:
    db = Database("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(StorageUnavailable, match="cannot be reached"):
        wf.get_request(db, 1)
