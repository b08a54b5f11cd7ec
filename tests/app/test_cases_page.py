"""The Cases page: list and filters, a case's page, and its forms (valid and invalid input)."""

from __future__ import annotations

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ready_engine, run_as
from tracker.models import Case, Hearing, StageChange
from tracker.seed import seed_id
from tracker.stats import row_counts

ESPINAR = seed_id("case", "case-espinar-2012")
APPEAL_HEARING = seed_id("hearing", "hearing-espinar-2018-05-08")
APPEALS_CHAMBER = seed_id("court", "court-ica-first-criminal-appeals")
RETRIAL_HEARING = seed_id("hearing", "hearing-espinar-2020-02-18")


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
    assert at.caption[0].value == "1 cases; showing 1–1."
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


def _quick(at: AppTest, name: str) -> str:
    """The widget key of the quick form's field ``name`` for the hearing it shows."""
    return f"qr_{at.session_state[f'qr_pick_{ESPINAR}']}_{name}"


def test_quick_form_keeps_notes_and_the_chosen_type_and_court(app_env: str) -> None:
    """The retrial of the issue: recorded after the appeal ruling, at the trial court."""
    engine = ready_engine(app_env)
    trial_court = seed_id("court", "court-ica-single-judge")
    at = _open(app_env, ESPINAR)
    # It opens on the earliest hearing without a result: the retrial hearing of 2020.
    assert at.session_state[f"qr_pick_{ESPINAR}"] == RETRIAL_HEARING
    # The lawyer picks the appeal hearing (a row click) to correct what was recorded.
    at.session_state[f"qr_pick_{ESPINAR}"] = APPEAL_HEARING
    at.run()
    assert at.selectbox(key=_quick(at, "result")).value == "judgment"
    assert at.selectbox(key=_quick(at, "next_type")).value == "appeal"  # defaults: current
    assert at.selectbox(key=_quick(at, "next_court")).value == APPEALS_CHAMBER
    assert at.selectbox(key=_quick(at, "stage")).value == "closed"
    assert "Appeal ruling overturning the acquittal and ordering a new trial." in [
        x.value for x in at.text
    ]
    at.text_area(key=_quick(at, "add")).input("Retrial ordered before the single judge.")
    at.text_input(key=_quick(at, "next_at")).input("2026-12-15 09:00")
    at.selectbox(key=_quick(at, "next_type")).set_value("trial_session")
    at.selectbox(key=_quick(at, "next_court")).set_value(trial_court)
    at.button(key=f"FormSubmitter:result_{ESPINAR}-Record the result").click().run()
    assert not at.exception
    assert [m.value for m in at.success] == ["Result recorded for the hearing of 2018-05-08."]
    assert at.session_state[f"case_tab_{ESPINAR}"] == "Hearings"
    with Session(engine) as s:
        hearings = s.exec(
            select(Hearing).where(Hearing.case_id == ESPINAR).order_by(Hearing.scheduled_at)
        ).all()
        events = s.exec(select(StageChange).where(StageChange.case_id == ESPINAR)).all()
    assert [(str(h.scheduled_at), h.hearing_type, h.court_id) for h in hearings] == [
        ("2017-07-17 00:00:00", "sentencing", trial_court),
        ("2018-05-08 00:00:00", "appeal", APPEALS_CHAMBER),
        ("2020-02-18 00:00:00", "trial_session", seed_id("court", "court-ica-4th-single-judge")),
        ("2026-12-15 09:00:00", "trial_session", trial_court),
    ]
    assert hearings[1].notes == (
        "Appeal ruling overturning the acquittal and ordering a new trial.\n\n"
        "Retrial ordered before the single judge."
    )
    assert len(events) == 10  # the stage stayed "closed": no "Closed -> Closed" event


def test_edit_case_form_shows_the_court_by_name(app_env: str) -> None:
    ready_engine(app_env)
    at = _open(app_env, ESPINAR)
    court = at.selectbox(key=f"case_{ESPINAR}__court_id")
    assert court.value == APPEALS_CHAMBER
    assert court.format_func(court.value) == "First Criminal Appeals Chamber of the Ica High Court"


def test_viewer_cannot_submit(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as("pages/1_Cases.py", app_env, role="viewer")
    assert not [b for b in at.button if b.key == "FormSubmitter:new_case-Save"]
