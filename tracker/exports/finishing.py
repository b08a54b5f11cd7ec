"""What privacy does to the kept rows of an export, a batch at a time (tracker.privacy):
a restricted source keeps only its label, reliability and dates; a confidential person is
shown under the pseudonym, without aliases, ID number, birth date or description; real names
are taken out of every column a person types into (row_rules.typed_columns).

A batch is held as columns (one list per column, in the order of the names it was read
with), so each text column goes through the redactor at once and nothing is done per row
but for the few rows privacy changes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..privacy import Redactor, display_name, shown_source
from . import ExportOptions
from .row_rules import WITHHELD_FIELDS, typed_columns

__all__ = ["Finisher", "finisher"]

# finish(columns): the batch's columns, changed in place.
Finisher = Callable[[list[list[Any]]], None]


def finisher(
    table: str, names: Sequence[str], options: ExportOptions, scrub: Redactor
) -> Finisher | None:
    """What is done to a batch of kept rows of ``table`` read as the columns ``names``, in
    place (None: nothing).

    Each typed text column of the batch goes through ``scrub.changes`` at once: one scan of
    the column's texts, and only the texts holding a name are redacted one by one."""
    at = {name: i for i, name in enumerate(names)}
    text = [at[c] for c in typed_columns(table) if c in at] if scrub else []
    pseudonymize = table == "actor" and not options.show_confidential
    # A restricted source keeps only its label, reliability and dates for a viewer.
    withhold_sources = table == "source" and not options.show_confidential and "restricted" in at
    if not (text or pseudonymize or withhold_sources):
        return None
    if pseudonymize:
        confidential_at, name_at, pseudonym_at = (
            at["confidentiality"],
            at["name"],
            at["pseudonym"],
        )
        withheld = [(at[field], value) for field, value in WITHHELD_FIELDS.items() if field in at]
    changes = scrub.changes

    def finish(columns: list[list[Any]]) -> None:
        if withhold_sources:
            for k, restricted in enumerate(columns[at["restricted"]]):
                if restricted:
                    row = {name: columns[i][k] for name, i in at.items()}
                    shown = shown_source(row, show_confidential=False, lang=options.lang)
                    for name, i in at.items():
                        columns[i][k] = shown[name]
        if pseudonymize:
            names_, pseudonyms = columns[name_at], columns[pseudonym_at]
            for k, level in enumerate(columns[confidential_at]):
                if level == "confidential":
                    names_[k] = display_name(
                        names_[k], pseudonyms[k], "confidential", show_confidential=False
                    )
                    for i, value in withheld:
                        columns[i][k] = value
        for i in text:
            column = columns[i]
            for k, new in changes(column):
                column[k] = new

    return finish
