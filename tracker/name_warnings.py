"""Warning editors: free text about to be saved that would name a withheld person to viewers.

The forms call :func:`name_warnings` before saving and offer the pseudonym instead; the
redactor of :mod:`tracker.privacy` finds the names.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from .models import Case
from .privacy import redactor

_case = Case.__table__.c  # type: ignore[attr-defined]

# What identifies a person on their own record: never "free text holding a name".
_IDENTITY_FIELDS = frozenset({"name", "aliases", "id_number", "pseudonym"})


def name_warnings(
    session: OrmSession,
    table: str,
    values: Mapping[str, Any],
    *,
    stored: Mapping[str, Any] | None = None,
) -> list[dict[str, str]]:
    """Free text about to be saved that holds a withheld person's real name (or alias, ID
    number, partial form) on a record viewers can see.

    Args:
        session: the editor's session.
        table: the record kind's table ("court_case", "hearing", ...).
        values: field -> value as the form would save it.
        stored: the record as stored, when editing (for its confidentiality and case).

    Returns:
        One dict per field with a hit: ``field``, ``found`` (the forms written, joined by
        ", "), ``shown`` (the names viewers see instead) and ``text`` (the value with the
        pseudonyms put in). Empty when the record is hidden from viewers anyway.
    """
    merged = {**(stored or {}), **{k: v for k, v in values.items() if v is not None}}
    if table in ("actor", "court_case") and merged.get("confidentiality") in (
        "confidential" if table == "actor" else "restricted",
        "restricted",
    ):
        return []  # viewers do not see it (or, for a confidential person, its free text)
    case_id = merged.get("case_id")
    if case_id is not None:
        try:
            case_uuid = case_id if isinstance(case_id, uuid.UUID) else uuid.UUID(str(case_id))
        except ValueError:
            case_uuid = None  # the service reports the bad id; nothing to look up
        found = (
            session.connection()
            .execute(select(_case.confidentiality).where(_case.id == case_uuid))
            .scalar()
        )
        if found == "restricted":
            return []
    redact = redactor(session, show_confidential=False)
    out = []
    for field_name, value in values.items():
        if table == "actor" and field_name in _IDENTITY_FIELDS:
            continue
        texts = value if isinstance(value, list) else [value]
        hits = [hit for text in texts if isinstance(text, str) for hit in redact.find(text)]
        if hits:
            out.append(
                {
                    "field": field_name,
                    "found": ", ".join(dict.fromkeys(h[0] for h in hits)),
                    "shown": ", ".join(dict.fromkeys(h[1] for h in hits)),
                    "text": redact.value(value),
                }
            )
    return out
