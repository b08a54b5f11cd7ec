"""Sources and the citations that tie them to facts, and the controlled vocabularies."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Column, Text
from sqlmodel import Field, UniqueConstraint

from .base import Keyed, Synthetic, version_column, versioned

_source_version = version_column()
_citation_version = version_column()
_term_version = version_column()


class Source(Keyed, Synthetic, table=True):
    """Where a fact comes from: a statement, an article, a ruling."""

    __tablename__ = "source"

    # A short stable label ("S0") so seed files and reports can refer to a source.
    key: str | None = Field(default=None, max_length=60, unique=True)
    title: str = Field(max_length=400)
    publisher: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=1000)
    published_on: date | None = None
    published_on_precision: str = Field(default="unknown", max_length=10)
    reliability: str | None = Field(default=None, max_length=30)  # vocabulary reliability
    file_path: str | None = Field(default=None, max_length=500)
    # A restricted source (one that names a confidential person, say) shows viewers only
    # "a restricted source" and its reliability: never its title, address or notes.
    restricted: bool = Field(default=False, nullable=False)
    notes: str | None = Field(default=None, sa_column=Column(Text))
    version_id: int = Field(default=None, sa_column=_source_version)

    __mapper_args__ = versioned(_source_version)


class Citation(Keyed, Synthetic, table=True):
    """Links a source to any record (table name and row id), saying what it supports."""

    __tablename__ = "citation"

    source_id: uuid.UUID = Field(foreign_key="source.id", index=True)
    table_name: str = Field(max_length=40)
    row_id: uuid.UUID = Field(index=True)
    supports: str | None = Field(default=None, sa_column=Column(Text))
    version_id: int = Field(default=None, sa_column=_citation_version)

    __mapper_args__ = versioned(_citation_version)


class VocabularyTerm(Keyed, table=True):
    """A controlled term with English and Spanish labels and an optional parent."""

    __tablename__ = "vocabulary_term"
    __table_args__ = (UniqueConstraint("vocabulary", "code"),)

    vocabulary: str = Field(max_length=40, index=True)  # enums.VOCABULARIES
    code: str = Field(max_length=60)
    label_en: str = Field(max_length=200)
    label_es: str = Field(max_length=200)
    parent_code: str | None = Field(default=None, max_length=60)
    sort_order: int = 0
    active: bool = True
    description: str | None = Field(default=None, sa_column=Column(Text))
    version_id: int = Field(default=None, sa_column=_term_version)

    __mapper_args__ = versioned(_term_version)
