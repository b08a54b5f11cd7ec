"""Which rows of an export are left out, table by table (the rules tracker.exports.rows
applies): a synthetic row without ``include_synthetic``, a restricted person or case for a
viewer, a row outside the export's filters, a row referring to one left out, and a citation
of a row left out. Also: which columns are free text (:data:`TEXT_COLUMNS`, and per table
:func:`typed_columns`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import eq, itemgetter
from typing import Any

from sqlalchemy import JSON, String, Text, TypeDecorator
from sqlmodel import SQLModel

from .. import models  # noqa: F401  (registers every table on the metadata)
from ..services import SERVICES
from ..tabular import MANAGED, TABLES
from . import ExportOptions

__all__ = [
    "HIDE",
    "KEEP",
    "TEXT_COLUMNS",
    "UNLINK",
    "WITHHELD_FIELDS",
    "closure",
    "depends",
    "hider",
    "references",
    "sifter",
    "typed_columns",
]


# Every column a person could have typed a name into, read from the tables themselves so a
# new column is covered without a change here: text of any length, and JSON lists of text.
def _is_text(kind: Any) -> bool:
    """True for text columns (SQLModel's AutoString is a TypeDecorator over String)."""
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return isinstance(kind, String | Text | JSON)


TEXT_COLUMNS = frozenset(
    column.name
    for name in TABLES
    for column in SQLModel.metadata.tables[name].columns
    if _is_text(column.type) and column.name not in MANAGED
)


def typed_columns(table: str) -> tuple[str, ...]:
    """The text columns of ``table`` a person can type a name into: every text column
    (:data:`TEXT_COLUMNS`) but the codes the services check against a vocabulary or a fixed
    list, and date precisions (tests/privacy/canary.py leaves out the same). Only these go
    through the redactor: a code cannot hold a name, and redacting the 2 million cells of
    codes at scale M took a quarter of an export's time."""
    service = SERVICES.get(table)
    coded = {*service.spec.vocab, *service.spec.choices} if service is not None else set()
    return tuple(
        column.name
        for column in SQLModel.metadata.tables[table].columns
        if column.name in TEXT_COLUMNS
        and column.name not in coded
        and not column.name.endswith("_precision")
    )


# What a confidential person's row loses for a viewer (the name becomes the pseudonym).
WITHHELD_FIELDS: dict[str, Any] = {
    "aliases": [],
    "id_number": None,
    "birth_date": None,
    "birth_date_precision": "unknown",
    "description": None,
}

KEEP, HIDE, UNLINK = "keep", "hide", "unlink"


def references(table: str) -> dict[str, str]:
    """column -> referred table, for the foreign keys of ``table``."""
    out = {}
    for column in SQLModel.metadata.tables[table].columns:
        for fk in column.foreign_keys:
            out[column.name] = fk.column.table.name
    return out


def depends(table: str) -> list[str]:
    """The tables whose hidden rows decide which rows of ``table`` are hidden."""
    if table == "citation":
        return [t for t in TABLES if t != "citation"]
    return [t for t in dict.fromkeys(references(table).values()) if t != table]


def closure(wanted: list[str]) -> list[str]:
    """The tables to read: the wanted ones, those they refer to, and actors and cases
    (whose visibility decides what else is hidden)."""
    needed = {*wanted, "actor", "court_case"}
    if "citation" in needed:
        needed.update(TABLES)
    while True:
        more = {target for table in needed for target in references(table).values()}
        if more <= needed:
            return [t for t in TABLES if t in needed]
        needed |= more


def hider(
    table: str,
    refs: dict[str, str],
    hidden: dict[str, set[Any]],
    options: ExportOptions,
    columns: list[str],
    excluded: set[Any] | frozenset[Any] = frozenset(),
) -> Callable[[Sequence[Any]], str]:
    """The test deciding whether a row of ``table`` is left out: HIDE, KEEP, or UNLINK
    (kept without its link to a hidden parent case).

    Rows are tuples of ``columns``. A synthetic row (with include_synthetic off), a restricted
    person or case (unless show_confidential), a row whose id is in ``excluded`` (outside the
    export's filters), a row referring to a hidden one, and a citation of a hidden row are
    left out. What depends only on the table is decided once. The sets in ``hidden`` are the
    live ones: a table referring to itself (a case's parent case) sees the rows hidden so far.
    """
    at = {name: i for i, name in enumerate(columns)}
    synthetic_at = at.get("is_synthetic") if not options.include_synthetic else None
    restricted = not options.show_confidential and table in ("actor", "court_case")
    restricted_at = at.get("confidentiality") if restricted else None
    id_at = at.get("id") if excluded else None
    if table == "citation":
        every = list(hidden.values())
        row_id_at = at["row_id"]

        def hide_citation(row: Sequence[Any]) -> str:
            if synthetic_at is not None and row[synthetic_at]:
                return HIDE
            if restricted_at is not None and row[restricted_at] == "restricted":
                return HIDE
            row_id = row[row_id_at]
            return HIDE if any(row_id in ids for ids in every) else KEEP

        return hide_citation
    checks = [
        (at[column], hidden[target], column == "parent_case_id") for column, target in refs.items()
    ]

    def hide(row: Sequence[Any]) -> str:
        if synthetic_at is not None and row[synthetic_at]:
            return HIDE
        if restricted_at is not None and row[restricted_at] == "restricted":
            return HIDE
        if id_at is not None and row[id_at] in excluded:
            return HIDE
        verdict = KEEP
        for i, ids, parent in checks:
            if ids:
                value = row[i]
                if value is not None and value in ids:
                    if parent:
                        verdict = UNLINK  # the case stays; the link to a hidden one goes
                        continue
                    return HIDE
        return verdict

    return hide


Rows = Sequence[Sequence[Any]]


def sifter(
    table: str,
    refs: dict[str, str],
    hidden: dict[str, set[Any]],
    options: ExportOptions,
    columns: list[str],
    excluded: set[Any] | frozenset[Any] = frozenset(),
    unlinked: set[Any] | None = None,
) -> Callable[[Rows], Rows]:
    """The rows of a batch that stay, in order, by :func:`hider`'s rules: the ids of the rows
    left out are added to ``hidden[table]``, of those unlinked to ``unlinked``.

    A table that refers to itself (a case's parent case) and citations are judged row by row.
    Any other table's rows are judged a column at a time, at C speed: the rows whose flag is
    set, whose id is excluded or whose reference is in a hidden set (an intersection, mostly
    empty) are the only ones looked at; its own hidden set, growing, is none it reads."""
    decide = hider(table, refs, hidden, options, columns, excluded)
    id_at, here = columns.index("id"), hidden[table]
    if table == "citation" or table in refs.values():

        def one_by_one(part: Rows) -> Rows:
            rows = []
            for record in part:
                verdict = decide(record)
                if verdict is HIDE:
                    here.add(record[id_at])
                    continue
                if verdict is UNLINK and unlinked is not None:
                    unlinked.add(record[id_at])
                rows.append(record)
            return rows

        return one_by_one
    at = {name: i for i, name in enumerate(columns)}
    flags = [at["is_synthetic"]] if not options.include_synthetic and "is_synthetic" in at else []
    restricted = not options.show_confidential and table in ("actor", "court_case")
    codes = [at["confidentiality"]] if restricted and "confidentiality" in at else []
    sets = [(at[column], hidden[target]) for column, target in refs.items()]
    if excluded:
        sets.append((id_at, excluded))

    def by_column(part: Rows) -> Rows:
        out: set[int] = set()
        every = range(len(part))
        for i in flags:
            out.update(compress(every, map(itemgetter(i), part)))
        for i in codes:
            out.update(compress(every, map(eq, map(itemgetter(i), part), repeat("restricted"))))
        for i, ids in sets:
            if ids:
                column = list(map(itemgetter(i), part))
                found = ids.intersection(column)
                found.discard(None)
                if found:
                    out.update(k for k, value in enumerate(column) if value in found)
        if not out:
            return part
        here.update(part[k][id_at] for k in out)
        return [record for k, record in enumerate(part) if k not in out]

    return by_column
