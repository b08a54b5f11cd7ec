"""The plain rows tracker.network_data hands out: filters, one named tuple per table, and the
:class:`NetworkData` that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from ..analysis.kept import ActorRow, Filters

__all__ = ["LABELLED", "ActorRow", "Filters", "NetworkData"]

# Vocabularies whose labels the graphs and indicators show.
LABELLED = ("charge_type", "outcome", "complainant_category", "party_role", "measure_kind")


class CaseRow(NamedTuple):
    """A case."""

    id: str
    title: str
    case_number: str | None
    region: str | None
    context: str | None
    judicial_district: str | None
    court_id: str | None
    status: str
    opened_on: date | None
    opened_on_precision: str
    is_synthetic: bool


class PartyRow(NamedTuple):
    """An actor's role in a case."""

    id: str
    case_id: str
    actor_id: str
    role: str
    start_date: date | None
    end_date: date | None


class ChargeRow(NamedTuple):
    """A charge against one defendant, with its outcome and sentences."""

    id: str
    case_id: str
    defendant_id: str
    charge_type: str
    filed_on: date | None
    filed_on_precision: str
    status: str
    outcome: str | None
    outcome_on: date | None
    outcome_on_precision: str
    sentence_requested_months: int | None
    sentence_imposed_months: int | None


class ComplainantRow(NamedTuple):
    """Who brought a charge."""

    id: str
    charge_id: str
    actor_id: str


class HearingRow(NamedTuple):
    """A hearing and its result."""

    id: str
    case_id: str
    court_id: str | None
    scheduled_at: datetime
    result: str | None


class MeasureRow(NamedTuple):
    """A restrictive measure on a defendant."""

    id: str
    case_id: str
    defendant_id: str
    kind: str
    ordered_on: date | None
    annulled_on: date | None


class EventRow(NamedTuple):
    """A court event of a case (stage change, archive, reopening, transfer...)."""

    id: str
    case_id: str
    event: str
    on_date: date | None
    on_date_precision: str
    judicial_district: str | None


class CourtRow(NamedTuple):
    """A court or prosecutor's office."""

    id: str
    name: str
    judicial_district: str | None


@dataclass
class NetworkData:
    """The filtered, privacy-applied rows of every table the analysis reads."""

    actors: dict[str, ActorRow] = field(default_factory=dict)
    cases: dict[str, CaseRow] = field(default_factory=dict)
    parties: list[PartyRow] = field(default_factory=list)
    charges: list[ChargeRow] = field(default_factory=list)
    complainants: list[ComplainantRow] = field(default_factory=list)
    hearings: list[HearingRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    courts: dict[str, CourtRow] = field(default_factory=dict)
    # vocabulary -> code -> (label_en, label_es, parent_code)
    vocab: dict[str, dict[str, tuple[str, str, str | None]]] = field(default_factory=dict)

    def label(self, vocabulary: str, code: str | None, lang: str) -> str:
        """The label of a vocabulary code in ``lang`` (the code itself when unknown)."""
        if code is None:
            return ""
        term = self.vocab.get(vocabulary, {}).get(code)
        if term is None:
            return code
        return term[1] if lang == "es" else term[0]
