"""People and bodies (defenders, complainants, lawyers, judges, companies...) and memberships."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, UniqueConstraint

from .base import Keyed, Synthetic, version_column, versioned

_actor_version = version_column()
_membership_version = version_column()


class Actor(Keyed, Synthetic, table=True):
    """Any person or body that takes part in a case (FtM Person/Organization/Company/PublicBody)."""

    __tablename__ = "actor"

    kind: str = Field(max_length=20, index=True)  # enums.ACTOR_KINDS
    name: str = Field(max_length=300, index=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    id_number: str | None = Field(default=None, max_length=60, index=True)  # national ID, RUC
    gender: str | None = Field(default=None, max_length=30)
    birth_date: date | None = None
    birth_date_precision: str = Field(default="unknown", max_length=10)
    country: str = Field(default="PE", max_length=2)  # ISO 3166-1 alpha-2
    region: str | None = Field(default=None, max_length=100, index=True)  # department
    province: str | None = Field(default=None, max_length=100)
    district: str | None = Field(default=None, max_length=100)
    is_defender: bool = Field(default=False, index=True)
    # Codes of the rights_defended vocabulary.
    rights_defended: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    defender_role: str | None = Field(default=None, max_length=60)  # vocabulary defender_role
    complainant_category: str | None = Field(default=None, max_length=60, index=True)
    description: str | None = Field(default=None, sa_column=Column(Text))
    confidentiality: str = Field(default="public", max_length=20, index=True)
    consent_to_publish: bool = False
    # Shown instead of the name to anyone who may not see confidential people.
    pseudonym: str | None = Field(default=None, max_length=120)
    version_id: int = Field(default=None, sa_column=_actor_version)

    __mapper_args__ = versioned(_actor_version)


class Membership(Keyed, Synthetic, table=True):
    """A person or group belonging to an organization or community."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("member_id", "organization_id", "role"),)

    member_id: uuid.UUID = Field(foreign_key="actor.id", index=True)
    organization_id: uuid.UUID = Field(foreign_key="actor.id", index=True)
    role: str = Field(default="", max_length=120)
    start_date: date | None = None
    start_date_precision: str = Field(default="unknown", max_length=10)
    end_date: date | None = None
    end_date_precision: str = Field(default="unknown", max_length=10)
    version_id: int = Field(default=None, sa_column=_membership_version)

    __mapper_args__ = versioned(_membership_version)
