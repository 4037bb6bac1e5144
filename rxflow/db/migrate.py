"""Apply Alembic migrations from code (`rxflow init`, tests) without an alembic.ini file."""

from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import inspect

from rxflow.db.session import Database


def alembic_config(database: Database) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", "rxflow.db:migrations")
    cfg.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return cfg


def upgrade(database: Database, revision: str = "head") -> None:
    """Migrate the database to `revision` (creating it from empty when new)."""
    cfg = alembic_config(database)
    with database.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def downgrade(database: Database, revision: str = "base") -> None:
    cfg = alembic_config(database)
    with database.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


def is_initialised(database: Database) -> bool:
    return inspect(database.engine).has_table("alembic_version")
