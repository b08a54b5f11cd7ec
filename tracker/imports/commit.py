"""Carry out a plan through the services, inside the caller's one transaction.

Every record goes through a :class:`~tracker.services.batch.Batch`: validated by the same rules
as a form, permission-checked and audited, then written with executemany. A record the services
refuse becomes a problem at its row and column, and the rows that depend on it are reported
too; the caller then rolls the whole transaction back.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from .. import db
from .. import services as sv
from ..errors import ValidationError
from ..i18n import t
from .plan import ChargeRow, Entity, Plan
from .report import Problem

__all__ = ["execute"]


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
        self.batch, self.plan = sv.Batch(session), plan
        self.problems = plan.report.problems
        self.created: Counter[str] = Counter()
        self.parties = set(plan.index.parties)
        synthetic = [c for c in plan.charges if c.synthetic]
        self.synthetic = {c.case for c in synthetic} | {c.defendant for c in synthetic}
        self.synthetic |= {k for c in synthetic for k in c.complainants}

    def create(
        self, service: sv.RecordService, data: dict[str, Any], row: int, columns: Mapping[str, str]
    ) -> bool:
        """Create one record; on refusal add its problems at ``row`` and return False."""
        try:
            self.batch.add(service, data)
        except ValidationError as exc:
            for err in exc.errors:
                column = columns.get(err.field) or t(f"field.{err.field}")
                self.problems.append(Problem(row, column, err.key, dict(err.params)))
            return False
        self.created[service.spec.table] += 1
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
        data = {"case_id": case_id, "actor_id": actor_id, "role": role, "is_synthetic": synthetic}
        if not self.create(sv.parties, data, row, {}):
            return False
        self.parties.add((case_id, actor_id, role))
        return True

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
                    {"charge_id": row.id, "actor_id": actor_id, "is_synthetic": row.synthetic},
                    row.row,
                    column,
                )


def execute(session: Session, plan: Plan) -> dict[str, int]:
    """Create what the plan says, in the session's transaction; return counts per table.

    Problems the services find are added to ``plan.report``; the caller must roll back when
    the report then has errors.
    """
    with db.bulk_write_cache(session.connection()):
        return _execute(session, plan)


def _execute(session: Session, plan: Plan) -> dict[str, int]:
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
    for row in plan.charges:
        run.charge(row)
    run.batch.write()
    return dict(run.created)
