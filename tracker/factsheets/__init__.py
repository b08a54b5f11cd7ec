"""One-page PDF fact sheets for advocacy: one per case, one per defender.

A sheet holds the timeline (case opened, court events and stage changes, hearings,
outcomes), the charges (type, complainants, outcome), the outcomes counted, and the sources
(title, publisher, date, address as the reader may see them). It is read as its reader may
see the data: for a viewer, or a public sheet, every confidential person appears under their
pseudonym, in names and in every free text (tracker.privacy); restricted people and cases
are not there at all. The case page, the person's page and ``python -m tracker factsheet``
all call :func:`case_sheet` or :func:`defender_sheet`.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from ..errors import TrackerError
from .content import Entry, Section, Sheet, case_content, defender_content
from .render import Layout, layout, render

__all__ = [
    "Entry",
    "FactSheetNotFound",
    "Layout",
    "Section",
    "Sheet",
    "case_content",
    "case_sheet",
    "defender_content",
    "defender_sheet",
    "file_name",
    "layout",
    "render",
]


class FactSheetNotFound(TrackerError):
    """No such case or person, or one this reader may not see."""

    key = "factsheet.not_found"


def case_sheet(
    engine: Engine,
    case_id: uuid.UUID,
    *,
    lang: str,
    show_confidential: bool,
    today: date | None = None,
) -> bytes:
    """The one-page PDF fact sheet of a case.

    Args:
        engine: the database.
        case_id: the case.
        lang: "en" or "es", for every label.
        show_confidential: True only for a reader who may see confidential names (an
            administrator or editor; ``--include-confidential`` on the command line).
        today: the date printed as the sheet's date (default today).

    Raises:
        FactSheetNotFound: no such case, or a restricted one for a viewer.
    """
    with Session(engine) as session:
        sheet = case_content(
            session,
            case_id,
            lang=lang,
            show_confidential=show_confidential,
            today=today or date.today(),
        )
    if sheet is None:
        raise FactSheetNotFound(what=str(case_id))
    return render(sheet, lang)


def defender_sheet(
    engine: Engine,
    actor_id: uuid.UUID,
    *,
    lang: str,
    show_confidential: bool,
    today: date | None = None,
) -> bytes:
    """The one-page PDF fact sheet of a defender (any person or body with a page).

    Arguments as :func:`case_sheet`. Raises FactSheetNotFound for no such person, or a
    restricted one for a viewer.
    """
    with Session(engine) as session:
        sheet = defender_content(
            session,
            actor_id,
            lang=lang,
            show_confidential=show_confidential,
            today=today or date.today(),
        )
    if sheet is None:
        raise FactSheetNotFound(what=str(actor_id))
    return render(sheet, lang)


def file_name(kind: str, title: str, lang: str) -> str:
    """A download's file name: ``factsheet-<kind>-<title as a slug>-<lang>.pdf``; the title
    passed is the one shown to the reader (a pseudonym for a viewer)."""
    plain = unicodedata.normalize("NFKD", title.casefold()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-") or kind
    return f"factsheet-{kind}-{slug}-{lang}.pdf"
