"""What imports remember: aliases of vocabulary terms, saved column mappings, import batches."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import Keyed, utcnow, version_column, versioned
from .ids import new_id

_alias_version = version_column()
_mapping_version = version_column()


class TermAlias(Keyed, table=True):
    """Another way of writing a vocabulary term ("Casación" -> stage ``cassation``).

    Made when a user maps a value of an imported sheet to a term; later imports (and search)
    read it as the term.
    """

    __tablename__ = "term_alias"
    __table_args__ = (UniqueConstraint("vocabulary", "normalized"),)

    vocabulary: str = Field(max_length=40, index=True)
    code: str = Field(max_length=60)
    alias: str = Field(max_length=200)  # as written in the sheet
    normalized: str = Field(max_length=200)  # case, accents and punctuation folded
    version_id: int = Field(default=None, sa_column=_alias_version)

    __mapper_args__ = versioned(_alias_version)


class ImportMapping(Keyed, table=True):
    """A column mapping saved under a name: [file header, template key] pairs."""

    __tablename__ = "import_mapping"

    name: str = Field(max_length=120, unique=True)
    columns: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version_id: int = Field(default=None, sa_column=_mapping_version)

    __mapper_args__ = versioned(_mapping_version)


class ImportBatch(SQLModel, table=True):
    """One committed import: what it created and changed, so that it can be undone.

    ``created`` holds the ids of the new rows by table; ``changes`` one entry per updated
    record: {"table", "id", "before": {field: value}, "after": {field: value}} (JSON values).
    """

    __tablename__ = "import_batch"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
    username: str = Field(max_length=80)
    filename: str = Field(max_length=300)
    rows: int = 0
    status: str = Field(default="committed", max_length=20)  # committed, undone
    backup_path: str | None = Field(default=None, max_length=500)
    created: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    changes: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    summary: str | None = Field(default=None, sa_column=Column(Text))
    undone_at: datetime | None = None
    undone_by: str | None = Field(default=None, max_length=80)
