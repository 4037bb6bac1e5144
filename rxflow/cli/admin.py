"""Set-up commands: init (migrate, optional demo hospital), users and API tokens."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from rxflow.cli.context import database
from rxflow.db import migrate
from rxflow.db.models import User
from rxflow.db.session import Database
from rxflow.errors import InvalidInput
from rxflow.service.actors import add_user
from rxflow.service.tokens import create_token

console = Console(highlight=False)
users = typer.Typer(help="Staff accounts.", no_args_is_help=True)
tokens = typer.Typer(help="API tokens for integrations.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(users, name="user")
    app.add_typer(tokens, name="token")


def init(
    demo: bool = typer.Option(False, "--demo", help="Load the demo hospital, open mid-morning."),
) -> None:
    """Create or migrate the database to the newest schema."""
    db = database()
    migrate.upgrade(db)
    ensure_worker_user(db)
    console.print(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")
    if not demo:
        return
    from rxflow.demo.hospital import DEMO_LOGINS, is_seeded, open_mid_morning, seed_hospital

    if not is_seeded(db):
        seed_hospital(db)
        open_mid_morning(db)
        console.print("Demo hospital loaded: Maple Street Animal Hospital, open mid-morning.")
    table = Table(title="Demo logins (loopback only)")
    for column in ("username", "password", "role"):
        table.add_column(column)
    for username, password, role in DEMO_LOGINS:
        table.add_row(username, password, role)
    console.print(table)


def ensure_worker_user(db: Database) -> None:
    """The fax and message worker acts as its own user (role system), created once."""
    with db.write() as session:
        if session.scalar(select(User.id).where(User.username == "fax-worker")) is None:
            add_user(session, "fax-worker", "system", display_name="Fax and message worker")


@users.command("add")
def user_add(
    name: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(..., "--role", help="csr, dvm, manager or admin."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from stdin."
    ),
    display_name: str | None = typer.Option(None, "--display-name"),
    license_number: str | None = typer.Option(None, "--license"),
    dea_number: str | None = typer.Option(None, "--dea"),
) -> None:
    """Add a staff account; the password is prompted without echo (or read from stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise InvalidInput("A password is required.")
    db = database()
    with db.write() as session:
        user = add_user(
            session,
            name,
            role,
            password=password,
            display_name=display_name,
            license_number=license_number,
            dea_number=dea_number,
        )
        console.print(f"Added {user.username} ({user.role}), id {user.id}.")


@tokens.command("create")
def token_create(
    username: str = typer.Argument(...), name: str = typer.Option("", "--name")
) -> None:
    """Print a new API token for USER (shown once; only its hash is stored)."""
    db = database()
    with db.write() as session:
        token = create_token(session, username, name)
    print(token)
