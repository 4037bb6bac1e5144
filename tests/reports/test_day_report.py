"""The day report's figures against a day built step by step, its PDF and the audit CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from typer.testing import CliRunner

from builders import TODAY, World, build_world, prescription
from rxflow.cli import app
from rxflow.cli.context import config
from rxflow.db.session import Database
from rxflow.reports.audit import audit_csv
from rxflow.reports.day import DayReport, day_report, report_json
from rxflow.reports.render import day_pdf
from rxflow.service import workflow as wf

DAY = TODAY


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=UTC) + timedelta(days=days)


def receive(world: World, rx: str, when: datetime) -> int:
    view = wf.receive_request(
        world.db, {"prescription_id": world[rx]}, actor_id=world["csr"], now=when
    )
    return view.id


def step(world: World, rid: int, trigger: str, who: str, when: datetime, **payload: Any) -> None:
    wf.fire(world.db, rid, trigger, actor_id=world[who], payload=payload or None, now=when)


def build_day(db: Database) -> World:
    """A: in-house carprofen, dispensed. B: tramadol approved by the DVM and filled (open at
    close, verified the next day). C: denied. D: from yesterday, untouched. E: late, untouched."""
    world = build_world(db)
    world.add("c4", prescription(world, "tramadol", refills=0))
    a = receive(world, "rx", at(9))
    step(world, a, "authorize", "csr", at(9, 30))
    step(
        world,
        a,
        "fill",
        "csr",
        at(10),
        lot_id=world["lot"],
        quantity=60,
        scanned_code="00000-0000-75",
    )
    step(
        world,
        a,
        "verify",
        "csr2",
        at(11),
        attestations={"label_checked": True},
        counted_quantity=60,
    )
    step(
        world,
        a,
        "dispense",
        "csr2",
        at(12),
        attestations={"label_read_to_client": True, "counselled": True},
    )

    b = receive(world, "c4", at(9))
    step(world, b, "request_approval", "csr", at(9, 10))
    step(world, b, "approve", "dvm", at(13))
    step(
        world,
        b,
        "fill",
        "csr",
        at(13, 30),
        lot_id=world["tramadol_lot"],
        quantity=60,
        scanned_code="00000-0000-50",
    )

    c = receive(world, "rx", at(10))
    step(world, c, "request_approval", "csr", at(10, 5))
    step(world, c, "deny", "dvm", at(14), reason_code="EXAM_REQUIRED")

    receive(world, "rx", at(16, days=-1))  # D: open since yesterday afternoon
    receive(world, "rx", at(16))  # E
    receive(world, "rx", at(9, days=1))  # tomorrow: not in today's figures
    world.ids.update(a=a, b=b, c=c)
    return world


@pytest.fixture
def world(db: Database) -> World:
    return build_day(db)


def report_for(world: World) -> DayReport:
    with world.db.read() as session:
        return day_report(session, DAY)


def test_the_day_report_counts_what_happened_that_day(world: World) -> None:
    report = report_for(world)
    assert report.received == 4
    assert report.decided == {
        "approved": 2,
        "denied": 1,
        "dispensed": 1,
        "faxed": 0,
        "returned to stock": 0,
    }
    assert report.open_by_state == {
        "filled": {"under 1 day": 1},
        "received": {"under 1 day": 1, "1-2 days": 1},
    }
    assert report.open_total == 3


def test_turnaround_median_and_worst(world: World) -> None:
    report = report_for(world)
    assert (report.to_approved.count, report.to_approved.median_hours) == (2, 2.25)
    assert (report.to_approved.worst_hours, report.to_approved.worst_request_id) == (
        4.0,
        world["b"],
    )
    assert (report.to_ready.count, report.to_ready.median_hours, report.to_ready.worst_hours) == (
        1,
        2.0,
        2.0,
    )


def test_each_staff_members_fills_and_verifications(world: World) -> None:
    lines = {line.name: (line.fills, line.verifications) for line in report_for(world).staff}
    assert lines == {"csr": (2, 0), "csr2": (0, 1)}


def test_the_controlled_log_shows_scheduled_drugs_with_running_balances(world: World) -> None:
    log = report_for(world).controlled
    assert [(x.product, x.lot_number, x.delta, x.balance_after) for x in log] == [
        ("tramadol 50 mg", "T1", Decimal("-60"), Decimal("140"))
    ]
    assert log[0].request_id == world["b"] and log[0].schedule == 4


def test_a_rejected_fill_is_work_done_and_the_request_is_approved_once(world: World) -> None:
    b = world["b"]
    step(world, b, "reject", "csr2", at(15), reason="count was off by one")
    step(
        world,
        b,
        "fill",
        "csr2",
        at(15, 30),
        lot_id=world["tramadol_lot"],
        quantity=60,
        scanned_code="00000-0000-50",
    )
    report = report_for(world)
    assert report.decided["approved"] == 2
    assert {line.name: line.fills for line in report.staff} == {"csr": 2, "csr2": 1}
    balances = [(x.reason, x.delta, x.balance_after) for x in report.controlled]
    assert balances == [
        ("fill", Decimal(-60), Decimal(140)),
        ("reject", Decimal(60), Decimal(200)),
        ("fill", Decimal(-60), Decimal(140)),
    ]


def test_the_lot_balances_open_and_close_the_log(world: World) -> None:
    [lot] = report_for(world).lot_balances
    assert (lot.product, lot.lot_number) == ("tramadol 50 mg", "T1")
    assert (lot.opening, lot.moved, lot.closing) == (Decimal(200), Decimal(-60), Decimal(140))


def test_the_day_follows_the_practice_clock(world: World) -> None:
    """20:00 in Chicago is 02:00 UTC the next day: it belongs to the Chicago day, not UTC's."""
    evening = receive(world, "rx", at(2, days=1))
    chicago = ZoneInfo("America/Chicago")
    with world.db.read() as session:
        utc_day = day_report(session, DAY)
        local_day = day_report(session, DAY, chicago)
        local_csv = audit_csv(session, DAY, DAY, chicago)
    assert (utc_day.received, local_day.received) == (4, 5)
    assert local_day.zone == "America/Chicago"
    assert local_day.controlled[0].at.hour == 7  # 13:30 UTC on the clinic's clock (CST)
    assert f"RX{evening:06d}" in local_csv


