"""The `rxflow` command: every error becomes one line on stderr and an exit code, never a trace."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from rxflow.cli import admin, demo, formulary, intake, outbox, reports, requests, serve
from rxflow.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    RxflowError,
    StorageUnavailable,
)

EXIT_CODES: list[tuple[type[RxflowError], int]] = [
    (InvalidInput, 2),
    (NotFound, 3),
    (Forbidden, 4),
    (Conflict, 5),
    (RuleViolation, 6),
    (StorageUnavailable, 7),
]

app = typer.Typer(
    help="rxflow: refill requests from received to dispensed or faxed.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
admin.register(app)
app.add_typer(requests.app, name="request")
app.add_typer(formulary.app, name="formulary")
app.command("demo")(demo.demo)
app.command("intake")(intake.intake)
app.command("serve")(serve.serve)
app.add_typer(reports.app, name="report")
outbox.register(app)


def main() -> None:
    """Console entry point."""
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        app()
    except RxflowError as exc:
        code = next((c for kind, c in EXIT_CODES if isinstance(exc, kind)), 1)
        label = f"{exc.code}: " if isinstance(exc, RuleViolation) else ""
        errors.print(f"error: {label}{exc.reason}", markup=False)
        sys.exit(code)
    except SQLAlchemyError:
        errors.print("error: the database refused the change; nothing was saved.", markup=False)
        sys.exit(7)
    except KeyboardInterrupt:
        sys.exit(130)
