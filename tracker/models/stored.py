"""Results of slow analyses kept between server starts (see :mod:`tracker.stored_results`)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Text
from sqlmodel import Field, SQLModel


class StoredResult(SQLModel, table=True):
    """One result of one filter set and visibility (``scope``) at one data revision.

    Derived data, not case data: it is never audited, exported or backed up, and a result is
    read only while the privacy revision it was computed under is still the current one.
    """

    __tablename__ = "stored_result"
    __table_args__ = (Index("ix_stored_result_scope_revision", "scope", "data_revision"),)

    id: int | None = Field(default=None, primary_key=True)
    # sha256 of the filters and the visibility (tracker.stored_results.scope_of)
    scope: str = Field(max_length=64)
    key: str = Field(max_length=400)  # the result's key, as JSON
    data_revision: int = Field(sa_column=Column(BigInteger, nullable=False))
    privacy_revision: int = Field(sa_column=Column(BigInteger, nullable=False))
    value: str = Field(sa_column=Column(Text, nullable=False))  # tagged JSON (codec)
