"""Every table as CSV (a folder or a zip of CSV files), XLSX (one sheet per table) or JSON.

Headers and vocabulary values are labels in ``options.lang``; a partial date is one cell
shown as precisely as it is known ("2011", "2017-03", "2017-03-06", "2017-03-06 10:30"); lists
are joined with "; ". Every export also holds ``charge_rows``, one row per charge in the shape
of the import template (docs/IMPORT.md), and an ``about`` table (format, date, language,
schema revision, whether names are pseudonymized). Text a spreadsheet would run as a formula
is neutralized (safe_cells). Privacy comes from exports.rows.
"""

from __future__ import annotations

import csv
import io
import operator
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import JSON
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from .. import dates
from ..errors import TrackerError
from ..gc_pause import without_gc
from ..i18n import t
from ..imports.template import COLUMNS
from . import ExportOptions
from .fetch import STORED_SHOWN, read_cache
from .json_text import compact_encoder, rows_encoder
from .labels import Labels, about_rows, column_for_header, streamed_charge_columns
from .rows import TABLES, ExportReader
from .safe_cells import FORMULA_STARTS, neutralize
from .xlsx import COMPRESSION_LEVEL, XlsxWriter

__all__ = [
    "XLSX_MAX_ROWS",
    "export_csv",
    "export_json",
    "export_xlsx",
    "table_converter",
    "table_view",
]

# A sheet holds 1,048,576 rows in Excel and LibreOffice; the first is the header.
XLSX_MAX_ROWS = 1_048_575

EXPORT_MARKER = "tracker-export"


def _precision_of(columns: list[str], key: str) -> str | None:
    for name in (f"{key}_precision", f"{key.removesuffix('_at')}_precision"):
        if name in columns and name != key:
            return name
    return None


def table_view(
    table: str,
    rows: list[dict[str, Any]],
    labels: Labels,
) -> tuple[list[str], list[list[Any]]]:
    """Headers and plain values of one table: dates folded with their precision, labels.

    Values stay Python objects (bool, int, float, list, str) for each format to write.
    """
    headers, convert = table_converter(table, labels)
    if not rows:
        return headers, []
    names = labels.columns(table)
    shown = convert([[row[name] for row in rows] for name in names])
    return headers, [list(row) for row in zip(*shown, strict=True)]


_CODES = {str, type(None)}
# Column -> exported column, for a batch held as one list per column.
ColumnStep = Callable[[list[list[Any]]], list[Any]]


def table_converter(
    table: str, labels: Labels
) -> tuple[list[str], Callable[[list[list[Any]]], list[list[Any]]]]:
    """Headers of ``table`` and the function turning a batch of its rows into plain values.

    A batch comes as one list per column (``labels.columns(table)``, ids already as text,
    as ExportReader.columns gives them) and goes out as one list per shown column. What
    each column needs is decided once per table, and done to the whole column at once:
    dates folded with their precision, coded values as labels; other columns pass as they
    are (no work per cell).
    """
    columns = labels.columns(table)
    at = {c: i for i, c in enumerate(columns)}
    dated = {c: p for c in columns if (p := _precision_of(columns, c))}
    shown = [c for c in columns if c not in dated.values()]
    headers = labels.headers(table, shown)
    schema = SQLModel.metadata.tables[table].columns
    steps: list[ColumnStep] = []
    for column in shown:
        i = at[column]
        vocabulary = labels.vocabulary_of(table, column)
        if column in dated:
            steps.append(_dates_step(i, at[dated[column]]))
        elif vocabulary is not None:
            steps.append(_labels_step(i, labels, vocabulary, isinstance(schema[column].type, JSON)))
        else:
            steps.append(operator.itemgetter(i))

    def convert(batch: list[list[Any]]) -> list[list[Any]]:
        return [step(batch) for step in steps]

    return headers, convert


def dated_columns(table: str, labels: Labels) -> list[str]:
    """The date columns of ``table`` shown with their precision (as text, whatever the
    format): what :func:`table_converter` takes as stored (ExportReader.columns'
    ``dates_as_stored``) or as dates."""
    columns = labels.columns(table)
    return [c for c in columns if _precision_of(columns, c)]


