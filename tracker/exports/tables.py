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
import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from .. import dates
from ..i18n import t
from . import ExportOptions
from .labels import Labels, about_rows, charge_rows
from .rows import TABLES, read_rows
from .safe_cells import neutralize

__all__ = ["export_csv", "export_json", "export_xlsx", "table_view"]

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
    columns = list(rows[0]) if rows else labels.columns(table)
    dated = {c: p for c in columns if (p := _precision_of(columns, c))}
    shown = [c for c in columns if c not in dated.values()]
    headers = labels.headers(table, shown)
    out = []
    for row in rows:
        values = []
        for column in shown:
            value = row.get(column)
            if column in dated:
                value = dates.format_partial(value, row.get(dated[column])) or None
            elif isinstance(value, uuid.UUID):
                value = str(value)
            else:
                value = labels.value(table, column, value)
            values.append(value)
        out.append(values)
    return headers, out


def _views(
    engine: Engine,
    options: ExportOptions,
) -> tuple[Iterator[tuple[str, list[str], list[list[Any]]]], int]:
    data = read_rows(engine, options)
    labels = Labels.load(engine, options.lang)
    count = sum(len(rows) for rows in data.values())

    def generate() -> Iterator[tuple[str, list[str], list[list[Any]]]]:
        yield "about", *about_rows(engine, options, EXPORT_MARKER)
        yield "charge_rows", *charge_rows(data, labels)
        for table in TABLES:
            yield table, *table_view(table, data[table], labels)

    return generate(), count


def _text(value: Any, lang: str) -> str:
    """A value as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("export.yes" if value else "export.no", lang=lang)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(neutralize(value))


def _csv_bytes(headers: list[str], rows: list[list[Any]], lang: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([neutralize(h) for h in headers])
    for row in rows:
        writer.writerow([_text(v, lang) for v in row])
    # The byte-order mark makes Excel read the file as UTF-8 (accents intact).
    return buffer.getvalue().encode("utf-8-sig")


def export_csv(engine: Engine, out: Path, options: ExportOptions) -> int:
    """One CSV file per table: in a zip when ``out`` ends in .zip, else in the folder ``out``.

    Returns:
        The number of records written (charge_rows and about not counted).
    """
    views, count = _views(engine, options)
    out = Path(out)
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, headers, rows in views:
                archive.writestr(f"{name}.csv", _csv_bytes(headers, rows, options.lang))
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, headers, rows in views:
            (out / f"{name}.csv").write_bytes(_csv_bytes(headers, rows, options.lang))
    return count


def export_xlsx(engine: Engine, out: Path, options: ExportOptions) -> int:
    """One workbook, one sheet per table (named in ``options.lang``); returns records written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    views, count = _views(engine, options)
    workbook = Workbook(write_only=True)
    for name, headers, rows in views:
        sheet = workbook.create_sheet(title=_sheet_title(name, options.lang))
        sheet.append([neutralize(h) for h in headers])
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, list | tuple):
                    value = "; ".join(str(v) for v in value)
                cell = WriteOnlyCell(sheet, value=neutralize(value))
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula, whatever openpyxl infers
                cells.append(cell)
            sheet.append(cells)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return count


def _sheet_title(name: str, lang: str) -> str:
    """A sheet name in ``lang`` (Excel allows 31 characters and no []:*?/\\)."""
    title = t(f"export.sheet.{name}", lang=lang)
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31]


def export_json(engine: Engine, out: Path, options: ExportOptions) -> int:
    """One JSON document: ``{"about": {...}, "tables": {name: {"columns", "rows"}}}``.

    Rows are objects keyed by column name; ``columns`` gives each column's label in
    ``options.lang``. Returns the number of records written.
    """
    views, count = _views(engine, options)
    document: dict[str, Any] = {"tables": {}}
    for name, headers, rows in views:
        if name == "about":
            document["about"] = {str(r[0]): r[1] for r in rows}
            continue
        keys = _json_keys(name, headers, options.lang)
        document["tables"][name] = {
            "title": t(f"export.sheet.{name}", lang=options.lang),
            "columns": dict(zip(keys, headers, strict=True)),
            "rows": [dict(zip(keys, row, strict=True)) for row in rows],
        }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        json.dump(document, fh, ensure_ascii=False, indent=1, default=str)
        fh.write("\n")
    return count


def _json_keys(name: str, headers: list[str], lang: str) -> list[str]:
    """Column names for JSON keys: the table's columns, or the template keys of charge_rows."""
    from ..imports.template import COLUMNS
    from .labels import column_for_header

    if name == "charge_rows":
        by_header = {(c.es if lang == "es" else c.en): c.key for c in COLUMNS}
        return [by_header.get(h, h) for h in headers]
    return [column_for_header(name, h, lang) for h in headers]
