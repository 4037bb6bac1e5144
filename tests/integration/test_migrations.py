"""Migrations: empty to head matches the models; head back to base leaves nothing behind."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from rxflow.db import migrate
from rxflow.db.models import Base
from rxflow.db.session import Database


def test_upgrade_matches_the_models_and_downgrade_to_base_works(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    migrate.downgrade(db, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(db)
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_init_on_an_already_migrated_database_is_a_no_op(db: Database) -> None:
    migrate.upgrade(db)
    assert migrate.is_initialised(db)
