"""Read an uploaded CSV or XLSX file into a header and rows of cells, never raising.

Whatever the bytes, the result is a :class:`Sheet`; a file we cannot read becomes a sheet with
no rows and a problem that says why. CSV files saved by Excel in Latin America are often
Windows-1252 and separated by semicolons: both are detected.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from .report import Problem
from .sniff import decode
from .sniff import delimiter as sniff_delimiter

__all__ = ["MAX_ROWS", "Sheet", "read_upload"]

# A guard against a mistaken upload of something huge; an NGO sheet is far smaller.
MAX_ROWS = 500_000
_SNIFF_BYTES = 64 * 1024


@dataclass
class Sheet:
    """One table of cells: its header and its rows, each with its spreadsheet row number."""

    name: str
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def filled_rows(self) -> list[tuple[int, list[Any]]]:
        """Rows as (row number, cells in header order), skipping rows that are entirely empty.

        The cells of a header are at :meth:`positions`; a short row lacks its last cells.
        """
        return [(n, cells) for n, cells in self.rows if not all(_blank(c) for c in cells)]

    def positions(self) -> dict[str, int]:
        """Header -> its column's index (of two columns with one header, the last, as
        :meth:`records` reads them)."""
        return {h: i for i, h in enumerate(self.header) if h}

    def records(self) -> list[tuple[int, dict[str, Any]]]:
        """Rows as (row number, header -> cell), skipping rows that are entirely empty."""
        out = []
        for number, cells in self.rows:
            if all(_blank(c) for c in cells):
                continue
            out.append(
                (
                    number,
                    {
                        h: cells[i] if i < len(cells) else None
                        for i, h in enumerate(self.header)
                        if h
                    },
                )
            )
        return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_upload(data: bytes, filename: str) -> list[Sheet]:
    """Read ``data`` as XLSX (by content, whatever the name says) or CSV.

    Returns:
        The file's sheets (one for CSV); a file that cannot be read gives one sheet whose
        problems explain it.
    """
    if data[:2] == b"PK" and _is_csv_zip(data):
        return _read_csv_zip(data)
    if data[:2] == b"PK" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, filename)
    if data.lstrip()[:1] == b"{":
        sheets = _read_json_export(data)
        if sheets:
            return sheets
    return [_read_csv(data, filename)]


def _is_csv_zip(data: bytes) -> bool:
    """A zip of CSV files (the tracker's CSV export), not an XLSX workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False
    return "[Content_Types].xml" not in names and any(n.endswith(".csv") for n in names)


def _read_csv_zip(data: bytes) -> list[Sheet]:
    sheets = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.filename.endswith(".csv") or info.file_size > 512 * 1024 * 1024:
                    continue
                name = info.filename.rsplit("/", 1)[-1].removesuffix(".csv")
                sheet = _read_csv(archive.read(info), name)
                sheet.name = name
                sheets.append(sheet)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError):
        return [Sheet(name="zip", problems=[Problem(0, "", "import.file.bad_zip")])]
    return sheets


