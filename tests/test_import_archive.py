"""Three years of an NGO's sheet brought in: columns, values, matches, changes, status, undo."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.archive_fixture import HEADERS, VALUES, seed_records, year_file
from tracker.errors import PermissionDeniedError
from tracker.i18n import set_language
from tracker.imports import auto_mapping, run_import
from tracker.imports.batches import UndoError, undo_last
from tracker.models import Actor, AuditLog, Case, Charge, Hearing, ImportBatch, TermAlias
from tracker.permissions import Principal

EDITOR = Principal("ana", "editor")
ADMIN = Principal("root", "admin")


@pytest.fixture(autouse=True)
def _english(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    set_language("en")
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path))


def test_every_header_of_the_sheet_is_recognised() -> None:
    assert auto_mapping(HEADERS) == {
        "N°": "case_number",
        "Nombre y apellidos": "defendant_name",
        "DNI": "defendant_id_number",
        "Delito": "charge_type",
        "Fecha de denuncia": "filed_on",
        "Resultado": "outcome",
        "Fecha de resultado": "outcome_on",
        "Denunciante": "complainants",
        "Tipo de denunciante": "complainant_category",
        "Etapa": "stage",
        "Juzgado": "court",
        "Próxima audiencia": "hearing_date",
        "Hora": "hearing_time",
        "Región": "region",
        "Observaciones": "notes",
    }


def test_the_preview_lists_unknown_values_once_and_uncertain_matches(
    vocab_engine: Engine,
) -> None:
    seed_records(vocab_engine)
    data, name = year_file(1)
    report = run_import(vocab_engine, EDITOR, data, name, dry_run=True)
    assert [(v.vocabulary, v.value, v.column, v.rows, v.suggestions[:1])
            for v in report.unknown_values] == [
        ("complainant_category", "Autoridad local", "Tipo de denunciante", [6],
         ["local_authority"]),
        ("complainant_category", "Fiscalía", "Tipo de denunciante", [3], ["public_prosecutor"]),
        ("complainant_category", "Procuraduría", "Tipo de denunciante", [5], ["state_attorney"]),
        ("outcome", "Absolución revocada", "Resultado", [5], ["acquittal_overturned"]),
        ("stage", "Archivado", "Etapa", [4], []),
        ("stage", "Casación", "Etapa", [2], ["cassation"]),
    ]  # fmt: skip
    assert {p.key for p in report.errors} == {"import.term.unknown"}
    assert sorted((p.row, p.key) for p in report.warnings) == [
        (0, "import.file.encoding"),
        (2, "import.match.possible_duplicate"),
        (3, "import.match.possible_duplicate"),
        (4, "import.file.extra_cells"),
    ]
    assert [(u.name, u.candidate, u.decision) for u in report.uncertain] == [
        ("Máxima Acuña Atalaya", "Máxima Acuña", None),
        ("Rosa Quispe", "Rosa Quispe Huamán", None),
    ]
    # "Minera Yanacocha S.R.L." is the recorded "Minera Yanacocha": a confident match.
    matched = {m.name: m.by for m in report.people if m.status == "matched"}
    assert matched == {"Minera Yanacocha S.R.L.": "name_key"}


def _accept_all(engine: Engine, year: int) -> object:
    data, name = year_file(year)
    preview = run_import(engine, EDITOR, data, name, dry_run=True, values=VALUES)
    decisions = {u.key: True for u in preview.uncertain}
    return run_import(engine, EDITOR, data, name, values=VALUES, decisions=decisions)


def test_three_years_reconcile_update_and_undo(vocab_engine: Engine) -> None:
    ids = seed_records(vocab_engine)
    first = _accept_all(vocab_engine, 1)
    assert first.committed and first.ok  # type: ignore[attr-defined]
    with Session(vocab_engine) as s:
        names = sorted(a.name for a in s.exec(select(Actor)).all())
        assert names.count("Minera Yanacocha") == 1
        assert not [n for n in names if "Yanacocha S" in n or "Atalaya" in n or n == "Rosa Quispe"]
        maxima = s.get(Actor, ids["maxima"])
        assert maxima.aliases == ["Máxima Acuña Atalaya"]
        # Máxima's case and charge exist once; the sheet's outcome updated the charge.
        assert s.exec(select(Charge).where(Charge.defendant_id == ids["maxima"])).all() == [
            s.get(Charge, ids["charge"])
        ]
        charge = s.get(Charge, ids["charge"])
        assert (charge.outcome, charge.outcome_on, charge.status) == (
            "acquitted",
            date(2017, 5, 3),
            "resolved",
        )
        status = {c.case_number: (c.status, c.stage) for c in s.exec(select(Case)).all()}
        assert status["Casación N° 458-2015 Cajamarca"] == ("closed", "cassation")
        assert status["CF-121-2016"] == ("closed", "closed")
        assert status["CF-120-2016"] == ("open", "preparatory_investigation")
        assert status["EXP-33-2014"] == ("open", "appeal")
        assert sum(1 for v in status.values() if v[0] == "open") == 16
        aliases = {(a.vocabulary, a.alias, a.code) for a in s.exec(select(TermAlias)).all()}
        assert aliases == {(v, text, code) for (v, text), code in VALUES.items()}
        logged = s.exec(select(AuditLog).where(AuditLog.table_name == "term_alias")).all()
        assert {(a.action, a.username) for a in logged} == {("create", "ana")}
        hearing = s.exec(select(Hearing).order_by(Hearing.scheduled_at)).all()
        assert [(h.scheduled_at, h.scheduled_precision) for h in hearing] == [
            (datetime(2021, 11, 10, 15, 0), "time"),
            (datetime(2022, 3, 15, 9, 30), "time"),
        ]
    # Year 2: the aliases and the accepted names now match by themselves.
    data, name = year_file(2)
    preview = run_import(vocab_engine, EDITOR, data, name, dry_run=True)
    assert preview.ok and preview.unknown_values == [] and preview.uncertain == []
    changes = {(c.record, c.field, c.old, c.new) for c in preview.changes}
    assert ("CF-120-2016", "status", "open", "closed") in changes
    assert ("EXP-77-2019", "stage", "trial", "first_instance_judgment") in changes
    assert (
        "2021-11-10 · EXP-77-2019",
        "scheduled_at",
        "2021-11-10 15:00:00",
        "2021-11-10 11:00:00",
    ) in changes
    assert preview.unchanged == 10
    second = run_import(vocab_engine, EDITOR, data, name)
    assert second.committed and second.batch_id
    with Session(vocab_engine) as s:
        case = s.exec(select(Case).where(Case.case_number == "CF-120-2016")).one()
        assert (case.status, case.closed_on) == ("closed", date(2022, 1, 20))
        assert case.version_id == 2
    again = run_import(vocab_engine, EDITOR, data, name, dry_run=True)
    assert (again.changes, again.unchanged) == ([], 20)
    # Undo: administrators only; the last import's rows go, its changes are reverted.
    with pytest.raises(PermissionDeniedError):
        undo_last(vocab_engine, EDITOR)
    third = _accept_all(vocab_engine, 3)
    assert third.committed
    undone = undo_last(vocab_engine, ADMIN)
    assert str(undone.id) == third.batch_id  # type: ignore[attr-defined]
    with Session(vocab_engine) as s:
        assert s.exec(select(Case).where(Case.case_number == "116-2018")).all() == []
        conviction = s.exec(
            select(Charge).join(Case).where(Case.case_number == "EXP-77-2019")
        ).one()
        assert (conviction.outcome, conviction.status) == (None, "pending")
        batches = s.exec(select(ImportBatch).order_by(ImportBatch.created_at)).all()
        assert [b.status for b in batches] == ["committed", "committed", "undone"]
        assert all(b.backup_path and b.backup_path.endswith((".db", ".jsonl.gz")) for b in batches)
        deleted = s.exec(
            select(AuditLog).where(AuditLog.action == "delete", AuditLog.username == "root")
        ).all()
        assert {a.table_name for a in deleted} >= {"court_case", "charge", "actor"}
    undo_last(vocab_engine, ADMIN)  # year 2
    with Session(vocab_engine) as s:
        case = s.exec(select(Case).where(Case.case_number == "CF-120-2016")).one()
        assert (case.status, case.closed_on) == ("open", None)
        hearing = s.exec(select(Hearing).where(Hearing.case_id != None)).all()  # noqa: E711
        assert sorted(h.scheduled_at for h in hearing) == [
            datetime(2021, 11, 10, 15, 0),
            datetime(2022, 3, 15, 9, 30),
        ]
    undo_last(vocab_engine, ADMIN)  # year 1
    with pytest.raises(UndoError):
        undo_last(vocab_engine, ADMIN)
    with Session(vocab_engine) as s:
        assert len(s.exec(select(Case)).all()) == 1
        assert s.get(Charge, ids["charge"]).outcome is None
        assert s.exec(select(TermAlias)).all() == []
        assert s.get(Actor, ids["maxima"]).aliases == []


def test_cli_mapping_values_file_uncertain_flag_and_undo(
    vocab_engine: Engine,
    db_url: str,
    tmp_path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tracker.cli import main

    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_LANG", "en")
    ids = seed_records(vocab_engine)
    data, name = year_file(1)
    sheet = tmp_path / name
    sheet.write_bytes(data)
    values = tmp_path / "values.csv"
    # Four of the five words, one by its Spanish label; one term that does not exist.
    values.write_text(
        "stage;Casación;Casación (Corte Suprema)\n"
        "stage;Archivado;Concluido\n"
        "complainant_category;Procuraduría;state_attorney\n"
        "complainant_category;Autoridad local;local_authority\n"
        "outcome;Absolución revocada;acquittal_overturned\n"
        "complainant_category;Fiscalía;fiscalia_provincial\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.txt"
    mapping.write_text("Observaciones=case_summary\n", encoding="utf-8")
    assert main(["import", str(sheet), "--values", str(values), "--mapping", str(mapping)]) == 1
    captured = capsys.readouterr()
    assert (
        "Value mapping not used: “fiscalia_provincial” is no term of the "
        "“complainant_category” list (for “Fiscalía”).\n"
    ) in captured.err
    assert (
        "Not mapped: “Fiscalía” in “Tipo de denunciante” (list “Complainant categories”, written "
        "complainant_category in a values file), rows 3; looks like: Public prosecutor (own "
        "motion) (public_prosecutor)\n"
    ) in captured.out
    assert captured.out.count("Not mapped: ") == 1  # the four values the file maps are not
    assert (
        "Uncertain match: “Rosa Quispe” may be “Rosa Quispe Huamán” (not accepted, a new "
        "record is made).\n" in captured.out
    )
    values.write_text(
        values.read_text("utf-8").replace("fiscalia_provincial", "public_prosecutor"), "utf-8"
    )
    args = ["import", str(sheet), "--values", str(values), "--mapping", str(mapping)]
    assert main([*args, "--accept-uncertain", "--save-mapping", "ONG Cajamarca"]) == 0
    captured = capsys.readouterr()
    assert "Uncertain match: “Rosa Quispe” may be “Rosa Quispe Huamán” (accepted).\n" in (
        captured.out
    )
    assert "Column mapping saved as “ONG Cajamarca”.\n" in captured.out
    with Session(vocab_engine) as s:
        case = s.exec(select(Case).where(Case.id == ids["case"])).one()
        assert case.summary == "Caso emblemático; ver casación"
        assert s.get(Actor, ids["rosa"]).aliases == ["Rosa Quispe"]
    data, name = year_file(2)
    (tmp_path / name).write_bytes(data)
    assert main(["import", str(tmp_path / name), "--mapping", "ONG Cajamarca", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Change: CF-120-2016, Status: Open -> Closed\n" in out
    assert main(["import-undo"]) == 0
    assert capsys.readouterr().out.startswith("Import ")
    with Session(vocab_engine) as s:
        assert s.get(Actor, ids["rosa"]).aliases == []
