"""Fixtures for the web tests: the small hospital with passwords, an app, and logged-in browsers."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select
from starlette.exceptions import StarletteDeprecationWarning

# starlette 1.x warns at import that TestClient will move from httpx to httpx2; only that one.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=StarletteDeprecationWarning)
    from starlette.testclient import TestClient

from rxflow.db.models import User
from rxflow.db.session import Database
from rxflow.service.actors import _HASHER
from rxflow.service.tokens import create_token
from rxflow.settings import load_config
from rxflow.web import create_app
from builders import World, build_world

PASSWORD = "correct-horse-42"


@pytest.fixture
def world(db: Database) -> World:
    world = build_world(db)
    hashed = _HASHER.hash(PASSWORD)
    with db.write() as session:
        for user in session.scalars(select(User)):
            user.password_hash = hashed
    return world


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


@pytest.fixture
def browser(world: World) -> Iterator[Callable[[str], tuple[TestClient, str]]]:
    """A logged-in TestClient (and its CSRF token) for a user key of the world."""
    clients: list[TestClient] = []

    def open_as(username: str) -> tuple[TestClient, str]:
        client = make_client(world.db)
        clients.append(client)
        return client, log_in(client, username)

    yield open_as
    for client in clients:
        client.close()


@pytest.fixture
def api(world: World) -> Iterator[Callable[[str], TestClient]]:
    """A TestClient with a Bearer token for a user key of the world."""
    clients: list[TestClient] = []

    def open_as(username: str) -> TestClient:
        with world.db.write() as session:
            token = create_token(session, username, "test")
        client = make_client(world.db)
        client.headers["Authorization"] = f"Bearer {token}"
        clients.append(client)
        return client

    yield open_as
    for client in clients:
        client.close()
