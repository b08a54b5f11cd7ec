"""Exports read table by table (exports.rows.ExportReader) and keep the whole read's privacy.

The reference below is the whole read the exports used before they streamed (every table in
memory at once, privacy applied afterwards), kept here as the rules' plain statement: the
streamed rows must be exactly its rows, and every format must keep a confidential person's
real name out.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from tests.test_export_tables import build_sample
from tracker import seed
from tracker.exports import ExportOptions, exporter, rows
from tracker.exports.labels import Labels, charge_rows, streamed_charge_rows
from tracker.exports.row_rules import WITHHELD_FIELDS as _WITHHELD_FIELDS
from tracker.exports.row_rules import closure as _closure
from tracker.exports.row_rules import references as _references
from tracker.exports.rows import (
    MANAGED,
    TABLES,
    TEXT_COLUMNS,
    ExportReader,
    read_rows,
)
from tracker.i18n import set_language, t
from tracker.privacy import Redactor, display_name

OPTIONS = [
    ExportOptions(),
    ExportOptions(show_confidential=True),
    ExportOptions(include_synthetic=False),
    ExportOptions(lang="es", show_confidential=True, include_synthetic=False),
]


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def whole_read(engine: Engine, options: ExportOptions) -> dict[str, list[dict[str, Any]]]:
    """Every table read at once, then privacy applied: the exports' rules before streaming."""
    needed = _closure(list(TABLES))
    hidden: dict[str, set[uuid.UUID]] = {name: set() for name in TABLES}
    withheld: list[dict[str, Any]] = []
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for name in needed:
            table = SQLModel.metadata.tables[name]
            hide = _old_hider(name, _references(name), hidden, options)
            kept = []
            for record in conn.execute(
                select(*(c for c in table.columns if c.name not in MANAGED)).order_by(table.c.id)
            ).mappings():
                row = dict(record)
                if hide(row):
                    hidden[name].add(row["id"])
                    if name == "actor" and not options.show_confidential:
                        withheld.append({**row, "confidentiality": "restricted"})
                    continue
                kept.append(row)
            out[name] = kept
    if not options.show_confidential:
        for row in out.get("source", []):
            if row["restricted"]:  # a viewer sees only the label, reliability and dates
                row.update(key=None, publisher=None, url=None, file_path=None, notes=None)
                row["title"] = t("sources.restricted_title", options.lang)
        people = list(withheld)
        for row in out["actor"]:
            if row["confidentiality"] == "confidential":
                people.append(dict(row))
                shown = display_name(
                    row["name"], row["pseudonym"], "confidential", show_confidential=False
                )
                row.update(_WITHHELD_FIELDS, name=shown)
        scrub = Redactor(people)
        for kept in out.values():
            for row in kept:
                for column in TEXT_COLUMNS & row.keys():
                    row[column] = scrub.value(row[column])
    return out


def _old_hider(
    table: str, refs: dict[str, str], hidden: dict[str, set[uuid.UUID]], options: ExportOptions
) -> Callable[[dict[str, Any]], bool]:
    restricted = not options.show_confidential and table in ("actor", "court_case")

    def hide(row: dict[str, Any]) -> bool:
        if not options.include_synthetic and row.get("is_synthetic"):
            return True
        if restricted and row.get("confidentiality") == "restricted":
            return True
        if table == "citation":
            return any(row["row_id"] in ids for ids in hidden.values())
        for column, target in refs.items():
            value = row.get(column)
            if value is not None and value in hidden[target]:
                if column == "parent_case_id":
                    row[column] = None
                    continue
                return True
        return False

    return hide


@pytest.fixture
def sample_engine(vocab_engine: Engine) -> Engine:
    """The sample of test_export_tables (confidential, restricted and synthetic people, a
    restricted case) and the documented seed cases."""
    build_sample(vocab_engine)
    seed.seed(vocab_engine)
    return vocab_engine


@pytest.mark.parametrize("options", OPTIONS, ids=["editor", "confidential", "real", "es"])
def test_streamed_rows_equal_the_whole_read(sample_engine: Engine, options: ExportOptions) -> None:
    """Whatever is read first (charge_rows, as the table exports do, or every count, as XLSX
    does), the reader gives the whole read's rows, table by table."""
    expected = whole_read(sample_engine, options)
    assert read_rows(sample_engine, options) == expected
    labels = Labels.load(sample_engine, options.lang)
    expected_charges = charge_rows(expected, labels)
    counts = {name: len(expected[name]) for name in TABLES}
    with sample_engine.connect() as conn:
        # charge_rows first: charges and their links are decided as they are read.
        reader = ExportReader(conn, options)
        headers, batches = streamed_charge_rows(reader, labels)
        assert (headers, [r for batch in batches for r in batch]) == expected_charges
        for name in TABLES:
            streamed = [row for batch in reader.batches(name) for row in batch]
            assert streamed == expected[name], name
        assert reader.sizes() == counts
        # Every count first: each table is decided by the narrow pass before it is read.
        reader = ExportReader(conn, options)
        assert reader.sizes() == counts
        for name in TABLES:
            as_text = [row for batch in reader.batches(name, ids_as_text=True) for row in batch]
            assert as_text == [
                {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in row.items()}
                for row in expected[name]
            ], name
        headers, batches = streamed_charge_rows(reader, labels)
        assert (headers, [r for batch in batches for r in batch]) == expected_charges


