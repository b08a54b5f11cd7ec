"""Property tests: whatever the file, the importer returns a report and never writes part of it.

Random bytes, random CSV files built from template headers and tricky cells, and random XLSX
cells. Examples are few (the suite runs on SQLite and PostgreSQL); hypothesis still finds the
usual suspects: empty files, NUL bytes, odd encodings, huge numbers, formulas, bad dates.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from tracker.imports import Report, run_import
from tracker.imports.template import COLUMNS
from tracker.permissions import Principal
from tracker.stats import row_counts

EDITOR = Principal("ana", "editor")
SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADERS = [c.en for c in COLUMNS] + [c.es for c in COLUMNS] + ["Otra columna", ""]
TRICKY = [
    "25/04/2019",
    "04/25/2019",
    "2019",
    "abril de 2019",
    "31/02/2019",
    "2019-13-01",
    "riot",
    "Disturbios",
    "usurpation",
    "nope",
    "=1+1",
    "'=SUM(A1)",
    "-3",
    "1e400",
    "50,000",
    "Rosa",
    "ROSA",
    "Róşa",
    "sí",
    "x",
    "Minera; Policía",
    ";;",
    "00000000-0000-0000-0000-000000000000",
    "confidential",
    "resolved",
    "Absuelto",
    "\t",
    "\r\n",
    "",
    " ",
    "9" * 30,
]
cells = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))
xlsx_text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
xlsx_cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1000, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1)),
    st.sampled_from(TRICKY[:-4]),
    xlsx_text,
)


def _check(engine: Engine, data: bytes, name: str) -> Report:
    before = row_counts(engine)
    report = run_import(engine, EDITOR, data, name)
    assert isinstance(report, Report)
    if report.committed:
        assert report.ok
    else:
        # Not a single row of a refused file reaches the database.
        assert row_counts(engine) == before
    return report


@SETTINGS
@given(data=st.binary(max_size=3000), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", ""]))
def test_random_bytes_give_a_report(vocab_engine: Engine, data: bytes, name: str) -> None:
    _check(vocab_engine, data, name)


@SETTINGS
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10),
    rows=st.lists(st.lists(cells, max_size=10), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_random_csv_files_give_a_report(
    vocab_engine: Engine,
    header: list[str],
    rows: list[list[str]],
    delimiter: str,
    encoding: str,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    _check(vocab_engine, data, "random.csv")


@SETTINGS
@given(rows=st.lists(st.lists(xlsx_cells, min_size=3, max_size=6), min_size=1, max_size=6))
def test_random_xlsx_cells_give_a_report(vocab_engine: Engine, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Case title",
            "Defendant",
            "Charge",
            "Charge filed on",
            "Outcome",
            "Sentence requested (months)",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _check(vocab_engine, buffer.getvalue(), "random.xlsx")


@SETTINGS
@given(good=st.integers(1, 6), bad_at=st.integers(0, 6), bad=st.sampled_from(TRICKY[4:10]))
def test_one_bad_row_anywhere_means_nothing_is_written(
    vocab_engine: Engine, good: int, bad_at: int, bad: str
) -> None:
    lines = [f"Caso {i},Persona {i},riot,2019" for i in range(good)]
    lines.insert(min(bad_at, good), f"Caso X,Persona X,riot,{bad}")
    data = ("Case title,Defendant,Charge,Charge filed on\n" + "\n".join(lines)).encode()
    report = _check(vocab_engine, data, "mixed.csv")
    assert not report.committed
    assert [p.row for p in report.errors] == [min(bad_at, good) + 2]
