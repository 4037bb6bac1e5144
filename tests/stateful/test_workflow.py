"""Random front-desk days against the real engine and database, checked after every step.

Rules mirror the public triggers; invariants restate the business rules: only diagram paths,
refills within bounds, stock that balances, one audit event per committed step, nothing
dispensed or faxed without an authorization and a passed checklist, refusals change nothing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select

from builders import NOW, TODAY, World, build_world, prescription
from rxflow.checklists import checklist_for
from rxflow.db.models import (
    AuditEvent,
    ChecklistRun,
    Fill,
    Prescription,
    RefillRequest,
    StockLot,
    StockMovement,
)
from rxflow.db.session import Database
from rxflow.errors import Forbidden, InvalidInput, RuleViolation
from rxflow.service import workflow as wf
from rxflow.states.definition import TRIGGERS, destinations


def attestations_for_everything() -> dict[str, bool]:
    """Every attested item of every checklist, confirmed (a diligent desk)."""
    return {
        item.id: True
        for path in ("in_house_fill", "outside_prescription", "dispense")
        for controlled in (False, True)
        for item in checklist_for(path, controlled).items
        if item.kind == "attest"
    }


PRESCRIPTIONS = ["rx", "empty", "old", "c4", "c2", "cat_nsaid"]
ACTORS = ["csr", "csr2", "dvm", "dvm_no_dea", "manager"]
LOTS = ["lot", "expired_lot", "tramadol_lot", "hydro_lot"]
CODES = ["00000-0000-75", "00000000050", "00000-0000-05", "00000000100", "garbage"]
REASON_CODES = ["EXAM_REQUIRED", "TOO_SOON", "OTHER"]
# The right lot, scan and count for each prescription (a careful filler).
GOOD_FILL = {
    "rx": ("lot", "00000-0000-75", 60.0),
    "empty": ("lot", "00000-0000-75", 60.0),
    "old": ("lot", "00000-0000-75", 60.0),
    "cat_nsaid": ("lot", "00000-0000-75", 60.0),
    "c4": ("tramadol_lot", "00000-0000-50", 20.0),
    "c2": ("hydro_lot", "00000-0000-05", 20.0),
}


def payloads(trigger: str) -> st.SearchStrategy[dict[str, Any] | None]:
    reason = st.fixed_dictionaries({"reason": st.sampled_from(["client asked", "miscounted"])})
    checklist = st.fixed_dictionaries(
        {},
        optional={
            "attestations": st.just(attestations_for_everything()),
            "counted_quantity": st.sampled_from([60.0, 20.0, 59.0]),
            "scanned_code": st.sampled_from(CODES),
        },
    )
    by_trigger: dict[str, st.SearchStrategy[Any]] = {
        "approve": st.one_of(
            st.none(),
            st.fixed_dictionaries({"response": st.just("replace"), "refills": st.integers(0, 7)}),
        ),
        "pend": st.just({"note": "exam booked"}),
        "deny": st.fixed_dictionaries(
            {"reason_code": st.sampled_from(REASON_CODES), "note": st.just("see chart")}
        ),
        "fill": st.fixed_dictionaries(
            {
                "lot_id": st.sampled_from(LOTS),
                "quantity": st.sampled_from([60.0, 20.0, 59.0]),
                "scanned_code": st.sampled_from(CODES),
            }
        ),
        "verify": checklist,
        "dispense": checklist,
        "reject": reason,
        "hold": reason,
        "cancel": reason,
        "fax_failed": reason,
    }
    return by_trigger.get(trigger, st.none())


@st.composite
def steps(draw: st.DrawFn) -> tuple[str, dict[str, Any] | None]:
    trigger = draw(st.sampled_from(TRIGGERS))
    return trigger, draw(payloads(trigger))


class FrontDesk(RuleBasedStateMachine):
    requests = Bundle("requests")

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="rxflow-stateful-"))
        path = self.dir / "db.sqlite"
        shutil.copy(TEMPLATE["sqlite"], path)
        self.db = Database(f"sqlite:///{path}")
        self.world = build_hospital(self.db)
        self.expected: dict[int, str] = {}
        self.committed: dict[int, int] = {}
        self.rx_of: dict[int, str] = {}
        self.now = NOW

    def teardown(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.dir, ignore_errors=True)

    @rule(target=requests, rx=st.sampled_from(PRESCRIPTIONS), outside=st.booleans())
    def receive(self, rx: str, outside: bool) -> int:
        data = {
            "prescription_id": self.world[rx],
            "fulfillment": "outside" if outside else "in_house",
        }
        if outside:
            data["pharmacy_id"] = self.world["pharmacy"]
        view = wf.receive_request(self.db, data, actor_id=self.world["csr"], now=self.now)
        self.rx_of[view.id] = rx
        self.expected[view.id] = "received"
        self.committed[view.id] = 1
        return view.id

    @rule(days=st.integers(1, 20))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days)

    @precondition(lambda self: bool(self.expected))
    @rule(request_id=requests, step=steps(), actor=st.sampled_from(ACTORS))
    def fire(self, request_id: int, step: tuple[str, dict[str, Any] | None], actor: str) -> None:
        trigger, payload = step
        if payload and "lot_id" in payload:
            payload = {**payload, "lot_id": self.world[payload["lot_id"]]}
        before = snapshot(self.db)
        try:
            view = wf.fire(
                self.db,
                request_id,
                trigger,
                actor_id=self.world[actor],
                payload=payload,
                now=self.now,
            )
        except (RuleViolation, Forbidden, InvalidInput) as refusal:
            assert refusal.reason and "Traceback" not in refusal.reason
            assert snapshot(self.db) == before, f"refused {trigger} changed something"
            return
        assert view.state in destinations(self.expected[request_id], trigger), (
            f"{self.expected[request_id]} --{trigger}--> {view.state} is not in the diagram"
        )
        self.expected[request_id] = view.state
        self.committed[request_id] += 1
        event(f"reached {view.state}")

    @precondition(lambda self: bool(self.expected))
    @rule(request_id=requests)
    def desk_takes_the_next_step(self, request_id: int) -> None:
        """A diligent desk moves the request on with a correct payload (deep paths)."""
        state = self.expected[request_id]
        if state == "on_hold":
            self.fire(request_id, ("resume", None), "csr")
            return
        rx = self.rx_of[request_id]
        lot, code, quantity = GOOD_FILL[rx]
        checklist = {"attestations": attestations_for_everything(), "counted_quantity": quantity}
        outside = wf.get_request(self.db, request_id).fulfillment == "outside"
        step: dict[str, tuple[tuple[str, dict[str, Any] | None], str]] = {
            "received": (("authorize", None), "csr"),
            "awaiting_approval": (("approve", None), "dvm"),
            "approved": (
                (("prepare", None), "csr")
                if outside
                else (("fill", {"lot_id": lot, "quantity": quantity, "scanned_code": code}), "csr")
            ),
            "filled": (("verify", checklist), "csr2"),
            "verified": (
                (("send_fax", None), "csr") if outside else (("dispense", checklist), "csr")
            ),
            "faxing": (("fax_confirmed", None), "manager"),
            "fax_failed": (("retry", None), "csr"),
        }
        if state in step:
            payload, actor = step[state]
            self.fire(request_id, payload, actor)

    @invariant()
    def states_match_the_model(self) -> None:
        with self.db.read() as session:
            rows = dict(session.execute(select(RefillRequest.id, RefillRequest.state)).all())
        assert rows == self.expected

    @invariant()
    def refills_stay_within_bounds(self) -> None:
        with self.db.read() as session:
            for rx in session.scalars(select(Prescription)):
                assert 0 <= rx.refills_remaining <= rx.refills_authorized

    @invariant()
    def one_audit_event_per_committed_step(self) -> None:
        with self.db.read() as session:
            counts = dict(
                session.execute(
                    select(AuditEvent.request_id, func.count()).group_by(AuditEvent.request_id)
                ).all()
            )
        assert counts == self.committed

    @invariant()
    def stock_balances(self) -> None:
        with self.db.read() as session:
            for lot in session.scalars(select(StockLot)):
                moved = session.scalar(
                    select(func.coalesce(func.sum(StockMovement.delta), 0)).where(
                        StockMovement.lot_id == lot.id
                    )
                )
                assert lot.quantity_on_hand >= 0
                assert lot.quantity_on_hand == INITIAL_STOCK[lot.lot_number] + moved

    @invariant()
    def nothing_leaves_without_authorization_and_a_passed_checklist(self) -> None:
        with self.db.read() as session:
            closed = session.scalars(
                select(RefillRequest).where(RefillRequest.state.in_(["dispensed", "faxed"]))
            )
            for request in closed:
                assert request.authorization in {"standing", "dvm"}
                fill = session.scalar(
                    select(Fill).where(Fill.request_id == request.id, Fill.voided_at.is_(None))
                )
                assert fill is not None
                passed = session.scalar(
                    select(ChecklistRun.id).where(
                        ChecklistRun.fill_id == fill.id,
                        ChecklistRun.step == "verify",
                        ChecklistRun.passed.is_(True),
                    )
                )
                assert passed is not None


TEMPLATE: dict[str, Path] = {}
INITIAL_STOCK: dict[str, Any] = {}


def build_hospital(db: Database) -> World:
    """The builders' world plus a prescription in every situation and a bad lot."""
    from decimal import Decimal

    from rxflow.db.models import Patient
    from rxflow.db.models import StockLot as Lot

    world = build_world(db)
    world.add("empty", prescription(world, "carprofen", refills=2, remaining=0))
    world.add(
        "old", prescription(world, "carprofen", refills=5, written_on=TODAY - timedelta(days=400))
    )
    world.add(
        "c4",
        prescription(world, "tramadol", refills=2, quantity=20, directions="1 tab PO BID x 10d"),
    )
    world.add(
        "c2",
        prescription(world, "hydrocodone", refills=0, quantity=20, directions="1 tab PO BID x 10d"),
    )
    world.add(
        "cat",
        Patient(
            client_id=world["client"],
            name="Pepper",
            species="feline",
            last_exam_on=TODAY - timedelta(days=30),
        ),
    )
    world.add("cat_nsaid", prescription(world, "carprofen", refills=2, patient_key="cat"))
    world.add(
        "expired_lot",
        Lot(
            product_id=world["carprofen"],
            lot_number="OLD",
            expires_on=TODAY - timedelta(days=3),
            quantity_on_hand=Decimal(100),
        ),
    )
    world.add(
        "hydro_lot",
        Lot(
            product_id=world["hydrocodone"],
            lot_number="H1",
            expires_on=TODAY + timedelta(days=300),
            quantity_on_hand=Decimal(100),
        ),
    )
    with db.read() as session:
        INITIAL_STOCK.update(
            {lot.lot_number: lot.quantity_on_hand for lot in session.scalars(select(Lot))}
        )
    return world


def snapshot(db: Database) -> dict[str, Any]:
    with db.read() as session:
        return {
            "requests": [
                (r.id, r.state, r.version, r.held_from, r.authorization, r.refill_consumed)
                for r in session.scalars(select(RefillRequest).order_by(RefillRequest.id))
            ],
            "audit": session.scalar(select(func.count(AuditEvent.id))),
            "refills": [(p.id, p.refills_remaining) for p in session.scalars(select(Prescription))],
            "stock": [(lot.id, lot.quantity_on_hand) for lot in session.scalars(select(StockLot))],
            "fills": session.scalar(select(func.count(Fill.id))),
            "runs": session.scalar(select(func.count(ChecklistRun.id))),
        }


@pytest.fixture(autouse=True)
def _template(sqlite_template: Path) -> None:
    TEMPLATE["sqlite"] = sqlite_template


TestFrontDesk = FrontDesk.TestCase
TestFrontDesk.settings = settings(
    max_examples=int(os.environ.get("RXFLOW_STATEFUL_EXAMPLES", "60")),
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
    # CI replays a fixed sequence so a landing is reproducible; local runs explore afresh.
    # An intermittent failure was seen twice in local full-suite runs and not yet reproduced.
    derandomize=os.environ.get("CI") == "true",
)
