"""The privacy canary covers the fact sheets: the sheet of every case and every person of the
canary's database (the seed and the canary's records), rendered for a viewer in both
languages, names nobody; an administrator's sheet with confidential names holds them, so the
search can fail. The PDF text is extracted (pypdf) and searched accent-, case- and
separator-blind (tests/privacy/canary.py). On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.app.helpers import ready_engine
from tests.privacy import canary
from tracker import factsheets
from tracker.models import Actor, Case

Outputs = list[tuple[str, bytes | str]]


@pytest.fixture
def planted(app_env: str) -> Iterator[tuple[Engine, dict[str, uuid.UUID]]]:
    engine = ready_engine(app_env)
    ids = canary.build(engine)
    yield engine, ids
    engine.dispose()


def _sheets(engine: Engine, *, confidential: bool, langs: tuple[str, ...]) -> tuple[Outputs, int]:
    """Every sheet this reader can get, and how many were refused (hidden records)."""
    with Session(engine) as s:
        cases = s.exec(select(Case.id)).all()
        people = s.exec(select(Actor.id)).all()
    out: Outputs = []
    refused = 0
    for lang in langs:
        for kind, ids, make in (
            ("case", cases, factsheets.case_sheet),
            ("person", people, factsheets.defender_sheet),
        ):
            for record_id in ids:
                try:
                    data = make(engine, record_id, lang=lang, show_confidential=confidential)
                except factsheets.FactSheetNotFound:
                    refused += 1
                    continue
                out.append((f"factsheet {kind} {record_id} {lang}", data))
    return out, refused


def test_no_fact_sheet_names_anybody_to_a_viewer(
    planted: tuple[Engine, dict[str, uuid.UUID]],
) -> None:
    engine, ids = planted
    outputs, refused = _sheets(engine, confidential=False, langs=("en", "es"))
    # The restricted case and the restricted person have no sheet for a viewer.
    assert refused == 2 * 2
    assert len(outputs) > 40
    found = canary.leaks(outputs)
    assert not found, canary.summary(found)
    sheets = dict(outputs)
    zen = canary.readable(sheets[f"factsheet person {ids['zenobia']} en"])
    assert "Defensora Andina" in zen
    case = canary.readable(sheets[f"factsheet case {ids['case']} es"])
    assert "Defensora Andina" in case and "Defensor del Sur" in case


def test_an_administrator_asking_for_names_gets_them(
    planted: tuple[Engine, dict[str, uuid.UUID]],
) -> None:
    engine, ids = planted
    outputs, refused = _sheets(engine, confidential=True, langs=("en",))
    assert refused == 0
    mine = [
        (label, data)
        for label, data in outputs
        if any(
            str(ids[k]) in label for k in ("case", "hidden_case", "zenobia", "teofilo", "rosalia")
        )
    ]
    assert len(mine) == 5
    found = canary.leaks(mine)
    assert {"zenobia", "quispicanchi", "teofilo", "ccorimanya", "la zeno", "40123456"} <= {
        needle for _, needle, _ in found
    }
