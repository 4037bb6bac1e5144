"""A simulated front-desk day through every path, refused steps included, and the mid-morning
desk that `rxflow init --demo` opens with."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from rxflow.db.base import utcnow
from rxflow.db.models import Pharmacy, Prescription, Product, StockLot
from rxflow.db.session import Database
from rxflow.demo.desk import Desk

Scenario = Callable[[Desk], int]


def _product(desk: Desk, rx: Prescription) -> Product:
    with desk.db.read() as session:
        product = session.get(Product, rx.product_id)
        assert product is not None
        session.expunge(product)
        return product


def scan_code(product: Product) -> str:
    """What a scanner types for a stock bottle: the NDC in 5-4-2 form."""
    ndc = product.ndc11 or ""
    return f"{ndc[:5]}-{ndc[5:9]}-{ndc[9:]}"


def lot(desk: Desk, product_id: int, *, expired: bool = False) -> int:
    today = desk.now.date()
    with desk.db.read() as session:
        query = select(StockLot.id).where(StockLot.product_id == product_id)
        query = query.where(
            StockLot.expires_on < today
            if expired
            else StockLot.expires_on > today + timedelta(days=90)
        )
        found = session.scalar(query.order_by(StockLot.expires_on).limit(1))
    if found is None:
        raise LookupError(f"No {'expired' if expired else 'good'} lot of product #{product_id}.")
    return found


def wrong_strength(desk: Desk, product: Product) -> str:
    with desk.db.read() as session:
        other = session.scalar(
            select(Product).where(
                Product.generic_name == product.generic_name, Product.id != product.id
            )
        )
    return scan_code(other) if other else "00000-0000-00"


def fill_payload(desk: Desk, rx: Prescription, **changes: Any) -> dict[str, Any]:
    product = _product(desk, rx)
    payload = {
        "lot_id": lot(desk, product.id),
        "quantity": float(rx.quantity),
        "scanned_code": scan_code(product),
    }
    return {**payload, **changes}


def pharmacy(desk: Desk) -> int:
    with desk.db.read() as session:
        found = session.scalar(select(Pharmacy.id).order_by(Pharmacy.id).limit(1))
    assert found is not None
    return found


def authorize(desk: Desk, rid: int, who: str) -> None:
    """Authorize from the standing prescription; when it has run out, a DVM renews it."""
    if not desk.step(rid, "authorize", who):
        desk.step(rid, "request_approval", who)
        desk.step(rid, "approve", "drpatel", {"response": "replace", "refills": 5})


def finish_in_house(desk: Desk, rid: int, rx: Prescription, filler: str = "sam") -> None:
    desk.step(rid, "fill", filler, fill_payload(desk, rx))
    verifier = "alex" if filler == "sam" else "sam"
    desk.step(
        rid, "verify", verifier, desk.answers(rid, "verify", counted_quantity=float(rx.quantity))
    )
    desk.step(rid, "dispense", filler, desk.answers(rid, "dispense"))


# Each scenario takes one request from the phone call to where that story ends.


def standing_refill(desk: Desk) -> int:
    rx = desk.rx("Max", "carprofen", "75 mg")
    rid = desk.receive(rx.id)
    authorize(desk, rid, "sam")
    finish_in_house(desk, rid, rx)
    return rid


def no_refills_left(desk: Desk) -> int:
    rx = desk.rx("Max", "carprofen", "100 mg")
    rid = desk.receive(rx.id, source="walk_in")
    if not desk.step(rid, "authorize", "sam"):
        desk.step(rid, "request_approval", "sam")
        desk.step(rid, "approve", "sam")  # a CSR cannot approve: refused
        desk.step(rid, "approve", "drpatel", {"response": "approved_with_changes", "refills": 2})
    finish_in_house(desk, rid, rx, filler="alex")
    return rid


def lapsed_exam(desk: Desk) -> int:
    rx = desk.rx("Biscuit", "oclacitinib")
    rid = desk.receive(rx.id, source="email")
    desk.step(rid, "authorize", "sam")
    desk.step(rid, "request_approval", "sam")
    desk.step(rid, "pend", "drnguyen", {"note": "Exam booked", "expected_on": str(desk.now.date())})
    desk.step(rid, "deny", "drnguyen", {"reason_code": "EXAM_REQUIRED", "note": "Due for exam"})
    return rid


def deceased_patient(desk: Desk) -> int:
    rx = desk.rx("Duke", "prednisolone")
    rid = desk.receive(rx.id)
    desk.step(rid, "authorize", "alex")
    desk.step(rid, "request_approval", "alex")
    desk.step(rid, "approve", "drnguyen")
    desk.step(rid, "deny", "drnguyen", {"reason_code": "PATIENT_DECEASED"})
    return rid


def controlled_second_person(desk: Desk) -> int:
    rx = desk.rx("Rocky", "tramadol")
    rid = desk.receive(rx.id)
    authorize(desk, rid, "sam")
    desk.step(rid, "fill", "sam", fill_payload(desk, rx))
    counted = {"counted_quantity": float(rx.quantity)}
    desk.step(rid, "verify", "sam", desk.answers(rid, "verify", **counted))  # same person: refused
    desk.step(rid, "verify", "alex", desk.answers(rid, "verify", **counted))
    desk.step(rid, "dispense", "alex", desk.answers(rid, "dispense"))
    return rid


def controlled_needs_dea(desk: Desk) -> int:
    rx = desk.rx("Rocky", "tramadol")
    rid = desk.receive(rx.id, source="phone")
    desk.step(rid, "request_approval", "sam")
    desk.step(rid, "approve", "drnguyen")  # no DEA registration: refused
    desk.step(rid, "approve", "drpatel")
    finish_in_house(desk, rid, rx)
    return rid


def outside_pharmacy(desk: Desk, fail_first: bool = False) -> int:
    rx = desk.rx("Pepper", "methimazole")
    rid = desk.receive(rx.id, source="online", fulfillment="outside", pharmacy_id=pharmacy(desk))
    authorize(desk, rid, "alex")
    desk.step(rid, "prepare", "alex")
    desk.step(rid, "verify", "sam", desk.answers(rid, "verify"))
    desk.step(rid, "send_fax", "sam")
    if fail_first:
        desk.step(rid, "fax_failed", "fax-worker", {"reason": "Busy signal after 5 attempts"})
        desk.step(rid, "retry", "sam")
    desk.step(rid, "fax_confirmed", "fax-worker")
    return rid


def outside_fax_fails_once(desk: Desk) -> int:
    return outside_pharmacy(desk, fail_first=True)


def schedule_ii_not_by_fax(desk: Desk) -> int:
    rx = desk.rx("Rocky", "hydrocodone")
    rid = desk.receive(rx.id, fulfillment="outside", pharmacy_id=pharmacy(desk))
    desk.step(rid, "authorize", "sam")  # Schedule II never refills: refused
    desk.step(rid, "request_approval", "sam")
    desk.step(rid, "approve", "drpatel")
    desk.step(rid, "prepare", "sam")
    desk.step(rid, "verify", "alex", desk.answers(rid, "verify"))
    desk.step(rid, "send_fax", "alex")  # never faxed as the prescription: refused
    desk.step(rid, "cancel", "alex", {"reason": "Signed original printed for the client to carry"})
    return rid


def wrong_strength_scanned(desk: Desk) -> int:
    rx = desk.rx("Max", "carprofen", "75 mg")
    product = _product(desk, rx)
    rid = desk.receive(rx.id)
    authorize(desk, rid, "sam")
    desk.step(
        rid, "fill", "sam", fill_payload(desk, rx, scanned_code=wrong_strength(desk, product))
    )
    counted = {"counted_quantity": float(rx.quantity)}
    if not desk.step(rid, "verify", "alex", desk.answers(rid, "verify", **counted)):
        desk.step(
            rid,
            "reject",
            "alex",
            {"reason": "Wrong strength scanned; refill from the right bottle"},
        )
        finish_in_house(desk, rid, rx)
    return rid


def expired_lot(desk: Desk) -> int:
    rx = desk.rx("Pepper", "methimazole")
    product = _product(desk, rx)
    rid = desk.receive(rx.id)
    authorize(desk, rid, "alex")
    desk.step(
        rid, "fill", "alex", fill_payload(desk, rx, lot_id=lot(desk, product.id, expired=True))
    )
    counted = {"counted_quantity": float(rx.quantity)}
    if not desk.step(rid, "verify", "sam", desk.answers(rid, "verify", **counted)):
        desk.step(rid, "reject", "sam", {"reason": "Expired lot pulled from the shelf"})
        finish_in_house(desk, rid, rx, filler="alex")
    return rid


def cat_on_dog_nsaid(desk: Desk) -> int:
    rx = desk.rx("Mochi", "carprofen")
    rid = desk.receive(rx.id)
    authorize(desk, rid, "sam")
    desk.step(rid, "fill", "sam", fill_payload(desk, rx))
    counted = {"counted_quantity": float(rx.quantity)}
    if not desk.step(rid, "verify", "alex", desk.answers(rid, "verify", **counted)):
        desk.step(rid, "reject", "alex", {"reason": "Carprofen is flagged for cats"})
        desk.step(rid, "cancel", "alex", {"reason": "Doctor will choose another pain medication"})
    return rid


def stale_weight(desk: Desk) -> int:
    rx = desk.rx("Sadie", "amoxicillin-clavulanate")
    rid = desk.receive(rx.id)
    authorize(desk, rid, "sam")
    desk.step(rid, "fill", "sam", fill_payload(desk, rx))
    answers = desk.answers(rid, "verify", counted_quantity=float(rx.quantity))
    if not desk.step(rid, "verify", "alex", answers):
        findings = _failed_items(desk, rid, answers)
        overrides = {item: "Weighed on the clinic scale today; dose confirmed" for item in findings}
        desk.step(rid, "verify", "drpatel", {**answers, "overrides": overrides})
    desk.step(rid, "dispense", "sam", desk.answers(rid, "dispense"))
    return rid


def _failed_items(desk: Desk, rid: int, answers: dict[str, Any]) -> list[str]:
    """The overridable items a DVM may accept, from the checklist's own dry run."""
    from rxflow.service.checking import overridable_failures

    return overridable_failures(desk.db, rid, answers, now=desk.now, actor_id=desk.users["drpatel"])


