"""Validate a sheet of charge rows and resolve it against the database, writing nothing.

The plan says, for every row, which case, defendant and complainants it refers to (found in
the database or to be created) and what charge it adds; the report lists every problem with
its row, column and reason, and every person matched or new.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from ..models.ids import new_id
from .cells import EMPTY, CellProblem, reader
from .datetext import DateReader
from .hearings import HEARING_KEYS, plan_hearing
from .lookups import Index, Vocabulary, kind_for_category
from .reader import Sheet
from .report import Problem, Report
from .template import by_key, check_mapping, normalize

__all__ = ["ChargeRow", "Entity", "Plan", "build_plan"]

_ABSENT = object()
PROGRESS_EVERY = 500  # rows between two calls of a progress callback
# Template key -> (record, service field) for the values each record takes from a row.
_CASE_FIELDS = {
    "case_number": "case_number",
    "case_title": "title",
    "case_type": "case_type",
    "stage": "stage",
    "case_status": "status",
    "judicial_district": "judicial_district",
    "region": "region",
    "province": "province",
    "context": "context",
    "opened_on": "opened_on",
    "closed_on": "closed_on",
    "case_confidentiality": "confidentiality",
    "case_summary": "summary",
}
_DEFENDANT_FIELDS = {
    "defendant_name": "name",
    "defendant_id_number": "id_number",
    "defendant_kind": "kind",
    "defendant_gender": "gender",
    "defendant_region": "region",
    "is_defender": "is_defender",
    "defender_role": "defender_role",
    "rights_defended": "rights_defended",
    "defendant_confidentiality": "confidentiality",
    "defendant_pseudonym": "pseudonym",
}
_CHARGE_FIELDS = {
    "charge_type": "charge_type",
    "legal_reference": "legal_reference",
    "mode_of_liability": "mode_of_liability",
    "filed_on": "filed_on",
    "charge_status": "status",
    "outcome": "outcome",
    "outcome_on": "outcome_on",
    "sentence_requested_months": "sentence_requested_months",
    "sentence_imposed_months": "sentence_imposed_months",
    "reparation_requested": "reparation_requested",
    "reparation_imposed": "reparation_imposed",
    "reparation_currency": "reparation_currency",
    "notes": "notes",
}


@dataclass
class Entity:
    """A case, person or court that rows refer to: found in the database or to be created."""

    key: str
    kind: str  # case, person, court
    rows: list[int]
    values: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # service field -> file header
    existing: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=new_id)  # increasing: see tracker.models.ids
    role: str = ""
    matched_by: str = ""
    failed: bool = False
    used: bool = False  # some valid row needs it; records only bad rows name are not made
    hearings: dict[Any, dict[str, Any]] = field(default_factory=dict)  # cases: day -> hearing


@dataclass
class ChargeRow:
    """One valid row: the charge it adds and the keys of its case, defendant, complainants."""

    row: int
    case: str
    defendant: str
    complainants: list[str]
    values: dict[str, Any]
    columns: dict[str, str]
    id: uuid.UUID
    synthetic: bool = False
    id_given: bool = False  # the file names the charge's record id
    complainant_column: str = ""
    # A row with unreadable cells is still checked by the services (its other fields), so
    # that every problem of the row shows at once; it is never written.
    bad_fields: set[str] = field(default_factory=set)
    bad: bool = False


@dataclass
class Plan:
    """Everything an import would do, and its report."""

    report: Report
    courts: dict[str, Entity] = field(default_factory=dict)
    people: dict[str, Entity] = field(default_factory=dict)
    cases: dict[str, Entity] = field(default_factory=dict)
    charges: list[ChargeRow] = field(default_factory=list)
    index: Index = field(default_factory=Index)
    decisions: Mapping[str, bool] = field(default_factory=dict)
    accept_uncertain: bool = False
    has_status_column: bool = False
    vocab: Vocabulary | None = None
    updates: dict[Any, Any] = field(default_factory=dict)  # changes.Update by (table, id)
    created_ids: dict[str, list[str]] = field(default_factory=dict)  # after execute
    changed: int = 0  # records updated by execute


def build_plan(
    session: Session,
    sheet: Sheet,
    mapping: Mapping[str, str],
    *,
    values: Mapping[tuple[str, str], str] | None = None,
    decisions: Mapping[str, bool] | None = None,
    accept_uncertain: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Check every row of ``sheet`` (headers mapped to template keys by ``mapping``).

    ``values`` maps (vocabulary, a value of the sheet) to a term's code, as the user chose in
    the preview; ``decisions`` accepts (True) or rejects (False) uncertain matches by key;
    ``accept_uncertain`` accepts every one that is undecided; ``progress(done, total)`` is
    told of the rows planned (the first half of ``total``, twice the rows).
    """
    plan = Plan(
        report=Report(problems=list(sheet.problems)),
        decisions=dict(decisions or {}),
        accept_uncertain=accept_uncertain,
    )
    problems = plan.report.problems
    mapping = {h: k for h, k in mapping.items() if k and h in sheet.header}
    for key in check_mapping(mapping):
        problems.append(Problem(0, by_key(key).en, "import.map.twice"))
    for header in sheet.header:
        if header and header not in mapping:
            problems.append(Problem(0, header, "import.map.ignored", severity="warning"))
    keys = set(mapping.values())
    for needed in (
        ("charge_type",),
        ("defendant_name", "defendant_id"),
        ("case_number", "case_title", "case_id"),
    ):
        if not keys & set(needed):
            problems.append(Problem(0, "", "import.map.missing", {"column": by_key(needed[0]).en}))
    if plan.report.errors:
        return plan
    records = sheet.filled_rows()
    plan.report.rows = len(records)
    vocab = Vocabulary.load(session)
    plan.vocab = vocab
    plan.report.term_labels = vocab.labels
    for (vocabulary, text), code in (values or {}).items():
        vocab.add_alias(vocabulary, text, code)
    plan.has_status_column = "case_status" in keys
    dates = DateReader()
    position = sheet.positions()
    date_positions = [position[h] for h, key in mapping.items() if by_key(key).kind == "date"]
    for _, cells in records:  # row by row: the first month-first date found is the example
        for i in date_positions:
            dates.observe(cells[i] if i < len(cells) else None)
    readers = [
        (position[header], header, key, reader(by_key(key), vocab, dates))
        for header, key in mapping.items()
    ]
    # Every row has the same columns: one dict of them, shared read-only by all rows.
    cols = {key: header for header, key in mapping.items()}
    charge_cols = {f: cols[k] for k, f in _CHARGE_FIELDS.items() if k in cols}
    parsed = [(n, _parse_row(n, cells, readers, problems)) for n, cells in records]
    names_to_ids = _id_numbers_by_name(parsed)
    from .values import unknown_values

    by_vocabulary = {by_key(k).vocabulary: h for h, k in mapping.items() if by_key(k).vocabulary}
    plan.report.unknown_values = unknown_values(problems, vocab, values or {}, by_vocabulary)
    plan.index = Index.load(session)
    seen_charges: dict[tuple[Any, ...], int] = {}
    for done, (number, vals) in enumerate(parsed):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, 2 * len(parsed))
        row = _plan_row(plan, number, vals, cols, charge_cols, names_to_ids, seen_charges)
        if row is not None:
            plan.charges.append(row)
    from .resolve import resolve
    from .status import derive_status

    if not plan.has_status_column:
        derive_status(plan)
    resolve(plan)
    plan.index.load_charges(
        session,
        (e.id for e in plan.cases.values() if e.existing),
        (row.id for row in plan.charges if row.id_given),
    )
    from .changes import reconcile

    reconcile(session, plan)
    return plan


