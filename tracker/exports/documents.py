"""The attached files as a zip: every file the export may show, and an index of them.

``documents.csv`` lists each file (its path in the zip, name, type, size, SHA-256, the record
it is attached to, who added it and when); ``files/`` holds the files themselves, named by
the first characters of their fingerprint and their safe name. Unless
``options.show_confidential``, the files of restricted records are left out
(tracker.documents.visible_documents) and so are descriptions, which are free text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from ..documents import visible_documents
from ..i18n import t
from ..models import Document, DocumentBlob
from . import ExportOptions

__all__ = ["export_documents"]

_COLUMNS = (
    "path",
    "filename",
    "media_type",
    "size",
    "sha256",
    "table_name",
    "row_id",
    "case_id",
    "description",
    "added_by",
    "created_at",
)


def export_documents(engine: Engine, out: Path, options: ExportOptions) -> int:
    """Write the zip to ``out``; return the number of files in it."""
    doc = Document.__table__.c  # type: ignore[attr-defined]
    blob = DocumentBlob.__table__.c  # type: ignore[attr-defined]
    listing = (
        select(*(doc[c] for c in _COLUMNS if c != "path"))
        .where(visible_documents(show_confidential=options.show_confidential))
        .order_by(doc.created_at, doc.filename)
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(
        [
            t(f"field.{c}" if c != "path" else "export.documents.path", lang=options.lang)
            for c in _COLUMNS
        ]
    )
    count = 0
    with engine.connect() as conn, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in conn.execute(listing).mappings():
            path = f"files/{row['sha256'][:12]}_{row['filename']}"
            if path not in archive.namelist():
                content = conn.execute(
                    select(blob.content).where(blob.sha256 == row["sha256"])
                ).scalar_one()
                archive.writestr(path, bytes(content))
            values = {**row, "path": path}
            if not options.show_confidential:
                values["description"] = ""
            writer.writerow(
                [
                    table_label(values[c], options.lang) if c == "table_name" else values[c]
                    for c in _COLUMNS
                ]
            )
            count += 1
        archive.writestr("documents.csv", "\ufeff" + index.getvalue())
    return count


def table_label(table: str, lang: str) -> str:
    """The record kind a file is attached to, in ``lang`` ("case", "caso")."""
    key = "record.case" if table == "court_case" else f"record.{table}"
    return t(key, lang=lang)
