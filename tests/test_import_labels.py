"""The preview speaks as a person reads: charges, lists and values by their labels, en and es.

Issue 20's last gaps: the changes table named a charge by its code ("riot (3)"), and the
error for a value that is no term named its list by a code ("charge_type").
"""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from tests.archive_fixture import VALUES, seed_records, year_file
from tracker.i18n import set_language
from tracker.imports import run_import
from tracker.imports.report import Problem
from tracker.permissions import Principal

EDITOR = Principal("ana", "editor")


@pytest.fixture(autouse=True)
def _english(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path))


def _year_two_preview(engine: Engine) -> object:
    seed_records(engine)
    data, name = year_file(1)
    first = run_import(engine, EDITOR, data, name, dry_run=True, values=VALUES)
    decisions = {u.key: True for u in first.uncertain}  # type: ignore[attr-defined]
    assert run_import(engine, EDITOR, data, name, values=VALUES, decisions=decisions).committed  # type: ignore[attr-defined]
    data, name = year_file(2)
    return run_import(engine, EDITOR, data, name, dry_run=True)


def test_changes_name_charges_hearings_and_values_in_both_languages(
    vocab_engine: Engine,
) -> None:
    preview = _year_two_preview(vocab_engine)
    by_lang = {lang: preview.changes_table(lang) for lang in ("en", "es")}  # type: ignore[attr-defined]
    # Rosa Quispe's charge (the file writes "Rosa Quispe"; the database's name is shown).
    en = [list(r.values()) for r in by_lang["en"] if r["Row"] == 3 and r["Record"][:7] == "charges"]
    assert en == [
        ["charges: Riot / civil disturbance · Rosa Quispe Huamán · CF-120-2016", "Resultado",
         "", "Acquitted", 3],
        ["charges: Riot / civil disturbance · Rosa Quispe Huamán · CF-120-2016",
         "Fecha de resultado", "", "2022-01-20", 3],
        ["charges: Riot / civil disturbance · Rosa Quispe Huamán · CF-120-2016", "Status",
         "Pending", "Resolved", 3],
    ]  # fmt: skip
    es = [
        list(r.values()) for r in by_lang["es"] if r["Fila"] == 3 and r["Registro"][:6] == "cargos"
    ]
    assert es == [
        ["cargos: Disturbios · Rosa Quispe Huamán · CF-120-2016", "Resultado", "", "Absuelto", 3],
        ["cargos: Disturbios · Rosa Quispe Huamán · CF-120-2016", "Fecha de resultado", "",
         "2022-01-20", 3],
        ["cargos: Disturbios · Rosa Quispe Huamán · CF-120-2016", "Estado", "Pendiente",
         "Resuelto", 3],
    ]  # fmt: skip
    # A stage by its label, and a hearing by its day and its case.
    stage = [list(r.values()) for r in by_lang["es"] if r["Campo"] == "Etapa"]
    assert stage[0] == [
        "casos: EXP-77-2019", "Etapa", "Juicio oral", "Sentencia de primera instancia", 6
    ]  # fmt: skip
    hearing = [list(r.values()) for r in by_lang["en"] if r["Record"].startswith("hearings")]
    assert hearing == [
        ["hearings: 2021-11-10 · EXP-77-2019", "Próxima audiencia", "2021-11-10 15:00:00",
         "2021-11-10 11:00:00", 6],
    ]  # fmt: skip


_SHEET = """\
Número de expediente,Imputado,Delito,Etapa
001,Ana Soto,brujería,Juicio oral
002,Luis Rojas,Disturbios,Casación
"""


def test_unknown_value_names_its_list_by_label_in_both_languages(vocab_engine: Engine) -> None:
    report = run_import(vocab_engine, EDITOR, _SHEET.encode("utf-8"), "casos.csv", dry_run=True)
    errors: list[Problem] = report.errors  # type: ignore[attr-defined]
    assert [(p.row, p.column, p.key) for p in errors] == [
        (2, "Delito", "import.term.unknown"),
        (3, "Etapa", "import.term.unknown"),
    ]
    assert [p.line("es") for p in errors] == [
        "Error: fila 2, columna “Delito”: “brujería” no es un término de la lista “Tipos de "
        "delito” (por código o etiqueta en inglés o castellano), p. ej. Usurpación; Usurpación "
        "agravada; Disturbios; Grave perturbación de la tranquilidad pública; Entorpecimiento "
        "al funcionamiento de servicios públicos; Apología del delito; Asociación ilícita para "
        "delinquir; Extorsión; Atentado contra la seguridad común; Fabricación, suministro o "
        "tenencia de materiales peligrosos; ….",
        "Error: fila 3, columna “Etapa”: “Casación” no es un término de la lista “Etapas” (por "
        "código o etiqueta en inglés o castellano), p. ej. Denuncia; Investigación "
        "preliminar; Investigación preparatoria; Etapa intermedia (control de acusación); "
        "Juicio oral; Sentencia de primera instancia; Apelación; Casación (Corte Suprema); "
        "Concluido.",
    ]
    # The same report read in English: the list and its examples in English.
    assert errors[1].line("en") == (
        "Error: row 3, column “Etapa”: “Casación” is not a term of the “Stages” list (by code "
        "or English or Spanish label), e.g. Complaint; Preliminary investigation; Preparatory "
        "investigation; Intermediate stage (indictment control); Oral trial; First-instance "
        "judgment; Appeal; Cassation (Supreme Court); Closed."
    )
    listed = [(v.vocabulary, v.value, v.column) for v in report.unknown_values]  # type: ignore[attr-defined]
    assert listed == [("charge_type", "brujería", "Delito"), ("stage", "Casación", "Etapa")]


def test_a_services_unknown_term_in_an_import_names_the_list_by_label() -> None:
    """The services' own error (a restored table export's unknown label reaches them)."""
    problem = Problem(
        4,
        "charge: Charge type",
        "errors.unknown_code",
        {"value": "brujería", "vocabulary": "charge_type"},
    )
    assert problem.message("es") == "«brujería» no es un término de la lista «Tipos de delito»."
    assert problem.message("en") == "“brujería” is not a term of the “Charge types” list."