def _parse_row(
    number: int,
    cells: list[Any],
    readers: list[tuple[int, str, str, Callable[[Any], Any]]],
    problems: list[Problem],
) -> dict[str, Any]:
    """Template key -> value of one row's filled cells; problems are appended."""
    values: dict[str, Any] = {}
    width = len(cells)
    for i, header, key, read in readers:
        cell = cells[i] if i < width else None
        if cell is None or cell == "":  # most cells of a wide sheet: nothing to read
            continue
        try:
            value = read(cell)
        except CellProblem as exc:
            problems.append(Problem(number, header, exc.key, exc.params))
            values.setdefault("_bad", set()).add(key)
            continue
        if value is not EMPTY:
            values[key] = value
    return values


def _id_numbers_by_name(parsed: list[tuple[int, dict[str, Any]]]) -> dict[str, set[str]]:
    """Defendant name -> the ID numbers the file gives it (to join rows that omit it)."""
    out: dict[str, set[str]] = {}
    for _, vals in parsed:
        if vals.get("defendant_name") and vals.get("defendant_id_number"):
            out.setdefault(normalize(vals["defendant_name"]), set()).add(
                normalize(vals["defendant_id_number"])
            )
    return out


def _plan_row(
    plan: Plan,
    number: int,
    vals: dict[str, Any],
    cols: dict[str, str],
    charge_cols: dict[str, str],
    names_to_ids: dict[str, set[str]],
    seen: dict[tuple[Any, ...], int],
) -> ChargeRow | None:
    problems = plan.report.problems
    bad_keys: set[str] = vals.pop("_bad", set())
    # Every missing piece is reported at once, not one per round of corrections.
    case_key = _case_key(vals)
    if case_key is None:
        problems.append(Problem(number, cols.get("case_number", ""), "import.row.no_case"))
    person_key = _person_key(vals, names_to_ids, number, cols, problems)
    named = vals.get("defendant_name") or vals.get("defendant_id")
    if person_key is None and not named and "defendant_name" not in bad_keys:
        problems.append(Problem(number, cols.get("defendant_name", ""), "errors.required"))
    if "charge_type" not in vals and "charge_type" not in bad_keys:
        problems.append(Problem(number, cols.get("charge_type", ""), "errors.required"))
    if case_key is None or person_key is None or "charge_type" not in vals:
        return None
    case = _merge(plan.cases, case_key, "case", number, vals, cols, _CASE_FIELDS, problems)
    if "title" not in case.values and vals.get("case_number"):
        case.values["title"] = vals["case_number"]  # a file may know a case by number alone
    if vals.get("case_id"):
        case.id = vals["case_id"]
    person = _merge(
        plan.people, person_key, "person", number, vals, cols, _DEFENDANT_FIELDS, problems
    )
    person.role = person.role or "defendant"
    person.values.setdefault("kind", "person")
    person.values.setdefault("is_defender", True)
    if vals.get("defendant_id"):
        person.id = vals["defendant_id"]
    complainants = _complainants(plan, number, vals, cols, problems)
    if vals.get("court"):
        court = plan.courts.setdefault(
            normalize(vals["court"]),
            Entity(
                key=normalize(vals["court"]),
                kind="court",
                rows=[number],
                values={"name": vals["court"], "kind": "court"},
                columns={"name": cols["court"]},
            ),
        )
        old = case.values.setdefault("court", court.key)
        if old != court.key:
            problems.append(
                Problem(
                    number,
                    cols["court"],
                    "import.row.conflict",
                    {"other": case.rows[0], "value": plan.courts[old].values["name"]},
                )
            )
    if any(k in vals for k in HEARING_KEYS):
        court_key = plan_hearing(case.hearings, number, vals, cols, problems)
        if court_key and court_key not in plan.courts:
            plan.courts[court_key] = Entity(
                key=court_key,
                kind="court",
                rows=[number],
                values={"name": vals["hearing_court"], "kind": "court"},
                columns={"name": cols["hearing_court"]},
            )
    charge_values = {field_: vals[key] for key, field_ in _CHARGE_FIELDS.items() if key in vals}
    if "status" not in charge_values:
        outcome = charge_values.get("outcome")
        charge_values["status"] = "resolved" if outcome and outcome != "unknown" else "pending"
    signature = (case_key, person_key, vals["charge_type"], str(vals.get("filed_on")))
    if signature in seen:
        problems.append(
            Problem(number, cols["charge_type"], "import.row.duplicate", {"other": seen[signature]})
        )
        return None
    seen[signature] = number
    return ChargeRow(
        row=number,
        case=case_key,
        defendant=person_key,
        complainants=complainants,
        values=charge_values,
        columns=charge_cols,
        id=vals.get("charge_id") or new_id(),
        id_given=bool(vals.get("charge_id")),
        synthetic=bool(vals.get("is_synthetic")),
        complainant_column=cols.get("complainants", ""),
        bad_fields={_CHARGE_FIELDS[k] for k in bad_keys if k in _CHARGE_FIELDS},
        bad=bool(bad_keys),
    )


