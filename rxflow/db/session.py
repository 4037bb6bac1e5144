"""The engine and the two kinds of session: a read, and a write that is one transaction.

SQLite writes start with BEGIN IMMEDIATE so two writers queue on the lock (busy timeout)
instead of failing on a stale snapshot; the second then sees the first's version and gets a
clear conflict. PostgreSQL writes lock the request row with SELECT … FOR UPDATE instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from rxflow.errors import StorageUnavailable

_WRITE = "rxflow_write"


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://) and pick the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _sqlite_setup(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite recipe)
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """One per process: owns the engine; `write()` is the unit of work (one commit)."""

    def __init__(
        self, url: str, *, echo: bool = False, pool_size: int = 10, busy_timeout_ms: int = 15000
    ) -> None:
        self.url = normalise_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.is_postgres = parsed.get_backend_name() == "postgresql"
        # Error messages never carry SQL parameters: they may hold client or patient data and
        # errors reach logs.
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {
                "timeout": busy_timeout_ms / 1000,
                "check_same_thread": False,
            }
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        self.engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _sqlite_setup(self.engine, busy_timeout_ms)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for looking; closing it discards anything it changed (never committed).

        Objects read stay usable after the block (closing expunges without expiring them).
        """
        with _storage_errors(), self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commits when the block ends, rolls back on any error."""
        with _storage_errors(), self._sessions() as session:
            session.connection(execution_options={_WRITE: True})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _storage_errors() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        raise StorageUnavailable(_storage_sentence(exc)) from None
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise StorageUnavailable(
                "The database connection was lost; nothing was saved."
            ) from None
        raise


def _storage_sentence(exc: OperationalError) -> str:
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        return "The database is busy (locked by another program); nothing was saved. Try again."
    return "The database cannot be reached; nothing was saved. Check RXFLOW_DATABASE_URL."