def test_a_later_step_does_not_change_a_past_days_report(world: World) -> None:
    before = report_for(world)
    step(
        world,
        world["b"],
        "verify",
        "csr2",
        at(9, days=1),
        attestations={"label_checked": True},
        counted_quantity=60,
    )
    after = report_for(world)
    assert after == before


def test_the_pdf_reads_back_and_is_the_same_every_time(world: World, tmp_path: Path) -> None:
    report = report_for(world)
    pdf = day_pdf(report, "Test Animal Hospital")
    assert pdf == day_pdf(report_for(world), "Test Animal Hospital")
    path = tmp_path / "day.pdf"
    path.write_bytes(pdf)
    with pdfplumber.open(path) as document:
        content = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "Day report for Monday, November 02, 2026" in content
    assert "received 4" in content and "denied 1" in content and "still open 3" in content
    assert "approved 2 2 h 15 min 4 h 00 min" in content
    assert f"tramadol 50 mg (C4) T1 fill RX{world['b']:06d} -60 140 csr" in content
    assert "tramadol 50 mg T1 200 -60 140" in content


def test_the_audit_csv_covers_the_range_oldest_first(world: World) -> None:
    with world.db.read() as session:
        rows = list(csv.DictReader(io.StringIO(audit_csv(session, DAY, DAY))))
        two_days = list(
            csv.DictReader(io.StringIO(audit_csv(session, DAY - timedelta(days=1), DAY)))
        )
    assert len(two_days) == len(rows) + 1  # yesterday's request D
    actions = [row["action"] for row in rows if row["request"] == f"RX{world['a']:06d}"]
    assert actions[0] == "receive" and actions[-1] == "dispense"
    deny = next(row for row in rows if row["to_state"] == "denied")
    assert (deny["actor"], deny["role"]) == ("dvm", "dvm")
    assert "EXAM_REQUIRED" in deny["detail"]
    assert [row["at_utc"] for row in rows] == sorted(row["at_utc"] for row in rows)


def test_report_commands(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_day(sqlite_db)
    monkeypatch.setenv("RXFLOW_DATABASE_URL", sqlite_db.url.replace("+pysqlite", ""))
    monkeypatch.setenv("COLUMNS", "200")
    config.cache_clear()
    try:
        runner = CliRunner()
        pdf = tmp_path / "day.pdf"
        shown = runner.invoke(app, ["report", "day", "--date", DAY.isoformat(), "--pdf", str(pdf)])
        assert shown.exit_code == 0, shown.output
        assert "tramadol 50 mg (C4)" in shown.output and pdf.read_bytes().startswith(b"%PDF")
        out = tmp_path / "audit.csv"
        exported = runner.invoke(
            app,
            [
                "report",
                "audit",
                "--from",
                DAY.isoformat(),
                "--to",
                DAY.isoformat(),
                "--out",
                str(out),
            ],
        )
        assert exported.exit_code == 0, exported.output
        assert f"RX{world['c']:06d}" in out.read_text()
        bad = runner.invoke(app, ["report", "day", "--date", "yesterday"])
        assert bad.exit_code != 0
        local = runner.invoke(
            app, ["report", "day", "--date", DAY.isoformat(), "--tz", "America/Chicago"]
        )
        assert local.exit_code == 0 and "(America/Chicago)" in local.output
        assert "07:30" in local.output
        unknown = runner.invoke(app, ["report", "day", "--tz", "Mars/Olympus"])
        assert unknown.exit_code != 0
    finally:
        config.cache_clear()


def test_the_web_view_gets_the_same_figures_as_json(world: World) -> None:
    data = report_json(report_for(world))
    assert json.loads(json.dumps(data)) == data
    assert data["received"] == 4 and data["open_total"] == 3
    assert data["turnaround"]["received_to_approved"]["worst_request_id"] == world["b"]
    assert data["controlled"][0]["balance_after"] == 140
