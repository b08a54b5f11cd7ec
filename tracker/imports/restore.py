"""Restore records from the tracker's own table export (one sheet or CSV per table)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from ..permissions import Principal
from .reader import Sheet
from .report import Report


def is_table_export(sheets: list[Sheet]) -> bool:
    """True when the sheets are the tracker's own export of tables."""
    return False


def run_restore(
    engine: Engine, principal: Principal, sheets: list[Sheet], *, dry_run: bool = False
) -> Report:
    """Create every record of a table export, with its id, in one transaction."""
    raise NotImplementedError
