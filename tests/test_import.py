"""Import of the charge-row template: preview, matching, problems by row and column, CLI."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker import db
from tracker import services as sv
from tracker.cli import main
from tracker.i18n import set_language
from tracker.imports import run_import
from tracker.models import Actor, Case, Charge, ChargeComplainant
from tracker.permissions import Principal
from tracker.stats import row_counts

EDITOR = Principal("ana", "editor")

GOOD = """\
Número de expediente;Título del caso;Persona procesada;DNI de la persona procesada;Delito;\
Fecha de la denuncia;Resultado;Fecha del resultado;Denunciantes;Tipo de denunciante;\
Fecha de inicio del caso
001-2019;Caso Conga;Rosa Quispe;41234567;Disturbios;25/04/2019;Absuelto;17 de julio de 2021;\
Minera Ejemplo S.A.;Empresa minera;abril de 2019
001-2019;Caso Conga;ROSA QUÍSPE;;usurpation;2019;;;Minera Ejemplo S.A.; ;
002-2020;Caso Dos;Juan Pérez;;Riot / civil disturbance;2020-03;;;Policía Nacional;police;2020
"""


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _run(engine: Engine, text: str, **kwargs: object) -> object:
    return run_import(engine, EDITOR, text.encode("utf-8"), "charges.csv", **kwargs)  # type: ignore[arg-type]


def test_valid_file_imports_everything_in_one_go(vocab_engine: Engine) -> None:
    report = _run(vocab_engine, GOOD)
    assert report.committed and report.problems == []  # type: ignore[attr-defined]
    assert report.summary().splitlines() == [  # type: ignore[attr-defined]
        "3 rows read: 0 errors, 0 warnings.",
        "People and bodies named: 0 matched in the database, 4 new.",
        "Added: people and bodies: 4, cases: 2, case parties: 4, charges: 3, "
        "complainants of charges: 3.",
    ]
    with Session(vocab_engine) as s:
        charges = s.exec(select(Charge).order_by(Charge.filed_on)).all()
        assert [
            (c.charge_type, c.filed_on, c.filed_on_precision, c.status, c.outcome) for c in charges
        ] == [
            ("usurpation", date(2019, 1, 1), "year", "pending", None),
            ("riot", date(2019, 4, 25), "day", "resolved", "acquitted"),
            ("riot", date(2020, 3, 1), "month", "pending", None),
        ]
        rosa = s.exec(select(Actor).where(Actor.name == "Rosa Quispe")).one()
        assert (rosa.id_number, rosa.kind, rosa.is_defender) == ("41234567", "person", True)
        mine = s.exec(select(Actor).where(Actor.name == "Minera Ejemplo S.A.")).one()
        assert (mine.kind, mine.complainant_category) == ("company", "company_mining")
        case = s.exec(select(Case).where(Case.case_number == "001-2019")).one()
        assert (case.title, case.opened_on, case.opened_on_precision) == (
            "Caso Conga",
            date(2019, 4, 1),
            "month",
        )
        assert len(s.exec(select(ChargeComplainant)).all()) == 3


def test_people_already_in_the_database_are_matched(vocab_engine: Engine) -> None:
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.actors.create(s, {"kind": "person", "name": "Rosa  quispe", "id_number": "41234567"})
        sv.actors.create(s, {"kind": "company", "name": "MINERA EJEMPLO S.A."})
    report = _run(vocab_engine, GOOD, dry_run=True)
    assert [(m.name, m.role, m.status, m.rows, m.by) for m in report.people] == [  # type: ignore[attr-defined]
        ("Rosa Quispe", "defendant", "matched", (2, 3), "id_number"),
        ("Minera Ejemplo S.A.", "complainant", "matched", (2, 3), "name"),
        ("Juan Pérez", "defendant", "new", (4,), ""),
        ("Policía Nacional", "complainant", "new", (4,), ""),
    ]
    assert report.committed is False  # type: ignore[attr-defined]


def test_bad_rows_are_listed_with_row_column_and_reason_and_nothing_is_written(
    vocab_engine: Engine,
) -> None:
    before = row_counts(vocab_engine)
    text = """\
