"""Who may see whose real name: decided here, applied on every path out.

A confidential person is shown under their pseudonym to anyone who may not see confidential
people; restricted people and cases are hidden from them altogether. Pages, charts, graphs,
exports and the command line all use these functions (or the SQL expressions below, so that a
hidden name is never even selected), never a rule of their own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func
from sqlalchemy.sql.elements import ColumnElement

from .i18n import t
from .models import Actor, Case, Source

# Roles that may see confidential names and restricted records in the app.
ROLES_SEEING_CONFIDENTIAL = frozenset({"admin", "editor"})

_actor = Actor.__table__.c  # type: ignore[attr-defined]
_case = Case.__table__.c  # type: ignore[attr-defined]


def may_see_confidential(role: str | None) -> bool:
    """True when ``role`` may see confidential people's real names and restricted records."""
    return role in ROLES_SEEING_CONFIDENTIAL


def display_name(
    name: str, pseudonym: str | None, confidentiality: str, *, show_confidential: bool
) -> str:
    """The name to show for one actor."""
    if confidentiality == "confidential" and not show_confidential:
        return pseudonym or t("privacy.name_withheld")
    return name


def name_column(*, show_confidential: bool, table: Any = None) -> ColumnElement[Any]:
    """SQL expression of the name to show for the actor table (or an alias of it).

    Args:
        show_confidential: whether real names of confidential people may be shown.
        table: an alias of the actor table, when a query joins it more than once.
    """
    c = table.c if table is not None else _actor
    if show_confidential:
        return c.name
    return case(
        (
            c.confidentiality == "confidential",
            func.coalesce(c.pseudonym, t("privacy.name_withheld")),
        ),
        else_=c.name,
    )


def visible_actors(*, show_confidential: bool, table: Any = None) -> ColumnElement[bool]:
    """SQL condition: the actors this viewer may see at all (restricted ones are hidden)."""
    c = table.c if table is not None else _actor
    if show_confidential:
        return c.id.isnot(None)
    return c.confidentiality != "restricted"


def visible_cases(*, show_confidential: bool, table: Any = None) -> ColumnElement[bool]:
    """SQL condition: the cases this viewer may see at all (restricted ones are hidden)."""
    c = table.c if table is not None else _case
    if show_confidential:
        return c.id.isnot(None)
    return c.confidentiality != "restricted"


# What a viewer may not see of a restricted source: its title (replaced by a label), where it
# is and what it says. Its reliability and dates stay: they tell the weight of what it supports.
_SOURCE_WITHHELD = ("key", "publisher", "url", "file_path", "notes")


def shown_source(
    row: dict[str, Any], *, show_confidential: bool, lang: str | None = None
) -> dict[str, Any]:
    """A source row (a dict of its columns) as this viewer may see it.

    A restricted source (one that names a confidential person, say) shows anyone who may not
    see confidential people only "a restricted source" with its reliability and date.
    """
    if show_confidential or not row.get("restricted"):
        return row
    hidden = {name: None for name in _SOURCE_WITHHELD if name in row}
    return {**row, **hidden, "title": t("sources.restricted_title", lang)}


def visible_source_text(*, show_confidential: bool, table: Any = None) -> ColumnElement[bool]:
    """SQL condition: sources whose title, address and notes this viewer may search."""
    c = table.c if table is not None else Source.__table__.c  # type: ignore[attr-defined]
    if show_confidential:
        return c.id.isnot(None)
    return c.restricted.is_(False)
