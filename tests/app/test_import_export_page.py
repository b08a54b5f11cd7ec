"""AppTest of the Import and export page: upload, preview, commit; errors; exports; backups."""

from __future__ import annotations

from tests.app.helpers import page, ready_engine, run_as
from tracker.stats import row_counts

PAGE = "pages/6_Import_Export.py"
GOOD = (
    b"Case number,Case title,Defendant,Charge,Charge filed on,Complainants\n"
    b"100-2024,Caso Nuevo,Eva Ruiz,Disturbios,25/04/2024,Minera Norte S.A.\n"
    b"100-2024,Caso Nuevo,EVA RUIZ,coercion,abril de 2024,Minera Norte S.A.\n"
)
BAD = (
    b"Case number,Case title,Defendant,Charge,Charge filed on\n"
    b"101-2024,Caso Malo,Eva Ruiz,Disturbios,31/02/2024\n"
    b"101-2024,Caso Malo,Eva Ruiz,nope,2024\n"
)


def test_page_opened_without_login_shows_no_data(app_env: str) -> None:
    ready_engine(app_env)
    at = page(PAGE).run()
    assert not at.exception
    assert not at.file_uploader
    assert not at.tabs


def test_valid_upload_previews_and_commits(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as(PAGE, app_env, "editor")
    before = row_counts(engine)
    assert at.title[0].value == "Import and export"
    assert [t.label for t in at.tabs] == ["Import a spreadsheet", "Export"]  # no backups
    at.file_uploader(key="import_file").set_value(("new.csv", GOOD, "text/csv")).run()
    at.button(key="import_preview").click().run()
    assert not at.exception, at.exception
    assert at.text[0].value.splitlines() == [
        "2 rows read: 0 errors, 0 warnings.",
        "People and bodies named: 0 matched in the database, 2 new.",
        "Would add: people and bodies: 2, cases: 1, case parties: 2, charges: 2, "
        "complainants of charges: 2.",
    ]
    assert row_counts(engine) == before  # the preview wrote nothing
    people = next(d.value for d in at.dataframe if "Name" in d.value.columns)
    assert list(people["Name"]) == ["Eva Ruiz", "Minera Norte S.A."]
    at.button(key="import_commit").click().run()
    assert at.success[0].value.startswith("Imported. 2 rows read: 0 errors, 0 warnings.")
    assert row_counts(engine)["charge"] == before["charge"] + 2


def test_invalid_upload_shows_every_problem_and_changes_nothing(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as(PAGE, app_env, "editor")
    before = row_counts(engine)
    at.file_uploader(key="import_file").set_value(("bad.csv", BAD, "text/csv")).run()
    at.button(key="import_preview").click().run()
    assert at.error[0].value == (
        "2 problems to correct in the file: nothing can be imported until then."
    )
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert list(next(problems.itertuples(index=False))) == [
        2,
        "Charge filed on",
        "Error",
        "“31/02/2024” is not a real date (read as day/month/year).",
    ]
    assert list(problems["Row"]) == [2, 3]
    assert list(problems["Column"]) == ["Charge filed on", "Charge"]
    assert not [b for b in at.button if b.key == "import_commit"]
    assert row_counts(engine) == before


def test_viewer_may_export_but_not_import(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env, "viewer")
    assert at.info[0].value == "Your role may read and export, not import."
    assert not at.file_uploader
    at.selectbox(key="export_format").set_value("ftm").run()
    at.button(key="export_prepare").click().run()
    assert at.success[0].value.endswith("records in tracker-export.ftm.json.")
    assert not [c for c in at.checkbox if c.key == "export_confidential"]


def test_administrator_sees_backups(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env, "admin")
    assert [t.label for t in at.tabs] == ["Import a spreadsheet", "Export", "Backups"]
    at.button(key="backup_make").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Backup written to tracker-backup-")
