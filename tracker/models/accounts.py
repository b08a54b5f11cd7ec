"""Accounts and the append-only audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Uuid
from sqlmodel import Field, SQLModel

from .base import Keyed, utcnow, version_column, versioned
from .ids import new_id

_user_version = version_column()


class AppUser(Keyed, table=True):
    """Someone who may log in; the password is stored only as an argon2 hash."""

    __tablename__ = "app_user"

    username: str = Field(max_length=80, unique=True)
    display_name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=300)
    role: str = Field(default="viewer", max_length=20)  # enums.USER_ROLES
    active: bool = True
    # The account's chosen language; None follows the installation's (TRACKER_LANG, locale).
    language: str | None = Field(default=None, max_length=5)
    last_login_at: datetime | None = None
    version_id: int = Field(default=None, sa_column=_user_version)

    __mapper_args__ = versioned(_user_version)


class AuditLog(SQLModel, table=True):
    """One change or login: who, when (UTC), which row, and field -> [old, new]."""

    __tablename__ = "audit_log"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    username: str = Field(max_length=80, index=True)
    table_name: str = Field(max_length=40, index=True)
    row_id: uuid.UUID | None = Field(default=None, index=True)
    action: str = Field(max_length=20)  # enums.AUDIT_ACTIONS
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class LoginSession(SQLModel, table=True):
    """A logged-in browser: the SHA-256 of its random token, its account and its times.

    Only the hash is stored, so reading the table does not let anyone log in. A row is
    deleted on logout, and with all the account's rows on a password change or when the
    account is disabled (tracker.sessions).
    """

    __tablename__ = "login_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid, ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(index=True)
