"""Headers and values in the reader's language, and the export's two derived tables.

``charge_rows`` is one row per charge in the shape of the import template, so a lawyer can
read a case's charges in one sheet and the file imports back; ``about`` says what the file is.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from .. import dates
from ..i18n import t
from ..models import VocabularyTerm
from ..services import SERVICES
from . import ExportOptions
from .rows import MANAGED

__all__ = ["Labels", "about_rows", "charge_rows", "column_for_header"]


class Labels:
    """Vocabulary labels of one language, and the translated headers of each table."""

    def __init__(self, lang: str, terms: dict[tuple[str, str], str]) -> None:
        self.lang = lang
        self.terms = terms

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
        service = SERVICES.get(table)
        vocabulary = service.spec.vocab.get(column) if service else None
        if vocabulary is None or table == "vocabulary_term":
            return value
        if isinstance(value, list):
            return [self.term(vocabulary, v) for v in value]
        return self.term(vocabulary, value)


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


def charge_rows(
    data: dict[str, list[dict[str, Any]]],
    labels: Labels,
) -> tuple[list[str], list[list[Any]]]:
    """One row per charge in the import template's columns and headers."""
    from ..imports.template import COLUMNS

    lang = labels.lang
    cases = {r["id"]: r for r in data["court_case"]}
    actors = {r["id"]: r for r in data["actor"]}
    courts = {r["id"]: r["name"] for r in data["court"]}
    complainants: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for link in data["charge_complainant"]:
        if link["actor_id"] in actors:
            complainants[link["charge_id"]].append(actors[link["actor_id"]])
    term = labels.term
    out = []
    for charge in data["charge"]:
        case, person = cases[charge["case_id"]], actors[charge["defendant_id"]]
        who = complainants.get(charge["id"], [])
        categories = [p.get("complainant_category") for p in who]
        values = {
            "case_number": case["case_number"],
            "case_title": case["title"],
            "case_type": term("case_type", case["case_type"]),
            "stage": term("stage", case["stage"]),
            "case_status": _choice("case_status", case["status"], lang),
            "court": courts.get(case["court_id"]),
            "judicial_district": case["judicial_district"],
            "region": case["region"],
            "province": case["province"],
            "context": case["context"],
            "opened_on": _date(case, "opened_on"),
            "closed_on": _date(case, "closed_on"),
            "case_confidentiality": _choice("confidentiality", case["confidentiality"], lang),
            "case_summary": case["summary"],
            "defendant_name": person["name"],
            "defendant_id_number": person["id_number"],
            "defendant_kind": _choice("kind", person["kind"], lang),
            "defendant_gender": person["gender"],
            "defendant_region": person["region"],
            "is_defender": person["is_defender"],
            "defender_role": term("defender_role", person["defender_role"]),
            "rights_defended": [term("rights_defended", c) for c in person["rights_defended"]],
            "defendant_confidentiality": _choice(
                "confidentiality", person["confidentiality"], lang
            ),
            "defendant_pseudonym": person["pseudonym"],
            "complainants": [p["name"] for p in who],
            "complainant_category": [term("complainant_category", c) for c in categories]
            if all(categories)
            else [],
            "charge_type": term("charge_type", charge["charge_type"]),
            "legal_reference": charge["legal_reference"],
            "mode_of_liability": term("mode_of_liability", charge["mode_of_liability"]),
            "filed_on": _date(charge, "filed_on"),
            "charge_status": _choice("charge_status", charge["status"], lang),
            "outcome": term("outcome", charge["outcome"]),
            "outcome_on": _date(charge, "outcome_on"),
            "case_id": str(case["id"]),
            "defendant_id": str(person["id"]),
            "charge_id": str(charge["id"]),
            "is_synthetic": charge["is_synthetic"],
        }
        for key in (
            "sentence_requested_months",
            "sentence_imposed_months",
            "reparation_requested",
            "reparation_imposed",
            "reparation_currency",
            "notes",
        ):
            values[key] = charge[key]
        out.append([values.get(c.key) for c in COLUMNS])
    return [c.es if lang == "es" else c.en for c in COLUMNS], out


def _date(row: dict[str, Any], column: str) -> str | None:
    return dates.format_partial(row[column], row[f"{column}_precision"]) or None
