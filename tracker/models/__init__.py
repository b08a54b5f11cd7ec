"""SQLModel tables of the tracker (see docs/DATA_MODEL.md)."""

from .accounts import AppUser, AuditLog, LoginSession
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
from .indexes import ANALYSIS_INDEXES  # noqa: F401  (registers them on the tables)
from .records import Citation, Source, VocabularyTerm
from .revision import DataRevision

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
    "LoginSession",
    "Measure",
    "Membership",
    "SentenceRequest",
    "Source",
    "StageChange",
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
