"""The data revision: one row whose number changes whenever case data is written."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


class DataRevision(SQLModel, table=True):
    """Row 1 holds the revision of the data, row 2 the privacy revision; see
    :mod:`tracker.revision`.

    Readers key their caches on ``revision``; every write of case data raises it.
    """

    __tablename__ = "data_revision"

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    revision: int = Field(sa_column=Column(BigInteger, nullable=False))
