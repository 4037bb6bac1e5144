"""Templates, and turning engine errors into the status and sentence a person sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from rxflow.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    RxflowError,
    StorageUnavailable,
)
from rxflow.web import csrf
from rxflow.web.auth import current_user

HERE = Path(__file__).parent
STATIC = HERE / "static"
ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
)
ENV.filters["words"] = lambda value: str(value or "").replace("_", " ")
ENV.filters["when"] = lambda value: value.strftime("%b %d %H:%M") if value else ""


def status_of(exc: RxflowError) -> int:
    """The HTTP status for an engine error (the same for pages and the API)."""
    for kind, status in (
        (NotFound, 404),
        (Forbidden, 403),
        (Conflict, 409),
        (InvalidInput, 422),
        (RuleViolation, 422),
        (StorageUnavailable, 503),
    ):
        if isinstance(exc, kind):
            return status
    return 400


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    user = current_user(request) if "session" in request.scope else None
    full = {
        "user": user,
        "csrf": csrf.token(request) if "session" in request.scope else "",
        "path": request.url.path,
        **context,
    }
    html = ENV.get_template(name).render(full)
    return HTMLResponse(html, status_code=status_code)
