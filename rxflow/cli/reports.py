"""`rxflow report day` and `rxflow report audit`: the closing report and the audit-trail export."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console

from rxflow.cli.context import database
from rxflow.errors import InvalidInput

app = typer.Typer(help="End-of-day report and audit-trail export.", no_args_is_help=True)


TZ_HELP = "The practice's time zone, e.g. America/Chicago (default: RXFLOW_TIMEZONE or UTC)."


def _zone(value: str | None) -> tzinfo:
    """The practice's clock: --tz, else RXFLOW_TIMEZONE, else UTC."""
    name = (value or os.environ.get("RXFLOW_TIMEZONE", "")).strip()
    if not name or name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Unknown time zone {name!r}; use a name like America/Chicago."
        ) from None


def _date(value: str | None, what: str, zone: tzinfo = UTC) -> date:
    if value is None:
        return datetime.now(zone).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"The {what} must be a date like 2026-11-02.") from None


@app.command("day")
def day(
    on: str | None = typer.Option(None, "--date", help="The day (YYYY-MM-DD); today."),
    pdf: Path | None = typer.Option(None, "--pdf", help="Also write the report as a PDF."),
    tz: str | None = typer.Option(None, "--tz", help=TZ_HELP),
) -> None:
    """Print the day's report; with --pdf, write it as a PDF too."""
    from sqlalchemy import select

    from rxflow.db.models import Practice
    from rxflow.reports.day import day_report
    from rxflow.reports.render import day_pdf, print_day

    zone = _zone(tz)
    when = _date(on, "date", zone)
    console = Console(highlight=False)
    db = database()
    with db.read() as session:
        report = day_report(session, when, zone)
        practice = session.scalar(select(Practice.name).limit(1)) or ""
    print_day(report, console)
    if pdf is not None:
        try:
            pdf.write_bytes(day_pdf(report, practice))
        except OSError:
            raise InvalidInput(f"Cannot write {pdf}.") from None
        console.print(f"PDF written to {pdf}")


@app.command("audit")
def audit(
    first: str = typer.Option(..., "--from", help="First day (YYYY-MM-DD)."),
    last: str = typer.Option(..., "--to", help="Last day, included (YYYY-MM-DD)."),
    out: Path | None = typer.Option(None, "--out", help="Write the CSV here (default: stdout)."),
    tz: str | None = typer.Option(None, "--tz", help=TZ_HELP),
) -> None:
    """Export the audit trail for a date range as CSV."""
    from rxflow.reports.audit import audit_csv

    db = database()
    with db.read() as session:
        zone = _zone(tz)
        content = audit_csv(session, _date(first, "--from date"), _date(last, "--to date"), zone)
    if out is None:
        typer.echo(content, nl=False)
        return
    try:
        out.write_text(content, encoding="utf-8")
    except OSError:
        raise InvalidInput(f"Cannot write {out}.") from None
    Console(highlight=False).print(f"{content.count(chr(10)) - 1} events written to {out}")
