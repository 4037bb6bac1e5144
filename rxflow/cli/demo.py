"""`rxflow demo`: a simulated front-desk day in a throwaway database, with its documents."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import func, select

from rxflow.db import migrate
from rxflow.db.models import Document, RefillRequest
from rxflow.db.session import Database

if TYPE_CHECKING:
    from rxflow.demo.desk import Desk

console = Console(highlight=False)


def demo(
    out: Path | None = typer.Option(None, "--out", help="Write every document issued here."),
    requests: int = typer.Option(48, "--requests", min=1, max=2000, help="Requests in the day."),
) -> None:
    """Run a front-desk day of refill requests through every path and print the summary."""
    from rxflow.demo.day import run_day
    from rxflow.demo.hospital import seed_hospital

    folder = out or Path(tempfile.mkdtemp(prefix="rxflow-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    database_file = folder / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database_file}{suffix}").unlink(missing_ok=True)
    db = Database(f"sqlite:///{database_file}")
    migrate.upgrade(db)
    seed_hospital(db)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Front desk at work", total=requests)
        desk = run_day(db, requests, progress=lambda: progress.advance(task))
    written = write_documents(db, folder)
    print_summary(db, desk, written, folder)
    db.dispose()


def write_documents(db: Database, folder: Path) -> int:
    """Every issued document as a PDF file, void ones marked in the name."""
    target = folder / "documents"
    target.mkdir(exist_ok=True)
    count = 0
    with db.read() as session:
        for document in session.scalars(select(Document).order_by(Document.id)):
            void = "-VOID" if document.voided_at else ""
            name = f"{document.id:04d}-{document.filename.removesuffix('.pdf')}{void}.pdf"
            (target / name).write_bytes(document.content)
            count += 1
    return count


def print_summary(db: Database, desk: Desk, documents: int, folder: Path) -> None:
    with db.read() as session:
        states = dict(
            session.execute(
                select(RefillRequest.state, func.count()).group_by(RefillRequest.state)
            ).all()
        )
        kinds = dict(
            session.execute(select(Document.kind, func.count()).group_by(Document.kind)).all()
        )
    table = Table(title=f"{sum(states.values())} requests: where the day ended")
    table.add_column("state")
    table.add_column("requests", justify="right")
    for state, count in sorted(states.items(), key=lambda item: -item[1]):
        table.add_row(state, str(count))
    console.print(table)
    refusals = Table(title=f"{len(desk.refusals)} steps the engine refused, by rule")
    for column in ("rule", "times", "example (what the desk was told)"):
        refusals.add_column(column)
    counts = Counter(r.code for r in desk.refusals)
    for code, count in counts.most_common():
        example = next(r for r in desk.refusals if r.code == code)
        refusals.add_row(
            code, str(count), f"#{example.request_id} {example.trigger}: {example.reason}"
        )
    console.print(refusals)
    caught = Table(title="Fills the checklist caught (each with the reason the desk saw)")
    caught.add_column("request")
    caught.add_column("reason")
    seen: set[str] = set()
    for refusal in desk.refusals:
        if refusal.code == "CHECKLIST_FAILED" and refusal.reason not in seen:
            seen.add(refusal.reason)
            caught.add_row(f"#{refusal.request_id}", refusal.reason)
    console.print(caught)
    docs = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    console.print(f"{documents} documents in {folder / 'documents'}: {docs}")
