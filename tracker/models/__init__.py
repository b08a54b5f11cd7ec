"""SQLModel tables of the tracker (see ../shared/design/DATA_MODEL.md)."""

from .accounts import AppUser, AuditLog
from .actors import Actor, Membership
from .base import utcnow
from .cases import (
    Case,
    CaseParty,
    Charge,
    ChargeComplainant,
    Court,
    Hearing,
    Measure,
    SentenceRequest,
    StageChange,
)
from .documents import Document, DocumentBlob
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
    "Document",
    "DocumentBlob",
    "Hearing",
    "ImportBatch",
    "ImportMapping",
    "Measure",
    "Membership",
    "SentenceRequest",
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
    SentenceRequest,
    Source,
    Citation,
    VocabularyTerm,
    TermAlias,
    ImportMapping,
    AppUser,
    Document,
)
