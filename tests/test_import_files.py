"""Reading files as NGOs send them: encodings, delimiters, extra cells, formula cells."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from tracker.imports.reader import read_upload
from tracker.imports.sniff import decode, delimiter

HEADER = ["Expediente", "Nombre y apellidos", "Delito"]
ROWS = [
    ["001-2019", "Máxima Acuña", "Usurpación; agravada"],
    ["002-2019", "Rosa Quispe", "Disturbios"],
]


def _csv(sep: str, newline: str = "\r\n") -> str:
    def cell(c: str) -> str:
        return f'"{c}"' if sep in c else c

    lines = [sep.join(cell(c) for c in HEADER)] + [sep.join(cell(c) for c in r) for r in ROWS]
    return newline.join(lines) + newline


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("cp1252", "cp1252"),
    ],
)
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_encodings_and_delimiters_are_sniffed(encoding: str, name: str, sep: str) -> None:
    data = _csv(sep).encode(encoding)
    text, found = decode(data)
    assert found == name
    assert delimiter(text) == sep
    (sheet,) = read_upload(data, "archivo.csv")
    assert sheet.header == HEADER
    assert [cells for _, cells in sheet.rows] == ROWS
    keys = [p.key for p in sheet.problems]
    assert keys == (["import.file.encoding"] if name == "cp1252" else [])


def test_semicolon_file_with_a_quoted_semicolon_and_crlf_is_not_one_column() -> None:
    data = (
        "N°;Nombre y apellidos;Observaciones\r\n"
        '458-2015;Máxima Acuña;"Absuelta; apeló la fiscalía"\r\n'
    ).encode("cp1252")
    (sheet,) = read_upload(data, "x.csv")
    assert sheet.header == ["N°", "Nombre y apellidos", "Observaciones"]
    assert sheet.rows == [(2, ["458-2015", "Máxima Acuña", "Absuelta; apeló la fiscalía"])]


def test_extra_cells_beyond_the_headers_are_a_warning() -> None:
    data = b"a,b\n1,2,sobra,\n3,4\n"
    (sheet,) = read_upload(data, "x.csv")
    assert [(p.row, p.key, p.severity, p.params) for p in sheet.problems] == [
        (2, "import.file.extra_cells", "warning", {"count": 1, "value": "sobra"})
    ]


def test_xlsx_formula_cells_read_the_cached_value_or_are_reported(tmp_path: object) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Expediente", "Pena"])
    ws.append(["001", "=12*8"])  # openpyxl writes no cached value
    buffer = io.BytesIO()
    wb.save(buffer)
    (sheet,) = read_upload(buffer.getvalue(), "x.xlsx")
    assert [(p.row, p.column, p.key, p.params) for p in sheet.problems] == [
        (2, "Pena", "import.file.formula", {"formula": "=12*8"})
    ]
    # The same cell with a cached value (as Excel saves it) reads the value, silently.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb"<f>12\*8</f>(<v\s*/>|<v></v>)?", b"<f>12*8</f><v>96</v>", content
                )
            target.writestr(item, content)
    (sheet,) = read_upload(out.getvalue(), "x.xlsx")
    assert sheet.problems == []
    assert sheet.rows == [(2, ["001", 96])]


CHECKS = """\
Expediente;Nombre y apellidos;DNI;Delito;Fecha de la denuncia;Resultado;Fecha de resultado;\
Pena solicitada (meses)
001-2019;Rosa Quispe;41234567;Disturbios;25/04/2019;Absuelto;17/07/2018;muchos
002-2019;;41234999;Disturbios;2019;;;
"""


def test_every_problem_of_every_row_at_once_under_the_files_headers(vocab_engine: object) -> None:
    from tracker.imports import run_import
    from tracker.permissions import Principal

    report = run_import(
        vocab_engine,  # type: ignore[arg-type]
        Principal("ana", "editor"),
        CHECKS.encode(),
        "x.csv",
        dry_run=True,
    )
    assert sorted((p.row, p.column, p.key) for p in report.errors) == [
        (2, "Fecha de resultado", "errors.date_before"),
        (2, "Pena solicitada (meses)", "import.cell.not_a_number"),
        (3, "Nombre y apellidos", "errors.required"),
    ]
