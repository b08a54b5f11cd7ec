"""The Defenders page: list and filters, a defender's page with its timeline, and its forms."""

from __future__ import annotations

import json

from sqlalchemy import event
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ready_engine, run_as
from tracker import db, seed
from tracker.models import Actor, Membership
from tracker.permissions import Principal
from tracker.seed import seed_id
from tracker.stats import row_counts

PAGE = "pages/2_Defenders.py"
HERBERT = seed_id("actor", "herbert-huaman-llave")
ACUNA = seed_id("actor", "maxima-acuna")
CELENDIN_01 = seed_id("actor", "celendin-defendant-01")


def _open(url: str, actor_id: object, role: str = "editor") -> AppTest:
    return run_as(PAGE, url, role, query={"actor": str(actor_id)})


def test_empty_database(app_env: str) -> None:
    engine = db.make_engine(app_env)
    with db.unit_of_work(engine, Principal("s", "admin")) as s:
        seed.load_vocabularies(s)
    at = run_as(PAGE, app_env)
    assert at.info[0].value == "Nobody matches these filters."


def test_list_on_seeded_database_and_filters(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env)
    assert at.caption[0].value == "20 defenders; showing 1–20."
    at.selectbox(key="p_org").set_value(seed_id("actor", "fudie")).run()
    assert list(at.dataframe[0].value["Name"]) == ["Herbert Huamán Llave", "Sergio Huamaní Hilario"]
    assert list(at.dataframe[0].value["Organizations"]) == ["FUDIE", "FUDIE"]
    at.selectbox(key="p_org").set_value("").run()
    at.selectbox(key="p_state").set_value("closed").run()
    assert at.caption[0].value == "4 defenders; showing 1–4."


def test_viewer_sees_pseudonyms_only(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env, role="viewer")
    names = set(at.dataframe[0].value["Name"])
    assert {f"Celendín defender {i:02d}" for i in range(1, 17)} <= names
    assert not any(n.startswith("Name withheld") for n in names)
    at.text_input(key="p_text").input("withheld").run()  # the real name stays unsearchable
    assert at.info[0].value == "Nobody matches these filters."
    page = _open(app_env, CELENDIN_01, role="viewer")
    assert page.subheader[0].value == "Celendín defender 01"
    assert "Name withheld" not in repr([e.value for e in page.main if hasattr(e, "value")])
    assert not [f for f in page.get("form") if "actor_" in str(f.proto)]  # no edit form


def test_defender_page_shows_cases_charges_and_timeline(app_env: str) -> None:
    ready_engine(app_env)
    at = _open(app_env, HERBERT)
    assert at.subheader[0].value == "Herbert Huamán Llave"
    tables = [d.value for d in at.dataframe]
    assert len(tables[0]) == 1  # one case
    assert len(tables[1]) == 5  # five charges
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {t.get("name") for t in chart["data"]} >= {"Hearing", "Court event", "Case opened"}


def test_create_defender_saves_and_opens_the_new_page(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as(PAGE, app_env)
    at.selectbox(key="new_defenders__kind").set_value("person")
    at.text_input(key="new_defenders__name").input("Rosa Quispe Mamani")
    at.text_input(key="new_defenders__birth_date").input("1975")
    at.text_input(key="new_defenders__region").input("Puno")
    at.multiselect(key="new_defenders__rights_defended").select("environment")
    at.button(key="FormSubmitter:new_defenders-Save").click().run()
    assert not at.exception
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        rosa = s.exec(select(Actor).where(Actor.name == "Rosa Quispe Mamani")).one()
    assert (rosa.is_defender, rosa.birth_date_precision, rosa.rights_defended) == (
        True,
        "year",
        ["environment"],
    )
    assert at.query_params["actor"] == str(rosa.id)
    assert at.subheader[0].value == "Rosa Quispe Mamani"
    assert "born 1975" in at.caption[0].value  # a partial date, shown partial


def test_invalid_defender_shows_error_and_saves_nothing(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as(PAGE, app_env)
    before = row_counts(engine)
    at.selectbox(key="new_defenders__kind").set_value("person")
    at.text_input(key="new_defenders__name").input("Persona protegida")
    at.selectbox(key="new_defenders__confidentiality").set_value("confidential")
    at.button(key="FormSubmitter:new_defenders-Save").click().run()
    assert [e.value for e in at.error] == ["A confidential person needs a pseudonym."]
    assert at.text_input(key="new_defenders__name").value == "Persona protegida"
    assert row_counts(engine) == before


def test_add_membership_and_refuse_a_bad_one(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = _open(app_env, ACUNA)
    form = f"membership_{ACUNA}"
    at.text_input(key=f"org_search_{ACUNA}").input("GRUFIDES").run()
    at.selectbox(key=f"{form}__organization_id").set_value(seed_id("actor", "grufides"))
    at.text_input(key=f"{form}__start_date").input("2012")
    at.text_input(key=f"{form}__end_date").input("2011-05")
    before = row_counts(engine)
    at.button(key=f"FormSubmitter:{form}-Save").click().run()
    assert [e.value for e in at.error] == ["2011-05 is before Start date (2012)."]
    assert row_counts(engine) == before
    at.text_input(key=f"{form}__end_date").set_value("")
    at.text_input(key=f"{form}__role").input("member")
    at.button(key=f"FormSubmitter:{form}-Save").click().run()
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        saved = s.exec(select(Membership).where(Membership.member_id == ACUNA)).one()
    assert (saved.role, saved.start_date_precision) == ("member", "year")


def test_profile_page_runs_a_bounded_number_of_queries(app_env: str) -> None:
    from tracker.ui.setup import _engine

    ready_engine(app_env)
    run_as(PAGE, app_env)  # creates the account, warms the caches
    engine = _engine(app_env)  # the page's own engine (st.cache_resource)
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        _open(app_env, HERBERT)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    # Login check, profile (about ten), labels, history, the forms' vocabularies, cases brought.
    assert len(seen) <= 24, len(seen)  # 21 measured


def test_edit_defender_refuses_a_future_birth_date_and_saves_a_partial_one(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = _open(app_env, HERBERT)
    form = f"actor_{HERBERT}"
    before = row_counts(engine)
    at.text_input(key=f"{form}__birth_date").set_value("2999")
    at.button(key=f"FormSubmitter:{form}-Save").click().run()
    assert [e.value for e in at.error] == ["This date is in the future."]
    assert row_counts(engine) == before
    at.text_input(key=f"{form}__birth_date").set_value("1971-08")
    at.button(key=f"FormSubmitter:{form}-Save").click().run()
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        herbert = s.get(Actor, HERBERT)
    assert herbert is not None and herbert.birth_date_precision == "month"
    assert "born 1971\\-08" in at.caption[0].value  # Markdown-escaped


def test_edit_a_membership(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = _open(app_env, HERBERT)
    membership = seed_id("membership", "membership-herbert-huaman-fudie")
    at.selectbox(key=f"pick_membership_{HERBERT}").set_value(membership).run()
    at.text_input(key=f"membership_edit_{membership}__role").set_value("president")
    at.button(key=f"FormSubmitter:membership_edit_{membership}-Save").click().run()
    assert at.success[0].value == "Saved."
    with Session(engine) as s:
        assert s.get(Membership, membership).role == "president"  # type: ignore[union-attr]
