"""Every write goes through these services: validated, audited, all-or-nothing.

Each record kind has a :class:`~tracker.services.base.RecordService` with ``create``,
``update`` and ``delete``; :data:`SERVICES` finds one by table name. A :class:`Batch` creates
many records under the same rules and writes them with executemany (imports, restores).
"""

from .base import RecordService, RecordSpec
from .batch import Batch
from .charges import charge_complainants, charges, measures, sentence_requests
from .hearings import hearings
from .imports import import_mappings, term_aliases
from .people import actors, memberships
from .proceedings import cases, courts, parties, stage_changes
from .sources import citations, sources
from .users import users
from .vocabulary import terms

SERVICES: dict[str, RecordService] = {
    s.spec.table: s
    for s in (
        actors,
        memberships,
        courts,
        cases,
        parties,
        charges,
        charge_complainants,
        hearings,
        measures,
        stage_changes,
        sentence_requests,
        sources,
        citations,
        terms,
        term_aliases,
        import_mappings,
        users,
    )
}

__all__ = [
    "SERVICES",
    "Batch",
    "RecordService",
    "RecordSpec",
    "actors",
    "cases",
    "charge_complainants",
    "charges",
    "citations",
    "courts",
    "hearings",
    "import_mappings",
    "measures",
    "memberships",
    "parties",
    "sentence_requests",
    "sources",
    "stage_changes",
    "term_aliases",
    "terms",
    "users",
]
