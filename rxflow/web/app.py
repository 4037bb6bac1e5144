"""The application: middleware, the one list of routes, and errors turned into friendly answers."""

from __future__ import annotations

import logging
import secrets

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from rxflow.db.session import Database
from rxflow.settings import Config
from rxflow.web import api, office, pages
from rxflow.web.ratelimit import LoginLimiter
from rxflow.web.render import STATIC, render

log = logging.getLogger("rxflow.web")

ROUTES = [
    Route("/", pages.home),
    Route("/login", pages.login_form, methods=["GET"]),
    Route("/login", pages.login, methods=["POST"]),
    Route("/logout", pages.logout, methods=["POST"]),
    Route("/queue", pages.queue),
    Route("/queue/rows", pages.queue_rows),
    Route("/queue/approve", pages.batch_approve, methods=["POST"]),
    Route("/desk", pages.desk),
    Route("/intake", pages.intake_form, methods=["GET"]),
    Route("/intake", pages.intake, methods=["POST"]),
    Route("/intake/fax", pages.intake_fax, methods=["POST"]),
    Route("/intake/fax/{fax_id:int}", pages.fax_triage, methods=["GET"]),
    Route("/intake/fax/{fax_id:int}/confirm", pages.fax_confirm, methods=["POST"]),
    Route("/intake/fax/{fax_id:int}/pdf", pages.fax_pdf),
    Route("/search/patients", pages.search_patients),
    Route("/requests/{request_id:int}", pages.request_page),
    Route("/requests/{request_id:int}/fill", pages.fill_page),
    Route("/requests/{request_id:int}/scan", pages.scan_match),
    Route("/requests/{request_id:int}/checklist/{trigger}", pages.checklist_page),
    Route("/requests/{request_id:int}/do/{trigger}", pages.take_step, methods=["POST"]),
    Route("/documents/{document_id:int}", pages.document_pdf),
    Route("/callbacks", office.callbacks),
    Route("/callbacks/{message_id:int}/done", office.callback_done, methods=["POST"]),
    Route("/reports/day", office.day_page),
    Route("/reports/day.pdf", office.day_pdf_page),
    Route("/reports/audit.csv", office.audit_download),
    Mount("/api/v1", routes=api.ROUTES),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/api/"):
        return JSONResponse(
            {"error": "NOT_FOUND" if exc.status_code == 404 else "HTTP_ERROR",
             "reason": "No such address." if exc.status_code == 404 else str(exc.detail)},
            status_code=exc.status_code,
        )  # fmt: skip
    text = "There is no page at this address." if exc.status_code == 404 else str(exc.detail)
    return render(request, "error.html", {"reason": text}, status_code=exc.status_code)


async def _crash(request: Request, exc: Exception) -> Response:
    """Never a stack trace to a person: log it, answer with one sentence."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    reason = "Something went wrong on the server; nothing was changed. Try again."
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "SERVER_ERROR", "reason": reason}, status_code=500)
    return render(request, "error.html", {"reason": reason}, status_code=500)


def create_app(
    config: Config,
    db: Database,
    *,
    bound_host: str = "127.0.0.1",
    https_only: bool = False,
    max_upload_bytes: int = 20 * 1024 * 1024,
) -> Starlette:
    """The web view and API on `db`; `bound_host` decides whether demo logins are allowed."""
    secret = config.secret_key or secrets.token_urlsafe(32)
    app = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=secret,
                session_cookie="rxflow_session",
                max_age=12 * 3600,
                same_site="lax",
                https_only=https_only,
            )
        ],
        exception_handlers={HTTPException: _http_error, Exception: _crash},
    )
    app.state.db = db
    app.state.config = config
    app.state.bound_host = bound_host
    app.state.limiter = LoginLimiter()
    app.state.max_upload_bytes = max_upload_bytes
    return app
