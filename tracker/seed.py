"""Load the documented seed (data/seed/): vocabularies, sources, and the documented cases.

Seed records carry stable keys in the YAML files; each key becomes a UUID (uuid5), so loading
twice finds the rows already there and adds nothing. Every row goes through the services:
the seed is validated and audited like any other input.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from . import config
from .db import unit_of_work
from .models import AuditLog
from .permissions import SEED
from .services import (
    SERVICES,
    RecordService,
    actors,
    cases,
    charge_complainants,
    charges,
    citations,
    courts,
    hearings,
    measures,
    memberships,
    parties,
    sentence_requests,
    sources,
    stage_changes,
    terms,
)

NAMESPACE = uuid.UUID("6f1d7c2e-3b7a-4c55-9a51-2d0f6c9e8b10")


def seed_id(kind: str, key: str) -> uuid.UUID:
    """The fixed id of the seed record of ``kind`` with ``key``."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class _Loader:
    """Adds seed rows that are not there yet and counts what it added.

    With ``refresh``, a documented record that is there but differs from the seed files is
    brought back to them through its service (validated, audited), unless someone other than
    the seed has edited it since: that one is left as it is and listed in ``kept``.
    """

    def __init__(self, session: Session, *, refresh: bool = False) -> None:
        self.session = session
        self.added: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.kept: list[tuple[str, uuid.UUID]] = []
        self.planned: set[uuid.UUID] = set()
        self.refresh = refresh
        self.edited = _touched_by_people(session, "update") if refresh else set()
        self.deleted = _touched_by_people(session, "delete") if refresh else set()

    def put(self, service: RecordService, kind: str, key: str, data: dict[str, Any]) -> uuid.UUID:
        row_id = seed_id(kind, key)
        self.planned.add(row_id)
        table = service.spec.table
        obj = self.session.get(service.spec.model, row_id)
        if obj is None and row_id in self.deleted:
            self.kept.append((table, row_id))  # someone deleted it on purpose: not brought back
        elif obj is None:
            service.create(self.session, {"id": row_id, **data})
            self.added[table] = self.added.get(table, 0) + 1
        elif self.refresh and (changes := service.differences(self.session, row_id, data)):
            if row_id in self.edited:
                self.kept.append((table, row_id))
            else:
                service.update(self.session, row_id, changes, obj.version_id)
                self.updated[table] = self.updated.get(table, 0) + 1
        return row_id

    def cite(self, table: str, row_id: uuid.UUID, cites: Iterable[dict[str, Any]]) -> None:
        for cite in cites or ():
            key = f"{table}:{row_id}:{cite['source']}:{cite.get('supports', '')}"
            self.put(
                citations,
                "citation",
                key,
                {
                    "source_id": seed_id("source", cite["source"]),
                    "table_name": table,
                    "row_id": row_id,
                    "supports": cite.get("supports"),
                },
            )


def load_vocabularies(
    session: Session, path: Path | None = None, loader: _Loader | None = None
) -> dict[str, int]:
    """Add the vocabulary terms of vocabularies.yaml that are missing."""
    loader = loader or _Loader(session)
    data = _read(path or config.SEED_DIR / "vocabularies.yaml")
    for vocabulary, items in data.items():
        for order, item in enumerate(items):
            # Parents first: the service checks that a parent exists.
            loader.put(
                terms,
                "term",
                f"{vocabulary}:{item['code']}",
                {
                    "vocabulary": vocabulary,
                    "code": item["code"],
                    "label_en": item["en"],
                    "label_es": item["es"],
                    "parent_code": item.get("parent"),
                    "sort_order": order,
                    "description": item.get("description"),
                },
            )
    return loader.added


def _expand(item: dict[str, Any], plural: str, singular: str) -> Iterator[tuple[str, Any]]:
    """Yield (key suffix, value) for a record that names one ``singular`` or many ``plural``."""
    if plural in item:
        for value in item[plural]:
            yield f":{value}", value
    else:
        yield "", item.get(singular)


_SKIP = {"key", "cite", "defendants", "defendant", "charge_types", "complainants"}


