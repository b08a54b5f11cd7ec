"""People read queries: defender and actor lists filtered and paged in SQL, profiles in a
handful of queries, the prosecution timeline, cases brought, sources and what they support."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.factories import make_case_with_defendant
from tests.test_casework import count_queries
from tracker import db, people, profiles, seed, sourcing
from tracker import services as sv
from tracker.permissions import Principal
from tracker.seed import seed_id

F = people.PeopleFilters
HERBERT = seed_id("actor", "herbert-huaman-llave")
YANACOCHA = seed_id("actor", "minera-yanacocha")


def _names(
    session: Session, filters: people.PeopleFilters, trusted: bool = True, **kw: object
) -> list[str]:
    rows, _ = people.people_list(session, filters, show_confidential=trusted, **kw)  # type: ignore[arg-type]
    return [r["name"] for r in rows]


def _hidden_people(engine: Engine) -> dict[str, object]:
    """A confidential defender (real name Ana Secreta) and a restricted one, in one case."""
    with db.unit_of_work(engine, Principal("ana", "editor")) as s:
        secret = sv.actors.create(
            s,
            {
                "kind": "person",
                "name": "Ana Secreta",
                "is_defender": True,
                "region": "Puno",
                "confidentiality": "confidential",
                "pseudonym": "Defensora P1",
                "id_number": "12345678",
                "aliases": ["Mama Ana"],
            },
        )
        hidden = sv.actors.create(
            s,
            {
                "kind": "person",
                "name": "Rita Oculta",
                "is_defender": True,
                "confidentiality": "restricted",
            },
        )
        case = sv.cases.create(s, {"title": "Caso de Ana Secreta en Puno", "opened_on": "2019"})
        for actor in (secret, hidden):
            sv.parties.create(s, {"case_id": case, "actor_id": actor, "role": "defendant"})
        sv.charges.create(
            s,
            {"case_id": case, "defendant_id": secret, "charge_type": "riot", "filed_on": "2019-02"},
        )
    return {"secret": secret, "hidden": hidden, "case": case}


def test_defender_list_filters_sorts_and_pages(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s:
        rows, total = people.people_list(
            s, F(defenders_only=True), show_confidential=True, page_size=5
        )
        assert (total, len(rows)) == (20, 5)  # Acuña's three relatives are defendants only
        page_2, _ = people.people_list(
            s, F(defenders_only=True), show_confidential=True, page=1, page_size=5
        )
        assert not {r["id"] for r in rows} & {r["id"] for r in page_2}
        assert _names(s, F(defenders_only=True, organization_id=seed_id("actor", "fudie"))) == [
            "Herbert Huamán Llave",
            "Sergio Huamaní Hilario",
        ]
        herbert = next(
            r for r in people.people_list(s, F(text="Herbert"), show_confidential=True)[0]
        )
        assert (herbert["orgs"], herbert["defendant"], herbert["brought"]) == (["FUDIE"], 1, 0)
        assert len(_names(s, F(defenders_only=True, case_state="closed"))) == 4  # Máxima Acuña's
        assert _names(s, F(defenders_only=True, case_state="none")) == []
        assert len(_names(s, F(defenders_only=True, region="Cusco"))) == 3
        assert _names(s, F(defenders_only=True, right="no_such_right")) == []
        top = people.people_list(s, F(), show_confidential=True, sort="cases")[0][0]
        assert top["cases"] == 2  # the Ica prosecutor's office, party to two cases


def test_list_search_and_figures_respect_privacy(engine: Engine) -> None:
    with db.unit_of_work(engine, Principal("s", "admin")) as s:
        seed.load_vocabularies(s)
    ids = _hidden_people(engine)
    with Session(engine) as s:
        # An editor finds the person by real name, alias or ID number.
        for text in ("Secreta", "mama ana", "12345678"):
            assert _names(s, F(text=text), trusted=True) == ["Ana Secreta"]
        # A viewer sees the pseudonym only, and finds nobody by what stays hidden.
        assert _names(s, F(defenders_only=True), trusted=False) == ["Defensora P1"]
        for text in ("Secreta", "Mama Ana", "12345678", "Oculta"):
            assert _names(s, F(text=text), trusted=False) == []
        row = people.people_list(s, F(defenders_only=True), show_confidential=False)[0][0]
        assert (row["defendant"], row["pending"]) == (1, 1)
        assert (
            people.people_list(
                s, F(defenders_only=True, case_state="pending"), show_confidential=False
            )[1]
            == 1
        )
        assert profiles.profile(s, ids["hidden"], show_confidential=False) is None  # type: ignore[arg-type]


def test_profile_loads_in_a_handful_of_queries(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s, count_queries(engine) as seen:
        detail = profiles.profile(s, HERBERT, show_confidential=False)
    assert len(seen) <= 11  # the redactor: withheld people, and public names beside them
    assert detail is not None
    assert [m["other"] for m in detail["memberships"]] == ["FUDIE"]
    assert len(detail["cases"]) == 1 and detail["cases"][0]["roles"] == ["defendant"]
    assert len(detail["charges"]) == 5
    assert len(detail["hearings"]) == 3
    assert len(detail["events"]) == 10
    assert HERBERT in detail["citations"]
    with Session(engine) as s:
        fudie = profiles.profile(s, seed_id("actor", "fudie"), show_confidential=False)
    assert fudie is not None
    assert sorted(m["other"] for m in fudie["members"]) == [
        "Herbert Huamán Llave",
        "Sergio Huamaní Hilario",
    ]


def test_viewer_profile_of_a_confidential_person_hides_private_details(engine: Engine) -> None:
    with db.unit_of_work(engine, Principal("s", "admin")) as s:
        seed.load_vocabularies(s)
    ids = _hidden_people(engine)
    with Session(engine) as s:
        seen = profiles.profile(s, ids["secret"], show_confidential=False)  # type: ignore[arg-type]
        full = profiles.profile(s, ids["secret"], show_confidential=True)  # type: ignore[arg-type]
    assert seen is not None and full is not None
    assert (seen["actor"]["name"], seen["actor"]["shown_name"]) == ("Defensora P1", "Defensora P1")
    assert (seen["actor"]["id_number"], seen["actor"]["aliases"]) == (None, [])
    assert "Ana Secreta" not in repr(seen["actor"])
    assert full["actor"]["name"] == "Ana Secreta"
    assert [c["filed"] for c in seen["charges"]] == ["2019-02"]  # partial date, shown partial


def test_timeline_runs_from_the_first_complaint_to_today(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s:
        detail = profiles.profile(s, HERBERT, show_confidential=True)
    assert detail is not None
    events = profiles.timeline(detail, today=date(2026, 1, 15))
    assert (events[0]["kind"], events[0]["shown"]) == ("opened", "2012")
    assert events[-1] == {
        "date": date(2026, 1, 15),
        "shown": "2026-01-15",
        "kind": "today",
        "case_id": None,
        "case_title": "",
        "what": "",
    }
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert {e["kind"] for e in events} >= {"hearing", "event"}


def test_cases_brought_and_their_outcomes(engine: Engine) -> None:
    seed.seed(engine)
    ids = make_case_with_defendant(engine)
    with db.unit_of_work(engine, Principal("ana", "editor")) as s:
        charge = sv.charges.create(
            s, {"case_id": ids["case"], "defendant_id": ids["defender"], "charge_type": "riot"}
        )
        sv.charge_complainants.create(s, {"charge_id": charge, "actor_id": YANACOCHA})
    with Session(engine) as s:
        brought = people.brought(s, YANACOCHA, show_confidential=False)
        company = people.brought(s, ids["company"], show_confidential=False)
        first = people.brought(s, YANACOCHA, show_confidential=False, page_size=1)
    # Complainant of Máxima Acuña's case, and of one charge in the factory's case.
    assert brought["total"] == 2
    assert brought["outcomes"] == {"acquitted": 4, "": 1}
    assert brought["defendants"] == 5
    assert [c["outcomes"] for c in brought["cases"]] == [{"": 1}, {"acquitted": 4}]
    assert (company["total"], company["outcomes"]) == (1, {"": 1})
    assert len(first["cases"]) == 1 and first["total"] == 2


def test_sources_list_and_what_each_supports(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s:
        rows, total = sourcing.source_list(s, show_confidential=False, page_size=5)
        assert (total, len(rows)) == (28, 5)
        assert sourcing.source_list(s, show_confidential=False, text="amnesty")[1] == 3
        # typed % matches itself
        assert sourcing.source_list(s, show_confidential=False, text="%")[1] == 0
        cited = [
            c
            for r in sourcing.source_list(s, show_confidential=False, page_size=100)[0]
            for c in sourcing.source_citations(s, r["id"], show_confidential=False)
        ]
    assert {c["table_name"] for c in cited} >= {"court_case", "actor", "charge"}
    people_named = {c.get("person") for c in cited if c["table_name"] == "charge"}
    assert "Celendín defender 01" in people_named
    assert not any(str(p).startswith("Name withheld") for p in people_named)
    charge = next(
        c for c in cited if c["table_name"] == "charge" and c["person"] == "Celendín defender 01"
    )
    assert charge["code"][0] == "charge_type" and charge["case_title"].startswith("16 land")
