"""What privacy does to the kept rows of an export, a batch at a time (tracker.privacy):
a restricted source keeps only its label, reliability and dates; a confidential person is
shown under the pseudonym, without aliases, ID number, birth date or description; real names
are taken out of every text column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import SQLModel

from ..privacy import Redactor, display_name, shown_source
from . import ExportOptions
from .row_rules import TEXT_COLUMNS, WITHHELD_FIELDS

__all__ = ["Finisher", "finisher"]

Finisher = Callable[[list[dict[str, Any]]], None]


def finisher(table: str, options: ExportOptions, scrub: Redactor) -> Finisher | None:
    """What is done to a batch of kept rows of ``table``, in place (None: nothing).

    Each text column of the batch goes through ``scrub.changes`` at once: one scan of the
    column's texts, and only the texts holding a name are redacted one by one."""
    columns = SQLModel.metadata.tables[table].c
    text = sorted(TEXT_COLUMNS & set(columns.keys())) if scrub else []
    pseudonymize = table == "actor" and not options.show_confidential
    # A restricted source keeps only its label, reliability and dates for a viewer.
    withhold_sources = table == "source" and not options.show_confidential
    if not (text or pseudonymize or withhold_sources):
        return None
    changes = scrub.changes

    def finish(rows: list[dict[str, Any]]) -> None:
        if withhold_sources:
            for row in rows:
                if row.get("restricted"):
                    row.update(shown_source(row, show_confidential=False, lang=options.lang))
        if pseudonymize:
            for row in rows:
                if row.get("confidentiality") == "confidential":
                    shown = display_name(
                        row["name"], row["pseudonym"], "confidential", show_confidential=False
                    )
                    row.update(WITHHELD_FIELDS, name=shown)
        for column in text:
            for i, new in changes([row.get(column) for row in rows]):
                rows[i][column] = new

    return finish
