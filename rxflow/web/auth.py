"""Who is at the keyboard: the signed session cookie, its idle timeout, and the login rules."""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

from starlette.requests import Request

from rxflow.db.models import User
from rxflow.db.session import Database
from rxflow.demo.hospital import DEMO_LOGINS
from rxflow.service.actors import authenticate

IDLE_SECONDS = 30 * 60
DEMO_USERNAMES = frozenset(name for name, _, _ in DEMO_LOGINS)


@dataclass(frozen=True)
class SessionUser:
    id: int
    username: str
    display_name: str
    role: str


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: the only hosts where demo accounts may log in."""
    if host in {"localhost", "testserver"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def current_user(request: Request) -> SessionUser | None:
    """The logged-in user, or None when there is none or the session sat idle too long."""
    data = request.session.get("user")
    seen = request.session.get("seen")
    if not isinstance(data, dict) or not isinstance(seen, (int, float)):
        return None
    now = time.time()
    if now - seen > IDLE_SECONDS:
        request.session.clear()
        return None
    if now - seen > 60:  # re-sign the cookie at most once a minute, not on every poll
        request.session["seen"] = int(now)
    return SessionUser(
        id=int(data["id"]),
        username=str(data["username"]),
        display_name=str(data["display_name"]),
        role=str(data["role"]),
    )


def log_in(db: Database, username: str, password: str, *, bound_host: str) -> SessionUser | None:
    """Check the password; demo accounts are refused unless the server listens on loopback."""
    if username.strip() in DEMO_USERNAMES and not is_loopback(bound_host):
        return None
    with db.write() as session:
        user: User | None = authenticate(session, username, password)
        if user is None:
            return None
        return SessionUser(user.id, user.username, user.display_name, user.role)


def remember(request: Request, user: SessionUser) -> None:
    request.session.clear()
    request.session["user"] = {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
    }
    request.session["seen"] = int(time.time())


def forget(request: Request) -> None:
    request.session.clear()
