"""The shipped template is current, documented in both languages, and imports as documented."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy.engine import Engine

from tracker.i18n import catalog
from tracker.imports import auto_mapping, run_import
from tracker.imports.template import COLUMNS
from tracker.imports.template_file import bilingual_headers, template_csv, template_xlsx
from tracker.permissions import Principal

DATA = Path(__file__).resolve().parent.parent / "data"


def test_shipped_csv_is_current() -> None:
    assert (DATA / "import_template.csv").read_bytes() == template_csv()


def _cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(io.BytesIO(data))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def test_shipped_xlsx_is_current() -> None:
    shipped = _cells((DATA / "import_template.xlsx").read_bytes())
    assert shipped == _cells(template_xlsx())
    assert list(shipped) == ["Charges - Cargos", "Instructions - Instrucciones", "Lists - Listas"]


def test_bilingual_headers_map_themselves() -> None:
    headers = bilingual_headers()
    assert headers[:3] == [
        "Case number / Número de expediente",
        "Case title / Título del caso",
        "Case type / Tipo de proceso",
    ]
    assert len(auto_mapping(headers)) == len(headers)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_column_is_documented(lang: str) -> None:
    messages = catalog(lang)
    assert [c.key for c in COLUMNS if f"import.help.{c.key}" not in messages] == []


def test_the_documented_example_row_imports(vocab_engine: Engine) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(bilingual_headers())
    sheet.append(
        [
            c.example
            for c in COLUMNS
            if c.key not in ("case_id", "defendant_id", "charge_id", "is_synthetic")
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run_import(vocab_engine, Principal("ana", "editor"), buffer.getvalue(), "t.xlsx")
    assert [p.line("en") for p in report.problems] == []
    assert report.committed
    assert report.created == {
        "court": 1,
        "actor": 3,
        "court_case": 1,
        "case_party": 3,
        "charge": 1,
        "charge_complainant": 2,
        "hearing": 1,
    }
