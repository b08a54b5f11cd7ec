"""The search box: accents and case ignored, ranked, pseudonyms only for viewers, restricted
records never found by viewers, kept current on every write; on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.engine import Engine

from tests.factories import charge_data
from tests.pdfs import make_pdf
from tracker import db, search
from tracker import services as sv
from tracker.permissions import Principal
from tracker.services import documents as doc_service

EDITOR = Principal("ana", "editor")


@pytest.fixture
def people(vocab_engine: Engine) -> dict[str, uuid.UUID]:
    """A public defender, a confidential one (pseudonym "Defensora A"), a restricted one,
    a case naming the confidential one, a restricted case, a court and a source."""
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        ids = {
            "maxima": sv.actors.create(
                s, {"kind": "person", "name": "Máxima Acuña", "is_defender": True}
            ),
            "hidden": sv.actors.create(
                s,
                {
                    "kind": "person",
                    "name": "Rosa Huamán Ccori",
                    "pseudonym": "Defensora A",
                    "confidentiality": "confidential",
                    "is_defender": True,
                    "id_number": "40404040",
                },
            ),
            "secret": sv.actors.create(
                s,
                {"kind": "person", "name": "Julio Tarqui", "confidentiality": "restricted"},
            ),
            "company": sv.actors.create(s, {"kind": "company", "name": "Minera Yanacocha"}),
            "case": sv.cases.create(
                s,
                {
                    "title": "Caso Tragadero Grande",
                    "case_number": "00123-2012-0-0601",
                    "summary": "Denuncia contra Rosa Huamán por usurpación.",
                },
            ),
            "restricted_case": sv.cases.create(
                s, {"title": "Caso Reservado Cumbre", "confidentiality": "restricted"}
            ),
            "court": sv.courts.create(
                s, {"name": "Juzgado Penal de Celendín", "judicial_district": "Cajamarca"}
            ),
            "source": sv.sources.create(
                s, {"title": "Informe anual de Derechos Humanos", "publisher": "CNDDHH"}
            ),
        }
    return ids


def _found(engine: Engine, query: str, role: str) -> list[tuple[str, str]]:
    with db.unit_of_work(engine, Principal("u", role)) as s:
        return [(hit.kind, hit.label) for hit in search.search(s, query, role=role)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("maxima acuna", [("actor", "Máxima Acuña")]),
        ("MÁXIMA", [("actor", "Máxima Acuña")]),
        ("acu", [("actor", "Máxima Acuña")]),
        ("tragadero", [("case", "Caso Tragadero Grande")]),
        ("00123-2012", [("case", "Caso Tragadero Grande")]),
        ("celendin", [("court", "Juzgado Penal de Celendín")]),
        ("derechos humanos", [("source", "Informe anual de Derechos Humanos")]),
        ("yanacocha", [("actor", "Minera Yanacocha")]),
        ("nothing-like-this", []),
    ],
)
def test_accents_and_case_are_ignored(
    people: dict[str, uuid.UUID], vocab_engine: Engine, query: str, expected: list
) -> None:
    assert _found(vocab_engine, query, "viewer") == expected


def test_viewers_find_a_confidential_person_only_by_pseudonym(
    people: dict[str, uuid.UUID], vocab_engine: Engine
) -> None:
    assert _found(vocab_engine, "defensora", "viewer") == [("actor", "Defensora A")]
    # Neither the real name, nor the id number, nor a case whose text names her.
    assert _found(vocab_engine, "rosa huaman", "viewer") == []
    assert _found(vocab_engine, "huaman", "viewer") == []
    assert _found(vocab_engine, "40404040", "viewer") == []
    # Editors find her by her real name, and the case that names her.
    assert _found(vocab_engine, "rosa huaman", "editor") == [
        ("actor", "Rosa Huamán Ccori"),
        ("case", "Caso Tragadero Grande"),
    ]
    assert _found(vocab_engine, "defensora", "editor") == [("actor", "Rosa Huamán Ccori")]


def test_restricted_records_are_found_by_editors_only(
    people: dict[str, uuid.UUID], vocab_engine: Engine
) -> None:
    assert _found(vocab_engine, "tarqui", "viewer") == []
    assert _found(vocab_engine, "cumbre", "viewer") == []
    assert _found(vocab_engine, "tarqui", "editor") == [("actor", "Julio Tarqui")]
    assert _found(vocab_engine, "cumbre", "admin") == [("case", "Caso Reservado Cumbre")]


def test_a_restricted_source_is_not_searched_for_viewers(vocab_engine: Engine) -> None:
    """Its title and address would undo a pseudonym: editors find it, viewers do not."""
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.sources.create(
            s,
            {
                "title": "Blog post naming the Huancabamba defendants",
                "url": "https://example.org/huancabamba-defendants",
                "reliability": "unverified",
                "restricted": True,
            },
        )
    assert _found(vocab_engine, "huancabamba", "viewer") == []
    assert _found(vocab_engine, "huancabamba", "editor") == [
        ("source", "Blog post naming the Huancabamba defendants")
    ]


def test_the_index_follows_every_write(people: dict[str, uuid.UUID], vocab_engine: Engine) -> None:
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        version = sv.actors.get(s, people["company"]).version_id
        sv.actors.update(s, people["company"], {"name": "Compañía Minera Conga"}, version)
    assert _found(vocab_engine, "yanacocha", "editor") == []
    assert _found(vocab_engine, "compania conga", "editor") == [("actor", "Compañía Minera Conga")]
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        version = sv.actors.get(s, people["company"]).version_id
        sv.actors.delete(s, people["company"], version)
    assert _found(vocab_engine, "conga", "editor") == []
    # A person made confidential is found by viewers under the pseudonym from then on.
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        version = sv.actors.get(s, people["maxima"]).version_id
        sv.actors.update(
            s,
            people["maxima"],
            {"confidentiality": "confidential", "pseudonym": "Defensora B"},
            version,
        )
    assert _found(vocab_engine, "maxima", "viewer") == []
    assert _found(vocab_engine, "defensora b", "viewer") == [("actor", "Defensora B")]


def test_results_are_ranked_and_open_their_record(
    people: dict[str, uuid.UUID], vocab_engine: Engine
) -> None:
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.cases.create(s, {"title": "Caso Grande Grande Grande"})
        hits = search.search(s, "grande", role="editor")
    assert [h.label for h in hits] == ["Caso Grande Grande Grande", "Caso Tragadero Grande"]
    assert hits[0].score > hits[1].score
    assert hits[1].page == "pages/1_Cases.py"
    assert hits[1].params == {"case": str(people["case"])}


def test_text_of_attached_pdfs_is_searched(
    people: dict[str, uuid.UUID], vocab_engine: Engine
) -> None:
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.parties.create(
            s, {"case_id": people["case"], "actor_id": people["maxima"], "role": "defendant"}
        )
        charge = sv.charges.create(
            s, charge_data({"case": people["case"], "defender": people["maxima"]})
        )
        doc_service.attach(
            s,
            table_name="charge",
            row_id=charge,
            filename="acusacion.pdf",
            content=make_pdf("Requerimiento acusatorio por usurpacion agravada"),
        )
        doc_service.attach(
            s,
            table_name="court_case",
            row_id=people["restricted_case"],
            filename="reservado.pdf",
            content=make_pdf("Auto de apertura usurpacion"),
        )
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        hits = search.search(s, "acusatorio usurpación", role="viewer")
        assert [(h.kind, h.label, h.detail, h.params) for h in hits] == [
            ("document", "acusacion.pdf", "Caso Tragadero Grande", {"case": str(people["case"])})
        ]
        # The restricted case's file only for editors.
        assert [h.label for h in search.search(s, "apertura", role="viewer")] == []
        assert [h.label for h in search.search(s, "apertura", role="editor")] == ["reservado.pdf"]


def test_tokens_fold_accents_and_split_punctuation() -> None:
    assert search.tokens("Máxima ACUÑA, 00123-2012") == ["maxima", "acuna", "00123", "2012"]
    assert search.tokens("  ") == []


def test_upgrade_puts_back_triggers_a_migration_dropped(
    people: dict[str, uuid.UUID], vocab_engine: Engine
) -> None:
    if vocab_engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps no copy: its indexes follow every table change")
    with vocab_engine.begin() as conn:  # as a batch migration rebuilding the table does
        conn.exec_driver_sql("DROP TRIGGER search_court_case_insert")
        conn.exec_driver_sql("DROP TRIGGER search_court_case_update")
        conn.exec_driver_sql(
            "UPDATE court_case SET title = 'Caso Conga' WHERE title LIKE '%Tragadero%'"
        )
    db.upgrade(vocab_engine)
    assert _found(vocab_engine, "conga", "editor") == [("case", "Caso Conga")]
    assert _found(vocab_engine, "tragadero", "editor") == []
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.cases.create(s, {"title": "Caso Quellaveco"})
    assert _found(vocab_engine, "quellaveco", "editor") == [("case", "Caso Quellaveco")]
