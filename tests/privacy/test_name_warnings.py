"""The editor's warning: free text naming a confidential person on a record viewers see."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.factories import make_case_with_defendant
from tracker import db
from tracker import services as sv
from tracker.name_warnings import name_warnings
from tracker.permissions import Principal


def _zenobia(engine: Engine) -> None:
    with db.unit_of_work(engine, Principal("ana", "editor")) as s:
        sv.actors.create(
            s,
            {
                "kind": "person",
                "name": "Zenobia Quispicanchi Huamán",
                "aliases": ["La Zeno"],
                "id_number": "40123456",
                "confidentiality": "confidential",
                "pseudonym": "Defensora Andina",
            },
        )


def test_a_name_on_a_visible_record_is_found_with_its_pseudonym(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    _zenobia(vocab_engine)
    with Session(vocab_engine) as s:
        found = name_warnings(
            s,
            "hearing",
            {
                "case_id": str(ids["case"]),
                "notes": "Declaró ZENOBIA QUISPICANCHI (DNI 40123456); ver la-zeno.pe",
                "result": "held",
            },
        )
    assert found == [
        {
            "field": "notes",
            "found": "ZENOBIA QUISPICANCHI, 40123456, la-zeno",
            "shown": "Defensora Andina",
            "text": "Declaró Defensora Andina (DNI Defensora Andina); ver Defensora Andina.pe",
        }
    ]


def test_no_warning_where_viewers_cannot_see_or_nothing_is_named(vocab_engine: Engine) -> None:
    ids = make_case_with_defendant(vocab_engine)
    _zenobia(vocab_engine)
    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        hidden = sv.cases.create(s, {"title": "Caso", "confidentiality": "restricted"})
    with Session(vocab_engine) as s:
        named = {"notes": "Zenobia Quispicanchi Huamán"}
        assert name_warnings(s, "hearing", {"case_id": hidden, **named}) == []
        assert name_warnings(s, "court_case", {"confidentiality": "restricted", **named}) == []
        assert name_warnings(s, "actor", {"name": "Zenobia Quispicanchi Huamán"}) == []
        assert name_warnings(s, "hearing", {"case_id": ids["case"], "notes": "Rosa Quispe"}) == []
        stored = {"title": "Caso Zenobia Quispicanchi", "confidentiality": "public"}
        assert [w["field"] for w in name_warnings(s, "court_case", stored)] == ["title"]


def test_the_form_warns_and_saves_the_pseudonym(app_env: str) -> None:
    from sqlmodel import select

    from tests.app.helpers import run_as
    from tracker.models import Source

    engine = db.make_engine(app_env)
    _zenobia(engine)
    at = run_as("pages/8_Sources.py", app_env, role="editor")
    at.text_input(key="new_source__title").input("Entrevista a Zenobia Quispicanchi")
    at.text_input(key="new_source__url").input("https://radio.example/zenobia-quispicanchi")
    at.button(key="FormSubmitter:new_source-Save").click().run()
    assert not at.exception
    warning = at.warning[0].value
    assert warning.startswith("This text names a confidential person")
    assert "Title: “Zenobia Quispicanchi” (viewers see “Defensora Andina”)" in warning
    mine = select(Source).where(Source.title.startswith("Entrevista"))
    with Session(engine) as s:
        assert s.exec(mine).all() == []  # held until the editor chooses
    at.button(key="new_source__use_pseudonym").click().run()
    assert not at.exception
    with Session(engine) as s:
        saved = s.exec(mine).one()
    assert (saved.title, saved.url) == (
        "Entrevista a Defensora Andina",
        "https://radio.example/Defensora Andina",
    )
