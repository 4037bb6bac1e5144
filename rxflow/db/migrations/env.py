"""Alembic environment: runs on the connection rxflow hands it, or on RXFLOW_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from rxflow.db.models import Base
from rxflow.db.session import Database
from rxflow.settings import load_config

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    database = Database(config.get_main_option("sqlalchemy.url") or load_config().database_url)
    with database.engine.connect() as conn:
        _run(conn)
        conn.commit()
    database.dispose()