Case number,Case title,Defendant,Charge,Charge filed on,Outcome,Complainants,Colour
001,Caso,Ana Soto,riot,31/02/2019,,,red
001,Caso,Ana Soto,nope,2019,,,
002,Caso Dos,,riot,2019,,,
003,Caso Tres,Luis Rojas,riot,2019,Absuelto,Luis Rojas,
001,Caso,Ana Soto,riot,31/02/2019,,,
004,Caso Cuatro,Eva Ruiz,riot,2019-05-01,conviction_overturned,,
"""
    report = _run(vocab_engine, text)
    lines = [p.line("en") for p in sorted(report.problems, key=lambda p: (p.row, p.column))]  # type: ignore[attr-defined]
    assert lines == [
        "Warning: column “Colour”: This column is not part of the template and is not imported "
        "(map it to a template column to import it).",
        "Error: row 2, column “Charge filed on”: “31/02/2019” is not a real date (read as "
        "day/month/year).",
        "Error: row 3, column “Charge”: “nope” is not a term of the “Charge types” list (by code "
        "or English or Spanish label), e.g. Usurpation (land); Aggravated usurpation; Riot / "
        "civil disturbance; Serious disturbance of public peace; Obstructing public services; "
        "Condoning a crime; Criminal association; Extortion; Endangering public safety; Making, "
        "supplying or holding dangerous materials; ….",
        "Error: row 4, column “Defendant”: This field is required.",
        "Error: row 5, column “Complainants”: The defendant cannot be the complainant of their "
        "own charge.",
        "Error: row 6, column “Charge”: The same charge (case, defendant, charge and date) is "
        "already on row 2.",
        "Error: row 6, column “Charge filed on”: “31/02/2019” is not a real date (read as "
        "day/month/year).",
    ]
    assert report.committed is False  # type: ignore[attr-defined]
    assert row_counts(vocab_engine) == before


def test_duplicates_and_conflicts_within_the_file_are_reported(vocab_engine: Engine) -> None:
    text = """\
