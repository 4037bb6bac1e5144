"""One CSRF token per session, put in every form and checked on every POST from a browser."""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request

from rxflow.errors import Forbidden

_KEY = "csrf"


def token(request: Request) -> str:
    """The session's token, made on first use."""
    current = request.session.get(_KEY)
    if not isinstance(current, str):
        current = secrets.token_urlsafe(32)
        request.session[_KEY] = current
    return current


def check(request: Request, submitted: object) -> None:
    """Refuse a form whose token is missing or not this session's (a forged cross-site POST)."""
    expected = request.session.get(_KEY)
    if (
        not isinstance(expected, str)
        or not isinstance(submitted, str)
        or not hmac.compare_digest(expected, submitted)
    ):
        raise Forbidden("This form has expired or did not come from rxflow; reload the page.")
