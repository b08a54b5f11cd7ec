"""Courts, cases, their parties, charges, hearings, measures and court events."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, DateTime, Text
from sqlmodel import Field, UniqueConstraint

from .base import Keyed, Synthetic, version_column, versioned

_court_version = version_column()
_case_version = version_column()
_party_version = version_column()
_charge_version = version_column()
_hearing_version = version_column()
_measure_version = version_column()
_stage_version = version_column()
_request_version = version_column()


class Court(Keyed, Synthetic, table=True):
    """A court or a prosecutor's office."""

    __tablename__ = "court"

    name: str = Field(max_length=300, index=True)
    kind: str = Field(default="court", max_length=20)  # enums.COURT_KINDS
    level: str | None = Field(default=None, max_length=60)  # first instance, superior, supreme
    judicial_district: str | None = Field(default=None, max_length=100, index=True)
    country: str = Field(default="PE", max_length=2)
    version_id: int = Field(default=None, sa_column=_court_version)

    __mapper_args__ = versioned(_court_version)


class Case(Keyed, Synthetic, table=True):
    """One proceeding (expediente or carpeta fiscal); FtM CourtCase.

    The table is called court_case because CASE is a reserved word in SQL.
    """

    __tablename__ = "court_case"

    case_number: str | None = Field(default=None, max_length=120, index=True)
    title: str = Field(max_length=300)
    case_type: str = Field(default="criminal", max_length=30)  # vocabulary case_type
    stage: str = Field(default="complaint", max_length=60, index=True)  # vocabulary stage
    status: str = Field(default="open", max_length=20, index=True)  # enums.CASE_STATUSES
    court_id: uuid.UUID | None = Field(default=None, foreign_key="court.id", index=True)
    judicial_district: str | None = Field(default=None, max_length=100, index=True)
    country: str = Field(default="PE", max_length=2)
    region: str | None = Field(default=None, max_length=100, index=True)
    province: str | None = Field(default=None, max_length=100)
    context: str | None = Field(default=None, max_length=200, index=True)
    opened_on: date | None = Field(default=None, index=True)
    opened_on_precision: str = Field(default="unknown", max_length=10)
    closed_on: date | None = None
    closed_on_precision: str = Field(default="unknown", max_length=10)
    parent_case_id: uuid.UUID | None = Field(default=None, foreign_key="court_case.id")
    parent_relation: str | None = Field(default=None, max_length=30)  # appeal, joinder, transfer
    confidentiality: str = Field(default="public", max_length=20, index=True)
    summary: str | None = Field(default=None, sa_column=Column(Text))
    version_id: int = Field(default=None, sa_column=_case_version)

    __mapper_args__ = versioned(_case_version)


class CaseParty(Keyed, Synthetic, table=True):
    """An actor's role in a case (FtM CourtCaseParty)."""

    __tablename__ = "case_party"
    __table_args__ = (UniqueConstraint("case_id", "actor_id", "role"),)

    case_id: uuid.UUID = Field(foreign_key="court_case.id", index=True)
    actor_id: uuid.UUID = Field(foreign_key="actor.id", index=True)
    role: str = Field(max_length=40, index=True)  # vocabulary party_role
    start_date: date | None = None
    start_date_precision: str = Field(default="unknown", max_length=10)
    end_date: date | None = None
    end_date_precision: str = Field(default="unknown", max_length=10)
    status: str | None = Field(default=None, max_length=60)
    notes: str | None = Field(default=None, sa_column=Column(Text))
    version_id: int = Field(default=None, sa_column=_party_version)

    __mapper_args__ = versioned(_party_version)


class Charge(Keyed, Synthetic, table=True):
    """One offence charged against one defendant in a case, with its outcome."""

    __tablename__ = "charge"

    case_id: uuid.UUID = Field(foreign_key="court_case.id", index=True)
    defendant_id: uuid.UUID = Field(foreign_key="actor.id", index=True)
    charge_type: str = Field(max_length=60, index=True)  # vocabulary charge_type
    legal_reference: str | None = Field(default=None, max_length=200)
    mode_of_liability: str | None = Field(default=None, max_length=40)
    filed_on: date | None = Field(default=None, index=True)
    filed_on_precision: str = Field(default="unknown", max_length=10)
    status: str = Field(default="pending", max_length=20, index=True)  # enums.CHARGE_STATUSES
    outcome: str | None = Field(default=None, max_length=60, index=True)  # vocabulary outcome
    outcome_on: date | None = None
    outcome_on_precision: str = Field(default="unknown", max_length=10)
    sentence_requested_months: int | None = None
    sentence_requested_kind: str | None = Field(default=None, max_length=60)
    sentence_imposed_months: int | None = None
    sentence_imposed_kind: str | None = Field(default=None, max_length=60)
    reparation_requested: float | None = None
    reparation_imposed: float | None = None
    reparation_currency: str | None = Field(default=None, max_length=3)  # ISO 4217
    notes: str | None = Field(default=None, sa_column=Column(Text))
    version_id: int = Field(default=None, sa_column=_charge_version)

    __mapper_args__ = versioned(_charge_version)


