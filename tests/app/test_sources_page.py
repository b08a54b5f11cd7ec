"""The Sources page: list and search, a source's page with the facts it supports, forms to
add and edit a source and to cite it for any record."""

from __future__ import annotations

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ready_engine, run_as
from tracker import db, seed
from tracker.models import Citation, Source
from tracker.permissions import Principal
from tracker.seed import seed_id
from tracker.stats import row_counts

PAGE = "pages/8_Sources.py"
S0 = seed_id("source", "S0")


def _open(url: str, source_id: object, role: str = "editor") -> AppTest:
    return run_as(PAGE, url, role, query={"source": str(source_id)})


def _source_citing_celendin(url: str) -> object:
    engine = db.make_engine(url)
    with Session(engine) as s:
        return s.exec(
            select(Citation.source_id).where(
                Citation.table_name == "charge",
                Citation.supports.startswith("the charges of kidnapping"),  # type: ignore[union-attr]
            )
        ).first()


def test_empty_database(app_env: str) -> None:
    engine = db.make_engine(app_env)
    with db.unit_of_work(engine, Principal("s", "admin")) as s:
        seed.load_vocabularies(s)
    at = run_as(PAGE, app_env)
    assert at.info[0].value == "No source matches."


def test_list_and_search(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env)
    assert at.caption[0].value == "28 sources; showing 1–28."
    at.text_input(key="s_text").input("amnesty").run()
    assert at.caption[0].value == "3 sources; showing 1–3."


def test_source_page_shows_what_it_supports_with_pseudonyms_for_viewers(app_env: str) -> None:
    ready_engine(app_env)
    at = _open(app_env, _source_citing_celendin(app_env), role="viewer")
    supports = at.dataframe[0].value
    assert "Celendín defender 01" in " ".join(supports["Which one"])
    assert "withheld" not in " ".join(supports["Which one"])
    assert at.tabs[-1].label == "History"
    assert len(at.tabs) == 2  # no citing or editing for a viewer


def test_create_source_saves(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as(PAGE, app_env)
    at.text_input(key="new_source__title").input("Informe sobre Celendín")
    at.text_input(key="new_source__url").input("https://example.org/informe")
    at.text_input(key="new_source__published_on").input("2018-04")
    at.button(key="FormSubmitter:new_source-Save").click().run()
    assert not at.exception
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        source = s.exec(select(Source).where(Source.title == "Informe sobre Celendín")).one()
    assert source.published_on_precision == "month"
    assert "2018\\-04" in at.caption[0].value  # shown as partial as it is known


def test_invalid_source_shows_error_and_saves_nothing(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as(PAGE, app_env)
    before = row_counts(engine)
    at.text_input(key="new_source__title").input("Enlace peligroso")
    at.text_input(key="new_source__url").input("javascript:alert(1)")
    at.button(key="FormSubmitter:new_source-Save").click().run()
    assert [e.value for e in at.error] == [
        "Only web addresses starting with http:// or https:// are accepted."
    ]
    assert row_counts(engine) == before


def test_cite_a_source_for_a_hearing_of_a_case(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = _open(app_env, S0)
    at.radio(key="cite_kind").set_value("court_case").run()
    at.text_input(key="cite_find_court_case").input("Espinar").run()
    espinar = seed_id("case", "case-espinar-2012")
    at.selectbox(key="cite_pick_court_case").set_value(espinar).run()
    hearing = seed_id("hearing", "hearing-espinar-2018-05-08")
    at.selectbox(key=f"cite_target_{espinar}").set_value(("hearing", hearing)).run()
    before = row_counts(engine)["citation"]
    at.text_area(key=f"cite_{S0}_{hearing}__supports").input("the hearing of 8 May 2018")
    at.button(key=f"FormSubmitter:cite_{S0}_{hearing}-Cite this source").click().run()
    assert at.success[0].value == "Saved."
    assert row_counts(engine)["citation"] == before + 1
    whats = " ".join(at.dataframe[0].value["Which one"])
    assert "Appeal hearing" in whats


def test_edit_source(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = _open(app_env, S0)
    at.text_input(key=f"source_{S0}__publisher").set_value("Naciones Unidas")
    at.button(key=f"FormSubmitter:source_{S0}-Save").click().run()
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        assert s.get(Source, S0).publisher == "Naciones Unidas"  # type: ignore[union-attr]


def test_edit_what_a_citation_supports(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = _open(app_env, S0)
    with Session(engine) as s:
        citation_id = s.exec(select(Citation.id).where(Citation.source_id == S0)).first()
    at.selectbox(key="pick_citation").set_value(citation_id).run()
    form = f"citation_{citation_id}"
    at.text_area(key=f"{form}__supports").set_value("named in the statement")
    at.button(key=f"FormSubmitter:{form}-Save").click().run()
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        assert s.get(Citation, citation_id).supports == "named in the statement"  # type: ignore[union-attr]
