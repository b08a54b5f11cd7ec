"""Headers and values in the reader's language, and the export's two derived tables.

``charge_rows`` is one row per charge in the shape of the import template, so a lawyer can
read a case's charges in one sheet and the file imports back; ``about`` says what the file is.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from .. import dates
from ..i18n import t
from ..imports.template import COLUMNS
from ..models import VocabularyTerm
from ..services import SERVICES
from . import ExportOptions
from .fetch import STORED_SHOWN
from .filtered import filter_rows
from .rows import MANAGED, ExportReader

__all__ = [
    "Labels",
    "about_rows",
    "charge_rows",
    "column_for_header",
    "streamed_charge_columns",
    "streamed_charge_rows",
]


class Labels:
    """Vocabulary labels of one language, and the translated headers of each table."""

    def __init__(self, lang: str, terms: dict[tuple[str, str], str]) -> None:
        self.lang = lang
        self.terms = terms
        self._by_vocabulary: dict[str, dict[str, str]] = {}

    @classmethod
    def load(cls, engine: Engine, lang: str) -> Labels:
        """Every term's label in ``lang`` (codes stay codes when a term has no label)."""
        label = VocabularyTerm.label_es if lang == "es" else VocabularyTerm.label_en
        with engine.connect() as conn:
            rows = conn.execute(
                select(VocabularyTerm.vocabulary, VocabularyTerm.code, label)  # type: ignore[call-overload]
            ).all()
        return cls(lang, {(v, c): text for v, c, text in rows})

    def columns(self, table: str) -> list[str]:
        """The exported columns of ``table``."""
        return [c.name for c in SQLModel.metadata.tables[table].columns if c.name not in MANAGED]

    def headers(self, table: str, columns: list[str]) -> list[str]:
        """Column labels in the language; a label two columns share gets the column's name."""
        labels = [t(f"field.{c}", lang=self.lang) for c in columns]
        return [
            f"{label} ({c})" if labels.count(label) > 1 else label
            for c, label in zip(columns, labels, strict=True)
        ]

    def term(self, vocabulary: str, code: Any) -> Any:
        """The label of ``code`` (unchanged when unknown or empty)."""
        if code is None or code == "":
            return code
        return self.terms.get((vocabulary, str(code)), code)

    def value(self, table: str, column: str, value: Any) -> Any:
        """A coded value as its label; other values unchanged."""
        vocabulary = self.vocabulary_of(table, column)
        if vocabulary is None:
            return value
        if isinstance(value, list):
            return [self.term(vocabulary, v) for v in value]
        return self.term(vocabulary, value)

    @staticmethod
    def vocabulary_of(table: str, column: str) -> str | None:
        """The vocabulary whose labels ``column`` of ``table`` shows (None: shown as is)."""
        service = SERVICES.get(table)
        vocabulary = service.spec.vocab.get(column) if service else None
        if vocabulary is None or table == "vocabulary_term":
            return None
        return vocabulary

    def labels_of(self, vocabulary: str) -> dict[str, str]:
        """code -> label of one vocabulary."""
        labels = self._by_vocabulary.get(vocabulary)
        if labels is None:
            labels = {c: text for (v, c), text in self.terms.items() if v == vocabulary}
            self._by_vocabulary[vocabulary] = labels
        return labels

    def labeler(self, vocabulary: str) -> Callable[[Any], Any]:
        """``term`` for one vocabulary, as a function with its lookups done once."""
        get = self.labels_of(vocabulary).get

        def label(code: Any) -> Any:
            if code is None or code == "":
                return code
            return get(code if type(code) is str else str(code), code)

        return label


def column_for_header(table: str, header: str, lang: str) -> str:
    """The column of ``table`` a translated header stands for (the header when none)."""
    for column in SQLModel.metadata.tables[table].columns:
        label = t(f"field.{column.name}", lang=lang)
        if header in (label, f"{label} ({column.name})", column.name):
            return column.name
    return header