def _dates_step(i: int, precision_at: int) -> ColumnStep:
    """A partial date shown as precisely as it is known (dates.format_partial; "" -> None),
    from a ``date`` (``datetime``) or the text SQLite stores it as (fetch.stored_dates)."""
    fmt = dates.format_partial
    shown = STORED_SHOWN.get

    def step(batch: list[list[Any]]) -> list[Any]:
        column = batch[i]
        if str in set(map(type, column)):
            # As stored: each value is either that text or None (fetch.convert_columns).
            return [
                None if value is None or precision == "unknown" else value[: shown(precision, 10)]
                for value, precision in zip(column, batch[precision_at], strict=True)
            ]
        return [
            None
            if value is None or precision == "unknown"
            else value.isoformat()
            if precision == "day" and type(value) is date
            else fmt(value, precision) or None
            for value, precision in zip(column, batch[precision_at], strict=True)
        ]

    return step


def _labels_step(i: int, labels: Labels, vocabulary: str, lists: bool) -> ColumnStep:
    """Codes (or lists of codes) as their labels (Labels.labeler)."""
    label = labels.labeler(vocabulary)
    if lists:

        def each(batch: list[list[Any]]) -> list[Any]:
            return [
                [label(v) for v in value] if isinstance(value, list) else label(value)
                for value in batch[i]
            ]

        return each
    by_code = labels.labels_of(vocabulary)
    if None in by_code or "" in by_code:
        return lambda batch: [label(value) for value in batch[i]]
    get = by_code.get

    def scalar(batch: list[list[Any]]) -> list[Any]:
        column = batch[i]
        if not set(map(type, column)) <= _CODES:
            return [label(value) for value in column]
        # A code is its own default: label(code) without a call per cell.
        return list(map(get, column, column))

    return scalar


# A table's rows, a batch at a time, each batch one list per column.
Batches = Iterator[list[list[Any]]]


@contextmanager
def _views(
    engine: Engine,
    options: ExportOptions,
) -> Iterator[tuple[Iterator[tuple[str, list[str], Batches]], ExportReader]]:
    """(each table's name, headers and batches of columns, read and converted a batch at a
    time; the reader, which counts them), while one connection reads them."""
    labels = Labels.load(engine, options.lang)
    with engine.connect() as conn, read_cache(conn):
        reader = ExportReader(conn, options)
        # charge_rows reads the charges once more: the charge table gives that read again.
        reader.report_to(options.progress, reads=(*TABLES, "charge"))
        reader.keep_for_rereading("charge")

        def table(name: str) -> tuple[str, list[str], Batches]:
            headers, convert = table_converter(name, labels)
            # Dates shown as text are read as the text SQLite stores (the same characters).
            batches = reader.columns(
                name, ids_as_text=True, dates_as_stored=dated_columns(name, labels)
            )
            return name, headers, (convert(batch) for batch in batches)

        def generate() -> Iterator[tuple[str, list[str], Batches]]:
            headers, rows = about_rows(engine, options, EXPORT_MARKER)
            yield "about", headers, _transposed([rows])
            headers, batches = streamed_charge_columns(reader, labels)
            yield "charge_rows", headers, batches
            for name in TABLES:
                yield table(name)

        yield generate(), reader


def _records(reader: ExportReader) -> int:
    """Records of an export (charge_rows and about not counted)."""
    sizes = reader.sizes()
    return sum(sizes[name] for name in TABLES)


def _transposed(batches: Iterable[list[list[Any]]]) -> Batches:
    """Batches of rows as batches of columns."""
    for rows in batches:
        if rows:
            yield [list(column) for column in zip(*rows, strict=True)]


def _rows(batches: Batches) -> Iterator[tuple[Any, ...]]:
    for batch in batches:
        yield from zip(*batch, strict=True)


_NONE = type(None)


# Each formula start is one character: a cell starts with one when its first character is one.
if any(len(start) != 1 for start in FORMULA_STARTS):
    raise ImportError("_formula_safe compares first characters with FORMULA_STARTS")
_FIRST = operator.itemgetter(0)