Case number,Case title,Defendant,Charge,Charge filed on
001,Caso Uno,Ana Soto,riot,2019
001,Caso Uno,ANA SOTO,Disturbios,2019
001,Otro título,Ana Soto,coercion,2019
"""
    report = _run(vocab_engine, text)
    assert [(p.row, p.column, p.message("en")) for p in report.errors] == [  # type: ignore[attr-defined]
        (3, "Charge", "The same charge (case, defendant, charge and date) is already on row 2."),
        (4, "Case title", "Differs from row 2, which says “Caso Uno” for the same case or person."),
    ]


def test_the_same_file_twice_adds_nothing_the_second_time(vocab_engine: Engine) -> None:
    assert _run(vocab_engine, GOOD).committed  # type: ignore[attr-defined]
    before = row_counts(vocab_engine)
    again = _run(vocab_engine, GOOD)
    assert again.warnings == [] and again.changes == []  # type: ignore[attr-defined]
    assert again.unchanged == 3  # type: ignore[attr-defined]
    after = row_counts(vocab_engine)
    # Only the second batch row (the import is recorded, even when it adds nothing).
    assert after.pop("import_batch") == before.pop("import_batch") + 1
    assert after == before


def test_ambiguous_name_in_the_database_asks_for_the_id_number(vocab_engine: Engine) -> None:
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.actors.create(s, {"kind": "person", "name": "Ana Soto", "id_number": "1"})
        sv.actors.create(s, {"kind": "person", "name": "Ána Soto", "id_number": "2"})
    report = _run(vocab_engine, "Case title,Defendant,Charge\nCaso,ana soto,riot\n")
    assert [p.line("en") for p in report.errors] == [  # type: ignore[attr-defined]
        "Error: row 2, column “Defendant”: Several people or bodies in the database are called "
        "“ana soto”: add the ID number to tell which."
    ]


def test_missing_required_columns_stop_before_reading_rows(vocab_engine: Engine) -> None:
    report = _run(vocab_engine, "Nombre,Fecha\nAna,2019\n")
    assert [p.message("es") for p in report.errors] == [  # type: ignore[attr-defined]
        "El archivo necesita una columna “Charge” (o asigne a ella una de sus columnas).",
        "El archivo necesita una columna “Case number” (o asigne a ella una de sus columnas).",
    ]


def test_column_mapping_for_other_headers(vocab_engine: Engine) -> None:
    text = "Exp.,Procesado,Imputación\n9-2020,Eva Ruiz,Coacción\n"
    mapping = {"Exp.": "case_number", "Procesado": "defendant_name", "Imputación": "charge_type"}
    report = _run(vocab_engine, text, mapping=mapping)
    assert report.committed, report.problems  # type: ignore[attr-defined]
    with Session(vocab_engine) as s:
        case = s.exec(select(Case)).one()
        assert (case.case_number, case.title) == ("9-2020", "9-2020")


def test_xlsx_upload(vocab_engine: Engine, tmp_path: object) -> None:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "Título del caso",
            "Persona procesada",
            "Delito",
            "Fecha de la denuncia",
            "Pena solicitada (meses)",
        ]
    )
    ws.append(["Caso Excel", "Eva Ruiz", "Coacción", date(2020, 5, 6), 96])
    ws.append(["Caso Excel", "Eva Ruiz", "riot", 2011, "8 años"])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = run_import(vocab_engine, EDITOR, buffer.getvalue(), "x.xlsx")
    assert [p.line("en") for p in report.problems] == [
        "Error: row 3, column “Pena solicitada (meses)”: “8 años” is not a number."
    ]


def test_cli_dry_run_and_failure(
    vocab_engine: Engine,
    db_url: str,
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pathlib import Path

    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_LANG", "en")
    good, bad = Path(str(tmp_path)) / "good.csv", Path(str(tmp_path)) / "bad.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(GOOD + "003;Caso;Eva;;riot;31/02/2019;;;;;\n", encoding="utf-8")
    before = row_counts(vocab_engine)
    assert main(["import", str(good), "--dry-run"]) == 0
    assert capsys.readouterr().out.endswith("Dry run: nothing was written.\n")
    assert row_counts(vocab_engine) == before
    assert main(["import", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        "Error: row 5, column “Fecha de la denuncia”: “31/02/2019” is not a real date (read as "
        "day/month/year).\nNothing was imported: 1 error(s) to correct first.\n"
    )
    assert row_counts(vocab_engine) == before
    assert main(["import", str(good)]) == 0
    assert row_counts(vocab_engine)["charge"] == 3
    assert main(["import", str(Path(str(tmp_path)) / "missing.csv")]) == 2


def test_a_name_written_exactly_as_recorded_picks_that_record(vocab_engine: Engine) -> None:
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        police = sv.actors.create(s, {"kind": "public_body", "name": "Policía Nacional"})
        sv.actors.create(s, {"kind": "public_body", "name": "POLICIA NACIONAL"})
    exact = _run(
        vocab_engine,
        "Case title,Defendant,Charge,Complainants\n"
        "Caso,Ana Soto,riot,Policía Nacional\nCaso,Ana Soto,coercion,policia nacional\n",
    )
    assert exact.committed  # type: ignore[attr-defined]
    with Session(vocab_engine) as s:
        assert {c.actor_id for c in s.exec(select(ChargeComplainant)).all()} == {police}
    vague = _run(
        vocab_engine,
        "Case title,Defendant,Charge,Complainants\nOtro,Eva Ruiz,riot,Policia nacional\n",
    )
    assert [p.line("en") for p in vague.errors] == [  # type: ignore[attr-defined]
        "Error: row 2, column “Complainants”: Several people or bodies in the database are "
        "called “Policia nacional”: write the name exactly as recorded for one of them (same "
        "capitals and accents), or tell the records apart first."
    ]


def test_import_right_after_a_bare_init_knows_the_vocabularies(
    engine: Engine,
    db_url: str,
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``init`` loads the vocabularies, so "Disturbios" and "usurpation" are known at once."""
    from pathlib import Path

    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_LANG", "en")
    good = Path(str(tmp_path)) / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["init"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Vocabulary terms added: 122 (documented cases: python -m tracker seed)."
    )
    assert main(["import", str(good)]) == 0
    assert (row_counts(engine)["charge"], row_counts(engine)["court_case"]) == (3, 2)
    assert main(["init"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Vocabulary terms added: 0 (documented cases: python -m tracker seed)."
    )
