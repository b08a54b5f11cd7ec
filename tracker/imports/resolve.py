"""Find the cases, people and courts a plan names in the database, or mark them new.

People and bodies: by record id, then by ID number, then by name (case, accents, spacing,
legal suffix and word order aside; aliases included). A name shared by several records is an
error that asks for the ID number rather than a guess. A record whose name only resembles
the file's (an extra surname, a slip of the keyboard) is an *uncertain* match: listed for the
user, applied only when accepted; undecided, a new record is made and the preview warns of a
possible duplicate. Cases: by record id, number (as written, then by its number-year core:
"458-2015" is "Casación N° 458-2015 Cajamarca"), or title.
"""

from __future__ import annotations

import uuid
from collections import Counter
from difflib import SequenceMatcher

from .lookups import Index
from .match import case_core, name_key, name_similarity, name_words
from .plan import Entity, Plan
from .report import PersonMatch, Problem, UncertainMatch
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
        for hearing in case.hearings.values():
            court = hearing["values"].get("court")
            if court:
                plan.courts[court].used = True
    for entity in plan.cases.values():
        _resolve_case(plan, entity)
    for entity in plan.people.values():
        _resolve_person(plan, entity)
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
        found = index.courts_by_name.get(entity.key)
        if found:
            entity.existing = entity.id = found


def _decide(plan: Plan, entity: Entity, kind: str, found: uuid.UUID, shown: str, why: str) -> None:
    """List an uncertain match; apply it when the user accepted it."""
    key = f"{kind}:{entity.key}"
    decision = plan.decisions.get(key)
    if decision is None and plan.accept_uncertain:
        decision = True
    name = str(entity.values.get("name") or entity.values.get("case_number") or entity.key)
    plan.report.uncertain.append(
        UncertainMatch(key, kind, name, shown, str(found), why, tuple(entity.rows), decision)
    )
    if decision:
        entity.existing = entity.id = found
        entity.matched_by = "accepted"
    elif decision is None:
        column = entity.columns.get("name") or entity.columns.get("case_number", "")
        plan.report.problems.append(
            Problem(
                entity.rows[0],
                column,
                "import.match.possible_duplicate",
                {"name": name, "other": shown},
                severity="warning",
            )
        )


def _resolve_case(plan: Plan, entity: Entity) -> None:
    index, problems = plan.index, plan.report.problems
    kind, _, value = entity.key.partition(":")
    column = entity.columns.get("case_number", "")
    if kind == "id":
        found = [entity.id] if entity.id in index.case_ids else []
    elif kind == "n":
        found = index.cases_by_number.get(value, [])
        if not found:
            written = str(entity.values.get("case_number", value))
            core = case_core(written)
            near = index.cases_by_core.get(core, []) if core else []
            bare = core is not None and case_core(written) == _bare(written)
            if len(near) == 1 and bare:
                entity.existing = entity.id = near[0]
                entity.matched_by = "case_core"
                return
            if len(near) == 1:
                _decide(plan, entity, "case", near[0], index.case_numbers[near[0]], "case_core")
                return
            if len(near) > 1 and bare:
                problems.append(
                    Problem(entity.rows[0], column, "import.case.ambiguous", {"value": written})
                )
                entity.failed = True
                return
    else:
        found = index.cases_by_title.get(value, [])
    if len(found) > 1:
        problems.append(Problem(entity.rows[0], column, "import.case.ambiguous", {"value": value}))
        entity.failed = True
    elif found:
        entity.existing = entity.id = found[0]


def _bare(number: str) -> str | None:
    """The number-year core when ``number`` is nothing else ("00458-2015", "458 - 2015")."""
    text = normalize(number).replace(" ", "-")
    parts = [p for p in text.split("-") if p]
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return case_core("-".join(parts))
    return None


def _resolve_person(plan: Plan, entity: Entity) -> None:
    index, problems = plan.index, plan.report.problems
    kind, _, value = entity.key.partition(":")
    written = str(entity.values.get("name", ""))
    name = normalize(written)
    column = entity.columns.get("name", "")
    if kind == "id":
        if entity.id in index.actor_ids:
            entity.existing, entity.matched_by = entity.id, "id"
        return
    file_dni = value if kind == "dni" else None
    if file_dni:
        found = index.actors_by_id_number.get(file_dni, [])
        if len(found) == 1:
            entity.existing = entity.id = found[0]
            entity.matched_by = "id_number"
            return
        if len(found) > 1:
            problems.append(
                Problem(
                    entity.rows[0], column, "import.person.ambiguous_db", {"name": written or value}
                )
            )
            entity.failed = True
            return
        if not written:
            return

    def allowed(actor: uuid.UUID) -> bool:
        # A record with another ID number is someone else, whatever the name.
        return not file_dni or actor not in index.actor_id_numbers

    candidates = [a for a in dict.fromkeys(index.actors_by_name.get(name, [])) if allowed(a)]
    how = "name"
    if not candidates:
        candidates = [
            a for a in dict.fromkeys(index.actors_by_key.get(name_key(written), [])) if allowed(a)
        ]
        how = "name_key"
    if len(candidates) > 1:
        # Names that differ only in case or accents: the one written exactly so is meant.
        exact = [a for a in candidates if index.actor_names.get(a) == written]
        candidates = exact if len(exact) == 1 else candidates
    if len(candidates) == 1:
        entity.existing = entity.id = candidates[0]
        entity.matched_by = how
        return
    if len(candidates) > 1:
        problems.append(
            Problem(
                entity.rows[0],
                column,
                "import.person.ambiguous_db"
                if entity.role == "defendant"
                else "import.person.ambiguous_db_named",
                {"name": written or value},
            )
        )
        entity.failed = True
        return
    near = _similar(index, written, allowed)
    if near is not None:
        _decide(plan, entity, "person", near, index.actor_names[near], "similar_name")


def _similar(index: Index, written: str, allowed: object) -> uuid.UUID | None:
    """The recorded name most like ``written`` that is an uncertain match, if any.

    Only records sharing a word with it are compared (the index by word), so a large
    database costs a few comparisons per name, not one per record.
    """
    words = name_words(written)
    if not words:
        return None
    # Candidates share two words with the name (one for a one-word name): an extra surname
    # or a slip leaves at least that. Very common words alone select nobody.
    shared: Counter[uuid.UUID] = Counter()
    for word in set(words):
        ids = index.actors_by_word.get(word, ())
        if len(ids) <= 5000:
            shared.update(set(ids))
    needed = min(2, len(set(words)))
    pool = [a for a, n in shared.items() if n >= needed]
    best: tuple[float, str, uuid.UUID] | None = None
    key = " ".join(sorted(words))
    for actor in pool:
        if not allowed(actor):  # type: ignore[operator]
            continue
        other = index.actor_names[actor]
        if name_similarity(written, other) != "uncertain":
            continue
        score = SequenceMatcher(None, key, name_key(other)).ratio()
        if best is None or (score, other) > (best[0], best[1]):
            best = (score, other, actor)
    return best[2] if best else None
