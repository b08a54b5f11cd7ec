"""Domain errors with messages a lawyer understands, in the user's language.

Each error keeps a message key and parameters, and renders them through ``t()`` when shown,
so the same error reads in English or Spanish depending on who sees it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .i18n import t


class TrackerError(Exception):
    """Base class of every error the tracker raises on purpose."""

    key = "errors.generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.key)

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language)."""
        return t(self.key, lang=lang, **self.params)

    def __str__(self) -> str:
        return self.message()


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: the field's name and a message key with parameters."""

    field: str
    key: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language).

        Parameters named ``*_key`` hold message keys themselves (a field's label) and are
        translated too.
        """
        params = {k: t(v, lang=lang) if k.endswith("_key") else v for k, v in self.params.items()}
        return t(self.key, lang=lang, **params)


class ValidationError(TrackerError):
    """The input breaks one or more rules; nothing was written."""

    key = "errors.validation"

    def __init__(self, errors: list[FieldError], record: str = "") -> None:
        self.errors = errors
        self.record = record
        super().__init__(self.key)

    def by_field(self, lang: str | None = None) -> dict[str, list[str]]:
        """Messages grouped by field name, for showing each next to its input."""
        out: dict[str, list[str]] = {}
        for err in self.errors:
            out.setdefault(err.field, []).append(err.message(lang))
        return out

    def message(self, lang: str | None = None) -> str:
        """All problems, one per line, each naming its field."""
        lines = [t(self.key, lang=lang)]
        for err in self.errors:
            label = t(f"field.{err.field}", lang=lang)
            lines.append(f"- {label}: {err.message(lang)}")
        return "\n".join(lines)


class NotFoundError(TrackerError):
    """The record does not exist (any more)."""

    key = "errors.not_found"


class ConflictError(TrackerError):
    """Someone else saved the record after this user loaded it."""

    key = "errors.conflict"

    def __init__(self, *, record: str, by: str | None, at: datetime | None) -> None:
        self.by = by
        self.at = at
        when = at.strftime("%Y-%m-%d %H:%M UTC") if at else "?"
        super().__init__(self.key, record=record, user=by or "?", when=when)


class PermissionDeniedError(TrackerError):
    """The user's role does not allow this action."""

    key = "errors.permission"
