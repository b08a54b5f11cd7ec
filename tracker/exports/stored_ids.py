"""Ids as exports read them: UUID columns selected as the database stores them (text on
SQLite) and turned into ``uuid.UUID`` or their text form once per distinct value."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import String, Uuid, type_coerce

__all__ = ["UUIDTexts", "UUIDs", "as_read", "uuid_text_column", "uuid_texts"]


class UUIDTexts(dict[Any, Any]):
    """Stored UUID -> its text form, as str(uuid.UUID) writes it, without making the UUID."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, raw: Any) -> str:
        if type(raw) is str and len(raw) == 32:  # SQLite's form: 32 hex digits
            h = raw.lower()
            text = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        else:
            text = str(raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw))
        self[raw] = text
        return text


class UUIDs(dict[Any, Any]):
    """Stored UUID (text on SQLite, already a UUID on PostgreSQL) -> one shared uuid.UUID."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, raw: Any) -> uuid.UUID:
        parsed = raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)
        self[raw] = parsed
        return parsed


def uuid_text_column(column: list[Any]) -> list[Any]:
    """A column of stored UUIDs as their text forms (what :class:`UUIDTexts` gives each).

    SQLite stores 32 lower-case hex digits: those are cut into the text form in one pass, with
    no call per value (an export turns about a million ids into text at scale M)."""
    present = list(filter(None, column))
    if (
        present
        and set(map(type, present)) == {str}
        and set(map(len, present)) == {32}
        and (joined := "".join(present)) == joined.lower()
    ):
        return [
            None if h is None else f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
            for h in column
        ]
    return list(map(UUIDTexts().__getitem__, column))


def uuid_texts() -> dict[Any, Any]:
    """A map of stored UUIDs (as :func:`as_read` gives them) to their text form."""
    return UUIDTexts()


def as_read(column: Any) -> Any:
    """A column as exports select it: UUIDs as text (parsed by UUIDs, or compared as they
    come: the ids of hidden rows are kept as the database gives them)."""
    return (
        type_coerce(column, String).label(column.name) if isinstance(column.type, Uuid) else column
    )
