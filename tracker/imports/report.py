"""What an import found: every problem with its row, column and reason, and what it would add.

Problems keep a message key and parameters, so the same report reads in English or Spanish.
Errors block the commit; warnings are shown and do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import get_language, t

__all__ = ["Change", "PersonMatch", "Problem", "Report", "UncertainMatch", "UnknownValue"]


@dataclass(frozen=True)
class Problem:
    """One problem: spreadsheet row (0 = the whole file), the column's header, and why."""

    row: int
    column: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"

    def message(self, lang: str | None = None) -> str:
        """The reason, in ``lang``; parameters named ``*_key`` are message keys themselves, and
        a parameter given per language ({"en": ..., "es": ...}) is read in ``lang``."""
        language = lang or get_language()
        params = {
            k: t(v, lang=lang)
            if k.endswith("_key")
            else v.get(language, v.get("en"))
            if isinstance(v, dict) and "en" in v
            else v
            for k, v in self.params.items()
        }
        vocabulary = params.get("vocabulary")
        if isinstance(vocabulary, str):
            # A service's "not a term of the list" names the list by its code: an import's
            # reader gets its label ("Tipos de delito", not "charge_type").
            label = t(f"enum.vocabulary.{vocabulary}", lang=lang)
            if label != f"enum.vocabulary.{vocabulary}":
                params["vocabulary"] = label
        return t(self.key, lang=lang, **params)

    def line(self, lang: str | None = None) -> str:
        """One line for a terminal: "row 12, column “Fecha”: reason"."""
        where = t("import.where.file", lang=lang)
        if self.row and self.column:
            where = t("import.where.cell", lang=lang, row=self.row, column=self.column)
        elif self.row:
            where = t("import.where.row", lang=lang, row=self.row)
        elif self.column:
            where = t("import.where.column", lang=lang, column=self.column)
        level = t(f"import.severity.{self.severity}", lang=lang)
        return f"{level}: {where}: {self.message(lang)}"


@dataclass(frozen=True)
class PersonMatch:
    """How a person or body named in the file was resolved: matched in the database or new."""

    name: str
    role: str  # defendant or complainant
    status: str  # matched or new
    rows: tuple[int, ...]
    by: str = ""  # id_number or name, for matches


@dataclass(frozen=True)
class UncertainMatch:
    """A person, body or case of the file that may be one already recorded: the user says.

    ``key`` is stable between the preview and the commit of the same file and mapping; the
    decisions given to :func:`~tracker.imports.run_import` are keyed by it.
    """

    key: str
    kind: str  # person, case
    name: str  # as the file writes it
    candidate: str  # as the database has it
    candidate_id: str
    reason: str  # extra_words, similar, case_core
    rows: tuple[int, ...]
    decision: bool | None = None  # True accepted, False rejected, None undecided


@dataclass(frozen=True)
class Change:
    """One field of an existing record that the file gives differently: old -> new."""

    table: str
    record_id: str
    record: str  # the record's name or number, for people to read
    field: str
    old: str
    new: str
    row: int
    column: str
    # A charge is named by its charge type (this code, read in the reader's language) before
    # ``record`` (its defendant and case): a code alone means nothing to a reader.
    charge_type: str = ""


@dataclass
class UnknownValue:
    """A value of a list column that is no term of its vocabulary, listed once."""

    vocabulary: str
    value: str
    column: str
    rows: list[int]
    suggestions: list[str]
    mapped_to: str | None = None


