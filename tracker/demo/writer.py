"""The bulk writer of the demo data: rows buffered as plain dicts, written table by table.

Rows go out with Core executemany a few thousand at a time, parents first, in the caller's
transaction: the ORM would be far slower, and flushing as we go keeps memory flat at scale L.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from .plan import STAMP

SQLITE_CACHE_KB = 256 * 1024  # page cache while loading into SQLite

# Insert order: parents before children.
TABLE_NAMES = (
    "actor",
    "membership",
    "court",
    "court_case",
    "case_party",
    "charge",
    "charge_complainant",
    "hearing",
    "measure",
    "stage_change",
)


def _template(table: Table) -> dict[str, Any]:
    """Every column with its scalar default, else None: executemany needs the same keys in
    every row, and Core never runs SQLModel's default factories (ids, timestamps, lists)."""
    row = {
        c.name: getattr(c.default, "arg", None)
        if c.default is not None and c.default.is_scalar
        else None
        for c in table.columns
    }
    fixed = {"created_at": STAMP, "updated_at": STAMP, "version_id": 1, "is_synthetic": True}
    return row | {k: v for k, v in fixed.items() if k in row}


class BulkWriter:
    """The row buffer of one generate() call and the number of rows written per table."""

    def __init__(self, conn: Connection, batch_size: int, new_id: Callable[[], uuid.UUID]) -> None:
        # Ids come from the caller's random stream so that a seed gives the same ids.
        self.conn, self.batch_size, self.new_id, self.pending = conn, batch_size, new_id, 0
        self.tables = [SQLModel.metadata.tables[name] for name in TABLE_NAMES]
        self.tpl = {t.name: _template(t) for t in self.tables}
        self.rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in self.tables}
        self.counts = dict.fromkeys(self.rows, 0)

    def add(self, table: str, **values: Any) -> uuid.UUID:
        """Buffer a row (with a fresh id unless given) and return its id."""
        row = self.tpl[table] | values
        if "id" not in values:
            row["id"] = self.new_id()
        self.rows[table].append(row)
        self.pending += 1
        return row["id"]

    def flush(self, force: bool = False) -> None:
        """Write the buffer, parents first; called only between whole actors or cases."""
        if self.pending < self.batch_size and not force:
            return
        for table in self.tables:
            if rows := self.rows[table.name]:
                self.conn.execute(table.insert(), rows)
                self.counts[table.name] += len(rows)
                rows.clear()
        self.pending = 0