def _formula_safe(column: list[Any]) -> list[Any]:
    """A column of text (or None) with each cell a spreadsheet would run neutralized."""
    # The set of the texts' first characters, made at C speed (a regular expression over the
    # texts joined took five times as long).
    if set(map(_FIRST, filter(None, column))).isdisjoint(FORMULA_STARTS):
        return column
    return [v if v is None or not v.startswith(FORMULA_STARTS) else "'" + v for v in column]


def _csv_text(lang: str) -> Callable[[Any], str]:
    """The function turning a value into CSV text in ``lang`` (booleans are yes/no words).

    Text, and a list once joined, is neutralized (safe_cells) when a spreadsheet would run it.
    """
    yes, no = t("export.yes", lang=lang), t("export.no", lang=lang)

    def text(value: Any) -> str:
        cls = type(value)
        if cls is str:
            return "'" + value if value.startswith(FORMULA_STARTS) else value
        if value is None:
            return ""
        if cls is bool:
            return yes if value else no
        if cls is int:
            return str(value)
        if cls is float and value.is_integer():
            return str(int(value))
        if isinstance(value, list | tuple):
            return str(neutralize("; ".join(str(v) for v in value)))
        if isinstance(value, datetime | date):
            return value.isoformat()
        return str(neutralize(value))

    return text


def _csv_column(column: list[Any], text: Callable[[Any], str]) -> list[Any]:
    """A column as CSV cells: csv writes text, None (as "") and int itself; text is made
    formula safe, and anything else goes through ``text``. Decided by the types the column
    holds, so a column of ids or numbers costs nothing per cell."""
    kinds = set(map(type, column))
    kinds.discard(_NONE)
    if kinds <= {int}:
        return column
    if kinds == {str}:
        return _formula_safe(column)
    if kinds == {bool}:
        words = {True: text(True), False: text(False), None: None}
        return list(map(words.__getitem__, column))
    # The columns of one other type, as ``text`` writes each, without a call per cell.
    if kinds == {float}:
        return [None if v is None else str(int(v)) if v.is_integer() else str(v) for v in column]
    if kinds == {list}:
        return _formula_safe([None if v is None else "; ".join(map(str, v)) for v in column])
    if kinds == {date} or kinds == {datetime}:
        return [None if v is None else v.isoformat() for v in column]
    return [v if v is None else text(v) for v in column]


def _write_csv(fh: IO[str], headers: list[str], batches: Batches, lang: str) -> None:
    text = _csv_text(lang)
    # The byte-order mark, as "utf-8-sig" writes it (that codec is slow per write).
    fh.write("\ufeff")
    writer = csv.writer(fh)
    writer.writerow([neutralize(h) for h in headers])
    for batch in batches:
        writer.writerows(zip(*[_csv_column(column, text) for column in batch], strict=True))


@without_gc
def export_csv(engine: Engine, out: Path, options: ExportOptions) -> int:
    """One CSV file per table: in a zip when ``out`` ends in .zip, else in the folder ``out``.

    Each file is written as it is made (in the zip, through a temporary file, so a table of
    any size gets Zip64 when it needs it). Each starts with a byte-order mark, which makes
    Excel read it as UTF-8 (accents intact).

    Returns:
        The number of records written (charge_rows and about not counted).
    """
    with _views(engine, options) as (views, reader):
        _write_csv_files(views, Path(out), options.lang)
        return _records(reader)


def _write_csv_files(
    views: Iterable[tuple[str, list[str], Iterable[list[Any]]]], out: Path, lang: str
) -> None:
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION_LEVEL
        ) as archive:
            for name, headers, batches in views:
                with tempfile.TemporaryFile("w+b") as tmp:
                    fh = io.TextIOWrapper(tmp, encoding="utf-8", newline="")
                    _write_csv(fh, headers, batches, lang)
                    fh.flush()
                    size = tmp.tell()
                    tmp.seek(0)
                    with archive.open(
                        f"{name}.csv", "w", force_zip64=size >= zipfile.ZIP64_LIMIT
                    ) as dest:
                        shutil.copyfileobj(tmp, dest, 1 << 20)
                    fh.detach()
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, headers, batches in views:
            with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
                _write_csv(file, headers, batches, lang)