def hold_and_resume(desk: Desk) -> int:
    rx = desk.rx("Luna", "gabapentin")
    rid = desk.receive(rx.id)
    desk.step(rid, "hold", "sam", {"reason": "Client calling back about the dose"})
    desk.step(rid, "resume", "sam")
    authorize(desk, rid, "sam")
    finish_in_house(desk, rid, rx)
    return rid


def client_cancels(desk: Desk) -> int:
    rx = desk.rx("Max", "carprofen", "75 mg")
    rid = desk.receive(rx.id, source="email")
    desk.step(rid, "cancel", "alex", {"reason": "Client bought it at the pharmacy"})
    return rid


def unclaimed(desk: Desk) -> int:
    rx = desk.rx("Clover", "meloxicam")
    rid = desk.receive(rx.id)
    authorize(desk, rid, "sam")
    desk.step(rid, "fill", "sam", fill_payload(desk, rx))
    desk.step(
        rid, "verify", "alex", desk.answers(rid, "verify", counted_quantity=float(rx.quantity))
    )
    desk.step(rid, "return_to_stock", "sam")  # too early: refused
    desk.now += timedelta(days=15)
    desk.step(rid, "return_to_stock", "sam")
    desk.now -= timedelta(days=15)
    return rid


SCENARIOS: list[Scenario] = [
    standing_refill, no_refills_left, lapsed_exam, deceased_patient, controlled_second_person,
    controlled_needs_dea, outside_pharmacy, outside_fax_fails_once, schedule_ii_not_by_fax,
    wrong_strength_scanned, expired_lot, cat_on_dog_nsaid, stale_weight, hold_and_resume,
    client_cancels, unclaimed,
]  # fmt: skip


