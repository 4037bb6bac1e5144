"""Helpers shared by the web tests: an app on a database, and logging in through the form."""

from __future__ import annotations

import re
import warnings

from starlette.exceptions import StarletteDeprecationWarning

from rxflow.db.session import Database
from rxflow.settings import load_config
from rxflow.web import create_app

# starlette 1.x warns at import that TestClient will move from httpx to httpx2; only that one.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning)
    from starlette.testclient import TestClient

PASSWORD = "correct-horse-42"


def make_client(db: Database, *, bound_host: str = "127.0.0.1") -> TestClient:
    app = create_app(load_config({}), db, bound_host=bound_host)
    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "every page with a form carries a CSRF token"
    return found.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"csrf": token, "username": username, "password": password}
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/desk").text)
