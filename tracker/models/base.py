"""Shared columns and helpers for every table: UUID keys, timestamps, optimistic locking."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Integer
from sqlmodel import Field, SQLModel

from .ids import new_id

# A naming convention makes constraint names stable across SQLite and PostgreSQL, which
# Alembic's batch mode on SQLite needs to drop or alter them later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware (SQLModel's UTCDateTime requires it)."""
    return datetime.now(UTC)


def version_column() -> Column[int]:
    """Make a fresh ``version_id`` column for one table.

    SQLAlchemy needs the Column object itself in ``version_id_col`` (a name string raises
    ArgumentError), and a Column can belong to one table only, so every table gets its own.
    """
    return Column("version_id", Integer, nullable=False)


def versioned(column: Column[int]) -> dict[str, Any]:
    """Mapper arguments that turn on optimistic locking with ``column``."""
    return {"version_id_col": column}


class Keyed(SQLModel):
    """UUID primary key made in Python (ids exist before flush) and UTC timestamps."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)


class Synthetic(SQLModel):
    """Rows that the demo generator may create carry a flag, shown in every export."""

    is_synthetic: bool = Field(default=False, nullable=False, index=True)
