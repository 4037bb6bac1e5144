"""Two people acting on the same request at once: exactly one wins, the other is told who."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select

from builders import build_world
from rxflow.db.models import AuditEvent, Fill, Prescription
from rxflow.db.session import Database
from rxflow.errors import Conflict, RxflowError
from rxflow.service import workflow as wf


def race(db: Database, calls: list[dict[str, Any]]) -> list[object]:
    """Fire every call at the same moment from its own thread; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: dict[str, Any]) -> None:
        barrier.wait()
        try:
            results[index] = wf.fire(db, **call)
        except RxflowError as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_fills_at_once_exactly_one_wins(db: Database) -> None:
    world = build_world(db)
    request = wf.receive_request(db, {"prescription_id": world["rx"]}, actor_id=world["csr"])
    approved = wf.fire(db, request.id, "authorize", actor_id=world["csr"])
    payload = {"lot_id": world["lot"], "quantity": 60, "scanned_code": "00000-0000-75"}
    calls = [
        dict(
            request_id=request.id,
            trigger="fill",
            actor_id=world[who],
            payload=payload,
            expected_version=approved.version,
        )
        for who in ("csr", "csr2")
    ]
    results = race(db, calls)
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], Conflict)
    assert "changed by csr" in losers[0].reason and "reload" in losers[0].reason
    with db.read() as session:
        assert session.scalar(select(func.count(Fill.id))) == 1
        assert (
            session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "fill"))
            == 1
        )
        rx = session.get(Prescription, world["rx"])
        assert rx is not None and rx.refills_remaining == 2


def test_many_racers_on_many_requests_never_double_spend(db: Database) -> None:
    world = build_world(db)
    ids = [
        wf.receive_request(db, {"prescription_id": world["rx"]}, actor_id=world["csr"]).id
        for _ in range(3)
    ]
    calls = [
        dict(request_id=rid, trigger="authorize", actor_id=world[who], expected_version=1)
        for rid in ids
        for who in ("csr", "csr2")
    ]
    results = race(db, calls)
    assert sum(not isinstance(r, Exception) for r in results) == 3
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception))
