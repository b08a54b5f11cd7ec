"""Every committed import is a batch: what it created and changed, and how to undo it.

Before a commit a backup of the whole database is taken (tracker.backup) into
``TRACKER_DATA_DIR/backups/before-import-<time>``. The batch row keeps the ids of the rows
the import made and, for each record it changed, the values before and after. An
administrator may undo the **last** import: its changes are reverted through the services
(validated, audited, version-checked; a record changed since then stops the undo), then the
rows it made are deleted with an audit row each. Anything made since that depends on them
(a hearing added by hand to an imported case) stops the undo too, and nothing is changed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col

from .. import config, db, revision
from .. import services as sv
from ..audit import _jsonable
from ..errors import ConflictError, TrackerError, ValidationError
from ..models import ImportBatch, utcnow
from ..models.ids import new_id
from ..permissions import Principal, require_admin

__all__ = ["UndoError", "backup_before_import", "last_batch", "record_batch", "undo_last"]

_CHUNK = 900


class UndoError(TrackerError):
    """The last import cannot be undone; the message says why."""

    key = "import.undo.nothing"


def backup_before_import(engine: Engine) -> Path:
    """A backup of the whole database, taken before an import writes anything."""
    from ..backup import backup

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    suffix = ".db" if engine.dialect.name == "sqlite" else ".jsonl.gz"
    path = config.data_dir() / "backups" / f"before-import-{stamp}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    backup(engine, path)
    return path


def record_batch(
    session: Session,
    *,
    filename: str,
    rows: int,
    created: dict[str, list[str]],
    changes: list[dict[str, Any]],
    backup_path: str | None,
    summary: str,
) -> uuid.UUID:
    """Write the batch row of a committed import (in the import's own transaction)."""
    batch = ImportBatch(
        username=str(session.info.get("user") or "system"),
        filename=filename[:300],
        rows=rows,
        backup_path=backup_path,
        created=created,
        changes=changes,
        summary=summary,
    )
    session.add(batch)
    session.flush()
    return batch.id


def last_batch(session: Session) -> ImportBatch | None:
    """The most recent import that has not been undone."""
    return session.scalars(
        select(ImportBatch)
        .where(col(ImportBatch.status) == "committed")
        .order_by(col(ImportBatch.created_at).desc())
    ).first()


def undo_last(engine: Engine, principal: Principal) -> ImportBatch:
    """Undo the last import (administrators only); return its batch, now marked undone.

    Raises:
        PermissionDeniedError: not an administrator.
        UndoError: there is nothing to undo, a record changed since, or rows made since
            depend on what the import created. Nothing is changed then.
    """
    require_admin(principal)
    try:
        with db.unit_of_work(engine, principal) as session:
            batch = last_batch(session)
            if batch is None:
                raise UndoError("import.undo.nothing")
            _revert_changes(session, batch)
            _delete_created(session, batch)
            batch.status = "undone"
            batch.undone_at = utcnow()
            batch.undone_by = principal.username
            session.add(batch)
            revision.bump(session)
            session.flush()
            session.expunge(batch)
    except IntegrityError as exc:
        raise UndoError("import.undo.dependents") from exc
    return batch


def _revert_changes(session: Session, batch: ImportBatch) -> None:
    for change in reversed(batch.changes):
        service = sv.SERVICES[change["table"]]
        obj = service.get(session, change["id"])
        now = {k: _jsonable(getattr(obj, k)) for k in change["after"]}
        if now != change["after"]:
            raise UndoError("import.undo.changed_since")
        try:
            service.update(session, obj.id, change["before"], obj.version_id)
        except (ValidationError, ConflictError) as exc:
            raise UndoError("import.undo.changed_since") from exc


def _delete_created(session: Session, batch: ImportBatch) -> None:
    """Delete the rows the import made, children first, each with an audit row."""
    connection = session.connection()
    audit = SQLModel.metadata.tables["audit_log"]
    user, at = str(session.info.get("user") or "system"), utcnow()
    for table in reversed(SQLModel.metadata.sorted_tables):
        ids = [uuid.UUID(i) for i in batch.created.get(table.name, [])]
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = connection.execute(select(table).where(table.c.id.in_(chunk))).mappings()
            log = [
                {
                    "id": new_id(),
                    "at": at,
                    "username": user,
                    "table_name": table.name,
                    "row_id": row["id"],
                    "action": "delete",
                    "changes": {
                        k: [_jsonable(v), None]
                        for k, v in row.items()
                        if v is not None and k not in ("id", "created_at", "updated_at")
                    },
                }
                for row in rows
            ]
            connection.execute(delete(table).where(table.c.id.in_(chunk)))
            if log:
                db.insert_many(connection, audit, log)