def run_day(db: Database, requests: int = 48, progress: Callable[[], None] | None = None) -> Desk:
    """Play `requests` stories, cycling through every scenario, starting at 08:00 today."""
    desk = Desk(db, datetime.combine(utcnow().date(), time(8, 0), tzinfo=utcnow().tzinfo))
    for index in range(requests):
        SCENARIOS[index % len(SCENARIOS)](desk)
        if progress:
            progress()
    return desk


def open_the_desk(db: Database, today: date | None = None) -> Desk:
    """Mid-morning: a few closed stories, then requests waiting in every open state."""
    start = datetime.combine(today or utcnow().date(), time(8, 0), tzinfo=utcnow().tzinfo)
    desk = Desk(db, start)
    for scenario in (standing_refill, lapsed_exam, outside_pharmacy, cat_on_dog_nsaid):
        scenario(desk)
    waiting = [("Max", "carprofen"), ("Luna", "gabapentin"), ("Sadie", "pimobendan"),
               ("Rocky", "tramadol"), ("Biscuit", "oclacitinib")]  # fmt: skip
    for patient, generic in waiting[:3]:
        desk.receive(desk.rx(patient, generic).id, source="phone")
    for patient, generic in waiting[2:]:
        rid = desk.receive(desk.rx(patient, generic).id, source="email")
        desk.step(rid, "request_approval", "sam")
    rx = desk.rx("Max", "carprofen", "75 mg")
    approved = desk.receive(rx.id)
    authorize(desk, approved, "sam")
    filled = desk.receive(rx.id)
    authorize(desk, filled, "alex")
    desk.step(filled, "fill", "alex", fill_payload(desk, rx))
    ready = desk.receive(rx.id, source="walk_in")
    authorize(desk, ready, "sam")
    desk.step(ready, "fill", "sam", fill_payload(desk, rx))
    desk.step(
        ready, "verify", "alex", desk.answers(ready, "verify", counted_quantity=float(rx.quantity))
    )
    held = desk.receive(desk.rx("Luna", "gabapentin").id)
    desk.step(held, "hold", "sam", {"reason": "Waiting for the client to confirm the pharmacy"})
    faxing = _outside_until(desk, "send_fax")
    failed = _outside_until(desk, "send_fax")
    desk.step(failed, "fax_failed", "fax-worker", {"reason": "No answer from the pharmacy's fax"})
    del faxing
    return desk


def _outside_until(desk: Desk, last: str) -> int:
    rx = desk.rx("Pepper", "methimazole")
    rid = desk.receive(rx.id, source="online", fulfillment="outside", pharmacy_id=pharmacy(desk))
    authorize(desk, rid, "alex")
    desk.step(rid, "prepare", "alex")
    desk.step(rid, "verify", "sam", desk.answers(rid, "verify"))
    desk.step(rid, last, "sam")
    return rid
