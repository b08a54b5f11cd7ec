"""The rows every data export starts from, with tracker.privacy applied once, here.

Unless ``options.show_confidential``: restricted people and cases are left out, and so is
every row that points at something left out (a charge against a restricted person, the
hearings of a restricted case), so no file refers to a record it does not hold; confidential
people appear under their pseudonym (tracker.privacy.display_name) without aliases, ID number,
birth date or description, and their real names are replaced by the pseudonym in free text
too (case titles and summaries, notes). Synthetic rows are flagged by ``is_synthetic`` and
left out with ``include_synthetic=False``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from .. import models  # noqa: F401  (registers every table on the metadata)
from ..i18n import t
from ..privacy import display_name
from . import ExportOptions

__all__ = ["MANAGED", "TABLES", "TEXT_COLUMNS", "read_rows"]

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
    "citation",
)
MANAGED = frozenset({"version_id", "created_at", "updated_at"})
TEXT_COLUMNS = frozenset(
    {"title", "summary", "notes", "note", "description", "supports", "context"}
)
_WITHHELD_FIELDS: dict[str, Any] = {
    "aliases": [],
    "id_number": None,
    "birth_date": None,
    "birth_date_precision": "unknown",
    "description": None,
}


def _references(table: str) -> dict[str, str]:
    """column -> referred table, for the foreign keys of ``table``."""
    out = {}
    for column in SQLModel.metadata.tables[table].columns:
        for fk in column.foreign_keys:
            out[column.name] = fk.column.table.name
    return out


class Scrubber:
    """Replaces real names of confidential people in free text by their pseudonyms.

    One regular expression built as a trie of the names, so a large database costs one scan
    per text cell rather than one per name.
    """

    def __init__(self, names: dict[str, str]) -> None:
        self.names = {k.casefold(): v for k, v in names.items() if len(k.strip()) >= 3}
        self.pattern = _trie_regex(self.names) if self.names else None

    def __call__(self, text: Any) -> Any:
        if self.pattern is None or not isinstance(text, str):
            return text
        return self.pattern.sub(lambda m: self.names[m.group(0).casefold()], text)


def _trie_regex(words: Iterable[str]) -> re.Pattern[str]:
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        alternatives = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        return f"(?:{body})?" if "" in node else body

    return re.compile(rf"(?<!\w){build(trie)}(?!\w)", re.IGNORECASE)


def read_rows(
    engine: Engine, options: ExportOptions, tables: Iterable[str] = TABLES
) -> dict[str, list[dict[str, Any]]]:
    """Rows of each table as dicts of column -> value, with privacy and synthetic rules.

    Columns the services manage (version, timestamps) are left out.
    """
    wanted = [t for t in TABLES if t in set(tables)]
    needed = _closure(wanted)
    withheld: dict[str, str] = {}
    hidden: dict[str, set[uuid.UUID]] = {t: set() for t in TABLES}
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table_name in needed:
            table = SQLModel.metadata.tables[table_name]
            refs = _references(table_name)
            columns = [c for c in table.columns if c.name not in MANAGED]
            rows = []
            for record in conn.execute(select(*columns).order_by(table.c.id)).mappings():
                row = dict(record)
                if _hidden(row, table_name, refs, hidden, options):
                    hidden[table_name].add(row["id"])
                    if table_name == "actor" and not options.show_confidential:
                        withheld[row["name"]] = t("privacy.name_withheld")
                    continue
                rows.append(row)
            out[table_name] = rows
    if not options.show_confidential:
        _pseudonymize(out, withheld)
    return {t: out[t] for t in wanted}


def _hidden(
    row: dict[str, Any],
    table: str,
    refs: dict[str, str],
    hidden: dict[str, set[uuid.UUID]],
    options: ExportOptions,
) -> bool:
    if not options.include_synthetic and row.get("is_synthetic"):
        return True
    if (
        not options.show_confidential
        and table in ("actor", "court_case")
        and row.get("confidentiality") == "restricted"
    ):
        return True
    if table == "citation":
        return any(row["row_id"] in ids for ids in hidden.values())
    for column, target in refs.items():
        value = row.get(column)
        if value is not None and value in hidden[target]:
            if column == "parent_case_id":
                row[column] = None  # the case stays; the link to a hidden one goes
                continue
            return True
    return False


def _closure(wanted: list[str]) -> list[str]:
    """The tables to read: the wanted ones, those they refer to, and actors and cases
    (whose visibility decides what else is hidden)."""
    needed = {*wanted, "actor", "court_case"}
    if "citation" in needed:
        needed.update(TABLES)
    while True:
        more = {target for table in needed for target in _references(table).values()}
        if more <= needed:
            return [t for t in TABLES if t in needed]
        needed |= more


def _pseudonymize(out: dict[str, list[dict[str, Any]]], withheld: dict[str, str]) -> None:
    real: dict[str, str] = dict(withheld)
    for row in out.get("actor", []):
        if row["confidentiality"] == "confidential":
            shown = display_name(
                row["name"], row["pseudonym"], row["confidentiality"], show_confidential=False
            )
            real[row["name"]] = shown
            for alias in row.get("aliases") or []:
                real[alias] = shown
            row.update(_WITHHELD_FIELDS, name=shown)
    scrub = Scrubber(real)
    for rows in out.values():
        for row in rows:
            for column in TEXT_COLUMNS & row.keys():
                row[column] = scrub(row[column])
