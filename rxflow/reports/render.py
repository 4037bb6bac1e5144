"""The day report as terminal tables (rich) and as a PDF for the closing binder (reportlab).

The PDF is deterministic: the same report gives the same bytes (no timestamps, invariant mode).
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Spacer
from rich.console import Console
from rich.table import Table

from rxflow.documents.page import HEADING, TITLE, build, grid, text
from rxflow.reports.day import AGE_BANDS, OLDEST_BAND, DayReport, Turnaround

BANDS = [name for name, _ in AGE_BANDS] + [OLDEST_BAND]


def _hours(value: float | None) -> str:
    """'2 h 15 min': how long, as the front desk says it."""
    if value is None:
        return "-"
    hours, minutes = divmod(round(value * 60), 60)
    return f"{hours} h {minutes:02d} min"


def _qty(value: Decimal) -> str:
    text_value = f"{value.normalize():f}"
    return text_value


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + _qty(value)


def summary_rows(report: DayReport) -> list[tuple[str, str]]:
    rows = [("received", str(report.received))]
    rows += [(label, str(count)) for label, count in report.decided.items()]
    rows.append(("still open", str(report.open_total)))
    return rows


def turnaround_rows(report: DayReport) -> list[tuple[str, str, str, str]]:
    def row(label: str, value: Turnaround) -> tuple[str, str, str, str]:
        return (label, str(value.count), _hours(value.median_hours), _hours(value.worst_hours))

    return [
        row("received to approved", report.to_approved),
        row("received to ready", report.to_ready),
    ]


def open_rows(report: DayReport) -> list[list[str]]:
    return [
        [state.replace("_", " "), *[str(bands.get(band, 0)) for band in BANDS]]
        for state, bands in report.open_by_state.items()
    ]


def controlled_rows(report: DayReport) -> list[list[str]]:
    return [
        [
            f"{line.at:%H:%M}",
            f"{line.product} (C{line.schedule})",
            line.lot_number,
            line.reason,
            f"RX{line.request_id:06d}" if line.request_id else "",
            _signed(line.delta),
            _qty(line.balance_after),
            line.by,
        ]
        for line in report.controlled
    ]


LOT_HEADER = ["Drug", "Lot", "Opening", "Change", "Closing"]


def lot_rows(report: DayReport) -> list[list[str]]:
    return [
        [lot.product, lot.lot_number, _qty(lot.opening), _signed(lot.moved), _qty(lot.closing)]
        for lot in report.lot_balances
    ]


CONTROLLED_HEADER = ["Time", "Drug", "Lot", "Reason", "Request", "Change", "Balance", "By"]


def print_day(report: DayReport, console: Console) -> None:
    """The report as rich tables in the terminal."""
    console.print(f"[bold]Day report for {report.day:%A, %B %d, %Y}[/bold] ({report.zone})")
    summary = Table(title="Requests", show_header=False)
    summary.add_column("what")
    summary.add_column("count", justify="right")
    for label, count in summary_rows(report):
        summary.add_row(label, count)
    console.print(summary)

    turnaround = Table(title="Turnaround")
    for name in ("from", "requests", "median", "worst"):
        turnaround.add_column(name, justify="left" if name == "from" else "right")
    for row in turnaround_rows(report):
        turnaround.add_row(*row)
    console.print(turnaround)

    still_open = Table(title="Still open at close, by age")
    still_open.add_column("state")
    for band in BANDS:
        still_open.add_column(band, justify="right")
    for open_row in open_rows(report):
        still_open.add_row(*open_row)
    console.print(still_open)

    staff = Table(title="Staff")
    staff.add_column("name")
    staff.add_column("fills", justify="right")
    staff.add_column("verifications", justify="right")
    for line in report.staff:
        staff.add_row(line.name, str(line.fills), str(line.verifications))
    console.print(staff)

    controlled = Table(title="Controlled-substance log")
    for name in CONTROLLED_HEADER:
        controlled.add_column(name, justify="right" if name in ("Change", "Balance") else "left")
    for log_row in controlled_rows(report):
        controlled.add_row(*log_row)
    if not report.controlled:
        console.print("Controlled-substance log: no movements of scheduled drugs.")
        return
    console.print(controlled)
    balances = Table(title="Scheduled lots: opening and closing balance")
    for name in LOT_HEADER:
        balances.add_column(name, justify="left" if name in ("Drug", "Lot") else "right")
    for lot_row in lot_rows(report):
        balances.add_row(*lot_row)
    console.print(balances)


def day_pdf(report: DayReport, practice_name: str = "") -> bytes:
    """The report as a PDF; the same report always gives the same bytes."""
    width = 7.0 * inch
    title = f"Day report {report.day.isoformat()}"
    story: list[Flowable] = [
        text(practice_name or "Day report", TITLE),
        text(f"Day report for {report.day:%A, %B %d, %Y} ({report.zone})", HEADING),
        grid(["Requests", "Count"], summary_rows(report), [width * 0.7, width * 0.3]),
        Spacer(1, 0.15 * inch),
        text("Turnaround", HEADING),
        grid(
            ["From received to", "Requests", "Median", "Worst"],
            [
                (label.removeprefix("received to "), *rest)
                for label, *rest in turnaround_rows(report)
            ],
            [width * 0.4, width * 0.2, width * 0.2, width * 0.2],
        ),
        Spacer(1, 0.15 * inch),
        text("Still open at close, by age", HEADING),
    ]
    rows = open_rows(report)
    story.append(
        grid(["State", *BANDS], rows, [width * 0.28] + [width * 0.18] * len(BANDS))
        if rows
        else text("Nothing open.")
    )
    story += [Spacer(1, 0.15 * inch), text("Staff", HEADING)]
    staff = [(line.name, str(line.fills), str(line.verifications)) for line in report.staff]
    story.append(
        grid(["Name", "Fills", "Verifications"], staff, [width * 0.5, width * 0.25, width * 0.25])
        if staff
        else text("No fills or verifications.")
    )
    story += [Spacer(1, 0.15 * inch), text("Controlled-substance log", HEADING)]
    log_rows = controlled_rows(report)
    story.append(
        grid(
            CONTROLLED_HEADER,
            log_rows,
            [w * width for w in (0.08, 0.24, 0.1, 0.1, 0.12, 0.1, 0.1, 0.16)],
        )
        if log_rows
        else text("No movements of scheduled drugs.")
    )
    if log_rows:
        story += [
            Spacer(1, 0.1 * inch),
            grid(LOT_HEADER, lot_rows(report), [w * width for w in (0.36, 0.16, 0.16, 0.16, 0.16)]),
        ]
    return build(story, title, footer=title)
