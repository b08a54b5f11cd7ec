"""Table exports (CSV, XLSX, JSON): formulas neutralized, labels, privacy, and the round trip."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from tracker import db
from tracker import services as sv
from tracker.exports import ExportOptions, exporter
from tracker.exports.rows import MANAGED, TABLES
from tracker.exports.safe_cells import neutralize
from tracker.i18n import set_language
from tracker.imports import run_import
from tracker.permissions import Principal

ADMIN = Principal("ana", "admin")
FORMULA_TITLE = '=HYPERLINK("http://x.example","click")'


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def build_sample(engine: Engine) -> dict[str, uuid.UUID]:
    """A small database with every kind of record, a confidential and a restricted person,
    a restricted case, a synthetic complainant and a case title that is a formula."""
    ids: dict[str, uuid.UUID] = {}
    with db.unit_of_work(engine, ADMIN) as s:
        ids["court"] = sv.courts.create(s, {"name": "Juzgado Penal de Celendín"})
        ids["rosa"] = sv.actors.create(
            s,
            {
                "kind": "person",
                "name": "Rosa Quispe",
                "id_number": "41234567",
                "is_defender": True,
                "rights_defended": ["land_territory", "environment"],
            },
        )
        ids["juana"] = sv.actors.create(
            s,
            {
                "kind": "person",
                "name": "Juana Secreta",
                "confidentiality": "confidential",
                "pseudonym": "Defensora 01",
                "aliases": ["Mama Juana"],
                "id_number": "40000001",
                "birth_date": "1970",
            },
        )
        ids["pedro"] = sv.actors.create(
            s, {"kind": "person", "name": "Pedro Oculto", "confidentiality": "restricted"}
        )
        ids["mine"] = sv.actors.create(
            s,
            {
                "kind": "company",
                "name": "Minera Ejemplo S.A.",
                "is_synthetic": True,
                "complainant_category": "company_mining",
            },
        )
        ids["org"] = sv.actors.create(s, {"kind": "organization", "name": "Rondas Campesinas"})
        sv.memberships.create(s, {"member_id": ids["rosa"], "organization_id": ids["org"]})
        ids["case"] = sv.cases.create(
            s,
            {
                "title": FORMULA_TITLE,
                "case_number": "001-2019",
                "opened_on": "2019-04",
                "court_id": ids["court"],
                "summary": "Juana Secreta and Rosa Quispe were charged.",
            },
        )
        ids["hidden_case"] = sv.cases.create(
            s, {"title": "Caso reservado", "confidentiality": "restricted", "opened_on": "2019"}
        )
        for actor, role in (
            ("rosa", "defendant"),
            ("juana", "defendant"),
            ("pedro", "defendant"),
            ("mine", "complainant"),
        ):
            sv.parties.create(s, {"case_id": ids["case"], "actor_id": ids[actor], "role": role})
        sv.parties.create(
            s, {"case_id": ids["hidden_case"], "actor_id": ids["rosa"], "role": "defendant"}
        )
        ids["charge"] = sv.charges.create(
            s,
            {
                "case_id": ids["case"],
                "defendant_id": ids["rosa"],
                "charge_type": "riot",
                "filed_on": "2019-04-25",
                "status": "resolved",
                "outcome": "acquitted",
                "outcome_on": "2021",
                "notes": "+cmd|' /C calc'!A0",
            },
        )
        sv.charge_complainants.create(s, {"charge_id": ids["charge"], "actor_id": ids["mine"]})
        sv.charges.create(
            s,
            {
                "case_id": ids["case"],
                "defendant_id": ids["juana"],
                "charge_type": "usurpation",
                "filed_on": "2019",
            },
        )
        sv.charges.create(
            s, {"case_id": ids["case"], "defendant_id": ids["pedro"], "charge_type": "riot"}
        )
        sv.charges.create(
            s,
            {"case_id": ids["hidden_case"], "defendant_id": ids["rosa"], "charge_type": "coercion"},
        )
        ids["hearing"] = sv.hearings.create(
            s,
            {
                "case_id": ids["case"],
                "scheduled_at": "2026-03-02T10:30",
                "hearing_type": "trial_session",
                "court_id": ids["court"],
            },
        )
        sv.hearings.create(
            s,
            {
                "case_id": ids["case"],
                "scheduled_at": "2020-05-04",
                "hearing_type": "preliminary",
                "result": "postponed",
                "postponement_reason": "strike",
            },
        )
        sv.hearings.create(
            s, {"case_id": ids["case"], "scheduled_at": "2020-06", "hearing_type": "other"}
        )
        sv.hearings.create(
            s,
            {"case_id": ids["hidden_case"], "scheduled_at": "2020-06-01", "hearing_type": "other"},
        )
        ids["source"] = sv.sources.create(
            s, {"title": "@Press release", "url": "https://example.org/a"}
        )
        sv.citations.create(
            s,
            {
                "source_id": ids["source"],
                "table_name": "charge",
                "row_id": ids["charge"],
                "supports": "the charge",
            },
        )
        sv.citations.create(
            s,
            {
                "source_id": ids["source"],
                "table_name": "actor",
                "row_id": ids["pedro"],
                "supports": "who he is",
            },
        )
    return ids


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+5", "'+5"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        (FORMULA_TITLE, "'" + FORMULA_TITLE),
        ("Caso Conga", "Caso Conga"),
        ("a=b", "a=b"),
        ("", ""),
        ("'=already", "'=already"),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
        (True, True),
    ],
)
def test_formula_neutralization(cell: Any, written: Any) -> None:
    assert neutralize(cell) == written


def _csv_tables(path: Path) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removesuffix(".csv"): list(
                csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
            )
            for name in archive.namelist()
        }


def test_csv_zip_of_cases_neutralizes_formulas_and_hides_people(
    vocab_engine: Engine, tmp_path: Path
) -> None:
    build_sample(vocab_engine)
    out = tmp_path / "export.zip"
    count = exporter("csv")(vocab_engine, out, ExportOptions(lang="es"))
    tables = _csv_tables(out)
    assert sorted(tables) == sorted(["about", "charge_rows", *TABLES])
    cases = tables["court_case"]
    assert cases[0][:4] == [
        "Datos sintéticos (demostración)",
        "Registro",
        "Número de expediente",
        "Título",
    ]
    assert [row[3] for row in cases[1:]] == ["'" + FORMULA_TITLE]  # restricted case left out
    assert cases[1][cases[0].index("Resumen")] == "Defensora 01 and Rosa Quispe were charged."
    name = tables["actor"][0].index("Nombre")
    actors = {row[name]: row for row in tables["actor"][1:]}
    assert sorted(actors) == [
        "Defensora 01",
        "Minera Ejemplo S.A.",
        "Rondas Campesinas",
        "Rosa Quispe",
    ]
    header = tables["actor"][0]
    assert actors["Defensora 01"][header.index("Alias")] == ""
    assert actors["Minera Ejemplo S.A."][0] == "sí"  # synthetic, flagged
    charges = tables["charge"]
    notes = charges[0].index("Notas")
    assert [row[notes] for row in charges[1:] if row[notes]] == ["'+cmd|' /C calc'!A0"]
    assert count == sum(
        len(rows) - 1 for name, rows in tables.items() if name not in ("about", "charge_rows")
    )


def test_xlsx_has_one_sheet_per_table_with_text_never_formulas(
    vocab_engine: Engine, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    build_sample(vocab_engine)
    out = tmp_path / "export.xlsx"
    exporter("xlsx")(vocab_engine, out, ExportOptions(lang="en"))
    workbook = load_workbook(out)
    assert workbook.sheetnames[:4] == [
        "About this file",
        "Charges (one per row)",
        "Vocabulary terms",
        "Sources",
    ]
    cases = workbook["Cases"]
    title = cases.cell(row=2, column=4)
    assert (title.value, title.data_type) == ("'" + FORMULA_TITLE, "s")
    rows = list(workbook["Charges (one per row)"].iter_rows(values_only=True))
    by_defendant = {r[rows[0].index("Defendant")]: r for r in rows[1:]}
    assert sorted(by_defendant) == ["Defensora 01", "Rosa Quispe"]
    rosa = by_defendant["Rosa Quispe"]
    assert [
        rosa[rows[0].index(h)]
        for h in ("Charge", "Charge filed on", "Outcome", "Outcome date", "Complainants")
    ] == ["Riot / civil disturbance", "2019-04-25", "Acquitted", "2021", "Minera Ejemplo S.A."]


def test_json_export_uses_labels_of_the_language(vocab_engine: Engine, tmp_path: Path) -> None:
    build_sample(vocab_engine)
    out = tmp_path / "export.json"
    exporter("json")(vocab_engine, out, ExportOptions(lang="es", show_confidential=True))
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["about"]["pseudonymized"] is False
    charges = document["tables"]["charge"]
    assert charges["columns"]["charge_type"] == "Tipo de delito imputado"
    types = sorted(r["charge_type"] for r in charges["rows"])
    assert types == ["Coacción", "Disturbios", "Disturbios", "Usurpación"]
    names = sorted(r["name"] for r in document["tables"]["actor"]["rows"])
    assert names == [
        "Juana Secreta",
        "Minera Ejemplo S.A.",
        "Pedro Oculto",
        "Rondas Campesinas",
        "Rosa Quispe",
    ]
    rosa = next(r for r in document["tables"]["actor"]["rows"] if r["name"] == "Rosa Quispe")
    assert rosa["rights_defended"] == ["Tierra y territorio", "Medio ambiente"]


def test_synthetic_rows_can_be_left_out(vocab_engine: Engine, tmp_path: Path) -> None:
    build_sample(vocab_engine)
    out = tmp_path / "export.json"
    exporter("json")(vocab_engine, out, ExportOptions(include_synthetic=False))
    document = json.loads(out.read_text(encoding="utf-8"))
    names = sorted(r["name"] for r in document["tables"]["actor"]["rows"])
    assert names == ["Defensora 01", "Rondas Campesinas", "Rosa Quispe"]
    assert document["tables"]["charge_complainant"]["rows"] == []


def _records(engine: Engine) -> dict[str, dict[Any, dict[str, Any]]]:
    out: dict[str, dict[Any, dict[str, Any]]] = {}
    with engine.connect() as conn:
        for name in TABLES:
            table = SQLModel.metadata.tables[name]
            columns = [c for c in table.columns if c.name not in MANAGED]
            out[name] = {r["id"]: dict(r) for r in conn.execute(select(*columns)).mappings()}
    return out


@pytest.mark.parametrize(
    ("fmt", "suffix", "lang"),
    [("xlsx", "xlsx", "es"), ("csv", "zip", "en"), ("json", "json", "es")],
)
def test_round_trip_export_everything_import_into_empty_database(
    vocab_engine: Engine, tmp_path: Path, fmt: str, suffix: str, lang: str
) -> None:
    build_sample(vocab_engine)
    before = _records(vocab_engine)
    out = tmp_path / f"everything.{suffix}"
    exporter(fmt)(vocab_engine, out, ExportOptions(lang=lang, show_confidential=True))
    target = db.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    db.upgrade(target)
    report = run_import(target, ADMIN, out.read_bytes(), out.name)
    assert report.committed, [p.line("en") for p in report.problems]
    assert _records(target) == before
    again = run_import(target, ADMIN, out.read_bytes(), out.name)
    assert again.committed and again.created == {}
    target.dispose()


def test_xlsx_cells_keep_their_types(vocab_engine: Engine, tmp_path: Path) -> None:
    """The workbook writer: text stays text, numbers, booleans and dates keep their type,
    empty cells are empty, and every table has its sheet with the CSV's rows."""
    from datetime import date, datetime

    from openpyxl import load_workbook

    from tracker.exports.xlsx import XlsxWriter

    out = tmp_path / "cells.xlsx"
    rows = [
        ["text", "=1+1 kept as text", " padded ", "a & b < c > d", "x\ry", "bell\x07"],
        [1, 2.5, True, False, None, ""],
        [date(2020, 5, 4), datetime(2021, 1, 2, 3, 4, 5), "#N/A", "x" * 40000],
    ]
    with XlsxWriter(out) as book:
        book.add_sheet("Uno", rows)
        book.add_sheet("uno", [["second sheet of the same name"]])
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Uno", "uno1"]
    sheet = workbook["Uno"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["text", "=1+1 kept as text", " padded ", "a & b < c > d", "x\ry", "bell"]
    assert [c.data_type for c in sheet[1]] == ["s"] * 6
    assert values[1] == [1, 2.5, True, False, None, None]
    assert values[2][:3] == [datetime(2020, 5, 4), datetime(2021, 1, 2, 3, 4, 5), "#N/A"]
    assert sheet["C3"].data_type == "s"
    assert len(values[2][3]) == 32767
    assert sheet["A3"].number_format == "yyyy-mm-dd"

    build_sample(vocab_engine)
    exporter("xlsx")(vocab_engine, tmp_path / "all.xlsx", ExportOptions(lang="es"))
    exporter("csv")(vocab_engine, tmp_path / "all.zip", ExportOptions(lang="es"))
    tables = _csv_tables(tmp_path / "all.zip")
    workbook = load_workbook(tmp_path / "all.xlsx", read_only=True)
    assert len(workbook.sheetnames) == len(tables) == len(TABLES) + 2
    for sheet_name, (name, csv_rows) in zip(workbook.sheetnames, tables.items(), strict=True):
        xlsx_rows = list(workbook[sheet_name].iter_rows(values_only=True))
        assert xlsx_rows[0] == tuple(csv_rows[0]), name
        assert len(xlsx_rows) == len(csv_rows), name
        if name not in ("about", "charge_rows"):
            # The same first record, cell by cell (CSV shows booleans as words).
            first = ["" if v is None else v for v in xlsx_rows[1]] if len(xlsx_rows) > 1 else []
            assert [
                c
                for c, v in zip(csv_rows[1] if len(csv_rows) > 1 else [], first, strict=True)
                if not isinstance(v, bool) and str(v) != c
            ] == [], name


def test_xlsx_refuses_a_table_longer_than_a_sheet(
    vocab_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel would cut a sheet at 1,048,576 rows: the export says so and writes nothing."""
    from tracker.errors import TrackerError
    from tracker.exports import tables

    monkeypatch.setattr(tables, "XLSX_MAX_ROWS", 100)  # the seed has 122 vocabulary terms
    out = tmp_path / "too-long.xlsx"
    with pytest.raises(TrackerError) as refused:
        tables.export_xlsx(vocab_engine, out, ExportOptions(lang="es"))
    assert refused.value.message("en") == (
        "The table “Términos de vocabulario” has 122 rows; a spreadsheet sheet holds at most "
        "100. Nothing was written. Export as CSV or JSON instead, or leave out synthetic data."
    )
    assert not out.exists()


def test_the_sentence_requests_sheet_is_named_and_older_exports_still_restore() -> None:
    """The sheet had no title in the catalogs, so exports named it after the key; both the
    titles and that key are read back as the table."""
    from tracker.exports.tables import _sheet_title
    from tracker.imports.restore import _table_of

    assert _sheet_title("sentence_request", "en") == "Sentence requests"
    assert _sheet_title("sentence_request", "es") == "Pedidos de pena"
    for title in ("Sentence requests", "Pedidos de pena", "export.sheet.sentence_request"):
        assert _table_of(title) == "sentence_request"
    assert _table_of("Cases") == "court_case"
