"""Every FtM entity the export writes is valid for the followthemoney package itself.

The package's own model checks each entity: its schema exists and is not abstract, every
property belongs to the schema, required properties are there, every value is one FtM
accepts (Schema.validate), no value is dropped when the package reads the entity
(model.get_proxy with cleaned=False drops unknown properties and invalid values silently,
as Aleph would), and references point at entities of the range their property asks for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.types import registry
from sqlalchemy.engine import Engine

from tests.test_export_tables import ADMIN, build_sample
from tracker import db, demo, seed
from tracker import services as sv
from tracker.exports import ExportOptions, exporter
from tracker.exports.ftm import entity_id
from tracker.i18n import set_language

MARKER = "Synthetic demo data, not a real record."


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def ftm_problems(entities: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(entity id, property, what is wrong) for each problem the followthemoney package sees."""
    schemas = {e["id"]: e["schema"] for e in entities}
    out: list[tuple[str, str, str]] = []
    for entity in entities:
        key, props = entity["id"], entity["properties"]
        schema = model.get(entity["schema"])
        if schema is None or schema.abstract:
            out.append((key, "", f"schema {entity['schema']}"))
            continue
        for name in props:
            if name not in schema.properties:
                out.append((key, name, f"not a property of {schema.name}"))
        for name in sorted(schema.required):
            if not props.get(name):
                out.append((key, name, "required"))
        try:
            schema.validate(entity)
        except InvalidData as exc:
            for name, message in sorted(exc.errors["properties"].items()):
                out.append((key, name, str(message)))
        proxy = model.get_proxy(entity, cleaned=False)
        for name, values in props.items():
            prop = schema.properties.get(name)
            if prop is None:
                continue
            if set(proxy.get(name)) != set(values):
                out.append((key, name, "dropped when read"))
            if prop.type == registry.entity:
                for ref in values:
                    target = model.get(schemas.get(ref, ""))
                    if target is None or not target.is_a(prop.range):
                        out.append((key, name, f"{ref} is not a {prop.range.name}"))
    return out


def _export(engine: Engine, tmp_path: Path, **options: Any) -> list[dict[str, Any]]:
    out = tmp_path / "aleph.ftm.json"
    count = exporter("ftm")(engine, out, ExportOptions(**options))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == count
    return [json.loads(line) for line in lines]


def test_the_check_finds_what_the_package_rejects() -> None:
    """The three faults of the old export, as the package sees them: the check can fail."""
    entities = [
        {"id": "doc", "schema": "Document", "properties": {"title": ["Report"]}},
        {
            "id": "p",
            "schema": "Person",
            "properties": {"name": ["Ana"], "gender": ["non_binary"], "birthDate": ["1970"]},
        },
        {"id": "o", "schema": "Organization", "properties": {"name": ["Rondas"]}},
        {
            "id": "m",
            "schema": "Membership",
            "properties": {"member": ["p"], "organization": ["o"], "notes": [MARKER]},
        },
        {"id": "d", "schema": "Documentation", "properties": {"document": ["p"], "entity": ["o"]}},
    ]
    assert ftm_problems(entities) == [
        ("doc", "fileName", "required"),
        ("p", "gender", "Invalid value: 'non_binary'"),
        ("p", "gender", "dropped when read"),
        ("m", "notes", "not a property of Membership"),
        ("d", "document", "p is not a Document"),
    ]


def _add_awkward_records(engine: Engine, ids: dict[str, Any]) -> None:
    """What FtM has no direct place for: a non-binary person, a synthetic membership and
    party with notes, sources with and without a stored file, citations of links."""
    with db.unit_of_work(engine, ADMIN) as s:
        ids["ana"] = sv.actors.create(
            s, {"kind": "person", "name": "Ana Torres", "gender": "non_binary"}
        )
        ids["ana_member"] = sv.memberships.create(
            s,
            {
                "member_id": ids["ana"],
                "organization_id": ids["org"],
                "role": "secretaria",
                "is_synthetic": True,
            },
        )
        ids["ana_party"] = sv.parties.create(
            s,
            {
                "case_id": ids["case"],
                "actor_id": ids["ana"],
                "role": "defendant",
                "notes": "Detenida en la plaza.",
                "is_synthetic": True,
            },
        )
        ids["ruling"] = sv.sources.create(
            s,
            {
                "title": "Sentencia de primera instancia",
                "file_path": "files/2021/sentencia-001-2019.pdf",
                "published_on": "2021-06",
            },
        )
        for table, row in (("case_party", "ana_party"), ("membership", "ana_member")):
            ids[f"cite_{table}"] = sv.citations.create(
                s,
                {
                    "source_id": ids["ruling"],
                    "table_name": table,
                    "row_id": ids[row],
                    "supports": "Named in the ruling",
                    "is_synthetic": True,
                },
            )


@pytest.mark.parametrize("show_confidential", [False, True])
def test_sample_entities_are_valid_ftm(
    vocab_engine: Engine, tmp_path: Path, show_confidential: bool
) -> None:
    ids: dict[str, Any] = dict(build_sample(vocab_engine))
    _add_awkward_records(vocab_engine, ids)
    entities = _export(vocab_engine, tmp_path, show_confidential=show_confidential)
    assert ftm_problems(entities) == []
    by_id = {e["id"]: e for e in entities}
    ana = by_id[entity_id(ids["ana"])]["properties"]
    assert ana["gender"] == ["other"]
    member = by_id[entity_id(ids["ana_member"])]
    assert (member["schema"], member["properties"]["summary"]) == ("Membership", [MARKER])
    party = by_id[entity_id(ids["ana_party"])]["properties"]
    assert party["summary"] == [MARKER, "Detenida en la plaza."]
    ruling = by_id[entity_id(ids["ruling"])]
    assert (ruling["schema"], ruling["properties"]["fileName"]) == (
        "Document",
        ["sentencia-001-2019.pdf"],
    )
    # A party documents its case, a membership its member.
    assert by_id[entity_id(ids["cite_case_party"])]["properties"]["entity"] == [
        entity_id(ids["case"])
    ]
    assert by_id[entity_id(ids["cite_membership"])]["properties"]["entity"] == [
        entity_id(ids["ana"])
    ]
    assert by_id[entity_id(ids["cite_membership"])]["properties"]["summary"] == [MARKER]


def test_documented_cases_are_valid_ftm(engine: Engine, tmp_path: Path) -> None:
    seed.seed(engine)
    entities = _export(engine, tmp_path)
    assert ftm_problems(entities) == []
    schemas = {e["schema"] for e in entities}
    # Sources without a stored file are articles; their citations still resolve.
    assert {"Article", "Documentation", "CourtCase", "CourtCaseParty", "Event"} <= schemas
    assert "Document" not in schemas


def test_demo_s_is_valid_ftm_and_every_entity_keeps_the_synthetic_marker(
    engine: Engine, tmp_path: Path
) -> None:
    seed.seed(engine)
    demo.generate(engine, scale="S", seed=42)
    entities = _export(engine, tmp_path)
    assert ftm_problems(entities) == []
    synthetic = [
        e
        for e in entities
        if MARKER in e["properties"].get("notes", []) + e["properties"].get("summary", [])
    ]
    documented = _export_count_without_synthetic(engine, tmp_path)
    assert len(synthetic) == len(entities) - documented
    genders = {g for e in entities for g in e["properties"].get("gender", [])}
    assert genders == {"female", "male", "other"}


def _export_count_without_synthetic(engine: Engine, tmp_path: Path) -> int:
    return len(_export(engine, tmp_path, include_synthetic=False))
