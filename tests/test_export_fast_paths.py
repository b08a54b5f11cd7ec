"""The exports' column-at-a-time paths write what the value-by-value ones write.

Dates read as SQLite stores them (and converted when a text is in another form), a table's
first read kept for its second, XLSX cells of a column of text with spaces at either end or
characters to escape or drop, and JSON rows encoded column by column.
"""

from __future__ import annotations

import math
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.test_export_tables import _csv_tables, build_sample
from tracker.exports import ExportOptions, exporter
from tracker.exports.json_text import compact_encoder, rows_encoder
from tracker.exports.rows import ExportReader
from tracker.exports.xlsx import XlsxWriter


def test_a_date_stored_in_another_form_is_shown_as_the_date(
    vocab_engine: Engine, tmp_path: Path
) -> None:
    """The visible case was opened "2019-04" (month precision). On SQLite its date is
    rewritten as "2019-W14-1" (the Monday of ISO week 14, 1 April), which SQLAlchemy reads as
    that date but does not write: the column is converted, and every file shows "2019-04"."""
    build_sample(vocab_engine)
    if vocab_engine.dialect.name == "sqlite":
        with vocab_engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE court_case SET opened_on = '2019-W14-1' WHERE opened_on LIKE '2019-04%'"
                )
            )
            stored = conn.execute(text("SELECT opened_on FROM court_case")).scalars().all()
            assert sorted(stored) == ["2019-01-01", "2019-W14-1"]
    exporter("csv")(vocab_engine, tmp_path / "out.zip", ExportOptions())
    tables = _csv_tables(tmp_path / "out.zip")
    cases = tables["court_case"]
    opened = cases[0].index("Opened on")
    assert [row[opened] for row in cases[1:]] == ["2019-04"]
    charges = tables["charge_rows"]
    opened = charges[0].index("Case opened on")
    assert {row[opened] for row in charges[1:]} == {"2019-04"}


def test_a_table_kept_for_rereading_gives_the_same_batches(vocab_engine: Engine) -> None:
    """The first read of a table kept for rereading is given again by the second (from the
    temporary file), and a third reads the database: all three alike, each counted."""
    build_sample(vocab_engine)
    seen: list[tuple[int, int]] = []
    with vocab_engine.connect() as conn:
        reader = ExportReader(conn, ExportOptions())
        reader.report_to(lambda done, total: seen.append((done, total)), ["charge"] * 3)
        reader.keep_for_rereading("charge")
        reads = [
            list(reader.columns("charge", ids_as_text=True, dates_as_stored=["filed_on"]))
            for _ in range(3)
        ]
    assert reads[0] == reads[1] == reads[2]
    assert len(reads[0][0][0]) == 2  # the two charges of the sample's visible case
    assert seen == [(0, 6), (2, 6), (4, 6), (6, 6)]


def test_xlsx_columns_of_text_keep_spaces_and_escape(tmp_path: Path) -> None:
    """add_columns writes a column of text as add_sheet writes each cell: space at either end
    kept (xml:space), a line feed or tab as it is, "&" escaped, a control character dropped."""
    columns = [
        ["plain", None, "also plain"],
        [" leading", "trailing ", "in between"],
        ["line\nfeed", "tab\there", "x"],
        ["bell\x07", "a & b", None],
        ["\x01start", "", "ok"],
    ]
    out = tmp_path / "columns.xlsx"
    with XlsxWriter(out) as book:
        book.add_columns("Sheet", ["A", "B", "C", "D", "E"], [columns])
    values = [list(r) for r in load_workbook(out)["Sheet"].iter_rows(values_only=True)]
    assert values == [
        ["A", "B", "C", "D", "E"],
        ["plain", " leading", "line\nfeed", "bell", "start"],
        [None, "trailing ", "tab\there", "a & b", None],
        ["also plain", "in between", "x", None, "ok"],
    ]
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    # The rows' cells hold no reference: one element per column, <c/> where there is no
    # value ("" as None), each in its column's place.
    assert (
        '<row r="3"><c/><c t="inlineStr"><is><t xml:space="preserve">trailing </t></is></c>'
        '<c t="inlineStr"><is><t>tab\there</t></is></c>'
        '<c t="inlineStr"><is><t>a &amp; b</t></is></c><c/></row>'
    ) in xml
    assert (
        '<row r="4"><c t="inlineStr"><is><t>also plain</t></is></c>'
        '<c t="inlineStr"><is><t>in between</t></is></c><c t="inlineStr"><is><t>x</t></is></c>'
        '<c/><c t="inlineStr"><is><t>ok</t></is></c></row>'
    ) in xml
    assert '<c t="inlineStr"><is><t>line\nfeed</t></is></c>' in xml


def test_json_rows_by_column_are_the_rows_encoded_one_by_one() -> None:
    """rows_encoder gives each row's text as the encoder gives the row's dict: text, None,
    booleans, whole numbers, floats (NaN and infinity too), lists and dates (default=str),
    and a repeated key (the dict keeps the last value)."""
    encode = compact_encoder(default=str)
    batch = [
        ['Caso "Conga"', "ñandú\n", None],
        [None, None, None],
        [True, None, False],
        [1, None, -3],
        [2.5, math.nan, math.inf],
        [["a", "b"], [], None],
        [date(2020, 5, 4), datetime(2021, 1, 2, 3, 4), None],
        [10, 20, 30],
    ]
    keys = ["title", "none", "flag", "count", "amount", "list", "when", "n"]
    rows = [dict(zip(keys, row, strict=True)) for row in zip(*batch, strict=True)]
    assert rows_encoder(keys, encode)(batch) == [encode(row) for row in rows]
    assert rows_encoder(keys, encode)(batch)[0] == (
        '{"title": "Caso \\"Conga\\"", "none": null, "flag": true, "count": 1, "amount": 2.5, '
        '"list": ["a", "b"], "when": "2020-05-04", "n": 10}'
    )
    twice = ["a", "b", "a"]
    assert rows_encoder(twice, encode)([[1, 2], [3, 4], [5, 6]]) == [
        '{"a": 5, "b": 3}',
        '{"a": 6, "b": 4}',
    ]


def test_xlsx_sheets_zipped_beside_keep_their_order_and_errors_reach_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sheets go into the archive on a thread of their own while the next is written: they
    are in the order added, and a failure there (a full disk, say) is raised by the block."""
    out = tmp_path / "many.xlsx"
    with XlsxWriter(out) as book:
        for i in range(12):
            book.add_columns(f"S{i}", ["n"], [[list(range(i * 1000, i * 1000 + 500))]])
    workbook = load_workbook(out, read_only=True)
    assert workbook.sheetnames == [f"S{i}" for i in range(12)]
    assert [r[0] for r in workbook["S7"].iter_rows(min_row=2, max_row=3, values_only=True)] == [
        7000,
        7001,
    ]
    workbook.close()

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tracker.exports.xlsx.shutil.copyfileobj", disk_full)
    with pytest.raises(OSError, match="No space left"), XlsxWriter(tmp_path / "full.xlsx") as book:
        book.add_sheet("Uno", [["a"]])
