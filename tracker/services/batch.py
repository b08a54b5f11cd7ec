"""Many new records at once: each validated like a form save, all written with executemany.

An import of 100,000 spreadsheet rows creates some 300,000 records. Saving them one by one
through :meth:`RecordService.create` costs a flush, vocabulary queries and ORM objects per
record; a :class:`Batch` runs the very same rules (through :class:`BatchLookups`, which sees
the records staged so far and remembers what it read), then inserts each table's rows with one
executemany per chunk, in dependency order, with their audit rows. Nothing is committed here:
the caller's unit of work commits or rolls back the whole batch.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from sqlmodel import Session, SQLModel

from .. import revision
from ..audit import creation_rows
from ..db import insert_many
from ..models import utcnow
from ..models.ids import new_id
from ..permissions import require_write
from .base import RecordService
from .lookups import BatchLookups

# Rows held in memory before they are sent; bounds memory without costing speed.
CHUNK_ROWS = 20_000


class Batch:
    """New records staged in one session and written together."""

    def __init__(
        self,
        session: Session,
        chunk_rows: int = CHUNK_ROWS,
        new_id: Callable[[], uuid.UUID] = new_id,
    ) -> None:
        """``new_id`` makes the audit rows' ids (increasing: tracker.models.ids)."""
        self.session = session
        self._new_id = new_id
        self.lookups = BatchLookups(session)
        self.now = utcnow()
        self.user = str(session.info.get("user") or "system")
        self.written: Counter[str] = Counter()
        self._chunk_rows = chunk_rows
        self._rows: dict[str, list[dict[str, Any]]] = {}
        self._pending = 0
        self._allowed: set[str] = set()

    def add(self, service: RecordService, data: Mapping[str, Any]) -> uuid.UUID:
        """Validate ``data`` as a new record of ``service``'s kind and stage it; return its id.

        Raises:
            ValidationError: the record breaks a rule (nothing is staged).
            PermissionDeniedError: the session's user may not create this kind of record.
        """
        table = service.spec.table
        if table not in self._allowed:
            require_write(self.session, table)
            self._allowed.add(table)
        view = service.new_row(self.lookups, data, self.now)
        self.lookups.stage(service.spec.model, view)
        # The view's own dict is the row to insert: no copy of a record is kept twice.
        self._rows.setdefault(table, []).append(vars(view))
        self._pending += 1
        if self._pending >= self._chunk_rows:
            self.flush()
        row_id: uuid.UUID = view.id
        return row_id

    def flush(self) -> None:
        """Send the staged rows, parents before children, each table with its audit rows."""
        if not self._pending:
            return
        connection = self.session.connection()
        audit = SQLModel.metadata.tables["audit_log"]
        for table in SQLModel.metadata.sorted_tables:
            rows = self._rows.pop(table.name, None)
            if not rows:
                continue
            insert_many(connection, table, rows)
            insert_many(
                connection,
                audit,
                creation_rows(table.name, rows, user=self.user, at=self.now, new_id=self._new_id),
            )
            self.written[table.name] += len(rows)
        self._pending = 0

    def write(self) -> dict[str, int]:
        """Send what is still staged; return how many rows each table received.

        The data revision is raised in the same transaction, so cached analyses see the
        new records (no ORM flush happened for the hook to notice). Not the privacy
        revision: a batch only adds records, which no older result held.
        """
        self.flush()
        if self.written:
            revision.bump(self.session, privacy=False)
        return dict(self.written)
