"""What every command needs: the configuration, the database and the acting user."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select

from rxflow.db.models import User
from rxflow.db.session import Database
from rxflow.errors import NotFound
from rxflow.settings import Config, load_config


@lru_cache(maxsize=1)
def config() -> Config:
    return load_config()


def database(url: str | None = None) -> Database:
    return Database(url or config().database_url)


def user_id(db: Database, username: str) -> int:
    with db.read() as session:
        found = session.scalar(select(User.id).where(User.username == username))
    if found is None:
        raise NotFound("user", username)
    return found
