"""The DVM queue page and the API list under 16 concurrent connections on loopback, beside a
bare starlette route served the same way in the same run, on SQLite and (when
RXFLOW_TEST_PG_URL is set) PostgreSQL, with 100,000 requests in the database (5,000 open).

Run: `make bench` or `.venv/bin/python bench/web.py [REQUESTS_PER_TARGET]`.
Each server is one uvicorn process (one worker); the load comes from this process over
CONCURRENCY kept-alive HTTP/1.1 connections.
Prints requests/s, p50 and p99 per target. The aim (issue 7): queue p99 under 50 ms.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import insert

from rxflow.db import migrate
from rxflow.db.models import Client, Patient, Practice, Prescription, Product, RefillRequest
from rxflow.db.session import Database
from rxflow.service.actors import add_user
from rxflow.service.tokens import create_token
from rxflow.states.definition import OPEN, TERMINAL

TOTAL = 100_000
OPEN_COUNT = 5_000
CONCURRENCY = 16
PASSWORD = "bench-password-1"
NOW = datetime.now(UTC)


# ---- the database: a busy hospital's history, bulk inserted ---------------------------------


def fill_database(db: Database) -> str:
    """100,000 requests (5,000 open, spread over the open states); returns a DVM's API token."""
    migrate.upgrade(db)
    today = NOW.date()
    with db.write() as s:
        s.add(Practice(name="Bench Hospital"))
        csr = add_user(s, "csr", "csr", password=PASSWORD).id
        add_user(s, "dvm", "dvm", password=PASSWORD, license_number="V1", dea_number="BP1234563")
        token = create_token(s, "dvm", "bench")
    with db.write() as s:
        s.execute(
            insert(Client),
            [{"first_name": f"Client{i}", "last_name": f"Family{i:04d}"} for i in range(1, 501)],
        )
        s.execute(
            insert(Patient),
            [
                {"client_id": 1 + i // 2, "name": f"Pet{i}", "species": "canine",
                 "last_exam_on": today - timedelta(days=(i * 7) % 500)}
                for i in range(1000)
            ],
        )  # fmt: skip
        s.execute(
            insert(Product),
            [
                {"generic_name": f"drug{i}", "strength": f"{10 * (i + 1)} mg",
                 "dosage_form": "tablet", "ndc11": f"{90000000000 + i}",
                 "schedule": 4 if i % 7 == 0 else None,
                 "strength_mg_per_unit": Decimal(10 * (i + 1))}
                for i in range(40)
            ],
        )  # fmt: skip
        s.execute(
            insert(Prescription),
            [
                {"patient_id": 1 + i % 1000, "product_id": 1 + i % 40, "prescriber_id": csr + 1,
                 "directions": "1 tab PO BID", "quantity": Decimal(60), "refills_authorized": 5,
                 "refills_remaining": i % 6, "written_on": today - timedelta(days=30),
                 "expires_on": today + timedelta(days=335)}
                for i in range(2000)
            ],
        )  # fmt: skip
        open_states = [st.value for st in OPEN]
        closed_states = sorted(st.value for st in TERMINAL)
        batch: list[dict[str, Any]] = []
        for i in range(TOTAL):
            is_open = i >= TOTAL - OPEN_COUNT
            pool = open_states if is_open else closed_states
            state = pool[i % len(pool)]
            at = NOW - timedelta(minutes=TOTAL - i)
            batch.append(
                {"state": state, "source": "phone", "fulfillment": "in_house",
                 "patient_id": 1 + i % 1000, "product_id": 1 + i % 40,
                 "prescription_id": 1 + i % 2000, "directions": "1 tab PO BID",
                 "quantity": Decimal(60), "received_at": at, "received_by_id": csr,
                 "updated_at": at, "updated_by_id": csr,
                 "held_from": "approved" if state == "on_hold" else None}
            )  # fmt: skip
            if len(batch) == 10_000:
                s.execute(insert(RefillRequest), batch)
                batch.clear()
    return token