class ChargeComplainant(Keyed, Synthetic, table=True):
    """Who brought a charge; a charge can have several complainants."""

    __tablename__ = "charge_complainant"
    __table_args__ = (UniqueConstraint("charge_id", "actor_id"),)

    charge_id: uuid.UUID = Field(foreign_key="charge.id", index=True)
    actor_id: uuid.UUID = Field(foreign_key="actor.id", index=True)


class Hearing(Keyed, Synthetic, table=True):
    """A scheduled or held hearing; ``result`` is empty until someone records it."""

    __tablename__ = "hearing"

    case_id: uuid.UUID = Field(foreign_key="court_case.id", index=True)
    # The court's local wall-clock time, as written on the summons: no zone.
    scheduled_at: NaiveDatetime = Field(sa_type=DateTime(), index=True)
    scheduled_precision: str = Field(default="day", max_length=10)  # DATETIME_PRECISIONS
    hearing_type: str = Field(default="other", max_length=40)  # vocabulary hearing_type
    court_id: uuid.UUID | None = Field(default=None, foreign_key="court.id", index=True)
    result: str | None = Field(default=None, max_length=40, index=True)  # hearing_result
    postponement_reason: str | None = Field(default=None, max_length=40)
    notes: str | None = Field(default=None, sa_column=Column(Text))
    next_date: date | None = None
    version_id: int = Field(default=None, sa_column=_hearing_version)

    __mapper_args__ = versioned(_hearing_version)


class Measure(Keyed, Synthetic, table=True):
    """A restrictive measure (pre-trial detention, travel ban...) on a defendant."""

    __tablename__ = "measure"

    case_id: uuid.UUID = Field(foreign_key="court_case.id", index=True)
    defendant_id: uuid.UUID = Field(foreign_key="actor.id", index=True)
    kind: str = Field(max_length=40, index=True)  # vocabulary measure_kind
    ordered_on: date | None = None
    ordered_on_precision: str = Field(default="unknown", max_length=10)
    duration_months: int | None = None
    ends_on: date | None = None
    ends_on_precision: str = Field(default="unknown", max_length=10)
    annulled_on: date | None = None
    annulled_on_precision: str = Field(default="unknown", max_length=10)
    notes: str | None = Field(default=None, sa_column=Column(Text))
    version_id: int = Field(default=None, sa_column=_measure_version)

    __mapper_args__ = versioned(_measure_version)


class StageChange(Keyed, Synthetic, table=True):
    """A court event in a case's history: a new stage, archive, reopening, transfer, joinder."""

    __tablename__ = "stage_change"

    case_id: uuid.UUID = Field(foreign_key="court_case.id", index=True)
    event: str = Field(default="stage_change", max_length=40, index=True)  # court_event
    from_stage: str | None = Field(default=None, max_length=60)
    to_stage: str | None = Field(default=None, max_length=60)
    on_date: date | None = None
    on_date_precision: str = Field(default="unknown", max_length=10)
    judicial_district: str | None = Field(default=None, max_length=100)  # after a transfer
    note: str | None = Field(default=None, sa_column=Column(Text))
    version_id: int = Field(default=None, sa_column=_stage_version)

    __mapper_args__ = versioned(_stage_version)


class SentenceRequest(Keyed, Synthetic, table=True):
    """A sentence or reparation asked for at a date, by whom, for whom and for which charges.

    Sources give a request once for an indictment ("10 years"), per defendant, or as a range
    ("30 to 35 years each", "up to 36 years"); a request is recorded once, as the source gives
    it, never copied onto each charge, so totals and indicators cannot count it twice.
    """

    __tablename__ = "sentence_request"

    case_id: uuid.UUID = Field(foreign_key="court_case.id", index=True)
    requested_on: date | None = None
    requested_on_precision: str = Field(default="unknown", max_length=10)
    # The prosecutor's office, state attorney or private party that asked (an actor).
    requested_by_id: uuid.UUID | None = Field(default=None, foreign_key="actor.id", index=True)
    # None: the request covers every defendant of the indictment.
    defendant_id: uuid.UUID | None = Field(default=None, foreign_key="actor.id", index=True)
    # Charge-type codes the request is for; empty: the whole indictment.
    charge_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Prison asked, in months: a fixed figure has min == max; "up to N" has only the max.
    prison_months_min: int | None = None
    prison_months_max: int | None = None
    disqualification_months: int | None = None
    reparation_amount: float | None = None
    reparation_currency: str | None = Field(default=None, max_length=3)  # ISO 4217
    notes: str | None = Field(default=None, sa_column=Column(Text))
    version_id: int = Field(default=None, sa_column=_request_version)

    __mapper_args__ = versioned(_request_version)