def _case_key(vals: dict[str, Any]) -> str | None:
    if vals.get("case_id"):
        return f"id:{vals['case_id']}"
    if vals.get("case_number"):
        return f"n:{normalize(vals['case_number'])}"
    if vals.get("case_title"):
        return f"t:{normalize(vals['case_title'])}"
    return None


def _person_key(
    vals: dict[str, Any],
    names_to_ids: dict[str, set[str]],
    number: int,
    cols: dict[str, str],
    problems: list[Problem],
) -> str | None:
    if vals.get("defendant_id"):
        return f"id:{vals['defendant_id']}"
    if vals.get("defendant_id_number"):
        return f"dni:{normalize(vals['defendant_id_number'])}"
    name = vals.get("defendant_name")
    if not name:
        return None
    ids = names_to_ids.get(normalize(name), set())
    if len(ids) == 1:
        return f"dni:{next(iter(ids))}"
    if len(ids) > 1:
        problems.append(
            Problem(
                number,
                cols.get("defendant_name", ""),
                "import.person.ambiguous_in_file",
                {"name": name},
            )
        )
        return None
    return f"n:{normalize(name)}"


def _merge(
    pool: dict[str, Entity],
    key: str,
    kind: str,
    number: int,
    vals: dict[str, Any],
    cols: dict[str, str],
    fields: Mapping[str, str],
    problems: list[Problem],
) -> Entity:
    """Add this row's values to the entity ``key``; a different non-empty value is an error."""
    entity = pool.get(key)
    if entity is None:
        entity = pool[key] = Entity(key=key, kind=kind, rows=[])
    entity.rows.append(number)
    values, columns = entity.values, entity.columns
    if len(entity.rows) == 1:
        # The file's own headers name the fields, even those this row leaves empty: a
        # service's "required" then points at "Nombre y apellidos", not the template's "Name".
        for tkey, field_ in fields.items():
            if tkey in cols:
                columns.setdefault(field_, cols[tkey])
    for tkey, field_ in fields.items():
        value = vals.get(tkey, _ABSENT)
        if value is _ABSENT:
            continue
        if field_ not in values:  # the first row that gives it: most calls end here
            values[field_] = value
            columns.setdefault(field_, cols[tkey])
            continue
        old = values[field_]
        if old is not None and old != value and _comparable(old) != _comparable(value):
            if field_ != "name":  # the same person may be written differently
                problems.append(
                    Problem(
                        number,
                        cols[tkey],
                        "import.row.conflict",
                        {"other": entity.rows[0], "value": _shown(old)},
                    )
                )
            continue
        columns.setdefault(field_, cols[tkey])
    return entity


