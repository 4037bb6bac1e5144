"""`rxflow serve`: the web view and JSON API under uvicorn."""

from __future__ import annotations

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    https: bool = typer.Option(
        False, "--https", help="Behind a TLS proxy: mark the session cookie Secure."
    ),
) -> None:
    """Serve the approval queue, front desk and /api/v1; demo logins work only on loopback."""
    import uvicorn
    from sqlalchemy import select

    from rxflow.cli.context import config, database
    from rxflow.db.models import User
    from rxflow.demo.hospital import DEMO_LOGINS
    from rxflow.web import create_app
    from rxflow.web.auth import is_loopback

    db = database()
    app = create_app(config(), db, bound_host=host, https_only=https)
    if is_loopback(host):
        with db.read() as session:
            present = set(session.scalars(select(User.username)))
        logins = [f"{user} / {password}" for user, password, _ in DEMO_LOGINS if user in present]
        if logins:
            typer.echo("Demo logins (this address only): " + ", ".join(logins))
    typer.echo(f"rxflow on http://{host}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=https)
