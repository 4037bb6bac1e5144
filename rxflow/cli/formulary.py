"""`rxflow formulary import|export`: the product list as CSV."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from rxflow.cli.context import database
from rxflow.errors import InvalidInput
from rxflow.formulary import read_csv, write_csv
from rxflow.service.formulary import export_formulary, import_formulary

app = typer.Typer(help="The formulary (products) as CSV.", no_args_is_help=True)
console = Console(highlight=False)


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="CSV with the formulary columns."),
) -> None:
    """Add new products and update known ones (matched by NDC)."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(f"Cannot read {file} as a UTF-8 CSV file.") from None
    entries = read_csv(text)
    with database().write() as session:
        added, updated = import_formulary(session, entries)
    console.print(f"Formulary: {added} added, {updated} updated.")


@app.command("export")
def export_command(
    out: Path | None = typer.Option(None, "--out", help="File (default: stdout)."),
) -> None:
    """Write the formulary as CSV."""
    with database().read() as session:
        text = write_csv(export_formulary(session))
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
