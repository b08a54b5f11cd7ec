"""The list pages' cached reads (tracker.ui.cached): one read per data revision and argument
set; a write of case data is seen by the next run; visibility is part of the key."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker import casework, db
from tracker import services as sv
from tracker.permissions import Principal
from tracker.ui.cached import DataReader

EDITOR = Principal("ana", "editor")
calls: list[tuple[Any, ...]] = []


def _titles(session: Session, *, show_restricted: bool) -> list[str]:
    calls.append((show_restricted,))
    rows, _ = casework.case_list(
        session, casework.CaseFilters(), show_restricted=show_restricted, sort="title"
    )
    return [r["title"] for r in rows]


def test_read_once_per_revision_and_again_after_a_write(vocab_engine: Engine) -> None:
    calls.clear()
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.cases.create(s, {"title": "Caso visible"})
        sv.cases.create(s, {"title": "Caso reservado", "confidentiality": "restricted"})
    run = DataReader(vocab_engine)
    assert run(_titles, show_restricted=True) == ["Caso reservado", "Caso visible"]
    assert DataReader(vocab_engine)(_titles, show_restricted=True) == [
        "Caso reservado",
        "Caso visible",
    ]
    assert len(calls) == 1  # the second run read nothing
    # A viewer's key differs: never an editor's entry.
    assert DataReader(vocab_engine)(_titles, show_restricted=False) == ["Caso visible"]
    assert len(calls) == 2
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        sv.cases.create(s, {"title": "Caso nuevo"})
    assert DataReader(vocab_engine)(_titles, show_restricted=True) == [
        "Caso nuevo",
        "Caso reservado",
        "Caso visible",
    ]
    assert len(calls) == 3
