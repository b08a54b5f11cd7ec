"""Rows of a select, a batch at a time, read as cheaply as the database allows.

On SQLite the rows come straight from the DBAPI cursor (sqlite3's tuples), and each column's
conversion (SQLAlchemy's own result processor of its type: 0/1 to bool, JSON text to lists,
date text to ``date``) is handed back to be done a column at a time on the batch: SQLAlchemy's
result partitions made a Row per row and ran the processors cell by cell, a fifth of an
export's reading time at scale M. Elsewhere (PostgreSQL: a server-side cursor, so memory
holds one batch) SQLAlchemy's partitions are read as before and need no conversion.

A date column named in ``as_stored`` is left as SQLite stores it ("2017-03-06",
"2017-03-06 10:30:00.000000"), for a caller that shows it as that text anyway
(:data:`STORED_SHOWN`); any other text in such a column is converted as usual.
"""

from __future__ import annotations

import pickle
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from sqlalchemy import Date, DateTime
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from ..db import sqlite_cache

__all__ = [
    "STORED_SHOWN",
    "Converter",
    "convert_columns",
    "convert_row",
    "fetch",
    "kept_batches",
    "kept_while_read",
    "read_cache",
]

# What a column's values go through (None: nothing).
Converter = Callable[[Any], Any] | None

# Dates and date-times as SQLAlchemy writes them into SQLite (its storage formats), one a line.
_STORED_DATE = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}\n)*")
# A date-time's year from 1000 on: strftime writes an earlier one without its leading zeros.
_STORED_DATETIME = re.compile(
    r"(?:[1-9][0-9]{3}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{6})?\n)*"
)


# SQLite's page cache while an export reads (its default is 2 MB). Rows are read in id order
# through the primary key's index, each row a look-up in the table: with the default cache
# many look-ups read their page from the file again (15 % of the reads' time at scale M; 64 MB
# gained little more).
READ_CACHE_KB = 32 * 1024


def read_cache(conn: Connection) -> Any:
    """On SQLite, a page cache of :data:`READ_CACHE_KB` on ``conn`` while an export reads
    (tracker.db.sqlite_cache: restored afterwards)."""
    return sqlite_cache(conn, READ_CACHE_KB)


def fetch(
    conn: Connection, stmt: Select[Any], batch: int, as_stored: Iterable[str] = ()
) -> tuple[Iterator[Sequence[Sequence[Any]]], list[Converter]]:
    """(the rows of ``stmt`` in batches of up to ``batch`` rows, each row a sequence of the
    selected columns; the conversion each column's values still need, None for none).

    Read the batches to the end (or drop the iterator): the cursor is closed after the last.
    """
    if conn.dialect.name != "sqlite":
        result = conn.execute(stmt.execution_options(yield_per=batch))
        return result.partitions(), [None] * len(stmt.selected_columns)
    dialect = conn.dialect
    stored = set(as_stored)
    converters: list[Converter] = []
    for column in stmt.selected_columns:
        process = column.type._cached_result_processor(dialect, None)
        if process is not None and column.name in stored:
            if not isinstance(column.type, Date | DateTime):
                raise ValueError(f"{column.name} is not a date column")
            form = _STORED_DATETIME if isinstance(column.type, DateTime) else _STORED_DATE
            process = _StoredDate(process, form)
        converters.append(process)
    result = conn.execute(stmt)
    return _cursor_batches(result, batch), converters


def _cursor_batches(result: Any, size: int) -> Iterator[list[Any]]:
    cursor = result.cursor  # the DBAPI cursor: nothing was fetched from it yet
    try:
        while batch := cursor.fetchmany(size):
            yield batch
    finally:
        result.close()


class _StoredDate:
    """A date column's conversion, done only when some text of a batch is not in the form
    SQLAlchemy stores dates in (then to every value, as SQLAlchemy would)."""

    def __init__(self, process: Callable[[Any], Any], form: re.Pattern[str]) -> None:
        self.process = process
        self.form = form


def convert_columns(columns: list[list[Any]], converters: list[Converter]) -> None:
    """Each column of a batch (one list per selected column) converted, in place."""
    for i, process in enumerate(converters):
        if process is None:
            continue
        column = columns[i]
        if type(process) is _StoredDate:
            # "" is kept: it is no stored date, so the column is converted.
            present = [v for v in column if v is not None]
            if not present or (
                set(map(type, present)) == {str}
                and process.form.fullmatch("\n".join(present) + "\n") is not None
            ):
                continue
            process = process.process
        columns[i] = list(map(process, column))


def convert_row(row: Sequence[Any], converters: list[Converter]) -> list[Any]:
    """One row's values converted (for the few rows taken one by one)."""
    return [
        value
        if process is None
        else (process.process if type(process) is _StoredDate else process)(value)
        for value, process in zip(row, converters, strict=True)
    ]


# Characters of a date as stored (what :func:`fetch` leaves ``as_stored``) that
# dates.format_partial shows at each precision: "2017", "2017-03", "2017-03-06 10:30"; a day,
# or a date-time at any other precision, as its date (the first 10; a date has no more).
STORED_SHOWN = {"year": 4, "month": 7, "time": 16}


def kept_while_read(
    batches: Iterable[list[list[Any]]], done: Callable[[IO[bytes]], None]
) -> Iterator[list[list[Any]]]:
    """``batches`` as they come, each also pickled into a temporary file (before it is given:
    a caller may change it); once all were given, ``done(file)``, the file rewound, for
    :func:`kept_batches` to give them again."""
    kept = tempfile.TemporaryFile()  # noqa: SIM115  (outlives this: kept_batches closes it)
    try:
        for batch in batches:
            pickle.dump(batch, kept, pickle.HIGHEST_PROTOCOL)
            yield batch
    except BaseException:
        kept.close()
        raise
    kept.seek(0)
    done(kept)


def kept_batches(kept: IO[bytes]) -> Iterator[list[list[Any]]]:
    """The batches :func:`kept_while_read` kept in ``kept``, one at a time; closes it."""
    with kept:
        while True:
            try:
                yield pickle.load(kept)
            except EOFError:
                return
