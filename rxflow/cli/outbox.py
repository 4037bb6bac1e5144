"""`rxflow fax-worker` (alias `outbox-worker`) and `rxflow reminders`."""

from __future__ import annotations

import logging
from datetime import date

import typer
from rich.console import Console

from rxflow.cli.context import config, database
from rxflow.db.base import utcnow
from rxflow.errors import InvalidInput

console = Console(highlight=False)


def register(app: typer.Typer) -> None:
    app.command("fax-worker")(fax_worker)
    app.command("outbox-worker", hidden=True)(fax_worker)
    app.command("reminders")(reminders)


def fax_worker(
    once: bool = typer.Option(False, "--once", help="Send what is due now, then exit."),
    poll: float = typer.Option(5.0, "--poll", min=0.2, help="Seconds between passes."),
) -> None:
    """Send queued faxes, emails and texts; record delivery receipts (runs until stopped)."""
    from rxflow.outbox.transports import transports_from_config
    from rxflow.outbox.worker import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    worker = Worker(database(), transports_from_config(config()))
    if once:
        done = worker.run_once()
        console.print(
            f"sent {done.sent}, retrying {done.retried}, failed {done.failed}, "
            f"receipts {done.receipts}, requests settled {done.settled}"
        )
        return
    console.print(f"Outbox worker {worker.name} running; Ctrl-C to stop.")
    worker.run_forever(poll)


def reminders(
    on: str | None = typer.Option(None, "--date", help="Day to remind for (YYYY-MM-DD)."),
) -> None:
    """Queue the refill-due and unclaimed-pickup reminders for a day (safe to run twice)."""
    from rxflow.notify.reminders import queue_reminders

    day = _day(on) if on else utcnow().date()
    run = queue_reminders(database(), day)
    console.print(
        f"{day.isoformat()}: queued {run.refill_due} refill reminder(s) and "
        f"{run.unclaimed} pickup reminder(s)."
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"--date {text!r} is not a date like 2026-11-02.") from None
