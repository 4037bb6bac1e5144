"""The practice, its staff and the API tokens integrations use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from rxflow.db.base import Base, intpk, str40, str120, str255, utcnow

ROLES = ("csr", "dvm", "manager", "admin", "system")


class Practice(Base):
    """The hospital (one row); `rules` holds PracticeRules as JSON."""

    __tablename__ = "practices"

    id: Mapped[intpk]
    name: Mapped[str120]
    address: Mapped[str255] = mapped_column(default="")
    phone: Mapped[str40] = mapped_column(default="")
    fax: Mapped[str40] = mapped_column(default="")
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role"),)

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str120]
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    license_number: Mapped[str | None] = mapped_column(String(40))
    dea_number: Mapped[str | None] = mapped_column(String(20))
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A bearer token for /api/v1; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str120] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
