"""Preferences each user sets for their own account (today: the language).

An account is otherwise edited only by administrators (tracker.permissions); these changes
are the user's own, so they need no role, touch only the acting account, and are audited
like any other change of ``app_user``.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select

from ..db import unit_of_work
from ..errors import FieldError, ValidationError
from ..i18n import LANGUAGES
from ..models import AppUser
from ..permissions import Principal


def set_language(engine: Engine, principal: Principal, language: str) -> None:
    """Make ``language`` the acting account's language on every page, tab and later login.

    Raises:
        ValidationError: the language is not one the app speaks.
    """
    if language not in LANGUAGES:
        raise ValidationError(
            [
                FieldError(
                    "language",
                    "errors.bad_choice",
                    {"value": language, "choices": ", ".join(LANGUAGES)},
                )
            ],
            record="record.app_user",
        )
    with unit_of_work(engine, principal) as session:
        user = session.exec(select(AppUser).where(AppUser.username == principal.username)).one()
        if user.language != language:
            user.language = language
            session.add(user)
