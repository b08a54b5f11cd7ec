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
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import String, Uuid, select, type_coerce
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from .. import models  # noqa: F401  (registers every table on the metadata)
from ..gc_pause import without_gc
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


@without_gc
def read_rows(
    engine: Engine, options: ExportOptions, tables: Iterable[str] = TABLES
) -> dict[str, list[dict[str, Any]]]:
    """Rows of each table as dicts of column -> value, with privacy and synthetic rules.

    Columns the services manage (version, timestamps) are left out. One query per table, in
    id order; rows come back as plain tuples and become dicts here (cheaper than SQLAlchemy's
    row mappings), and UUID columns are read as text and turned into ``uuid.UUID`` once per
    distinct value (a case id repeated on 15 hearings is parsed once).
    """
    wanted = [t for t in TABLES if t in set(tables)]
    needed = _closure(wanted)
    withheld: dict[str, str] = {}
    hidden: dict[str, set[uuid.UUID]] = {t: set() for t in TABLES}
    out: dict[str, list[dict[str, Any]]] = {}
    uuids = _UUIDs()
    with engine.connect() as conn:
        for table_name in needed:
            table = SQLModel.metadata.tables[table_name]
            refs = _references(table_name)
            columns = [c for c in table.columns if c.name not in MANAGED]
            names = [c.name for c in columns]
            uuid_at = [i for i, c in enumerate(columns) if isinstance(c.type, Uuid)]
            selected = [
                type_coerce(c, String).label(c.name) if isinstance(c.type, Uuid) else c
                for c in columns
            ]
            hide = _hider(table_name, refs, hidden, options)
            hidden_here = hidden[table_name]
            rows = []
            result = conn.execute(select(*selected).order_by(table.c.id))
            for part in result.partitions(_BATCH):
                for record in part:
                    if uuid_at:
                        values = list(record)
                        for i in uuid_at:
                            values[i] = uuids[values[i]]
                        row = dict(zip(names, values, strict=True))
                    else:
                        row = dict(zip(names, record, strict=True))
                    if hide is not None and hide(row):
                        hidden_here.add(row["id"])
                        if table_name == "actor" and not options.show_confidential:
                            withheld[row["name"]] = t("privacy.name_withheld")
                        continue
                    rows.append(row)
            out[table_name] = rows
    if not options.show_confidential:
        _pseudonymize(out, withheld)
    return {t: out[t] for t in wanted}


_BATCH = 5000


class _UUIDs(dict[Any, Any]):
    """Stored UUID (text on SQLite, already a UUID on PostgreSQL) -> one shared uuid.UUID."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, raw: Any) -> uuid.UUID:
        parsed = raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)
        self[raw] = parsed
        return parsed


def _hider(
    table: str,
    refs: dict[str, str],
    hidden: dict[str, set[uuid.UUID]],
    options: ExportOptions,
) -> Callable[[dict[str, Any]], bool] | None:
    """The test deciding whether a row of ``table`` is left out (None: none ever is).

    The export's rules, with what depends only on the table decided once. The
    sets in ``hidden`` are the live ones: a table referring to itself (a case's parent case)
    sees the rows hidden so far, as before.
    """
    skip_synthetic = not options.include_synthetic
    restricted = not options.show_confidential and table in ("actor", "court_case")
    if table == "citation":
        every = list(hidden.values())

        def hide_citation(row: dict[str, Any]) -> bool:
            if skip_synthetic and row.get("is_synthetic"):
                return True
            if restricted and row.get("confidentiality") == "restricted":
                return True
            row_id = row["row_id"]
            return any(row_id in ids for ids in every)

        return hide_citation
    checks = [(column, hidden[target]) for column, target in refs.items()]
    if not (skip_synthetic or restricted or checks):
        return None

    def hide(row: dict[str, Any]) -> bool:
        if skip_synthetic and row.get("is_synthetic"):
            return True
        if restricted and row.get("confidentiality") == "restricted":
            return True
        for column, ids in checks:
            if not ids:
                continue
            value = row.get(column)
            if value is not None and value in ids:
                if column == "parent_case_id":
                    row[column] = None  # the case stays; the link to a hidden one goes
                    continue
                return True
        return False

    return hide


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
    if scrub.pattern is None:
        return
    for rows in out.values():
        columns = sorted(TEXT_COLUMNS & rows[0].keys()) if rows else []
        for row in rows:
            for column in columns:
                row[column] = scrub(row[column])