@dataclass
class Report:
    """The preview of an import: problems, people, and counts of records to create."""

    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    people: list[PersonMatch] = field(default_factory=list)
    to_create: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    committed: bool = False
    uncertain: list[UncertainMatch] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unknown_values: list[UnknownValue] = field(default_factory=list)
    unchanged: int = 0  # rows already in the database exactly as the file has them
    batch_id: str | None = None
    # (vocabulary, code) -> (English, Spanish label) of every term, to offer in the preview
    term_labels: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    backup_path: str | None = None

    @property
    def errors(self) -> list[Problem]:
        """The problems that block the import."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are shown but do not block the import."""
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return not self.errors

    def problem_table(self, lang: str | None = None) -> list[dict[str, Any]]:
        """Every problem as a row for a table: row, column, severity, reason."""
        return [
            {
                t("import.col.row", lang=lang): p.row or None,
                t("import.col.column", lang=lang): p.column,
                t("import.col.severity", lang=lang): t(f"import.severity.{p.severity}", lang=lang),
                t("import.col.reason", lang=lang): p.message(lang),
            }
            for p in sorted(self.problems, key=lambda p: (p.row, p.column))
        ]

    def people_table(self, lang: str | None = None) -> list[dict[str, Any]]:
        """Every person or body named in the file, matched or new, with its rows."""
        return [
            {
                t("import.col.name", lang=lang): m.name,
                t("import.col.role", lang=lang): t(f"import.role.{m.role}", lang=lang),
                t("import.col.status", lang=lang): t(f"import.match.{m.status}", lang=lang),
                t("import.col.rows", lang=lang): ", ".join(str(r) for r in m.rows[:20])
                + (" …" if len(m.rows) > 20 else ""),
            }
            for m in self.people
        ]

    def changes_table(self, lang: str | None = None) -> list[dict[str, Any]]:
        """Every change to an existing record: record, field, old -> new, row.

        Records, terms and statuses are named as a person reads them, in ``lang``: a charge
        by its charge type's label, its defendant and its case; a stage by its label.
        """
        return [
            {
                t(
                    "import.col.record", lang=lang
                ): f"{t(f'table.{c.table}', lang=lang)}: {self.record_name(c, lang)}",
                t("import.col.field", lang=lang): c.column or t(f"field.{c.field}", lang=lang),
                t("import.col.old", lang=lang): self.value_label(c.field, c.old, lang),
                t("import.col.new", lang=lang): self.value_label(c.field, c.new, lang),
                t("import.col.row", lang=lang): c.row or None,
            }
            for c in self.changes
        ]

    def term_label(self, vocabulary: str, code: str, lang: str | None = None) -> str:
        """A term's label in ``lang`` (its code when the vocabulary has no such term)."""
        labels = self.term_labels.get((vocabulary, code))
        if labels is None:
            return code
        return labels[1] if (lang or get_language()) == "es" else labels[0]

    def record_name(self, change: Change, lang: str | None = None) -> str:
        """The changed record as a person reads it ("Riot / civil disturbance · Ana · 12-2019")."""
        if not change.charge_type:
            return change.record
        return f"{self.term_label('charge_type', change.charge_type, lang)} · {change.record}"

    def value_label(self, field: str, value: str, lang: str | None = None) -> str:
        """A value of a change in ``lang``: a term (or several, "a; b") by its label, a
        status or other fixed choice by its name; other values as they are."""
        if not value:
            return value
        if any((field, part) in self.term_labels for part in value.split("; ")):
            return "; ".join(self.term_label(field, part, lang) for part in value.split("; "))
        key = f"enum.{field}.{value}"
        text = t(key, lang=lang)
        return value if text == key else text

    def summary(self, lang: str | None = None) -> str:
        """Counts for a terminal or a page: rows read, errors, warnings, people, records."""
        matched = sum(1 for p in self.people if p.status == "matched")
        lines = [
            t(
                "import.summary.head",
                lang=lang,
                rows=self.rows,
                errors=len(self.errors),
                warnings=len(self.warnings),
            ),
            t(
                "import.summary.people",
                lang=lang,
                matched=matched,
                new=len(self.people) - matched,
            ),
        ]
        if self.changes or self.unchanged or self.uncertain:
            lines.append(
                t(
                    "import.summary.reconciled",
                    lang=lang,
                    changes=len(self.changes),
                    records=len({(c.table, c.record_id) for c in self.changes}),
                    unchanged=self.unchanged,
                    uncertain=len(self.uncertain),
                )
            )
        counts = self.created if self.committed else self.to_create
        key = "import.summary.created" if self.committed else "import.summary.to_create"
        parts = ", ".join(
            f"{t(f'table.{name}', lang=lang)}: {n}" for name, n in counts.items() if n
        )
        lines.append(t(key, lang=lang, counts=parts or "-"))
        return "\n".join(lines)