def test_what_an_editor_export_holds_of_the_sample(vocab_engine: Engine) -> None:
    """Rows out per table: the restricted person and case, and everything pointing at them,
    are left out; the confidential person is there under her pseudonym."""
    ids = build_sample(vocab_engine)
    with vocab_engine.connect() as conn:
        reader = ExportReader(conn, ExportOptions())
        assert reader.sizes() == {
            "vocabulary_term": 122,
            "source": 1,
            "court": 1,
            "actor": 4,
            "membership": 1,
            "court_case": 1,
            "case_party": 3,
            "charge": 2,
            "charge_complainant": 1,
            "hearing": 3,
            "measure": 0,
            "stage_change": 0,
            "sentence_request": 0,
            "citation": 1,
        }
        actors = {r["id"]: r for batch in reader.batches("actor") for r in batch}
        cases = [r for batch in reader.batches("court_case") for r in batch]
    assert ids["pedro"] not in actors and ids["hidden_case"] not in {c["id"] for c in cases}
    juana = actors[ids["juana"]]
    assert (juana["name"], juana["aliases"], juana["id_number"], juana["birth_date"]) == (
        "Defensora 01",
        [],
        None,
        None,
    )
    assert cases[0]["summary"] == "Defensora 01 and Rosa Quispe were charged."


def test_rows_come_in_batches_and_batching_changes_no_byte(
    sample_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table is read a batch at a time (here 3 rows), and a charge whose complainants
    straddle two batches still comes out whole: the files are the same as with big batches."""
    options = ExportOptions()
    exporter("csv")(sample_engine, tmp_path / "big", options)
    monkeypatch.setattr(rows, "_BATCH", 3)
    with sample_engine.connect() as conn:
        reader = ExportReader(conn, options)
        sizes = [len(batch) for batch in reader.batches("vocabulary_term")]
    assert sizes == [3] * 40 + [2]
    exporter("csv")(sample_engine, tmp_path / "small", options)
    for name in ("charge_rows", *TABLES):
        big = (tmp_path / "big" / f"{name}.csv").read_bytes()
        assert (tmp_path / "small" / f"{name}.csv").read_bytes() == big, name


def _texts(path: Path) -> str:
    """Everything a file says: a zip's (XLSX's) members, else the file, or a folder's files."""
    if path.is_dir():
        return "".join(p.read_text(encoding="utf-8") for p in sorted(path.iterdir()))
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("csv", "folder"),
        ("csv", "tables.zip"),
        ("json", "data.json"),
        ("xlsx", "data.xlsx"),
        ("ftm", "entities.ftm.json"),
    ],
)
def test_no_format_lets_a_confidential_name_out(
    vocab_engine: Engine, tmp_path: Path, fmt: str, name: str
) -> None:
    build_sample(vocab_engine)
    out = tmp_path / name
    count = exporter(fmt)(vocab_engine, out, ExportOptions())
    text = _texts(out)
    assert "Defensora 01" in text
    for secret in ("Juana Secreta", "Mama Juana", "40000001", "Pedro Oculto", "Caso reservado"):
        assert secret not in text, secret
    if fmt != "ftm":
        assert count == 140  # 122 vocabulary terms and the 18 sample records an editor sees
    shown = tmp_path / f"shown-{name}"
    exporter(fmt)(vocab_engine, shown, ExportOptions(show_confidential=True))
    text = _texts(shown)
    assert "Juana Secreta" in text and "Pedro Oculto" in text


def test_json_export_of_the_sample_names_the_pseudonym_in_charge_rows(
    vocab_engine: Engine, tmp_path: Path
) -> None:
    build_sample(vocab_engine)
    exporter("json")(vocab_engine, tmp_path / "data.json", ExportOptions())
    document = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    charges = document["tables"]["charge_rows"]["rows"]
    assert sorted(r["defendant_name"] for r in charges) == ["Defensora 01", "Rosa Quispe"]
    juana = next(r for r in charges if r["defendant_name"] == "Defensora 01")
    assert (juana["defendant_id_number"], juana["case_summary"]) == (
        None,
        "Defensora 01 and Rosa Quispe were charged.",
    )
    rosa = next(r for r in charges if r["defendant_name"] == "Rosa Quispe")
    assert (rosa["complainants"], rosa["defendant_id_number"]) == (
        ["Minera Ejemplo S.A."],
        "41234567",
    )
