"""Full in-house refills per second through the engine, beside the same rows written with bare
SQLAlchemy Core in the same run, on SQLite and (when RXFLOW_TEST_PG_URL is set) PostgreSQL.

Run: `make bench` or `.venv/bin/python bench/workflow.py [N]`. Prints refills/s and the ratio.
Also times the shared transitions Machine alone against a Machine built per request.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import insert, update
from transitions import Machine

from rxflow.checklists import checklist_for
from rxflow.db import migrate
from rxflow.db.models import (
    AuditEvent,
    ChecklistRun,
    Client,
    Dispense,
    Fill,
    Patient,
    Practice,
    Prescription,
    Product,
    RefillRequest,
    StockLot,
    StockMovement,
    Weight,
)
from rxflow.db.session import Database
from rxflow.facts import Actor, GuardContext, RequestFacts
from rxflow.service import workflow as wf
from rxflow.service.actors import add_user
from rxflow.service.hooks import STEP_HOOKS
from rxflow.service.paperwork.steps import issue_step_documents
from rxflow.settings import PracticeRules
from rxflow.states.definition import TRANSITIONS, State

NOW = datetime.now(UTC)


def hospital(db: Database) -> dict[str, int]:
    today = NOW.date()
    with db.write() as s:
        s.add(Practice(name="Bench Hospital"))
        ids = {
            "csr": add_user(s, "csr", "csr").id,
            "csr2": add_user(s, "csr2", "csr").id,
            "dvm": add_user(s, "dvm", "dvm", license_number="V1", dea_number="BP1234563").id,
        }
        client = Client(first_name="Jane", last_name="Doe")
        s.add(client)
        s.flush()
        pet = Patient(client_id=client.id, name="Max", species="canine", last_exam_on=today)
        drug = Product(
            generic_name="carprofen",
            strength="75 mg",
            dosage_form="tablet",
            strength_mg_per_unit=Decimal(75),
            ndc11="00000000075",
            dose_ranges={"canine": [1.0, 4.4]},
        )
        s.add_all([pet, drug])
        s.flush()
        s.add(Weight(patient_id=pet.id, weighed_on=today, weight_kg=Decimal(30)))
        lot = StockLot(
            product_id=drug.id,
            lot_number="L1",
            expires_on=today + timedelta(days=900),
            quantity_on_hand=Decimal(10_000_000),
        )
        rx = Prescription(
            patient_id=pet.id,
            product_id=drug.id,
            prescriber_id=ids["dvm"],
            directions="1 tab PO BID x 30d",
            quantity=Decimal(60),
            refills_authorized=1_000_000,
            refills_remaining=1_000_000,
            written_on=today,
            expires_on=today + timedelta(days=365),
        )
        s.add_all([lot, rx])
        s.flush()
        ids.update(patient=pet.id, product=drug.id, lot=lot.id, rx=rx.id)
    return ids


def attest(path: str, controlled: bool = False) -> dict[str, bool]:
    return {i.id: True for i in checklist_for(path, controlled).items if i.kind == "attest"}


def engine_refill(db: Database, ids: dict[str, int]) -> None:
    view = wf.receive_request(db, {"prescription_id": ids["rx"]}, actor_id=ids["csr"])
    wf.fire(db, view.id, "authorize", actor_id=ids["csr"])
    wf.fire(
        db,
        view.id,
        "fill",
        actor_id=ids["csr"],
        payload={"lot_id": ids["lot"], "quantity": 60, "scanned_code": "00000-0000-75"},
    )
    wf.fire(
        db,
        view.id,
        "verify",
        actor_id=ids["csr2"],
        payload={"attestations": ATTEST_FILL, "counted_quantity": 60},
    )
    wf.fire(db, view.id, "dispense", actor_id=ids["csr"], payload={"attestations": ATTEST_DISPENSE})


def bare_refill(db: Database, ids: dict[str, int]) -> None:
    """The same rows the engine writes for one refill, one transaction per step, Core only."""
    engine = db.engine
    now = datetime.now(UTC)

    def audit(conn: Any, rid: int, action: str, a: str | None, b: str) -> None:
        conn.execute(
            insert(AuditEvent),
            {
                "request_id": rid,
                "at": now,
                "actor_id": ids["csr"],
                "action": action,
                "from_state": a,
                "to_state": b,
                "detail": {},
            },
        )

    def move(conn: Any, rid: int, state: str, version: int, **extra: Any) -> None:
        conn.execute(
            update(RefillRequest).where(RefillRequest.id == rid),
            {"state": state, "version": version, "updated_at": now, **extra},
        )

    with engine.begin() as conn:
        rid = conn.execute(
            insert(RefillRequest).returning(RefillRequest.id),
            {
                "state": "received",
                "version": 1,
                "source": "phone",
                "fulfillment": "in_house",
                "patient_id": ids["patient"],
                "product_id": ids["product"],
                "prescription_id": ids["rx"],
                "directions": "1 tab PO BID x 30d",
                "quantity": Decimal(60),
                "received_at": now,
                "received_by_id": ids["csr"],
                "updated_at": now,
                "updated_by_id": ids["csr"],
                "note": "",
                "pharmacy_reference": "",
                "status_reason": "",
                "refill_consumed": False,
            },
        ).scalar_one()
        audit(conn, rid, "receive", None, "received")
    with engine.begin() as conn:
        move(conn, rid, "approved", 2, authorization="standing")
        audit(conn, rid, "authorize", "received", "approved")
    with engine.begin() as conn:
        fid = conn.execute(
            insert(Fill).returning(Fill.id),
            {
                "request_id": rid,
                "kind": "in_house",
                "lot_id": ids["lot"],
                "scanned_code": "x",
                "quantity": Decimal(60),
                "filled_by_id": ids["csr"],
                "filled_at": now,
                "void_reason": "",
            },
        ).scalar_one()
        conn.execute(
            update(StockLot)
            .where(StockLot.id == ids["lot"])
            .values(quantity_on_hand=StockLot.quantity_on_hand - 60)
        )
        conn.execute(
            insert(StockMovement),
            {
                "lot_id": ids["lot"],
                "product_id": ids["product"],
                "request_id": rid,
                "delta": Decimal(-60),
                "balance_after": Decimal(0),
                "reason": "fill",
                "actor_id": ids["csr"],
                "at": now,
            },
        )
        conn.execute(
            update(Prescription)
            .where(Prescription.id == ids["rx"])
            .values(refills_remaining=Prescription.refills_remaining - 1)
        )
        move(conn, rid, "filled", 3, refill_consumed=True)
        audit(conn, rid, "fill", "approved", "filled")
    for step, (a, b) in (
        ("verify", ("filled", "verified")),
        ("dispense", ("verified", "dispensed")),
    ):
        with engine.begin() as conn:
            conn.execute(
                insert(ChecklistRun),
                {
                    "request_id": rid,
                    "fill_id": fid,
                    "checklist_id": "in_house_fill",
                    "checklist_version": 1,
                    "step": step,
                    "passed": True,
                    "answers": [{"item": "x", "passed": True}] * 8,
                    "run_by_id": ids["csr2"],
                    "run_at": now,
                },
            )
            if step == "dispense":
                conn.execute(
                    insert(Dispense),
                    {
                        "request_id": rid,
                        "fill_id": fid,
                        "dispensed_by_id": ids["csr"],
                        "dispensed_at": now,
                    },
                )
            move(conn, rid, b, 4 if step == "verify" else 5)
            audit(conn, rid, step, a, b)


@contextmanager
def documents(*, enabled: bool) -> Iterator[None]:
    """Measure the engine with or without rendering the step documents (PDFs)."""
    saved = list(STEP_HOOKS)
    if not enabled:
        STEP_HOOKS[:] = [h for h in STEP_HOOKS if h is not issue_step_documents]
    try:
        yield
    finally:
        STEP_HOOKS[:] = saved


def rate(fn: Callable[[], None], n: int) -> float:
    """Refills per second: the median of three runs of n refills."""
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        runs.append(n / (time.perf_counter() - start))
    return statistics.median(runs)


def machine_costs(n: int = 2000) -> tuple[float, float]:
    """µs per 4 triggers: the shared machine vs. a Machine built per request."""
    from rxflow.states.machine import fire

    class Row:
        state = "received"

    actor = Actor(id=1, username="x", display_name="x", role="csr")
    facts = RequestFacts.model_construct(held_from="awaiting_approval")
    ctx = GuardContext.model_construct(
        facts=facts, actor=actor, payload=None, rules=PracticeRules()
    )
    bare = [{k: v for k, v in t.items() if k != "conditions"} for t in TRANSITIONS]
    path = ["request_approval", "hold", "resume", "cancel"]
    start = time.perf_counter()
    for _ in range(n):
        row = Row()
        for trigger in path:
            fire(row, trigger, ctx)
    shared = (time.perf_counter() - start) / n * 1e6
    start = time.perf_counter()
    for _ in range(n):
        row = Row()
        machine = Machine(
            model=row,
            states=[s.value for s in State],
            transitions=bare,
            initial="received",
            auto_transitions=False,
        )
        for trigger in path[:2]:
            machine.events[trigger].trigger(row)
    per_row = (time.perf_counter() - start) / n * 1e6
    return shared, per_row


def databases() -> list[tuple[str, Database, Callable[[], None]]]:
    found: list[tuple[str, Database, Callable[[], None]]] = []
    folder = Path(tempfile.mkdtemp(prefix="rxflow-bench-"))
    for label in LABELS:
        db = Database(f"sqlite:///{folder / label}.db")
        found.append((f"sqlite-{label}", db, db.dispose))
    pg = os.environ.get("RXFLOW_TEST_PG_URL")
    if pg:
        for label in LABELS:
            name = f"rxflow_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(pg, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            db = Database(pg.rpartition("/")[0] + "/" + name)

            def drop(db: Database = db, name: str = name) -> None:
                db.dispose()
                with psycopg.connect(pg, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

            found.append((f"postgres-{label}", db, drop))
    return found


LABELS = ("engine", "nodocs", "bare")
ATTEST_FILL = attest("in_house_fill")
ATTEST_DISPENSE = attest("dispense")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    shared, per_row = machine_costs()
    print(
        f"transitions machine: shared {shared:.0f} µs per 4 triggers (with guards); "
        f"Machine per request {per_row:.0f} µs for 2 triggers (no guards)"
    )
    dbs = databases()
    results: dict[str, float] = {}
    try:
        for label, db, _ in dbs:
            migrate.upgrade(db)
            ids = hospital(db)
            work = bare_refill if label.endswith("bare") else engine_refill
            with documents(enabled=not label.endswith("nodocs")):
                work(db, ids)  # warm up
                results[label] = rate(lambda db=db, ids=ids, work=work: work(db, ids), n)
    finally:
        for _, _, cleanup in dbs:
            cleanup()
    print(
        f"{'database':<10} {'engine /s':>10} {'no docs /s':>11} {'bare /s':>9} "
        f"{'ratio':>7} {'ratio no docs':>14}"
    )
    for backend in ("sqlite", "postgres"):
        if f"{backend}-engine" in results:
            engine, nodocs = results[f"{backend}-engine"], results[f"{backend}-nodocs"]
            bare = results[f"{backend}-bare"]
            print(
                f"{backend:<10} {engine:>10.1f} {nodocs:>11.1f} {bare:>9.1f} "
                f"{bare / engine:>6.2f}× {bare / nodocs:>13.2f}×"
            )


if __name__ == "__main__":
    main()
