"""The search box finds stages and charge types by their labels and by the aliases imports
keep for them, and links to the Cases page filtered by the value (issue 20: aliases "used by
later imports and by search")."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.engine import Engine

from tracker import db, search
from tracker import services as sv
from tracker.permissions import Principal
from tracker.services.imports import save_alias


@pytest.fixture
def cases(vocab_engine: Engine) -> dict[str, uuid.UUID]:
    """Two cases on trial (one restricted), one with a charge of obstructing public services,
    and aliases an import kept: "Juzgamiento" (trial), "Bloqueo de vías" (the charge)."""
    with db.unit_of_work(vocab_engine, Principal("ed", "editor")) as s:
        defender = sv.actors.create(s, {"kind": "person", "name": "Eva Condori"})
        trial = sv.cases.create(s, {"title": "Caso Río Seco", "stage": "trial"})
        sv.cases.create(
            s, {"title": "Caso Reservado", "stage": "trial", "confidentiality": "restricted"}
        )
        blocked = sv.cases.create(s, {"title": "Caso Carretera", "stage": "complaint"})
        sv.parties.create(s, {"case_id": blocked, "actor_id": defender, "role": "defendant"})
        sv.charges.create(
            s,
            {
                "case_id": blocked,
                "defendant_id": defender,
                "charge_type": "obstruction_public_services",
            },
        )
        save_alias(s, "stage", "Juzgamiento", "trial")
        save_alias(s, "charge_type", "Bloqueo de vías", "obstruction_public_services")
    return {"trial": trial, "blocked": blocked}


def _terms(engine: Engine, query: str, role: str, lang: str = "en") -> list[tuple]:
    with db.unit_of_work(engine, Principal("u", role)) as s:
        return [
            (h.label, h.detail, h.page, h.params)
            for h in search.search(s, query, role=role, lang=lang)
            if h.kind == "term"
        ]


def test_an_alias_finds_its_term_and_counts_the_cases_the_reader_may_see(
    cases: dict[str, uuid.UUID], vocab_engine: Engine
) -> None:
    assert _terms(vocab_engine, "juzgamiento", "viewer", "es") == [
        (
            "Juicio oral",
            "una etapa del caso · también escrito «Juzgamiento» · 1 caso",
            "pages/1_Cases.py",
            {"stage": "trial"},
        )
    ]
    # An editor may see the restricted case too.
    assert _terms(vocab_engine, "JUZGAMIENTO", "editor") == [
        (
            "Oral trial",
            'a stage of the case · also written "Juzgamiento" · 2 cases',
            "pages/1_Cases.py",
            {"stage": "trial"},
        )
    ]


def test_labels_in_either_language_and_prefixes_of_five_letters(
    cases: dict[str, uuid.UUID], vocab_engine: Engine
) -> None:
    expected = [
        (
            "Obstructing public services",
            "a type of charge · 1 case",
            "pages/1_Cases.py",
            {"charge_type": "obstruction_public_services"},
        )
    ]
    assert _terms(vocab_engine, "entorpecimiento servicios", "viewer") == expected
    assert _terms(vocab_engine, "obstructing", "viewer") == expected
    assert _terms(vocab_engine, "bloqueo vias", "viewer")[0][1] == (
        'a type of charge · also written "Bloqueo de vías" · 1 case'
    )
    # Short starts offer no list value (they still find records).
    assert _terms(vocab_engine, "acu", "viewer") == []
    assert _terms(vocab_engine, "obst", "viewer") == []


def test_list_values_come_before_the_records(
    cases: dict[str, uuid.UUID], vocab_engine: Engine
) -> None:
    with db.unit_of_work(vocab_engine, Principal("u", "viewer")) as s:
        hits = search.search(s, "carretera", role="viewer")
        assert [(h.kind, h.label) for h in hits] == [("case", "Caso Carretera")]
        hits = search.search(s, "juicio oral", role="viewer", lang="es")
        assert [(h.kind, h.label) for h in hits] == [("term", "Juicio oral")]


def test_an_alias_naming_a_confidential_person_shows_the_pseudonym_to_a_viewer(
    cases: dict[str, uuid.UUID], vocab_engine: Engine
) -> None:
    with db.unit_of_work(vocab_engine, Principal("ed", "editor")) as s:
        sv.actors.create(
            s,
            {
                "kind": "person",
                "name": "Zoila Canaria Quenta",
                "pseudonym": "Defensora Z",
                "confidentiality": "confidential",
            },
        )
        save_alias(s, "stage", "Juicio de Zoila Canaria Quenta", "trial")
    shown = _terms(vocab_engine, "juicio zoila", "viewer")
    assert [detail for _label, detail, _page, _params in shown] == [
        'a stage of the case · also written "Juicio de Defensora Z" · 1 case'
    ]
    assert "Zoila" in _terms(vocab_engine, "juicio zoila", "editor")[0][1]
