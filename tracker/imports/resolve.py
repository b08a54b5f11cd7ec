"""Find the cases, people and courts a plan names in the database, or mark them new.

People are matched by record id, then by ID number, then by name (case-, accent- and
spacing-insensitive, aliases included); a name shared by several records in the database is
an error that asks for the ID number rather than a guess.
"""

from __future__ import annotations

from .lookups import Index
from .plan import Entity, Plan
from .report import PersonMatch, Problem
from .template import normalize

__all__ = ["resolve"]


def resolve(plan: Plan) -> None:
    """Find each case, person and court in the database, or mark it new."""
    index, report = plan.index, plan.report
    for charge in plan.charges:
        for key in (charge.defendant, *charge.complainants):
            plan.people[key].used = True
        case = plan.cases[charge.case]
        case.used = True
        if case.values.get("court"):
            plan.courts[case.values["court"]].used = True
    for entity in plan.cases.values():
        kind, _, value = entity.key.partition(":")
        if kind == "id":
            found = [entity.id] if entity.id in index.case_ids else []
        else:
            found = (index.cases_by_number if kind == "n" else index.cases_by_title).get(value, [])
        if len(found) > 1:
            report.problems.append(
                Problem(
                    entity.rows[0],
                    entity.columns.get("case_number", ""),
                    "import.case.ambiguous",
                    {"value": value},
                )
            )
            entity.failed = True
        elif found:
            entity.existing = entity.id = found[0]
    for entity in plan.people.values():
        _resolve_person(entity, index, report.problems)
        report.people.append(
            PersonMatch(
                name=str(entity.values.get("name", "")),
                role=entity.role,
                status="matched" if entity.existing else "new",
                rows=tuple(entity.rows),
                by=entity.matched_by,
            )
        )
    for entity in plan.courts.values():
        if entity.key in index.courts_by_name:
            entity.existing = entity.id = index.courts_by_name[entity.key]
    for charge in plan.charges:
        case, person = plan.cases[charge.case], plan.people[charge.defendant]
        if (
            charge.id in index.charge_ids
            or (case.id, person.id, charge.values["charge_type"]) in index.charges
        ):
            report.problems.append(
                Problem(
                    charge.row,
                    charge.columns.get("charge_type", ""),
                    "import.row.exists",
                    severity="warning",
                )
            )
            charge.values["_skip"] = True
    report.to_create = {
        "court": sum(1 for e in plan.courts.values() if e.used and not e.existing),
        "actor": sum(1 for e in plan.people.values() if e.used and not e.existing),
        "court_case": sum(1 for e in plan.cases.values() if e.used and not e.existing),
        "charge": sum(1 for c in plan.charges if not c.values.get("_skip")),
    }


def _resolve_person(entity: Entity, index: Index, problems: list[Problem]) -> None:
    kind, _, value = entity.key.partition(":")
    name = normalize(str(entity.values.get("name", "")))
    column = entity.columns.get("name", "")
    if kind == "id":
        if entity.id in index.actor_ids:
            entity.existing, entity.matched_by = entity.id, "id"
        return
    if kind == "dni":
        found = index.actors_by_id_number.get(value, [])
        if len(found) == 1:
            entity.existing = entity.id = found[0]
            entity.matched_by = "id_number"
            return
        if len(found) > 1:
            problems.append(
                Problem(
                    entity.rows[0],
                    column,
                    "import.person.ambiguous_db",
                    {"name": entity.values.get("name", value)},
                )
            )
            entity.failed = True
            return
        # Same name, but an ID number that says it is someone else: a new person.
        candidates = [
            a for a in index.actors_by_name.get(name, []) if a not in index.actor_id_numbers
        ]
    else:
        candidates = list(dict.fromkeys(index.actors_by_name.get(name, [])))
    if len(candidates) > 1:
        # Names that differ only in case or accents: the one written exactly so is meant.
        written = str(entity.values.get("name", ""))
        exact = [a for a in candidates if index.actor_names.get(a) == written]
        candidates = exact if len(exact) == 1 else candidates
    if len(candidates) == 1:
        entity.existing = entity.id = candidates[0]
        entity.matched_by = "name"
    elif len(candidates) > 1:
        problems.append(
            Problem(
                entity.rows[0],
                column,
                "import.person.ambiguous_db"
                if entity.role == "defendant"
                else "import.person.ambiguous_db_named",
                {"name": entity.values.get("name", value)},
            )
        )
        entity.failed = True