@without_gc
def export_xlsx(engine: Engine, out: Path, options: ExportOptions) -> int:
    """One workbook, one sheet per table (named in ``options.lang``); returns records written.

    Written by tracker.exports.xlsx (text as text, never formulas; lists joined with "; ").
    """
    with _views(engine, options) as (views, reader):
        # Every table's rows out, counted before a byte is written: a table's rows are at
        # most its count, and only a table counting more than a sheet holds is read for the
        # rows out (deciding every table costs a read of each).
        out_of = reader.upper_bounds()
        if max(out_of.values()) > XLSX_MAX_ROWS:
            out_of = reader.sizes()
        sizes = {"charge_rows": out_of["charge"]} | {name: out_of[name] for name in TABLES}
        for name, size in sizes.items():
            if size > XLSX_MAX_ROWS:  # Excel would cut the sheet short: refuse before writing
                raise TrackerError(
                    "export.xlsx_too_many_rows",
                    sheet=_sheet_title(name, options.lang),
                    rows=f"{size:,}",
                    limit=f"{XLSX_MAX_ROWS:,}",
                )
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with XlsxWriter(out) as workbook:
            for name, headers, batches in views:
                workbook.add_columns(
                    _sheet_title(name, options.lang),
                    [neutralize(h) for h in headers],
                    _xlsx_batches(batches),
                )
        return _records(reader)


def _xlsx_column(column: list[Any]) -> list[Any]:
    """A column as sheet values: text made formula safe, lists joined by "; " (and made
    safe), other values as they are."""
    kinds = set(map(type, column))
    kinds.discard(_NONE)
    if kinds == {str}:
        return _formula_safe(column)
    if not kinds & {str, list, tuple}:
        return column
    if kinds == {list}:
        return _formula_safe([None if v is None else "; ".join(map(str, v)) for v in column])
    return [
        neutralize("; ".join(str(v) for v in value))
        if isinstance(value, list | tuple)
        else ("'" + value if type(value) is str and value.startswith(FORMULA_STARTS) else value)
        for value in column
    ]


def _xlsx_batches(batches: Batches) -> Batches:
    for batch in batches:
        yield [_xlsx_column(column) for column in batch]


def _sheet_title(name: str, lang: str) -> str:
    """A sheet name in ``lang`` (Excel allows 31 characters and no []:*?/\\)."""
    title = t(f"export.sheet.{name}", lang=lang)
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31]


@without_gc
def export_json(engine: Engine, out: Path, options: ExportOptions) -> int:
    """One JSON document: ``{"about": {...}, "tables": {name: {"title", "columns", "rows"}}}``.

    Rows are objects keyed by column name, one per line; ``columns`` gives each column's
    label in ``options.lang``. Returns the number of records written.
    """
    with _views(engine, options) as (views, reader):
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        # The standard library's C encoder runs only without ``indent``: each row is encoded
        # compactly by it, and only the document's outline is laid out here.
        encode = compact_encoder(default=str)
        about: dict[str, Any] = {}
        with out.open("w", encoding="utf-8") as fh:
            fh.write('{\n "tables": {')
            first = True
            for name, headers, batches in views:
                if name == "about":
                    about = {str(r[0]): r[1] for r in _rows(batches)}
                    continue
                keys = _json_keys(name, headers, options.lang)
                head = {
                    "title": t(f"export.sheet.{name}", lang=options.lang),
                    "columns": dict(zip(keys, headers, strict=True)),
                }
                fh.write(("" if first else ",") + f"\n  {encode(name)}: {encode(head)[:-1]}, ")
                fh.write('"rows": [')
                # Each row an object on a line: one write per batch.
                lines = rows_encoder(keys, encode)
                written = False
                for batch in batches:
                    if batch and batch[0]:
                        fh.write(("," if written else "") + "\n   " + ",\n   ".join(lines(batch)))
                        written = True
                fh.write("\n  ]}" if written else "]}")
                first = False
            fh.write(f'\n }},\n "about": {encode(about)}\n}}\n')
        return _records(reader)


def _json_keys(name: str, headers: list[str], lang: str) -> list[str]:
    """Column names for JSON keys: the table's columns, or the template keys of charge_rows."""
    if name == "charge_rows":
        by_header = {(c.es if lang == "es" else c.en): c.key for c in COLUMNS}
        return [by_header.get(h, h) for h in headers]
    return [column_for_header(name, h, lang) for h in headers]
