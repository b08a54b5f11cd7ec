"""The append-only change log: who changed which field of which row, when, from what to what.

A ``before_flush`` hook on every Session writes one AuditLog row per created, updated or
deleted object of an audited table, so no path that goes through the ORM can skip it. The
acting user travels in ``Session(info={"user": ...})``.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import configure_mappers
from sqlmodel import Session, col, select

from . import revision  # noqa: F401  (its hooks raise the data revision on every write)
from .models import AUDITED_MODELS, AuditLog, utcnow
from .models.ids import new_id

# Never copied into the log: a password hash is a secret even when it changes.
_SECRET_FIELDS = frozenset({"password_hash"})
_SKIPPED_FIELDS = frozenset({"created_at", "updated_at", "version_id"})
_AUDITED = {cls.__tablename__: cls for cls in AUDITED_MODELS}


def _jsonable(value: Any) -> Any:
    """Turn a column value into something JSON can store."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _columns(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


def _shown(key: str, value: Any) -> Any:
    return "***" if key in _SECRET_FIELDS and value is not None else _jsonable(value)


def _changes_of(obj: Any, action: str) -> dict[str, list[Any]]:
    """field -> [old, new] for one object about to be flushed."""
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for key in _columns(obj):
        if key in _SKIPPED_FIELDS:
            continue
        if action in ("create", "delete"):
            # Reading the attribute loads it if a commit expired it: the row still exists.
            value = getattr(obj, key)
            if value is not None and value != [] and key != "id":
                pair = [None, _shown(key, value)]
                changes[key] = pair if action == "create" else pair[::-1]
        else:
            hist = state.attrs[key].history
            if hist.has_changes():
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if old != new:
                    changes[key] = [_shown(key, old), _shown(key, new)]
    return changes


def creation_rows(
    table_name: str,
    rows: list[dict[str, Any]],
    *,
    user: str,
    at: datetime,
    new_id: Callable[[], uuid.UUID] = new_id,
) -> list[dict[str, Any]]:
    """Audit rows, ready for a Core insert, for new rows written without the ORM.

    The bulk writer (tracker.services.batch) inserts with executemany, which no flush hook
    sees; it logs each new row here with the same shape the hook gives a created object.
    """
    return [
        {
            "id": new_id(),
            "at": at,
            "username": user,
            "table_name": table_name,
            "row_id": row["id"],
            "action": "create",
            "changes": _created_changes(row),
        }
        for row in rows
    ]


_PLAIN = frozenset({str, int, float, bool})
_NOT_LOGGED_ON_CREATE = _SKIPPED_FIELDS | {"id"}


def _created_changes(row: dict[str, Any]) -> dict[str, list[Any]]:
    """field -> [None, value] for a new row, as the flush hook logs a created object."""
    changes: dict[str, list[Any]] = {}
    for key, value in row.items():
        if value is None or key in _NOT_LOGGED_ON_CREATE:
            continue
        kind = type(value)
        if kind in _PLAIN:  # the common case, already JSON: skip the conversion
            changes[key] = [None, "***" if key in _SECRET_FIELDS else value]
        elif kind is uuid.UUID:
            changes[key] = [None, str(value)]
        elif value != []:
            changes[key] = [None, _shown(key, value)]
    return changes


@event.listens_for(OrmSession, "before_flush")
def _write_audit_rows(session: OrmSession, _context: Any, _instances: Any) -> None:
    """Add one AuditLog row per audited object in the flush, and stamp updated_at."""
    user = str(session.info.get("user") or "system")
    now = utcnow()
    pending: list[AuditLog] = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in list(objects):
            table = getattr(obj, "__tablename__", None)
            if table not in _AUDITED:
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes_of(obj, action)
            if action == "update":
                if not changes:
                    continue
                obj.updated_at = now
            pending.append(
                AuditLog(
                    at=now,
                    username=user,
                    table_name=table,
                    row_id=obj.id,
                    action=action,
                    changes=changes,
                )
            )
    session.add_all(pending)


def _keep_old_values() -> None:
    """Load the old value of an expired attribute before it is overwritten.

    After a commit every attribute is expired; without active history, setting one records
    no old value and the log would say None -> new.
    """
    configure_mappers()
    for cls in AUDITED_MODELS:
        for attr in inspect(cls).column_attrs:
            getattr(cls, attr.key).impl.active_history = True


_keep_old_values()


def history(session: Session, *, table_name: str, row_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every audit entry of one row, newest first, as plain dicts."""
    rows = session.exec(
        select(AuditLog)
        .where(AuditLog.table_name == table_name, AuditLog.row_id == row_id)
        .order_by(col(AuditLog.at).desc())
    ).all()
    return [
        {"at": r.at, "user": r.username, "action": r.action, "changes": r.changes} for r in rows
    ]


def last_change(
    session: Session, *, table_name: str, row_id: uuid.UUID
) -> tuple[str | None, datetime | None]:
    """Who last wrote a row and when (for conflict messages)."""
    row = session.exec(
        select(AuditLog)
        .where(AuditLog.table_name == table_name, AuditLog.row_id == row_id)
        .order_by(col(AuditLog.at).desc())
        .limit(1)
    ).first()
    return (row.username, row.at) if row else (None, None)
