"""Files attached to records: type checks by content, safe names, who may download what.

The bytes live in the database, once per SHA-256 (see the README's design notes for why).
Writes go through :mod:`tracker.services.documents`; this package reads and decides.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from ..errors import NotFoundError
from ..models import Actor, Case, Document, DocumentBlob
from ..privacy import may_see_confidential
from .filetypes import ACCEPTED, FileRefused, Inspected, inspect_content

__all__ = [
    "ACCEPTED",
    "ATTACHABLE",
    "Download",
    "FileRefused",
    "Inspected",
    "ListedDocument",
    "download",
    "inspect_content",
    "list_documents",
    "max_upload_bytes",
    "safe_filename",
    "visible_documents",
]

# The records a file may be attached to.
ATTACHABLE = ("court_case", "charge", "hearing", "measure", "source")
_DEFAULT_MAX_MB = 25
_DOC = Document.__table__.c  # type: ignore[attr-defined]
_BLOB = DocumentBlob.__table__.c  # type: ignore[attr-defined]
_CASE = Case.__table__.c  # type: ignore[attr-defined]
_ACTOR = Actor.__table__.c  # type: ignore[attr-defined]


def max_upload_bytes() -> int:
    """The largest file accepted, from TRACKER_MAX_UPLOAD_MB (default 25 MB)."""
    raw = os.environ.get("TRACKER_MAX_UPLOAD_MB") or str(_DEFAULT_MAX_MB)
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = _DEFAULT_MAX_MB
    return int(megabytes * 1024 * 1024)


def safe_filename(name: str, extension: str) -> str:
    """A download name that no browser or file system misreads.

    Keeps letters (accents too), digits, spaces, dots, dashes and underscores of the last path
    part; the extension always follows the content ("fallo.exe" holding a PDF -> "fallo.pdf").
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = re.sub(r"[^\w .-]+", "_", stem).strip(" ._-")[:150]
    return f"{stem or 'document'}.{extension}"


def visible_documents(*, show_confidential: bool) -> ColumnElement[bool]:
    """SQL condition: the documents a viewer may list and download.

    A file of a restricted case, or of a charge or measure against a restricted person, is
    hidden from those who may not see restricted records.
    """
    doc, case, actor = _DOC, _CASE, _ACTOR
    if show_confidential:
        return doc.id.isnot(None)
    hidden_case = select(case.id).where(case.confidentiality == "restricted")
    hidden_actor = select(actor.id).where(actor.confidentiality == "restricted")
    return and_(
        or_(doc.case_id.is_(None), doc.case_id.not_in(hidden_case)),
        or_(doc.actor_id.is_(None), doc.actor_id.not_in(hidden_actor)),
    )


@dataclass(frozen=True)
class ListedDocument:
    """One attached file as a record's Documents section lists it."""

    id: uuid.UUID
    table_name: str
    row_id: uuid.UUID
    filename: str
    media_type: str
    size: int
    description: str | None
    added_by: str
    added_at: datetime
    version_id: int


def list_documents(
    session: Session,
    *,
    role: str,
    case_id: uuid.UUID | None = None,
    table_name: str | None = None,
    row_id: uuid.UUID | None = None,
) -> list[ListedDocument]:
    """The files of a case (all its records' files) or of one record, newest first."""
    doc = _DOC
    query = select(
        doc.id,
        doc.table_name,
        doc.row_id,
        doc.filename,
        doc.media_type,
        doc.size,
        doc.description,
        doc.added_by,
        doc.created_at,
        doc.version_id,
    ).where(visible_documents(show_confidential=may_see_confidential(role)))
    if case_id is not None:
        query = query.where(doc.case_id == case_id)
    if table_name is not None:
        query = query.where(doc.table_name == table_name)
    if row_id is not None:
        query = query.where(doc.row_id == row_id)
    rows = session.execute(query.order_by(doc.created_at.desc(), doc.filename)).all()
    return [ListedDocument(*row) for row in rows]


@dataclass(frozen=True)
class Download:
    """What the browser receives: always an attachment with a safe name, never rendered."""

    filename: str
    media_type: str
    content: bytes
    # Sent as the response's type: a browser saves it and never opens it in the page.
    mime: str = "application/octet-stream"


def download(session: Session, document_id: uuid.UUID, *, role: str) -> Download:
    """The file of ``document_id`` if ``role`` may see its record; else NotFoundError.

    A hidden record's file answers exactly as a missing one, so a viewer learns nothing.
    """
    row = session.execute(
        select(_DOC.filename, _DOC.media_type, _BLOB.content)
        .join_from(Document.__table__, DocumentBlob.__table__, _BLOB.sha256 == _DOC.sha256)  # type: ignore[attr-defined]
        .where(_DOC.id == document_id)
        .where(visible_documents(show_confidential=may_see_confidential(role)))
    ).first()
    if row is None:
        raise NotFoundError(record=str(document_id))
    return Download(row.filename, row.media_type, bytes(row.content))
