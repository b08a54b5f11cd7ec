"""Who may see whose real name: decided here, applied on every path out.

A confidential person is shown under their pseudonym to anyone who may not see confidential
people; restricted records are hidden from them. Pages, charts, exports and the command line
all call these functions (or use :func:`name_column` inside SQL), never their own rule.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func
from sqlalchemy.sql.elements import ColumnElement

from .i18n import t
from .models import Actor

# Roles that may see confidential names in the app (issue: accounts and roles).
ROLES_SEEING_CONFIDENTIAL = frozenset({"admin", "editor"})


def may_see_confidential(role: str | None) -> bool:
    """True when ``role`` may see confidential people's real names."""
    return role in ROLES_SEEING_CONFIDENTIAL


def display_name(
    name: str, pseudonym: str | None, confidentiality: str, *, show_confidential: bool
) -> str:
    """The name to show for one actor."""
    if confidentiality == "confidential" and not show_confidential:
        return pseudonym or t("privacy.name_withheld")
    return name


def name_column(*, show_confidential: bool) -> ColumnElement[Any]:
    """SQL expression of the name to show, so queries never select a hidden real name."""
    if show_confidential:
        return Actor.__table__.c.name  # type: ignore[attr-defined]
    return case(
        (
            Actor.__table__.c.confidentiality == "confidential",  # type: ignore[attr-defined]
            func.coalesce(Actor.__table__.c.pseudonym, t("privacy.name_withheld")),  # type: ignore[attr-defined]
        ),
        else_=Actor.__table__.c.name,  # type: ignore[attr-defined]
    )
