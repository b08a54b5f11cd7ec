"""The Actors page: complainants and other actors, each with the cases it brought and how
they ended; forms to create and edit a person or body."""

from __future__ import annotations

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ready_engine, run_as
from tracker import db, seed
from tracker.models import Actor
from tracker.permissions import Principal
from tracker.seed import seed_id
from tracker.stats import row_counts

PAGE = "pages/7_Actors.py"
YANACOCHA = seed_id("actor", "minera-yanacocha")


def _open(url: str, actor_id: object, role: str = "editor") -> AppTest:
    return run_as(PAGE, url, role, query={"actor": str(actor_id)})


def test_empty_database(app_env: str) -> None:
    engine = db.make_engine(app_env)
    with db.unit_of_work(engine, Principal("s", "admin")) as s:
        seed.load_vocabularies(s)
    at = run_as(PAGE, app_env)
    assert at.info[0].value == "Nobody matches these filters."


def test_list_filters_by_role_and_category(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env)
    assert at.caption[0].value == "32 people and bodies; showing 1–32."
    at.selectbox(key="p_role").set_value("complainant").run()
    table = at.dataframe[0].value
    brought = dict(zip(table["Name"], table["Cases brought"], strict=True))
    assert brought["Minera Yanacocha"] == 1
    at.selectbox(key="p_role").set_value("").run()
    at.selectbox(key="p_kind").set_value("company").run()
    assert list(at.dataframe[0].value["Name"]) == ["Minera Yanacocha"]


def test_complainant_page_shows_cases_brought_and_outcomes(app_env: str) -> None:
    ready_engine(app_env)
    at = _open(app_env, YANACOCHA, role="viewer")
    assert at.subheader[0].value == "Minera Yanacocha"
    assert [m.value for m in at.metric] == ["1", "4", "4"]  # cases, people prosecuted, charges
    outcomes = at.dataframe[0].value
    assert dict(zip(outcomes["Outcome"], outcomes["Charges"], strict=True)) == {"Acquitted": 4}
    cases = at.dataframe[1].value
    assert list(cases["Outcomes of the charges"]) == ["Acquitted ×4"]


def test_viewer_sees_pseudonyms_only(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env, role="viewer")
    at.selectbox(key="p_role").set_value("defendant").run()
    names = set(at.dataframe[0].value["Name"])
    assert "Celendín defender 16" in names
    assert not any(n.startswith("Name withheld") for n in names)


def test_create_actor_saves(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as(PAGE, app_env)
    at.selectbox(key="new_actors__kind").set_value("company")
    at.text_input(key="new_actors__name").input("Minera Ejemplo S.A.C.")
    at.selectbox(key="new_actors__complainant_category").set_value("company_mining")
    at.button(key="FormSubmitter:new_actors-Save").click().run()
    assert not at.exception
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        company = s.exec(select(Actor).where(Actor.name == "Minera Ejemplo S.A.C.")).one()
    assert (company.kind, company.is_defender) == ("company", False)


def test_invalid_actor_shows_errors_and_saves_nothing(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as(PAGE, app_env)
    before = row_counts(engine)
    at.text_input(key="new_actors__region").input("Cajamarca")
    at.button(key="FormSubmitter:new_actors-Save").click().run()
    assert [e.value for e in at.error] == ["This field is required."] * 2  # kind and name
    assert at.text_input(key="new_actors__region").value == "Cajamarca"
    assert row_counts(engine) == before


def test_edit_actor_from_its_page(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = _open(app_env, YANACOCHA)
    form = f"actor_{YANACOCHA}"
    at.text_input(key=f"{form}__region").set_value("Cajamarca")
    at.button(key=f"FormSubmitter:{form}-Save").click().run()
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        assert s.get(Actor, YANACOCHA).region == "Cajamarca"  # type: ignore[union-attr]