def about_rows(
    engine: Engine,
    options: ExportOptions,
    marker: str,
) -> tuple[list[str], list[list[Any]]]:
    """What the file is: key/value rows (format marker, time, language, schema, privacy)."""
    from ..db import current_revision

    rows: list[list[Any]] = [
        ["format", marker],
        ["exported_at", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")],
        ["language", options.lang],
        ["schema_revision", current_revision(engine) or ""],
        ["pseudonymized", not options.show_confidential],
        ["includes_synthetic", options.include_synthetic],
        *filter_rows(options.filters, options.lang),
        [
            "note",
            t(
                "export.about.note"
                if not options.show_confidential
                else "export.about.note_confidential",
                lang=options.lang,
            ),
        ],
    ]
    return [
        t("export.about.key", lang=options.lang),
        t("export.about.value", lang=options.lang),
    ], rows


def _choice(group: str, code: Any, lang: str) -> Any:
    if not code:
        return code
    return t(f"import.choice.{group}.{code}", lang=lang).split("/")[0]


_CHARGE_FIELDS = (
    "sentence_requested_months",
    "sentence_imposed_months",
    "reparation_requested",
    "reparation_imposed",
    "reparation_currency",
    "notes",
)


def charge_rows(
    data: dict[str, list[dict[str, Any]]],
    labels: Labels,
) -> tuple[list[str], list[list[Any]]]:
    """One row per charge in the import template's columns and headers, from whole tables.

    What a row takes from its case and its defendant is worked out once per case and per
    person (a case has many charges), and vocabulary and choice labels come from dicts.
    """
    cases = {r["id"]: r for r in data["court_case"]}
    actors = {r["id"]: r for r in data["actor"]}
    courts = {r["id"]: r["name"] for r in data["court"]}
    complainants: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for link in data["charge_complainant"]:
        if link["actor_id"] in actors:
            complainants[link["charge_id"]].append(actors[link["actor_id"]])
    make = _ChargeRow(labels, keep=None)
    out = []
    for charge in data["charge"]:
        case = cases[charge["case_id"]]
        out.append(
            make(
                charge,
                case,
                courts.get(case["court_id"]),
                actors[charge["defendant_id"]],
                complainants.get(charge["id"], []),
            )
        )
    return _charge_headers(labels.lang), out


def streamed_charge_rows(
    reader: ExportReader, labels: Labels
) -> tuple[list[str], Iterator[list[list[Any]]]]:
    """:func:`charge_rows` read charge by charge (:func:`streamed_charge_columns`): the same
    rows, in batches."""
    headers, batches = streamed_charge_columns(reader, labels)
    return headers, ([list(row) for row in zip(*batch, strict=True)] for batch in batches)


def streamed_charge_columns(
    reader: ExportReader, labels: Labels
) -> tuple[list[str], Iterator[list[list[Any]]]]:
    """The rows of :func:`charge_rows`, a batch of charges at a time as one list per column.

    Read through ``reader.charges``: what a row shows of its case and of its defendant is
    worked out once per case and per person (in the template's order), and a batch's rows
    take it by the charge's case and defendant ids; the charge's own columns are labelled
    column by column."""
    make = _ChargeRow(labels, keep=None)
    keys = make.keys
    # The charge's dates as SQLite stores them: shown as that text (and read as the charge
    # table reads them, so a reader keeping the charges gives that table the same batches).
    cases, people, batches = reader.charges(_CASE_COLUMNS, _PERSON_COLUMNS, CHARGE_DATES)
    # Each case's and person's part, as a tuple in the order of these keys.
    case_keys = [k for k in keys if k in _CASE_KEYS]
    person_keys = [k for k in keys if k in _PERSON_KEYS]
    of_case = {
        case_id: tuple(map(make.case_part(case, case["court"]).get, case_keys))
        for case_id, case in cases.items()
    }
    del cases
    of_person = {
        person_id: tuple(map(make.person_part(person).get, person_keys))
        for person_id, person in people.items()
    }
    del people
    names = reader.names("charge")
    at = {name: i for i, name in enumerate(names)}
    choice, category = make.choice, make.category
    shown = STORED_SHOWN.get
    by_code = {
        "charge_type": make.charge_type,
        "mode_of_liability": make.liability,
        "outcome": make.outcome,
    }

    def generate() -> Iterator[list[list[Any]]]:
        for batch, who in batches:
            ids = batch[at["id"]]
            columns: dict[str, Any] = dict(
                zip(
                    case_keys,
                    _transpose(map(of_case.__getitem__, batch[at["case_id"]])),
                    strict=True,
                )
            )
            columns.update(
                zip(
                    person_keys,
                    _transpose(map(of_person.__getitem__, batch[at["defendant_id"]])),
                    strict=True,
                )
            )
            complainants = [who.get(i, ()) for i in ids]
            columns["complainants"] = [[p["name"] for p in w] for w in complainants]
            columns["complainant_category"] = [
                [category(c) for c in categories] if all(categories) else []
                for categories in ([p.get("complainant_category") for p in w] for w in complainants)
            ]
            for key, label in by_code.items():
                columns[key] = list(map(label, batch[at[key]]))
            for key in CHARGE_DATES:
                columns[key] = [
                    None
                    if value is None or precision == "unknown"
                    else value[: shown(precision, 10)]
                    if type(value) is str
                    else dates.format_partial(value, precision) or None
                    for value, precision in zip(
                        batch[at[key]], batch[at[f"{key}_precision"]], strict=True
                    )
                ]
            columns["charge_status"] = [choice("charge_status", s) for s in batch[at["status"]]]
            columns["legal_reference"] = batch[at["legal_reference"]]
            columns["charge_id"] = ids
            columns["is_synthetic"] = batch[at["is_synthetic"]]
            for key in _CHARGE_FIELDS:
                columns[key] = batch[at[key]]
            empty = [None] * len(ids)
            yield [list(columns[k]) if k in columns else empty for k in keys]

    return _charge_headers(labels.lang), generate()


# The charge's dates charge_rows shows (with their precisions).
CHARGE_DATES = ("filed_on", "outcome_on")


def _transpose(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows (at least one, of equal length) as columns."""
    return list(zip(*rows, strict=True))


# The columns of a case and of a defendant that a charge_rows row shows.
_CASE_COLUMNS = (
    "id", "case_number", "title", "case_type", "stage", "status", "court_id",
    "judicial_district", "region", "province", "context", "opened_on", "opened_on_precision",
    "closed_on", "closed_on_precision", "confidentiality", "summary",
)  # fmt: skip
_PERSON_COLUMNS = (
    "id", "name", "id_number", "kind", "gender", "region", "is_defender", "defender_role",
    "rights_defended", "confidentiality", "pseudonym",
)  # fmt: skip


# The keys of charge_rows taken from the case, and from the defendant.
_CASE_KEYS = frozenset(
    {
        "case_number", "case_title", "case_type", "stage", "case_status", "court",
        "judicial_district", "region", "province", "context", "opened_on", "closed_on",
        "case_confidentiality", "case_summary", "case_id",
    }
)  # fmt: skip
_PERSON_KEYS = frozenset(
    {
        "defendant_name", "defendant_id_number", "defendant_kind", "defendant_gender",
        "defendant_region", "is_defender", "defender_role", "rights_defended",
        "defendant_confidentiality", "defendant_pseudonym", "defendant_id",
    }
)  # fmt: skip


def _charge_headers(lang: str) -> list[str]:
    return [c.es if lang == "es" else c.en for c in COLUMNS]


class _ChargeRow:
    """Makes a charge_rows row; remembers each case's and person's part (``keep`` at most
    of each, None: all), as a case has many charges and a person several."""

    def __init__(self, labels: Labels, keep: int | None) -> None:
        self.lang, self.keep = labels.lang, keep
        term = labels.labeler
        self.case_type, self.stage = term("case_type"), term("stage")
        self.defender_role, self.rights = term("defender_role"), term("rights_defended")
        self.category, self.charge_type = term("complainant_category"), term("charge_type")
        self.liability, self.outcome = term("mode_of_liability"), term("outcome")
        self.choices: dict[tuple[str, Any], Any] = {}
        self.case_parts: dict[Any, dict[str, Any]] = {}
        self.person_parts: dict[Any, dict[str, Any]] = {}
        self.keys = [c.key for c in COLUMNS]

    def case_part(self, case: dict[str, Any], court: str | None) -> dict[str, Any]:
        """What a charge's row shows of its case."""
        choice = self.choice
        return {
            "case_number": case["case_number"],
            "case_title": case["title"],
            "case_type": self.case_type(case["case_type"]),
            "stage": self.stage(case["stage"]),
            "case_status": choice("case_status", case["status"]),
            "court": court,
            "judicial_district": case["judicial_district"],
            "region": case["region"],
            "province": case["province"],
            "context": case["context"],
            "opened_on": _date(case, "opened_on"),
            "closed_on": _date(case, "closed_on"),
            "case_confidentiality": choice("confidentiality", case["confidentiality"]),
            "case_summary": case["summary"],
            "case_id": str(case["id"]),
        }

    def person_part(self, person: dict[str, Any]) -> dict[str, Any]:
        """What a charge's row shows of its defendant."""
        choice, rights = self.choice, self.rights
        return {
            "defendant_name": person["name"],
            "defendant_id_number": person["id_number"],
            "defendant_kind": choice("kind", person["kind"]),
            "defendant_gender": person["gender"],
            "defendant_region": person["region"],
            "is_defender": person["is_defender"],
            "defender_role": self.defender_role(person["defender_role"]),
            "rights_defended": [rights(c) for c in person["rights_defended"]],
            "defendant_confidentiality": choice("confidentiality", person["confidentiality"]),
            "defendant_pseudonym": person["pseudonym"],
            "defendant_id": str(person["id"]),
        }

    def choice(self, group: str, code: Any) -> Any:
        key = (group, code)
        if key not in self.choices:
            self.choices[key] = _choice(group, code, self.lang)
        return self.choices[key]

    def __call__(
        self,
        charge: dict[str, Any],
        case: dict[str, Any],
        court: str | None,
        person: dict[str, Any],
        who: list[dict[str, Any]],
    ) -> list[Any]:
        choice = self.choice
        case_id, person_id = charge["case_id"], charge["defendant_id"]
        of_case = self.case_parts.get(case_id)
        if of_case is None:
            if self.keep is not None and len(self.case_parts) >= self.keep:
                self.case_parts.clear()
            of_case = self.case_parts[case_id] = self.case_part(case, court)
        of_person = self.person_parts.get(person_id)
        if of_person is None:
            if self.keep is not None and len(self.person_parts) >= self.keep:
                self.person_parts.clear()
            of_person = self.person_parts[person_id] = self.person_part(person)
        categories = [p.get("complainant_category") for p in who]
        category = self.category
        values = {
            **of_case,
            **of_person,
            "complainants": [p["name"] for p in who],
            "complainant_category": [category(c) for c in categories] if all(categories) else [],
            "charge_type": self.charge_type(charge["charge_type"]),
            "legal_reference": charge["legal_reference"],
            "mode_of_liability": self.liability(charge["mode_of_liability"]),
            "filed_on": _date(charge, "filed_on"),
            "charge_status": choice("charge_status", charge["status"]),
            "outcome": self.outcome(charge["outcome"]),
            "outcome_on": _date(charge, "outcome_on"),
            "charge_id": str(charge["id"]),
            "is_synthetic": charge["is_synthetic"],
        }
        for key in _CHARGE_FIELDS:
            values[key] = charge[key]
        get = values.get
        return [get(k) for k in self.keys]


def _date(row: dict[str, Any], column: str) -> str | None:
    return dates.format_partial(row[column], row[f"{column}_precision"]) or None
