"""`rxflow serve`: the web view and JSON API under uvicorn."""

from __future__ import annotations

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the approval queue, front desk and /api/v1; demo logins work only on loopback."""
    import uvicorn

    from rxflow.cli.context import config, database
    from rxflow.web import create_app
    from rxflow.web.auth import is_loopback

    settings = config()
    db = database()
    app = create_app(settings, db, bound_host=host)
    if is_loopback(host):
        from rxflow.demo.hospital import DEMO_LOGINS

        typer.echo(
            "Demo logins (loopback only): " + ", ".join(f"{u} / {p}" for u, p, _ in DEMO_LOGINS)
        )
    typer.echo(f"rxflow on http://{host}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
