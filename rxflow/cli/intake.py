"""`rxflow intake FILE.pdf`: take in an incoming pharmacy fax from a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from sqlalchemy import select

from rxflow.cli.context import database, user_id
from rxflow.db.models import User
from rxflow.db.session import Database
from rxflow.errors import InvalidInput, NotFound

console = Console(highlight=False)


def system_user(db: Database) -> int:
    with db.read() as session:
        found = session.scalar(select(User.id).where(User.role == "system", User.active.is_(True)))
    if found is None:
        raise NotFound("system user", "fax-worker (run `rxflow init`)")
    return found


def intake(
    file: Path = typer.Argument(..., help="The incoming fax, a PDF."),
    as_json: bool = typer.Option(False, "--json", help="Print what was read as JSON."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Read and match; create nothing."),
    as_user: str | None = typer.Option(None, "--as", help="Who takes it in (default: the worker)."),
) -> None:
    """Read an incoming fax: store it, extract the fields, match them, create or triage."""
    from rxflow.fax.intake_service import intake_pdf

    try:
        content = file.read_bytes()
    except OSError:
        raise InvalidInput(f"Cannot read {file}.") from None
    db = database()
    actor = user_id(db, as_user) if as_user else system_user(db)
    outcome = intake_pdf(db, content, file.name, actor, dry_run=dry_run)
    if as_json:
        print(json.dumps(outcome.as_json(), indent=2, default=str))
    elif outcome.error is None:
        for item in outcome.items:
            verdict = "request" if item.get("request_id") else "triage"
            console.print(
                f"{verdict}: {item['client_name']} / {item['patient_name']} ({item['species']}) "
                f"{item['drug']} {item['strength']} qty {item['quantity']}",
                markup=False,
            )
    if outcome.error is not None:
        kept = (
            f" The original is kept as incoming fax #{outcome.inbound_fax_id}."
            if outcome.inbound_fax_id
            else ""
        )
        raise InvalidInput(outcome.error + kept)
