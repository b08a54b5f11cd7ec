"""The Cases page: list and filters, a case's page, and its forms (valid and invalid input)."""

from __future__ import annotations

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ready_engine, run_as
from tracker.models import Case, Hearing
from tracker.seed import seed_id
from tracker.stats import row_counts

ESPINAR = seed_id("case", "case-espinar-2012")


def _open(url: str, case_id: object, role: str = "editor") -> AppTest:
    return run_as("pages/1_Cases.py", url, role, query={"case": str(case_id)})


def test_list_on_seeded_database(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as("pages/1_Cases.py", app_env)
    assert at.caption[0].value == "3 cases; showing 1–3."
    titles = sorted(at.dataframe[0].value["Title"].str.split(":").str[0])
    assert titles[1] == "Máxima Acuña and family"


def test_list_filters_in_sql(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as("pages/1_Cases.py", app_env)
    at.selectbox(key="f_charge").set_value("kidnapping").run()
    assert at.caption[0].value == "1 case; showing 1–1."
    at.selectbox(key="f_charge").set_value("").run()
    at.selectbox(key="f_status").set_value("closed").run()
    # Espinar closed with the acquittal confirmed on appeal; Acuña with the cassation ruling.
    assert sorted(at.dataframe[0].value["Title"].str[:12]) == ["Máxima Acuña", "Oscar Molloh"]


def test_empty_database_list(app_env: str) -> None:
    from tracker import db, seed
    from tracker.permissions import Principal

    engine = db.make_engine(app_env)
    with db.unit_of_work(engine, Principal("s", "admin")) as s:
        seed.load_vocabularies(s)
    at = run_as("pages/1_Cases.py", app_env)
    assert at.info[0].value == "No case matches these filters."


def test_case_page_shows_charges_and_sources(app_env: str) -> None:
    ready_engine(app_env)
    at = _open(app_env, ESPINAR)
    assert at.subheader[0].value.startswith("Oscar Mollohuanca Cruz and others")
    charges = at.dataframe[1].value
    assert len(charges) == 15
    assert set(charges["Outcome"]) == {
        "Acquitted",
        "Ended by the defendant's death",
        "Indictment declared null",
    }


def test_viewer_sees_pseudonyms_on_case_page(app_env: str) -> None:
    ready_engine(app_env)
    at = _open(app_env, seed_id("case", "case-celendin-16"), role="viewer")
    names = set(at.dataframe[0].value["Name"])
    assert "Celendín defender 01" in names
    assert not any(n.startswith("Name withheld") for n in names)


def test_create_case_saves_and_reports_success(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as("pages/1_Cases.py", app_env)
    at.text_input(key="new_case__title").input("Caso nuevo de prueba")
    at.text_input(key="new_case__opened_on").input("2020-03")
    at.button(key="FormSubmitter:new_case-Save").click().run()
    assert not at.exception
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        case = s.exec(select(Case).where(Case.title == "Caso nuevo de prueba")).one()
    assert (case.opened_on_precision, case.stage, case.status) == ("month", "complaint", "open")


def test_invalid_case_shows_error_next_to_field_and_saves_nothing(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as("pages/1_Cases.py", app_env)
    before = row_counts(engine)
    at.text_input(key="new_case__title").input("Caso inválido")
    at.text_input(key="new_case__opened_on").input("2020-05-02")
    at.text_input(key="new_case__closed_on").input("2019")
    at.button(key="FormSubmitter:new_case-Save").click().run()
    assert [e.value for e in at.error] == ["2019 is before Opened on (2020-05-02)."]
    assert at.text_input(key="new_case__title").value == "Caso inválido"  # kept as typed
    assert row_counts(engine) == before


def test_record_hearing_result_with_next_date_and_stage(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = _open(app_env, ESPINAR)
    at.selectbox(key="qr_result").set_value("postponed")
    at.selectbox(key="qr_reason").set_value("absent_judge")
    at.text_input(key="qr_next").input("2026-12-15 09:00")
    at.button(key=f"FormSubmitter:result_{ESPINAR}-Record the result").click().run()
    assert not at.exception
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        hearings = s.exec(select(Hearing).where(Hearing.case_id == ESPINAR)).all()
    assert len(hearings) == 4
    assert sorted(str(h.scheduled_at) for h in hearings)[-1] == "2026-12-15 09:00:00"


def test_viewer_cannot_submit(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as("pages/1_Cases.py", app_env, role="viewer")
    assert not [b for b in at.button if b.key == "FormSubmitter:new_case-Save"]
