"""SQLModel tables of the tracker (see ../shared/design/DATA_MODEL.md)."""

from .accounts import AppUser, AuditLog
from .actors import Actor, Membership
from .base import utcnow
from .cases import Case, CaseParty, Charge, ChargeComplainant, Court, Hearing, Measure, StageChange
from .imports import ImportBatch, ImportMapping, TermAlias
from .records import Citation, Source, VocabularyTerm
from .revision import DataRevision
from .stored import StoredResult

__all__ = [
    "Actor",
    "AppUser",
    "AuditLog",
    "Case",
    "CaseParty",
    "Charge",
    "ChargeComplainant",
    "Citation",
    "Court",
    "DataRevision",
    "Hearing",
    "ImportBatch",
    "ImportMapping",
    "Measure",
    "Membership",
    "Source",
    "StageChange",
    "StoredResult",
    "TermAlias",
    "VocabularyTerm",
    "utcnow",
]

# Tables whose rows users edit; every one of them is audited.
AUDITED_MODELS = (
    Actor,
    Membership,
    Court,
    Case,
    CaseParty,
    Charge,
    ChargeComplainant,
    Hearing,
    Measure,
    StageChange,
    Source,
    Citation,
    VocabularyTerm,
    TermAlias,
    ImportMapping,
    AppUser,
)