def databases() -> Iterator[tuple[str, str]]:
    """(name, url) for SQLite and, when RXFLOW_TEST_PG_URL is set, a throwaway PostgreSQL."""
    with tempfile.TemporaryDirectory() as folder:
        yield "SQLite", f"sqlite:///{Path(folder) / 'bench.db'}"
    admin_url = os.environ.get("RXFLOW_TEST_PG_URL", "")
    if not admin_url:
        print("(RXFLOW_TEST_PG_URL not set: PostgreSQL skipped)")
        return
    name = f"rxflow_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield "PostgreSQL", f"{admin_url.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---- the servers: one uvicorn process each --------------------------------------------------


def serve(kind: str, url: str, port: int) -> None:
    """Child process: serve the rxflow app (`kind` = app) or a bare starlette route (bare)."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from rxflow.settings import Config
    from rxflow.web import create_app

    app: Starlette
    if kind == "bare":

        async def hello(request: object) -> PlainTextResponse:
            return PlainTextResponse("ok")

        app = Starlette(routes=[Route("/", hello)])
    else:
        app = create_app(Config(secret_key="bench"), Database(url, pool_size=CONCURRENCY))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(kind: str, url: str) -> Iterator[str]:
    port = free_port()
    child = subprocess.Popen([sys.executable, __file__, "--serve", kind, url, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        child.terminate()
        child.wait(10)


# ---- the load -------------------------------------------------------------------------------


def log_in(base: str) -> dict[str, str]:
    """A DVM's session cookie, as a header for the load."""
    with httpx.Client(base_url=base) as client:
        page = client.get("/login").text
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        assert found, "no CSRF field on /login"
        answer = client.post(
            "/login", data={"csrf": found.group(1), "username": "dvm", "password": PASSWORD}
        )
        assert answer.status_code == 303, answer.text
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        return {"Cookie": cookie}


async def _fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One GET on a kept-alive connection; returns the status (the body is read and dropped)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    if length is None:
        raise RuntimeError("the benchmark client needs Content-Length answers")
    await reader.readexactly(int(length.group(1)))
    return status


async def _load(
    base: str, path: str, count: int, headers: dict[str, str], connections: int
) -> tuple[float, list[float]]:
    """`count` GETs over `connections` kept-alive connections. A bare asyncio HTTP/1.1 client,
    so the load generator costs far less CPU than the server it measures."""
    host, port = base.removeprefix("http://").split(":")
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies: list[float] = []
    todo = iter(range(count))

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for _ in todo:
                start = time.perf_counter()
                status = await _fetch(reader, writer, request)
                latencies.append(time.perf_counter() - start)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
        finally:
            writer.close()

    begin = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return time.perf_counter() - begin, latencies


def measure(
    base: str, path: str, count: int, headers: dict[str, str] | None = None
) -> dict[str, float]:
    """Throughput and latency under CONCURRENCY connections, and the latency of one connection
    alone (the page's own time; under a closed loop of 16, p50 is about 16 / throughput)."""
    headers = headers or {}
    asyncio.run(_load(base, path, min(200, count), headers, CONCURRENCY))  # warm up
    elapsed, latencies = asyncio.run(_load(base, path, count, headers, CONCURRENCY))
    cuts = statistics.quantiles(latencies, n=100)
    _, alone = asyncio.run(_load(base, path, min(300, count), headers, 1))
    return {"rps": count / elapsed, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000,
            "alone": statistics.median(alone) * 1000}  # fmt: skip


def main(count: int) -> None:
    rows: list[tuple[str, str, dict[str, float]]] = []
    with server("bare", "") as bare:
        rows.append(("-", "bare starlette route", measure(bare, "/", count)))
    for name, url in databases():
        db = Database(url)
        started = time.perf_counter()
        token = fill_database(db)
        db.dispose()
        print(f"{name}: {TOTAL:,} requests inserted in {time.perf_counter() - started:.1f} s")
        with server("app", url) as base:
            auth = {"Authorization": f"Bearer {token}"}
            targets = [
                ("DVM queue page /queue", "/queue", log_in(base)),
                ("API /api/v1/refill-requests", "/api/v1/refill-requests", auth),
                ("API ?state=awaiting_approval", "/api/v1/refill-requests?state=awaiting_approval",
                 auth),
            ]  # fmt: skip
            for label, path, headers in targets:
                rows.append((name, label, measure(base, path, count, headers)))
    print(f"\n{CONCURRENCY} connections, {count} requests per target, loopback\n")
    print("| database | target | req/s | p50 ms | p99 ms | 1 connection p50 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, target, figures in rows:
        print(f"| {name} | {target} | {figures['rps']:.0f} | {figures['p50']:.1f} "
              f"| {figures['p99']:.1f} | {figures['alone']:.1f} |")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
