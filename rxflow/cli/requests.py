"""`rxflow request …`: take requests and move them through the workflow from a terminal."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from rxflow.cli.context import database, user_id
from rxflow.db.models import RefillRequest
from rxflow.errors import InvalidInput
from rxflow.service import workflow
from rxflow.service.views import RequestView

app = typer.Typer(help="Refill requests.", no_args_is_help=True)
console = Console(highlight=False)


def _show(view: RequestView) -> None:
    console.print(
        f"#{view.id} {view.state} (version {view.version}) — {view.patient_name} "
        f"({view.species}), {view.drug}, qty {view.quantity:g}",
        markup=False,
    )


@app.command("new")
def new(
    as_user: str = typer.Option(..., "--as", help="Username taking the request."),
    prescription: int | None = typer.Option(None, "--prescription"),
    patient: int | None = typer.Option(None, "--patient"),
    product: int | None = typer.Option(None, "--product"),
    directions: str | None = typer.Option(None, "--directions"),
    quantity: float | None = typer.Option(None, "--quantity"),
    source: str = typer.Option("phone", "--source"),
    fulfillment: str = typer.Option("in_house", "--fulfillment"),
    pharmacy: int | None = typer.Option(None, "--pharmacy"),
) -> None:
    """Receive a refill request."""
    db = database()
    data: dict[str, Any] = {
        "prescription_id": prescription,
        "patient_id": patient,
        "product_id": product,
        "directions": directions,
        "quantity": quantity,
        "source": source,
        "fulfillment": fulfillment,
        "pharmacy_id": pharmacy,
    }
    _show(workflow.receive_request(db, data, actor_id=user_id(db, as_user)))


@app.command("fire")
def fire(
    request_id: int = typer.Argument(...),
    trigger: str = typer.Argument(...),
    as_user: str = typer.Option(..., "--as", help="Username taking the step."),
    payload: str = typer.Option("{}", "--payload", help="JSON object with the step's fields."),
    version: int | None = typer.Option(None, "--version", help="Refuse if the request changed."),
) -> None:
    """Take one step (authorize, approve, fill, verify, dispense, …) on a request."""
    try:
        data = json.loads(payload)
    except json.JSONDecodeError:
        raise InvalidInput("--payload is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InvalidInput("--payload must be a JSON object.")
    db = database()
    view = workflow.fire(
        db,
        request_id,
        trigger,
        actor_id=user_id(db, as_user),
        payload=data,
        expected_version=version,
    )
    _show(view)


@app.command("show")
def show(
    request_id: int = typer.Argument(...),
    as_user: str | None = typer.Option(None, "--as", help="Also list the steps USER may take."),
) -> None:
    """Show a request and, with --as, what that user may do next."""
    db = database()
    _show(workflow.get_request(db, request_id))
    if as_user:
        allowed = workflow.allowed_triggers(db, request_id, actor_id=user_id(db, as_user))
        console.print("Next steps: " + (", ".join(allowed) or "none"))


@app.command("history")
def history(request_id: int = typer.Argument(...)) -> None:
    """Every event of a request with who and when."""
    table = Table(title=f"Request #{request_id}")
    for column in ("when", "who", "step", "from", "to"):
        table.add_column(column)
    for event in workflow.history(database(), request_id):
        table.add_row(
            f"{event.at:%Y-%m-%d %H:%M}",
            event.actor or "",
            event.action,
            event.from_state or "",
            event.to_state or "",
        )
    console.print(table)


@app.command("list")
def list_requests(state: str | None = typer.Option(None, "--state")) -> None:
    """Requests, newest first, optionally in one state."""
    db = database()
    with db.read() as session:
        query = select(RefillRequest.id).order_by(RefillRequest.id.desc()).limit(200)
        if state:
            query = query.where(RefillRequest.state == state)
        ids = list(session.scalars(query))
    for request_id in ids:
        _show(workflow.get_request(db, request_id))
