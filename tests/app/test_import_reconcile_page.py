"""AppTest of the reconciling import: map values, decide matches, commit, re-import, undo."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.app.helpers import ready_engine, run_as
from tests.archive_fixture import VALUES, year_file
from tracker.models import Case, ImportBatch, TermAlias
from tracker.stats import row_counts

PAGE = "pages/6_Import_Export.py"


def test_values_matches_commit_reimport_and_undo(app_env: str) -> None:
    engine = ready_engine(app_env)
    before = row_counts(engine)
    at = run_as(PAGE, app_env, "admin")
    data, name = year_file(1)
    at.file_uploader(key="import_file").set_value((name, data, "text/csv")).run()
    at.button(key="import_preview").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("6 problems to correct in the file")
    labels = [s.label for s in at.selectbox if s.key and s.key.startswith("import_value_")]
    assert labels == [
        "“Autoridad local” (column “Tipo de denunciante”, rows 6)",
        "“Fiscalía” (column “Tipo de denunciante”, rows 3)",
        "“Procuraduría” (column “Tipo de denunciante”, rows 5)",
        "“Absolución revocada” (column “Resultado”, rows 5)",
        "“Archivado” (column “Etapa”, rows 4)",
        "“Casación” (column “Etapa”, rows 2)",
    ]
    by_label = {f"“{text}”": code for (_, text), code in VALUES.items()}
    for box in [s for s in at.selectbox if s.key and s.key.startswith("import_value_")]:
        code = by_label[box.label.split(" (column")[0]]
        if code != "closed":  # the best suggestion comes first
            assert box.options[1] == box.format_func(code)
        box.set_value(code)
    radios = [r for r in at.radio if r.key and r.key.startswith("import_match_")]
    assert [r.label for r in radios] == [
        "“Máxima Acuña Atalaya” (rows 2) may be “Máxima Acuña”",
    ]
    radios[0].set_value("accept")
    at.run()
    assert at.info[0].value.startswith("Your choices changed since the preview")
    at.button(key="import_preview").click().run()
    assert not at.error, [e.value for e in at.error]
    assert not at.info, [i.value for i in at.info]
    at.button(key="import_commit").click().run()
    assert at.success[0].value.startswith("Imported. 18 rows read: 0 errors")
    with Session(engine) as s:
        aliases = {(a.vocabulary, a.alias) for a in s.exec(select(TermAlias)).all()}
        assert aliases == set(VALUES)
        numbers = [c.case_number for c in s.exec(select(Case)).all()]
        assert [n for n in numbers if n and "458-2015" in n] == ["Casación N° 458-2015 Cajamarca"]
    # Next year's copy: the changes are listed and applied.
    data, name = year_file(2)
    at.file_uploader(key="import_file").set_value((name, data, "text/plain")).run()
    at.button(key="import_preview").click().run()
    assert not at.exception, at.exception
    assert any(
        h.value.startswith("Changes to records already in the database (") for h in at.subheader
    )
    at.button(key="import_commit").click().run()
    assert at.success[0].value.startswith("Imported. 20 rows read: 0 errors")
    with Session(engine) as s:
        case = s.exec(select(Case).where(Case.case_number == "CF-120-2016")).one()
        assert case.status == "closed"
    # Undo both imports: the database is as the seed left it, with the batches marked.
    for _ in range(2):
        at.checkbox(key="import_undo_confirm").check().run()
        at.button(key="import_undo").click().run()
        assert at.success[0].value.startswith("Import ")
    after = row_counts(engine)
    with Session(engine) as s:
        assert [b.status for b in s.exec(select(ImportBatch)).all()] == ["undone", "undone"]
    for table in ("court_case", "charge", "actor", "hearing", "term_alias", "case_party"):
        assert after[table] == before[table], table
