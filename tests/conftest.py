"""Shared fixtures: a migrated database per test on SQLite and on PostgreSQL.

PostgreSQL comes from RXFLOW_TEST_PG_URL (set by scripts/with-postgres.sh: the local server or a
private throwaway one). Each test gets its own database cloned from a migrated template, and the
template and clones are dropped at the end; no other database is touched.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from rxflow.db import migrate
from rxflow.db.session import Database

PG_URL = os.environ.get("RXFLOW_TEST_PG_URL", "")
BACKENDS = ["sqlite", "postgres"]


def _pg_admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(PG_URL, autocommit=True)


def _pg_url(name: str) -> str:
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    if not PG_URL:
        pytest.fail("RXFLOW_TEST_PG_URL is not set: run the tests with `make test`.")
    name = f"rxflow_tpl_{uuid.uuid4().hex[:10]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database = Database(_pg_url(name))
    migrate.upgrade(database)
    database.dispose()
    yield name
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A migrated, empty database of `backend`, dropped when the test ends."""
    if backend == "sqlite":
        path = tmp_path / f"rxflow-{uuid.uuid4().hex[:6]}.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        database = Database(f"sqlite:///{path}")
        request.addfinalizer(database.dispose)
        return database
    template = request.getfixturevalue("pg_template")
    name = f"rxflow_test_{uuid.uuid4().hex[:10]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    database = Database(_pg_url(name), pool_size=4)

    def drop() -> None:
        database.dispose()
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    request.addfinalizer(drop)
    return database


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    return fresh_database(request.param, request, tmp_path)


@pytest.fixture
def sqlite_db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    return fresh_database("sqlite", request, tmp_path)
