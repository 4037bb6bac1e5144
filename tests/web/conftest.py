"""Fixtures for the web tests: the small hospital with passwords, an app, and logged-in browsers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select
from web_helpers import PASSWORD, TestClient, log_in, make_client

from builders import World, build_world
from rxflow.db.models import User
from rxflow.db.session import Database
from rxflow.service.actors import _HASHER
from rxflow.service.tokens import create_token


@pytest.fixture
def world(db: Database) -> World:
    world = build_world(db)
    hashed = _HASHER.hash(PASSWORD)
    with db.write() as session:
        for user in session.scalars(select(User)):
            user.password_hash = hashed
    return world


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