def _read_json_export(data: bytes) -> list[Sheet]:
    """The tables of the tracker's JSON export as sheets (empty for any other JSON)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
        tables = document["tables"]
        about = document["about"]
        sheets = [
            Sheet(
                name="about",
                header=["key", "value"],
                rows=[(i + 2, [k, v]) for i, (k, v) in enumerate(about.items())],
            )
        ]
        for name, table in tables.items():
            keys = list(table["columns"])
            rows = [(i + 2, [row.get(k) for k in keys]) for i, row in enumerate(table["rows"])]
            sheets.append(Sheet(name=str(name), header=[str(k) for k in keys], rows=rows))
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return []
    return sheets


def _read_csv(data: bytes, filename: str) -> Sheet:
    sheet = Sheet(name=filename)
    if not data.strip():
        sheet.problems.append(Problem(0, "", "import.file.empty"))
        return sheet
    text, encoding = decode(data)
    if "\x00" in text:
        sheet.problems.append(Problem(0, "", "import.file.binary"))
        return sheet
    if encoding in ("cp1252", "latin-1"):
        sheet.problems.append(
            Problem(0, "", "import.file.encoding", {"encoding": encoding}, severity="warning")
        )
    # Only the delimiter is sniffed (Excel in Spanish saves with ";"); quoting stays Excel's,
    # which the sniffer often gets wrong on long quoted text.
    delimiter = sniff_delimiter(text)
    dialect = type("_Dialect", (csv.excel,), {"delimiter": delimiter})
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        sheet.problems.append(Problem(0, "", "import.file.bad_csv", {"reason": str(exc)[:120]}))
        return sheet
    _fill(sheet, rows)
    return sheet


def _read_xlsx(data: bytes, filename: str) -> list[Sheet]:
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (openpyxl raises many kinds on a damaged or foreign file)
        if data[:2] == b"PK" and _is_zip(data):
            problem = Problem(0, "", "import.file.bad_xlsx")
        else:
            return [_read_csv(data, filename)]
        return [Sheet(name=filename, problems=[problem])]
    sheets = []
    try:
        for ws in workbook.worksheets:
            sheet = Sheet(name=str(ws.title))
            try:
                rows = [list(r) for r in ws.iter_rows(values_only=True)]
            except Exception:  # noqa: BLE001  (a damaged sheet part)
                sheet.problems.append(Problem(0, "", "import.file.bad_xlsx"))
                sheets.append(sheet)
                continue
            _fill(sheet, rows)
            sheets.append(sheet)
    finally:
        workbook.close()
    if _has_formulas(data):
        _report_formulas(data, sheets)
    return sheets or [Sheet(name=filename, problems=[Problem(0, "", "import.file.empty")])]


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the workbook holds a formula (a cheap look at its XML)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = archive.read(name)
                    if b"<f>" in xml or b"<f " in xml or b":f>" in xml:
                        return True
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError):
        return False
    return False


def _report_formulas(data: bytes, sheets: list[Sheet]) -> None:
    """A formula cell read through its cached value is fine; one without a cached value (a
    workbook written by a program that does not compute) would import as empty: an error.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001  (already read once; a second failure changes nothing)
        return
    by_name = {s.name: s for s in sheets}
    try:
        for ws in workbook.worksheets:
            sheet = by_name.get(str(ws.title))
            if sheet is None or not sheet.rows:
                continue
            first = sheet.rows[0][0]  # spreadsheet number of the first data row
            cached = {n: cells for n, cells in sheet.rows}
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                for i, value in enumerate(row):
                    if not (isinstance(value, str) and value.startswith("=")):
                        continue
                    cells = cached.get(number)
                    if number < first or cells is None:
                        continue
                    if i >= len(cells) or cells[i] is None:
                        column = sheet.header[i] if i < len(sheet.header) else ""
                        sheet.problems.append(
                            Problem(number, column, "import.file.formula", {"formula": value[:80]})
                        )
    except Exception:  # noqa: BLE001  (a damaged sheet part: the first read reported it)
        return
    finally:
        workbook.close()


def _is_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)):
            return True
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _fill(sheet: Sheet, rows: list[list[Any]]) -> None:
    """Take the first non-empty row as the header and the rest as data rows."""
    start = next((i for i, r in enumerate(rows) if any(not _blank(c) for c in r)), None)
    if start is None:
        sheet.problems.append(Problem(0, "", "import.file.empty"))
        return
    header = [_header_text(c) for c in rows[start]]
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    for i, name in enumerate(header):
        if name and name in seen:
            sheet.problems.append(Problem(start + 1, name, "import.file.duplicate_header"))
            header[i] = ""
        seen.add(name)
    sheet.header = header
    data_rows = rows[start + 1 :]
    if len(data_rows) > MAX_ROWS:
        sheet.problems.append(Problem(0, "", "import.file.too_many_rows", {"max": MAX_ROWS}))
        return
    sheet.rows = [(start + 2 + i, r) for i, r in enumerate(data_rows)]
    width = len(header)
    for number, cells in sheet.rows:
        if len(cells) > width:
            extra = [c for c in cells[width:] if not _blank(c)]
            if extra:
                # A cell beyond the last header belongs to no column: say so, never drop it.
                sheet.problems.append(
                    Problem(
                        number,
                        "",
                        "import.file.extra_cells",
                        {"count": len(extra), "value": str(extra[0])[:80]},
                        severity="warning",
                    )
                )


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).replace("\ufeff", "").strip()
    return " ".join(text.split())
