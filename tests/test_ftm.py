"""FollowTheMoney export: one JSON object per line, of the documented shape, references resolve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.test_export_tables import build_sample
from tracker.exports import ExportOptions, exporter
from tracker.exports.ftm import ENTITY_PROPERTIES, entity_id
from tracker.i18n import set_language

SCHEMAS = {
    "Person",
    "Organization",
    "Company",
    "PublicBody",
    "Membership",
    "CourtCase",
    "CourtCaseParty",
    "Event",
    "UnknownLink",
    "Document",
    "Article",
    "Documentation",
}


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _lines(engine: Engine, tmp_path: Path, **options: Any) -> list[dict[str, Any]]:
    out = tmp_path / "aleph.ftm.json"
    count = exporter("ftm")(engine, out, ExportOptions(**options))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == count
    return [json.loads(line) for line in lines]


def test_every_line_has_the_documented_shape_and_resolving_references(
    vocab_engine: Engine, tmp_path: Path
) -> None:
    build_sample(vocab_engine)
    entities = _lines(vocab_engine, tmp_path)
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))
    for entity in entities:
        assert sorted(entity) == ["id", "properties", "schema"]
        assert entity["id"].startswith("tracker-")
        assert entity["schema"] in SCHEMAS
        for name, values in entity["properties"].items():
            assert isinstance(name, str) and values
            assert all(isinstance(v, str) and v.strip() for v in values), (name, values)
        for name in ENTITY_PROPERTIES.get(entity["schema"], ()):
            for ref in entity["properties"].get(name, []):
                assert ref in ids, (entity["schema"], name, ref)
    counts: dict[str, int] = {}
    for entity in entities:
        counts[entity["schema"]] = counts.get(entity["schema"], 0) + 1
    assert counts == {
        "Person": 2,
        "Organization": 1,
        "Company": 1,
        "Membership": 1,
        "CourtCase": 1,
        "CourtCaseParty": 3,
        "Event": 3,
        "UnknownLink": 3,
        "Article": 1,
        "Documentation": 1,
    }


def test_mapping_of_a_case_and_its_parties(vocab_engine: Engine, tmp_path: Path) -> None:
    ids = build_sample(vocab_engine)
    entities = {e["id"]: e for e in _lines(vocab_engine, tmp_path)}
    case = entities[entity_id(ids["case"])]
    assert case["schema"] == "CourtCase"
    assert {
        k: case["properties"][k]
        for k in ("caseNumber", "court", "fileDate", "keywords", "status", "type")
    } == {
        "caseNumber": ["001-2019"],
        "court": ["Juzgado Penal de Celendín"],
        "fileDate": ["2019-04"],
        "keywords": ["Riot / civil disturbance", "Usurpation (land)"],
        "status": ["Open"],
        "type": ["Criminal"],
    }
    assert case["properties"]["summary"] == ["Defensora 01 and Rosa Quispe were charged."]
    parties = [e for e in entities.values() if e["schema"] == "CourtCaseParty"]
    rosa = next(p for p in parties if p["properties"]["party"] == [entity_id(ids["rosa"])])
    assert rosa["properties"]["role"] == ["Defendant"]
    assert rosa["properties"]["description"] == [
        "Charges: Riot / civil disturbance (Acquitted, 2021)"
    ]
    assert entities[entity_id(ids["juana"])]["properties"]["name"] == ["Defensora 01"]
    assert entity_id(ids["pedro"]) not in entities  # restricted: left out
    mine = entities[entity_id(ids["mine"])]
    assert mine["properties"]["notes"] == ["Synthetic demo data, not a real record."]
    hearing = entities[entity_id(ids["hearing"])]
    assert hearing["properties"]["date"] == ["2026-03-02T10:30"]
    link = entities[entity_id(ids["hearing"], "-case")]
    assert link["properties"] == {
        "object": [entity_id(ids["case"])],
        "role": ["hearing"],
        "subject": [entity_id(ids["hearing"])],
    }
    doc = next(e for e in entities.values() if e["schema"] == "Documentation")
    assert doc["properties"]["entity"] == [entity_id(ids["case"])]  # a charge's source


def test_ids_are_stable_between_exports(vocab_engine: Engine, tmp_path: Path) -> None:
    build_sample(vocab_engine)
    first = [e["id"] for e in _lines(vocab_engine, tmp_path)]
    second = [e["id"] for e in _lines(vocab_engine, tmp_path)]
    assert first == second


def test_administrators_may_export_real_names(vocab_engine: Engine, tmp_path: Path) -> None:
    ids = build_sample(vocab_engine)
    entities = {e["id"]: e for e in _lines(vocab_engine, tmp_path, show_confidential=True)}
    juana = entities[entity_id(ids["juana"])]["properties"]
    assert (juana["name"], juana["alias"], juana["idNumber"]) == (
        ["Juana Secreta"],
        ["Mama Juana"],
        ["40000001"],
    )
    assert entity_id(ids["pedro"]) in entities