def _comparable(value: Any) -> Any:
    return normalize(value) if isinstance(value, str) else value


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        from ..dates import format_partial

        return format_partial(value[0], value[1])
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _complainants(
    plan: Plan, number: int, vals: dict[str, Any], cols: dict[str, str], problems: list[Problem]
) -> list[str]:
    names = vals.get("complainants") or []
    categories = vals.get("complainant_category") or []
    if categories and len(categories) not in (1, len(names)):
        problems.append(
            Problem(
                number,
                cols["complainant_category"],
                "import.row.categories_count",
                {"names": len(names), "categories": len(categories)},
            )
        )
        categories = []
    keys = []
    for i, name in enumerate(names):
        category = categories[0] if len(categories) == 1 else categories[i] if categories else None
        key = f"n:{normalize(name)}"
        entity = plan.people.get(key)
        if entity is None:
            entity = plan.people[key] = Entity(
                key=key,
                kind="person",
                rows=[],
                role="complainant",
                columns={"name": cols["complainants"]},
            )
            entity.values = {"name": name, "kind": kind_for_category(category)}
        entity.rows.append(number)
        if category and "complainant_category" not in entity.values:
            entity.values["complainant_category"] = category
            entity.columns["complainant_category"] = cols["complainant_category"]
        if key not in keys:
            keys.append(key)
    return keys
