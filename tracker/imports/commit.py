"""Carry out a plan through the services, inside the caller's one transaction.

Every record goes through a :class:`~tracker.services.batch.Batch`: validated by the same rules
as a form, permission-checked and audited, then written with executemany. A record the services
refuse becomes a problem at its row and column, and the rows that depend on it are reported
too; the caller then rolls the whole transaction back.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from .. import db
from .. import services as sv
from ..errors import ConflictError, ValidationError
from ..i18n import t
from ..models import CaseParty, Charge
from ..models.ids import new_id
from .plan import PROGRESS_EVERY, ChargeRow, Entity, Plan
from .report import Problem

__all__ = ["execute"]

_CHUNK = 900  # ids per IN (...) list: under SQLite's variable limit on old versions


def _service_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Plan values as service fields: a (date, precision) pair fills both columns."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key.startswith("_"):
            continue
        if isinstance(value, tuple):
            out[key], out[f"{key}_precision"] = value
        else:
            out[key] = value
    return out


class _Executor:
    def __init__(self, session: Session, plan: Plan) -> None:
        # Increasing ids for the audit rows too (tracker.models.ids: appended to indexes).
        self.batch, self.plan = sv.Batch(session, new_id=new_id), plan
        self.problems = plan.report.problems
        self.created: Counter[str] = Counter()
        self.ids: dict[str, list[str]] = {}  # table -> ids of the rows made (for undo)
        self.changed = 0
        self._columns: dict[tuple[str, str], str] | None = None
        # The parties of the recorded cases that new charges are added to (no others).
        plan.index.load_parties(
            session,
            (
                plan.cases[c.case].id
                for c in plan.charges
                if plan.cases[c.case].existing and not c.values.get("_skip")
            ),
        )
        self.parties = set(plan.index.parties)
        synthetic = [c for c in plan.charges if c.synthetic]
        self.synthetic = {c.case for c in synthetic} | {c.defendant for c in synthetic}
        self.synthetic |= {k for c in synthetic for k in c.complainants}

    def create(
        self, service: sv.RecordService, data: dict[str, Any], row: int, columns: Mapping[str, str]
    ) -> bool:
        """Create one record; on refusal add its problems at ``row`` and return False."""
        try:
            new_id = self.batch.add(service, data)
        except ValidationError as exc:
            for err in exc.errors:
                column = columns.get(err.field) or t(f"field.{err.field}")
                self.problems.append(Problem(row, column, err.key, dict(err.params)))
            return False
        self.created[service.spec.table] += 1
        self.ids.setdefault(service.spec.table, []).append(str(new_id))
        return True

    def entity(self, service: sv.RecordService, entity: Entity, extra: dict[str, Any]) -> None:
        if entity.existing or entity.failed or not entity.used:
            return
        data = {**_service_values(entity.values), **extra, "id": entity.id}
        if entity.key in self.synthetic:
            data["is_synthetic"] = True
        if not self.create(service, data, entity.rows[0], entity.columns):
            entity.failed = True

    def party(
        self, case_id: uuid.UUID, actor_id: uuid.UUID, role: str, row: int, synthetic: bool
    ) -> bool:
        if (case_id, actor_id, role) in self.parties:
            return True
        data = {
            "id": new_id(),
            "case_id": case_id,
            "actor_id": actor_id,
            "role": role,
            "is_synthetic": synthetic,
        }
        if not self.create(sv.parties, data, row, {}):
            return False
        self.parties.add((case_id, actor_id, role))
        return True

    def check_only(self, row: ChargeRow, case_id: uuid.UUID, person_id: uuid.UUID) -> None:
        """Run the services' rules on a row with unreadable cells, without staging it.

        Its readable fields are checked as a form would check them (an outcome before the
        filing, a negative sentence...), so the user fixes the whole row in one round.
        """
        data = {
            **_service_values(row.values),
            "case_id": case_id,
            "defendant_id": person_id,
        }
        try:
            sv.charges.new_row(self.batch.lookups, data, self.batch.now)
        except ValidationError as exc:
            for err in exc.errors:
                # The row's party is not staged (that would write it): its rule is skipped.
                if err.field in row.bad_fields or err.field == "defendant_id":
                    continue
                if err.key == "errors.required" and err.field in ("charge_type", "case_id"):
                    continue
                column = row.columns.get(err.field) or t(f"field.{err.field}")
                self.problems.append(Problem(row.row, column, err.key, dict(err.params)))

    def charge(self, row: ChargeRow) -> None:
        plan = self.plan
        case, person = plan.cases[row.case], plan.people[row.defendant]
        for entity in (case, person, *(plan.people[k] for k in row.complainants)):
            if entity.failed:
                if entity.rows[0] != row.row:
                    self.problems.append(
                        Problem(
                            row.row,
                            entity.columns.get("name", ""),
                            "import.row.depends_on",
                            {"other": entity.rows[0]},
                        )
                    )
                return
        if row.values.get("_skip"):
            return
        if row.bad:
            self.check_only(row, case.id, person.id)
            return
        if not self.party(case.id, person.id, "defendant", row.row, row.synthetic):
            return
        data = {
            **_service_values(row.values),
            "id": row.id,
            "case_id": case.id,
            "defendant_id": person.id,
            "is_synthetic": row.synthetic,
        }
        if not self.create(sv.charges, data, row.row, row.columns):
            return
        for key in row.complainants:
            actor_id = plan.people[key].id
            column = {"actor_id": row.complainant_column}
            if actor_id == person.id:
                self.problems.append(
                    Problem(row.row, column["actor_id"], "errors.complainant_is_defendant")
                )
                continue
            if self.party(case.id, actor_id, "complainant", row.row, row.synthetic):
                self.create(
                    sv.charge_complainants,
                    {
                        "id": new_id(),
                        "charge_id": row.id,
                        "actor_id": actor_id,
                        "is_synthetic": row.synthetic,
                    },
                    row.row,
                    column,
                )

    def hearings(self, case: Entity) -> None:
        """New hearings of a case (one on a day it already has is an update instead)."""
        if case.failed or not case.used:
            return
        court_key = case.values.get("court")
        for hearing in case.hearings.values():
            if hearing.get("existing"):
                continue
            values = hearing["values"]
            court = self.plan.courts.get(values.get("court") or court_key or "")
            data = {
                "id": new_id(),
                "case_id": case.id,
                "scheduled_at": values["scheduled_at"],
                "scheduled_precision": values["scheduled_precision"],
                "hearing_type": values.get("hearing_type") or "other",
                "court_id": court.id if court is not None and not court.failed else None,
                "is_synthetic": case.key in self.synthetic,
            }
            self.create(sv.hearings, data, hearing["rows"][0], hearing["columns"])

    def apply_all(self, updates: list[Any]) -> None:
        """Every record's changes through its service (validation, audit, version check).

        The records and those they refer to are read first, a chunk of ids per query, and
        validation reads through the batch's lookups, which remember what they read: a
        thousand changes cost a few queries, not a dozen each. One flush writes them all
        (the audit hook logs each record's changes, as a form save would).
        """
        if not updates:
            return
        session = self.batch.session
        held = _preload(session, updates)  # the session's identity map only holds weak refs
        _defendants(session, self.batch.lookups, held, updates)
        for update in updates:
            self.apply(update)
        try:
            session.flush()
        except StaleDataError as exc:
            # Someone saved one of these records meanwhile: the whole import is refused
            # (the caller rolls the transaction back, as for any error of the report).
            self.problems.append(
                Problem(0, "", "import.change.conflict", {"reason": str(exc)[:200]})
            )
        held.clear()

    def apply(self, update: Any) -> None:
        """One record's changes through its service, written by the next flush."""
        service = sv.SERVICES[update.table]
        try:
            service.update(
                self.batch.session, update.record_id, _service_values(update.fields),
                update.version, lookups=self.batch.lookups, flush=False,
            )  # fmt: skip
        except (ValidationError, ConflictError) as exc:
            errors = exc.errors if isinstance(exc, ValidationError) else []
            if not errors:
                self.problems.append(
                    Problem(update.row, "", "import.change.conflict", {"reason": exc.message()})
                )
            for err in errors:
                column = self._change_column(update.record_id, err.field) or t(f"field.{err.field}")
                self.problems.append(Problem(update.row, column, err.key, dict(err.params)))
            return
        self.changed += 1

    def _change_column(self, record_id: uuid.UUID, name: str) -> str:
        """The file's column of a change refused by its service (an index built once)."""
        if self._columns is None:
            self._columns = {}
            for c in self.plan.report.changes:
                self._columns.setdefault((c.record_id, c.field), c.column)
        return self._columns.get((str(record_id), name), "")


def _preload(session: Session, updates: list[Any]) -> list[Any]:
    """Read the records to update, and the records their rules look up, in a few queries.

    Returns the objects read: held by the caller, ``session.get`` finds them in the
    identity map instead of sending one query per record.
    """
    held: list[Any] = []
    wanted: dict[Any, set[uuid.UUID]] = {}
    for update in updates:
        model = sv.SERVICES[update.table].spec.model
        wanted.setdefault(model, set()).add(update.record_id)
    _read(session, wanted, held)
    refs: dict[Any, set[uuid.UUID]] = {}
    by_id = {obj.id: obj for obj in held}
    for update in updates:
        spec = sv.SERVICES[update.table].spec
        obj = by_id.get(update.record_id)
        for name, model in spec.refs.items():
            for value in (update.fields.get(name), getattr(obj, name, None)):
                if isinstance(value, uuid.UUID):
                    refs.setdefault(model, set()).add(value)
    _read(session, refs, held)
    return held


def _defendants(session: Session, lookups: Any, held: list[Any], updates: list[Any]) -> None:
    """Tell the batch which charges' defendants are parties of their cases (a rule every
    charge update checks), from one query per chunk of cases instead of one per charge."""
    charges = {u.record_id for u in updates if u.table == "charge"}
    pairs = {(o.case_id, o.defendant_id) for o in held if type(o) is Charge and o.id in charges}
    if not pairs:
        return
    cases = sorted({case_id for case_id, _ in pairs})
    found: dict[tuple[uuid.UUID, uuid.UUID], uuid.UUID] = {}
    table: Any = CaseParty.__table__  # type: ignore[attr-defined]
    for start in range(0, len(cases), _CHUNK):
        query = select(table.c.id, table.c.case_id, table.c.actor_id).where(
            table.c.case_id.in_(cases[start : start + _CHUNK]), table.c.role == "defendant"
        )
        for party_id, case_id, actor_id in session.execute(query):
            found[case_id, actor_id] = party_id
    for case_id, actor_id in pairs:
        lookups.remember(
            CaseParty, found.get((case_id, actor_id)), case_id=case_id, actor_id=actor_id,
            role="defendant",
        )  # fmt: skip


def _read(session: Session, wanted: Mapping[Any, set[uuid.UUID]], held: list[Any]) -> None:
    for model, id_set in wanted.items():
        ids = sorted(id_set)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            held.extend(session.scalars(select(model).where(model.id.in_(chunk))).all())


def execute(
    session: Session, plan: Plan, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Create what the plan says, in the session's transaction; return counts per table.

    Problems the services find are added to ``plan.report``; the caller must roll back when
    the report then has errors. ``progress(done, total)`` is told of the rows written (the
    second half of ``total``, twice the rows read).
    """
    with db.bulk_write_cache(session.connection()):
        return _execute(session, plan, progress)


def _execute(
    session: Session, plan: Plan, progress: Callable[[int, int], None] | None
) -> dict[str, int]:
    run = _Executor(session, plan)
    for court in plan.courts.values():
        run.entity(sv.courts, court, {})
    for person in plan.people.values():
        run.entity(sv.actors, person, {})
    for case in plan.cases.values():
        court_key = case.values.pop("court", None)
        found = plan.courts.get(court_key) if court_key else None
        extra = {"court_id": found.id} if found is not None and not found.failed else {}
        run.entity(sv.cases, case, extra)
        case.values["court"] = court_key
    for case in plan.cases.values():
        if case.hearings:
            run.hearings(case)
    rows = plan.report.rows
    for done, row in enumerate(plan.charges):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(rows + done, 2 * rows)
        run.charge(row)
    run.batch.write()
    run.apply_all(list(plan.updates.values()))
    plan.created_ids = run.ids
    plan.changed = run.changed
    return dict(run.created)
