"""Attaching files to records and removing them: checked, audited, all-or-nothing.

The content is checked by :func:`tracker.documents.inspect_content` before anything is
written; the bytes are stored once per SHA-256 (a second attachment of the same file adds a
``document`` row only), and the ``document`` row is audited like every record.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlmodel import Session, func, select

from ..documents import ATTACHABLE, FileRefused, inspect_content, max_upload_bytes, safe_filename
from ..errors import FieldError, NotFoundError, ValidationError
from ..models import Case as CaseModel
from ..models import Charge, Document, DocumentBlob, Hearing, Measure, Source
from ..permissions import require_write
from .base import RecordService, RecordSpec

__all__ = ["attach", "documents", "remove"]

_RECORD = "record.document"
_MODELS: dict[str, Any] = {
    "court_case": CaseModel,
    "charge": Charge,
    "hearing": Hearing,
    "measure": Measure,
    "source": Source,
}

documents = RecordService(
    RecordSpec(
        model=Document,
        record=_RECORD,
        required=("table_name", "row_id", "sha256", "filename", "media_type", "added_by"),
        choices={"table_name": ATTACHABLE},
        refs={"case_id": CaseModel},
    )
)


def _refuse(key: str, **params: Any) -> ValidationError:
    return ValidationError([FieldError("file", key, params)], record=_RECORD)


def attach(
    session: Session,
    *,
    table_name: str,
    row_id: uuid.UUID,
    filename: str,
    content: bytes,
    description: str | None = None,
) -> uuid.UUID:
    """Attach a file to a case, charge, hearing, measure or source; return the document's id.

    Raises:
        ValidationError: the file is empty, too large, not an accepted type (judged by its
            content), or would run code when opened; the message names the file.
        NotFoundError: the record does not exist.
    """
    principal = require_write(session, "document")
    if table_name not in _MODELS:
        raise ValidationError(
            [
                FieldError(
                    "table_name",
                    "errors.bad_choice",
                    {"value": table_name, "choices": ", ".join(ATTACHABLE)},
                )
            ],
            record=_RECORD,
        )
    record = session.get(_MODELS[table_name], row_id)
    if record is None:
        raise NotFoundError(record=str(row_id))
    limit = max_upload_bytes()
    if len(content) > limit:
        raise _refuse(
            "documents.error.too_large",
            name=filename,
            size=_megabytes(len(content)),
            max=_megabytes(limit),
        )
    try:
        inspected = inspect_content(content)
    except FileRefused as exc:
        raise _refuse(exc.key, name=filename) from exc
    digest = hashlib.sha256(content).hexdigest()
    if session.get(DocumentBlob, digest) is None:
        session.add(
            DocumentBlob(
                sha256=digest,
                size=len(content),
                media_type=inspected.media_type,
                content=content,
                text=inspected.text,
            )
        )
        session.flush()  # the blob first: the document row's foreign key points at it
    case_id = record.id if table_name == "court_case" else getattr(record, "case_id", None)
    return documents.create(
        session,
        {
            "table_name": table_name,
            "row_id": row_id,
            "case_id": case_id,
            "actor_id": getattr(record, "defendant_id", None),
            "sha256": digest,
            "filename": safe_filename(filename, inspected.extension),
            "media_type": inspected.media_type,
            "size": len(content),
            "description": (description or "").strip() or None,
            "added_by": principal.username,
        },
    )


def remove(session: Session, document_id: uuid.UUID, expected_version: int) -> None:
    """Detach a file; its bytes go too once no other record holds the same file."""
    obj = documents.get(session, document_id)
    digest = obj.sha256
    documents.delete(session, document_id, expected_version)
    others = session.exec(
        select(func.count()).select_from(Document).where(Document.sha256 == digest)
    ).one()
    if not others:
        blob = session.get(DocumentBlob, digest)
        if blob is not None:
            session.delete(blob)
            session.flush()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"
