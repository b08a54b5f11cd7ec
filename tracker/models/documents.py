"""Files attached to records: the audited list of attachments and the content they point at."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, LargeBinary, Text
from sqlmodel import Field, SQLModel

from .base import Keyed, utcnow, version_column, versioned

_document_version = version_column()


class DocumentBlob(SQLModel, table=True):
    """The bytes of one file, stored once whatever the number of records it is attached to.

    Keyed by the SHA-256 of the content (content-addressed): the same ruling attached to two
    cases is stored once, and a changed byte is a different file. Not audited (the audit log
    would copy megabytes); the :class:`Document` rows that point here are.
    """

    __tablename__ = "document_blob"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(nullable=False)
    media_type: str = Field(max_length=100)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # Plain text extracted from a PDF, for the search box; None for other kinds of file.
    text: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, nullable=False)


class Document(Keyed, table=True):
    """A file attached to a case, charge, hearing, measure or source, by whom and when."""

    __tablename__ = "document"

    table_name: str = Field(max_length=40)  # court_case, charge, hearing, measure, source
    row_id: uuid.UUID = Field(index=True)
    # The case the record belongs to and the defendant of a charge or measure: a viewer may
    # download the file only when neither is restricted (tracker.documents.visible_documents).
    case_id: uuid.UUID | None = Field(default=None, foreign_key="court_case.id", index=True)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="actor.id", index=True)
    sha256: str = Field(foreign_key="document_blob.sha256", max_length=64, index=True)
    filename: str = Field(max_length=255)  # made safe on upload; the download's name
    media_type: str = Field(max_length=100)  # found from the content, never from the name
    size: int = Field(nullable=False)
    description: str | None = Field(default=None, max_length=500)
    added_by: str = Field(max_length=80)
    version_id: int = Field(default=None, sa_column=_document_version)

    __mapper_args__ = versioned(_document_version)
