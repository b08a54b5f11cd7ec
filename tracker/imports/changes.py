"""Rows that match records already in the database: what differs, as changes to confirm.

A sheet updated a year later gives a new outcome, a new stage, a date known better. Each
field of a matched case, person, charge or hearing that the file gives differently is a
:class:`~tracker.imports.report.Change` (field: old -> new); the commit applies them through
the services' ``update`` (validation, audit, optimistic locking). A value the file gives
less precisely (the year 2019 where the record knows 25/04/2019) or written differently
(case, accents) is no change. Rows whose charge is recorded exactly so are counted as
unchanged.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from ..models import Actor, Case, Charge, Hearing
from .plan import Entity, Plan, _shown
from .report import Change
from .template import normalize

__all__ = ["Update", "reconcile"]

_CHUNK = 900  # ids per IN (...) list: under SQLite's variable limit on old versions
# Fields that identify a record rather than describe it: never changed by an import.
_KEYS = frozenset({"name", "case_number", "id"})


class Update:
    """The changes to one record: new values, the values they replace, its version."""

    def __init__(self, table: str, record_id: uuid.UUID, version: int, row: int) -> None:
        self.table, self.record_id, self.version, self.row = table, record_id, version, row
        self.fields: dict[str, Any] = {}
        self.before: dict[str, Any] = {}


# Columns every comparison reads besides those the file gives: the label of a change, the
# version to check, the names a person is known by.
_ALWAYS = ("id", "version_id", "name", "aliases", "case_number", "title", "court_id", "charge_type")


def _load(
    session: Session, model: Any, ids: Iterable[uuid.UUID], fields: Iterable[str]
) -> dict[uuid.UUID, Any]:
    """Records of ``model`` by id, in chunks (one query per chunk, not per record).

    Only the columns named in ``fields`` (those the file gives), their precisions and
    :data:`_ALWAYS`: a field no row gives is never compared, and reading every column of
    thousands of records cost a sixth of a preview.
    """
    ids = list(dict.fromkeys(ids))
    out: dict[uuid.UUID, Any] = {}
    table = model.__table__
    wanted = set(fields) | set(_ALWAYS)
    columns = [
        c for c in table.columns if c.name in wanted or c.name.removesuffix("_precision") in wanted
    ]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        result = session.execute(select(*columns).where(table.c.id.in_(chunk)))
        names = list(result.keys())
        # Plain dicts: the comparisons read every field of every record.
        for values in result.all():
            row = dict(zip(names, values, strict=True))
            out[row["id"]] = row
    return out


def _same(new: Any, record: Mapping[str, Any], field: str) -> bool:
    """Whether the file's ``new`` says nothing other than the record's value."""
    old = record.get(field)
    if isinstance(new, tuple):  # (date, precision)
        day, precision = new
        old_precision = record.get(f"{field}_precision", "day")
        if old is None:
            return day is None
        if isinstance(old, datetime):
            old = old.date()
        if precision == "year":
            return old.year == day.year
        if precision == "month":
            return (old.year, old.month) == (day.year, day.month)
        return old == day and old_precision in ("day", precision)
    if isinstance(new, list):
        return sorted(map(str, new)) == sorted(map(str, old or []))
    if isinstance(new, str) and isinstance(old, str):
        return normalize(new) == normalize(old)
    if isinstance(new, int | float) and isinstance(old, int | float):
        return float(new) == float(old)
    return bool(new == old)


def _json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _old_shown(record: Mapping[str, Any], field: str) -> str:
    value = record.get(field)
    if value is None:
        return ""
    precision = record.get(f"{field}_precision")
    if isinstance(value, date) and precision:
        day = value.date() if isinstance(value, datetime) else value
        return _shown((day, precision))
    return _shown(value)


def _diff(
    plan: Plan,
    updates: dict[tuple[str, uuid.UUID], Update],
    table: str,
    label: str,
    record: Mapping[str, Any],
    values: Mapping[str, Any],
    columns: Mapping[str, str],
    row: int,
    charge_type: str = "",
) -> int:
    """Add the fields of ``values`` that differ from ``record``; return how many.

    ``label`` names the record for a reader; a charge's also starts with its charge type
    (``charge_type``, a code the report names in the reader's language).
    """
    count = 0
    for field, new in values.items():
        if new is None or field not in columns or field in _KEYS or field.startswith("_"):
            continue
        if field not in record:
            continue
        old = record[field]
        if new == old and type(new) is not tuple:  # most fields of a re-import: the same
            continue
        if _same(new, record, field):
            continue
        key = (table, record["id"])
        update = updates.get(key)
        if update is None:
            update = updates[key] = Update(table, record["id"], record["version_id"], row)
        update.fields[field] = new
        update.before[field] = _json(record.get(field))
        precision = f"{field}_precision"
        if isinstance(new, tuple) and precision in record:
            update.before[precision] = record[precision]
        plan.report.changes.append(
            Change(
                table, str(record["id"]), label, field, _old_shown(record, field),
                _shown(new), row, columns.get(field, ""), charge_type,
            )
        )  # fmt: skip
        count += 1
    return count


def reconcile(session: Session, plan: Plan) -> dict[tuple[str, uuid.UUID], Update]:
    """Compare every matched record with the file; mark charges already recorded.

    Returns the updates to apply on commit, by (table, record id).
    """
    updates: dict[tuple[str, uuid.UUID], Update] = {}
    index = plan.index
    cases = [e for e in plan.cases.values() if e.existing and e.used and not e.failed]
    people = [e for e in plan.people.values() if e.existing and e.used and not e.failed]
    case_rows = _load(session, Case, (e.id for e in cases), _fields(cases))
    court_names = {v: k for k, v in index.courts_by_name.items()}
    for entity in cases:
        record = case_rows.get(entity.id)
        if record is None:
            continue
        label = record["case_number"] or record["title"]
        _diff(plan, updates, "court_case", label, record, entity.values, entity.columns,
              entity.rows[0])  # fmt: skip
        _court_change(plan, updates, entity, record, label, court_names)
    case_labels = {k: r["case_number"] or r["title"] for k, r in case_rows.items()}
    person_rows = _load(session, Actor, (e.id for e in people), _fields(people))
    for entity in people:
        record = person_rows.get(entity.id)
        if record is None:
            continue
        values = dict(entity.values)
        columns = dict(entity.columns)
        written = str(entity.values.get("name") or "")
        known = {normalize(n) for n in [record["name"], *(record["aliases"] or [])]}
        if entity.matched_by == "accepted" and written and normalize(written) not in known:
            # Another way of writing a name that was matched: kept as an alias, so the
            # next import of the same sheet matches it at once.
            values["aliases"] = [*(record["aliases"] or []), written]
            columns["aliases"] = columns.get("name", "")
        _diff(plan, updates, "actor", record["name"], record, values, columns, entity.rows[0])
    existing: dict[int, uuid.UUID] = {}
    for row in plan.charges:
        case, person = plan.cases[row.case], plan.people[row.defendant]
        found = row.id if row.id in index.charge_ids else None
        found = found or index.charges.get((case.id, person.id, row.values["charge_type"]))
        if found is not None:
            existing[row.row] = found
            row.values["_skip"] = True
            row.id = found
    charge_rows = _load(
        session, Charge, existing.values(), {f for row in plan.charges for f in row.values}
    )
    for row in plan.charges:
        record = charge_rows.get(existing.get(row.row))  # type: ignore[arg-type]
        if record is None or row.bad:
            continue
        columns = dict(row.columns)
        if "outcome" in columns:
            columns.setdefault("status", "")  # a new outcome resolves the charge
        case, person = plan.cases[row.case], plan.people[row.defendant]
        # Its defendant and case as the database names them (the file may write them
        # otherwise); the importer may edit, so the real name is the one to show.
        name = person_rows.get(person.id, person.values).get("name", "")
        shown_case = (
            case_labels.get(case.id)
            or case.values.get("case_number")
            or case.values.get("title", "")
        )
        label = f"{name} · {shown_case}"
        if not _diff(plan, updates, "charge", label, record, row.values, columns, row.row,
                     record["charge_type"]):  # fmt: skip
            plan.report.unchanged += 1
    _hearings(session, plan, updates, cases, case_labels)
    plan.updates = updates
    return updates


def _fields(entities: Iterable[Entity]) -> set[str]:
    """The fields some of ``entities`` take from the file."""
    out: set[str] = set()
    for entity in entities:
        out.update(entity.values)
    return out


def _court_change(
    plan: Plan,
    updates: dict[tuple[str, uuid.UUID], Update],
    entity: Entity,
    record: Mapping[str, Any],
    label: str,
    court_names: Mapping[uuid.UUID, str],
) -> None:
    court_key = entity.values.get("court")
    court = plan.courts.get(court_key) if court_key else None
    if court is None or court.id == record.get("court_id"):
        return
    key = ("court_case", record["id"])
    update = updates.setdefault(key, Update("court_case", record["id"], record["version_id"],
                                            entity.rows[0]))  # fmt: skip
    update.fields["court_id"] = court.id
    update.before["court_id"] = _json(record.get("court_id"))
    old = court_names.get(record.get("court_id"), "") if record.get("court_id") else ""
    plan.report.changes.append(
        Change("court_case", str(record["id"]), label, "court_id", old,
               str(court.values.get("name", "")), entity.rows[0], entity.columns.get("court", ""))
    )  # fmt: skip


def _hearings(
    session: Session,
    plan: Plan,
    updates: dict[tuple[str, uuid.UUID], Update],
    cases: list[Entity],
    case_labels: Mapping[uuid.UUID, str],
) -> None:
    """A hearing of the file on a day its case already has one updates that hearing."""
    wanted = [e for e in cases if e.hearings]
    if not wanted:
        return
    table = Hearing.__table__  # type: ignore[attr-defined]
    by_day: dict[tuple[uuid.UUID, date], Mapping[str, Any]] = {}
    ids = [e.id for e in wanted]
    for start in range(0, len(ids), _CHUNK):
        query = select(table).where(table.c.case_id.in_(ids[start : start + _CHUNK]))
        for record in session.execute(query).mappings():
            by_day.setdefault((record["case_id"], record["scheduled_at"].date()), record)
    for entity in wanted:
        for day, hearing in entity.hearings.items():
            record = by_day.get((entity.id, day))
            if record is None:
                continue
            hearing["existing"] = record["id"]
            values = {
                "scheduled_at": hearing["values"]["scheduled_at"],
                "hearing_type": hearing["values"].get("hearing_type"),
            }
            if hearing["values"]["scheduled_precision"] != "time":
                values.pop("scheduled_at")  # the day is the same: nothing new
            court = plan.courts.get(hearing["values"].get("court", ""))
            if court is not None and court.id != record["court_id"]:
                values["court_id"] = court.id
            columns = {**hearing["columns"], "court_id": hearing["columns"].get("court_id", "")}
            label = f"{day.isoformat()} · {case_labels.get(entity.id, '')}"
            _diff(plan, updates, "hearing", label, record, values, columns, hearing["rows"][0])
            update = updates.get(("hearing", record["id"]))
            if update is not None and "scheduled_at" in update.fields:
                update.fields["scheduled_precision"] = "time"
                update.before["scheduled_precision"] = record["scheduled_precision"]
