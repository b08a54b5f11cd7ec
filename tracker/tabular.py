"""What exports, imports, charts and restores share about tables and cells: the list of
exported tables in dependency order, the columns the database manages, and formula safety.

A neutral module (it imports nothing of the tracker), so exports, imports and charts each
depend on it rather than on one another.

Formula safety: Excel, LibreOffice and Google Sheets run a cell that starts with =, +, - or
@ (and, after a tab or a carriage return, some still do) as a formula, so a case title typed
as ``=HYPERLINK("http://evil","click")`` would become a live link or worse (CSV injection,
OWASP). Every text cell of a CSV or XLSX export goes through :func:`neutralize`; numbers,
booleans and dates are written as such and never need it. The importer takes the quote off
again, so exported files round-trip.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_STARTS", "MANAGED", "TABLES", "TEXT_COLUMNS", "neutralize"]

# Export and restore order: every table after the tables it refers to. Accounts and the audit
# log are left out of exports (password hashes; old values of confidential names): backups
# keep them.
TABLES = (
    "vocabulary_term",
    "source",
    "court",
    "actor",
    "membership",
    "court_case",
    "case_party",
    "charge",
    "charge_complainant",
    "hearing",
    "measure",
    "stage_change",
    "sentence_request",
    "citation",
)
# Columns the database keeps itself (optimistic locking, timestamps): never imported.
MANAGED = frozenset({"version_id", "created_at", "updated_at"})
# Free-text columns (scrubbed of confidential names on the way out).
TEXT_COLUMNS = frozenset(
    {"title", "summary", "notes", "note", "description", "supports", "context"}
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """``value`` unchanged unless it is text starting like a formula; then "'" + value.

    Examples:
        >>> neutralize("=1+1")
        "'=1+1"
        >>> neutralize("Caso Conga")
        'Caso Conga'
        >>> neutralize(-5)
        -5
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