def _fields(item: dict[str, Any], refs: dict[str, str], skip: Iterable[str] = ()) -> dict[str, Any]:
    """Copy an item's plain fields and turn reference keys into seed ids."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in _SKIP or key in skip:
            continue
        if key in refs:
            kind, column = refs[key].split(":")
            out[column] = seed_id(kind, value) if value else None
        else:
            out[key] = value
    return out


def load_case_file(
    session: Session, path: Path, loader: _Loader | None = None
) -> dict[str, int]:
    """Add the courts, actors, case, parties, charges, hearings, measures, sentence requests and
    events of one file."""
    loader = loader or _Loader(session)
    data = _read(path)
    for item in data.get("courts") or ():
        row = loader.put(courts, "court", item["key"], _fields(item, {}))
        loader.cite("court", row, item.get("cite"))
    for item in data.get("actors") or ():
        row = loader.put(actors, "actor", item["key"], _fields(item, {}))
        loader.cite("actor", row, item.get("cite"))
    for item in data.get("memberships") or ():
        fields = _fields(
            item, {"member": "actor:member_id", "organization": "actor:organization_id"}
        )
        row = loader.put(memberships, "membership", item["key"], fields)
        loader.cite("membership", row, item.get("cite"))
    case = data["case"]
    case_id = loader.put(cases, "case", case["key"], _fields(case, {"court": "court:court_id"}))
    loader.cite("court_case", case_id, case.get("cite"))
    for item in data.get("parties") or ():
        fields = _fields(item, {"actor": "actor:actor_id"})
        row = loader.put(
            parties,
            "party",
            f"{case['key']}:{item['actor']}:{item['role']}",
            {**fields, "case_id": case_id},
        )
        loader.cite("case_party", row, item.get("cite"))
    for item in data.get("charges") or ():
        for d_suffix, defendant in _expand(item, "defendants", "defendant"):
            for t_suffix, charge_type in _expand(item, "charge_types", "charge_type"):
                fields = {
                    **_fields(item, {}, skip={"charge_type"}),
                    "case_id": case_id,
                    "defendant_id": seed_id("actor", defendant),
                    "charge_type": charge_type,
                }
                row = loader.put(charges, "charge", item["key"] + d_suffix + t_suffix, fields)
                loader.cite("charge", row, item.get("cite"))
                for complainant in item.get("complainants") or ():
                    loader.put(
                        charge_complainants,
                        "charge_complainant",
                        f"{row}:{complainant}",
                        {"charge_id": row, "actor_id": seed_id("actor", complainant)},
                    )
    for item in data.get("hearings") or ():
        fields = {**_fields(item, {"court": "court:court_id"}), "case_id": case_id}
        row = loader.put(hearings, "hearing", item["key"], fields)
        loader.cite("hearing", row, item.get("cite"))
    for item in data.get("measures") or ():
        for suffix, defendant in _expand(item, "defendants", "defendant"):
            fields = {
                **_fields(item, {}),
                "case_id": case_id,
                "defendant_id": seed_id("actor", defendant),
            }
            row = loader.put(measures, "measure", item["key"] + suffix, fields)
            loader.cite("measure", row, item.get("cite"))
    for item in data.get("sentence_requests") or ():
        fields = {
            **_fields(item, {"requested_by": "actor:requested_by_id"}),
            "case_id": case_id,
            "defendant_id": seed_id("actor", item["defendant"]) if item.get("defendant") else None,
            "charge_types": list(item.get("charge_types") or ()),
        }
        row = loader.put(sentence_requests, "sentence_request", item["key"], fields)
        loader.cite("sentence_request", row, item.get("cite"))
    for item in data.get("stage_changes") or ():
        row = loader.put(
            stage_changes, "stage_change", item["key"], {**_fields(item, {}), "case_id": case_id}
        )
        loader.cite("stage_change", row, item.get("cite"))
    return loader.added


def load_sources(
    session: Session, path: Path | None = None, loader: _Loader | None = None
) -> dict[str, int]:
    """Add the sources of sources.yaml that are missing."""
    loader = loader or _Loader(session)
    for item in _read(path or config.SEED_DIR / "sources.yaml")["sources"]:
        loader.put(sources, "source", item["key"], dict(item))
    return loader.added


def seed(engine: Engine, seed_dir: Path | None = None) -> dict[str, int]:
    """Load the whole documented seed in one transaction; return rows added per table."""
    folder = seed_dir or config.SEED_DIR
    added: dict[str, int] = {}
    with unit_of_work(engine, SEED) as session:
        parts = [load_vocabularies(session, folder / "vocabularies.yaml")]
        if (folder / "sources.yaml").exists():
            parts.append(load_sources(session, folder / "sources.yaml"))
        for path in sorted((folder / "cases").glob("*.yaml")):
            parts.append(load_case_file(session, path))
    for part in parts:
        for table, count in part.items():
            added[table] = added.get(table, 0) + count
    return added


# Documented records removed from the seed files are deleted children first.
_RETIRE_ORDER = (
    "citation",
    "charge_complainant",
    "sentence_request",
    "stage_change",
    "measure",
    "hearing",
    "charge",
    "case_party",
    "membership",
    "court_case",
    "actor",
    "court",
    "source",
)


def _touched_by_people(session: Session, action: str) -> set[uuid.UUID]:
    """Ids of records someone other than the seed has updated (or deleted): left as they are."""
    rows = session.exec(
        select(AuditLog.row_id).where(
            col(AuditLog.username) != SEED.username,
            AuditLog.action == action,
            col(AuditLog.row_id).is_not(None),
        )
    ).all()
    return {r for r in rows if r is not None}


def refresh(engine: Engine, seed_dir: Path | None = None) -> dict[str, Any]:
    """Bring the documented records of an existing database back to the seed files.

    Added records are created, changed ones updated, and records the seed once made that the
    files no longer hold (an invented fact, a citation placed by guess) deleted: all through
    the services, audited, in one transaction. Records someone else edited since are left as
    they are and listed, so no one's work is lost. Vocabulary terms are added and relabelled,
    never deleted (an administrator deactivates terms).

    Returns:
        {"added": {table: n}, "updated": {table: n}, "deleted": {table: n},
         "kept": [(table, id), ...]}
    """
    folder = seed_dir or config.SEED_DIR
    with unit_of_work(engine, SEED) as session:
        loader = _Loader(session, refresh=True)
        load_vocabularies(session, folder / "vocabularies.yaml", loader)
        if (folder / "sources.yaml").exists():
            load_sources(session, folder / "sources.yaml", loader)
        for path in sorted((folder / "cases").glob("*.yaml")):
            load_case_file(session, path, loader)
        deleted = _retire(session, loader)
    return {
        "added": loader.added,
        "updated": loader.updated,
        "deleted": deleted,
        "kept": loader.kept,
    }


def _retire(session: Session, loader: _Loader) -> dict[str, int]:
    """Delete what the seed created once and its files no longer hold (children first)."""
    made = session.exec(
        select(AuditLog.table_name, AuditLog.row_id).where(
            AuditLog.username == SEED.username,
            AuditLog.action == "create",
            col(AuditLog.table_name).in_(_RETIRE_ORDER),
        )
    ).all()
    gone: dict[str, set[uuid.UUID]] = {}
    for table, row_id in made:
        if row_id is not None and row_id not in loader.planned:
            gone.setdefault(table, set()).add(row_id)
    deleted: dict[str, int] = {}
    for table in _RETIRE_ORDER:
        service = SERVICES[table]
        for row_id in sorted(gone.get(table, ()), key=str):
            obj = session.get(service.spec.model, row_id)
            if obj is None:
                continue  # deleted already, by someone or with its parent
            if row_id in loader.edited:
                loader.kept.append((table, row_id))
                continue
            # A few link tables (who brought a charge) carry no version.
            service.delete(session, row_id, getattr(obj, "version_id", None))
            deleted[table] = deleted.get(table, 0) + 1
    return deleted


def ensure_vocabularies(engine: Engine) -> int:
    """Load the vocabulary terms that are missing, in their own transaction; return how many.

    Every record names terms (charge types, roles, outcomes), so a database without them can
    hold nothing: ``init`` calls this so that an import right after it knows "riot".
    """
    with unit_of_work(engine, SEED) as session:
        added = load_vocabularies(session)
    return sum(added.values())


def ensure_ready(engine: Engine) -> bool:
    """Migrate to the latest schema; on a new or empty database, load the documented seed.

    Returns:
        True when the documented seed was loaded now.
    """
    from .db import current_revision, upgrade
    from .stats import row_counts

    fresh = current_revision(engine) is None
    upgrade(engine)
    if fresh or row_counts(engine)["vocabulary_term"] == 0:
        seed(engine)
        return True
    return False
