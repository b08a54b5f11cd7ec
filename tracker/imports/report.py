"""What an import found: every problem with its row, column and reason, and what it would add.

Problems keep a message key and parameters, so the same report reads in English or Spanish.
Errors block the commit; warnings are shown and do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import t

__all__ = ["PersonMatch", "Problem", "Report"]


@dataclass(frozen=True)
class Problem:
    """One problem: spreadsheet row (0 = the whole file), the column's header, and why."""

    row: int
    column: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"

    def message(self, lang: str | None = None) -> str:
        """The reason, in ``lang``; parameters named ``*_key`` are message keys themselves."""
        params = {k: t(v, lang=lang) if k.endswith("_key") else v for k, v in self.params.items()}
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


@dataclass
class Report:
    """The preview of an import: problems, people, and counts of records to create."""

    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    people: list[PersonMatch] = field(default_factory=list)
    to_create: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    committed: bool = False

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
                t("import.col.row", lang=lang): p.row or "",
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
        counts = self.created if self.committed else self.to_create
        key = "import.summary.created" if self.committed else "import.summary.to_create"
        parts = ", ".join(
            f"{t(f'table.{name}', lang=lang)}: {n}" for name, n in counts.items() if n
        )
        lines.append(t(key, lang=lang, counts=parts or "-"))
        return "\n".join(lines)
