"""Staff accounts: creating users with argon2 hashes, checking passwords, loading an Actor."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from rxflow.db.models import User
from rxflow.errors import InvalidInput, NotFound
from rxflow.facts import Actor
from rxflow.states.definition import Role

_HASHER = PasswordHasher()
# Verifying against this when the user does not exist keeps login time the same either way.
_DUMMY_HASH = _HASHER.hash("not a real password")


def actor_for(user: User) -> Actor:
    return Actor(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        license_number=user.license_number,
        dea_number=user.dea_number,
        has_signature=user.signature_png is not None,
    )


def load_actor(session: Session, user_id: int) -> Actor:
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound("user", user_id)
    return actor_for(user)


def add_user(
    session: Session,
    username: str,
    role: str,
    *,
    password: str | None = None,
    display_name: str | None = None,
    license_number: str | None = None,
    dea_number: str | None = None,
) -> User:
    """Create a staff account; the password is stored only as an argon2 hash."""
    if role not in {r.value for r in Role}:
        raise InvalidInput(f"Unknown role '{role}'; use one of csr, dvm, manager, admin.")
    username = username.strip()
    if not username or len(username) > 60:
        raise InvalidInput("A username is 1 to 60 characters.")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidInput(f"The username '{username}' is taken.")
    if password is not None and len(password) < 8:
        raise InvalidInput("A password needs at least 8 characters.")
    user = User(
        username=username,
        display_name=display_name or username,
        role=role,
        password_hash=_HASHER.hash(password) if password else None,
        license_number=license_number,
        dea_number=dea_number,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None (same time either way)."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    stored = user.password_hash if user and user.active and user.password_hash else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or stored is _DUMMY_HASH:
        return None
    if _HASHER.check_needs_rehash(stored):
        user.password_hash = _HASHER.hash(password)
    return user
