"""Case work read queries: filters and paging in SQL; a case page in a handful of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker import casework, seed
from tracker.seed import seed_id


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    """Collect every SQL statement the engine runs inside the block."""
    seen: list[str] = []

    def _record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _record)


def test_case_page_is_a_handful_of_queries(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s, count_queries(engine) as seen:
        detail = casework.case_detail(
            s, seed_id("case", "case-celendin-16"), show_confidential=False
        )
    assert detail is not None
    assert len(detail["charges"]) == 48
    # One a kind of record, sentence requests included; the redactor reads the withheld
    # people and the public names that may share a form with them.
    assert len(seen) <= 11
    assert {c["defendant"] for c in detail["charges"]} >= {"Celendín defender 01"}
    assert not any(c["defendant"].startswith("Name withheld") for c in detail["charges"])


def test_list_filters_and_pages(engine: Engine) -> None:
    seed.seed(engine)
    with Session(engine) as s:
        rows, total = casework.case_list(
            s, casework.CaseFilters(), show_restricted=False, sort="title", page_size=2
        )
        assert total == 3
        assert [r["title"][:6] for r in rows] == ["16 lan", "Máxima"]
        rows, total = casework.case_list(
            s, casework.CaseFilters(), show_restricted=False, sort="title", page=1, page_size=2
        )
        assert [r["title"][:5] for r in rows] == ["Oscar"]
        rows, total = casework.case_list(
            s,
            casework.CaseFilters(complainant_id=seed_id("actor", "minera-yanacocha")),
            show_restricted=False,
        )
        assert (total, rows[0]["defendants"], rows[0]["charges"]) == (1, 4, 4)
        _, total = casework.case_list(
            s, casework.CaseFilters(charge_type="riot", region="Cusco"), show_restricted=False
        )
        assert total == 1


def test_search_treats_percent_and_underscore_literally(vocab_engine: Engine) -> None:
    from tracker import db
    from tracker import services as sv
    from tracker.permissions import Principal

    with db.unit_of_work(vocab_engine, Principal("ana", "editor")) as s:
        sv.cases.create(s, {"title": "Paro 100% campesino"})
        sv.cases.create(s, {"title": "Paro 1000 campesino"})
        sv.cases.create(s, {"title": "Caso a_b"})
        sv.cases.create(s, {"title": "Caso axb"})
    with Session(vocab_engine) as s:

        def titles(text: str) -> list[str]:
            rows, _ = casework.case_list(
                s, casework.CaseFilters(text=text), show_restricted=True, sort="title"
            )
            return [r["title"] for r in rows]

        assert titles("100%") == ["Paro 100% campesino"]
        assert titles("a_b") == ["Caso a_b"]
        assert titles("'; DROP TABLE court_case; --") == []
