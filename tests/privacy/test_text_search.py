"""A viewer's text search over titles finds nothing for a word of a withheld person's real
name: the titles would be shown redacted, but which records matched would name the person."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker import casework, db, search, sourcing
from tracker import services as sv
from tracker.casework import CaseFilters
from tracker.permissions import Principal
from tracker.privacy import names_withheld_person

EDITOR = Principal("ana", "editor")


def _data(engine: Engine) -> None:
    with db.unit_of_work(engine, EDITOR) as s:
        sv.actors.create(
            s,
            {
                "kind": "person",
                "name": "Zenobia Quispicanchi Huamán",
                "confidentiality": "confidential",
                "pseudonym": "Defensora Andina",
                "aliases": ["La Zeno"],
            },
        )
        sv.cases.create(
            s,
            {
                "title": "Caso Zenobia Quispicanchi y otros",
                "case_type": "criminal",
                "stage": "complaint",
                "status": "open",
            },
        )
        sv.cases.create(
            s,
            {
                "title": "Caso Defensora Andina",
                "case_type": "criminal",
                "stage": "complaint",
                "status": "open",
            },
        )
        sv.sources.create(
            s, {"title": "Denuncia contra Zenobia Quispicanchi", "reliability": "unverified"}
        )


def test_a_word_of_a_real_name_finds_nothing_for_a_viewer(vocab_engine: Engine) -> None:
    _data(vocab_engine)
    with Session(vocab_engine) as s:
        assert names_withheld_person(s, "quispicanchi") is True
        assert names_withheld_person(s, "ZENÓB") is True  # a start, accents and case folded
        assert names_withheld_person(s, "andina") is False  # the pseudonym
        assert names_withheld_person(s, "caso de la") is False  # ordinary words, particles

        def titles(text: str, trusted: bool) -> list[str]:
            rows, _ = casework.case_list(
                s, CaseFilters(text=text), show_restricted=trusted, page_size=10
            )
            return sorted(r["title"] for r in rows)

        assert titles("Quispicanchi", trusted=False) == []
        assert titles("Quispicanchi", trusted=True) == ["Caso Zenobia Quispicanchi y otros"]
        # The pseudonym and ordinary words still search, and the real name never shows.
        assert titles("Caso", trusted=False) == [
            "Caso Defensora Andina",
            "Caso Defensora Andina y otros",
        ]
        assert sourcing.source_list(s, show_confidential=False, text="zenobia")[1] == 0
        assert sourcing.source_list(s, show_confidential=True, text="zenobia")[1] == 1
        # The search box shows titles redacted too.
        hits = search.search(s, "caso", role="viewer")
        assert sorted(h.label for h in hits if h.kind == "case") == [
            "Caso Defensora Andina",
            "Caso Defensora Andina y otros",
        ]
