"""The back office in the web view: the day report (page and PDF), the audit trail as CSV for
managers, and the callback list of clients the desk must phone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from rxflow.db.base import utcnow
from rxflow.db.models import Practice
from rxflow.errors import Forbidden, InvalidInput
from rxflow.notify.views import callback_list, record_callback
from rxflow.reports.audit import audit_csv
from rxflow.reports.day import day_report, report_json
from rxflow.reports.render import day_pdf
from rxflow.web.auth import SessionUser
from rxflow.web.pages import _db, _form, page
from rxflow.web.render import render

MANAGERS = {"manager", "admin"}


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"'{text}' is not a date (use YYYY-MM-DD).") from None


def _report(request: Request) -> tuple[dict[str, Any], bytes | None]:
    day = _day(request.query_params.get("date"), utcnow().date())
    with _db(request).read() as session:
        report = day_report(session, day)
        practice = session.query(Practice).first()
        pdf = (
            day_pdf(report, practice.name if practice else "")
            if request.url.path.endswith(".pdf")
            else None
        )
        return {"report": report_json(report), "day": day}, pdf


@page
async def day_page(request: Request, user: SessionUser) -> Response:
    """The end-of-day figures for a date (default today), with a PDF to print."""
    context, _ = await run_in_threadpool(_report, request)
    context["is_manager"] = user.role in MANAGERS
    context["week_ago"] = context["day"] - timedelta(days=7)
    return render(request, "report_day.html", context)


@page
async def day_pdf_page(request: Request, user: SessionUser) -> Response:
    context, pdf = await run_in_threadpool(_report, request)
    assert pdf is not None
    name = f"day-report-{context['day'].isoformat()}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})  # fmt: skip


@page
async def audit_download(request: Request, user: SessionUser) -> Response:
    """The audit trail for a date range as CSV: practice managers only."""
    if user.role not in MANAGERS:
        raise Forbidden("Only a practice manager can download the audit trail.")
    today = utcnow().date()
    first = _day(request.query_params.get("from"), today)
    last = _day(request.query_params.get("to"), first)
    if last < first:
        raise InvalidInput("The end date is before the start date.")

    def build() -> str:
        with _db(request).read() as session:
            return audit_csv(session, first, last)

    text = await run_in_threadpool(build)
    name = f"audit-{first.isoformat()}-to-{last.isoformat()}.csv"
    return Response(text, media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@page
async def callbacks(request: Request, user: SessionUser) -> Response:
    """Clients to phone: messages that failed, or clients who asked for a call."""

    def load() -> list[Any]:
        with _db(request).read() as session:
            return list(callback_list(session))

    rows = await run_in_threadpool(load)
    return render(request, "callbacks.html", {"callbacks": rows})


@page
async def callback_done(request: Request, user: SessionUser) -> Response:
    form = await _form(request)
    message_id = int(request.path_params["message_id"])
    note = str(form.get("note") or "").strip() or "Called the client."
    await run_in_threadpool(
        record_callback, _db(request), message_id, actor_id=user.id, note=note, now=utcnow()
    )
    return RedirectResponse("/callbacks", status_code=303)
