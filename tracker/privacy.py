"""Who may see whose real name: decided here, applied on every path out.

A confidential person is shown under their pseudonym to anyone who may not see confidential
people; restricted people and cases are hidden from them altogether. Pages, charts, graphs,
exports and the command line all use these functions (or the SQL expressions below, so that a
hidden name is never even selected), never a rule of their own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import copy_context
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql.elements import ColumnElement

from . import revision
from .i18n import t
from .models import Actor, Case, Source
from .name_patterns import PARTICLES as _PARTICLES
from .name_patterns import fold
from .redaction import MIN_LENGTH, NO_REDACTION, Redactor

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


_WITHHELD_PEOPLE = (_actor.confidentiality.in_(("confidential", "restricted")),)
_SESSION_KEY = "tracker_redactor"


def withheld_people(bind: Any) -> list[dict[str, Any]]:
    """Name, aliases, ID number, pseudonym and confidentiality of every confidential and
    restricted person: one query. ``bind``: a Session, Connection or Engine."""
    stmt = select(
        _actor.name, _actor.aliases, _actor.id_number, _actor.pseudonym, _actor.confidentiality
    ).where(*_WITHHELD_PEOPLE)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            rows = conn.execute(stmt).all()
    elif isinstance(bind, OrmSession):
        rows = bind.connection().execute(stmt).all()
    else:
        rows = bind.execute(stmt).all()
    return [dict(row._mapping) for row in rows]


def names_withheld_person(bind: Any, text: str) -> bool:
    """True when a word of ``text`` is (the start of) a word of a confidential or restricted
    person's real name, alias or ID number, and not of their pseudonym.

    A viewer's text search over free text (case titles, sources) must then find nothing: the
    results would be shown redacted, but which records matched would still tell who is behind
    the pseudonym. Names are compared folded (accents, case), particles ("de", "la") ignored.
    """
    words = {w for w in fold(text).split() if len(w) >= MIN_LENGTH and w not in _PARTICLES}
    if not words:
        return False
    for person in withheld_people(bind):
        parts = [person["name"] or "", *(person["aliases"] or []), person["id_number"] or ""]
        real = set(fold(" ".join(parts)).split())
        shown = set(fold(person["pseudonym"] or "").split())
        for word in words:
            if word not in shown and any(r.startswith(word) for r in real):
                return True
    return False


def public_people(bind: Any, people: list[dict[str, Any]]) -> list[str]:
    """Names of the public people, when anybody is withheld (a partial form of a withheld
    name can sit inside one of them): one query."""
    if not people:
        return []
    stmt = select(_actor.name).where(_actor.confidentiality == "public")
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return [r[0] for r in conn.execute(stmt).all()]
    if isinstance(bind, OrmSession):
        return [r[0] for r in bind.connection().execute(stmt).all()]
    return [r[0] for r in bind.execute(stmt).all()]


def _made(bind: Any) -> Redactor:
    people = withheld_people(bind)
    frozen = tuple(
        tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in p.items()) for p in people
    )
    return _redactor_of(frozen, tuple(public_people(bind, people)), t("privacy.name_withheld"))


@lru_cache(maxsize=8)
def _redactor_of(
    people: tuple[tuple[tuple[str, Any], ...], ...], public: tuple[str, ...], _withheld: str
) -> Redactor:
    """The redactor of these people, kept for the next call with the same people, public
    names and language (``_withheld``): building it folds every name, 2 s at scale M on
    every graph, page and export of a viewer. Keyed by the rows themselves, so an edit of
    anybody's name makes a new one."""
    return Redactor([dict(p) for p in people], public)


def redactor(bind: Any, *, show_confidential: bool) -> Redactor:
    """The redactor for someone who may (``show_confidential``: nothing to redact) or may
    not see confidential people. Made once per session (kept in ``session.info``)."""
    if show_confidential:
        return NO_REDACTION
    if isinstance(bind, OrmSession):
        made = bind.info.get(_SESSION_KEY)
        if made is None:
            made = bind.info[_SESSION_KEY] = _made(bind)
        return made
    if isinstance(bind, Engine):
        # Building takes seconds at scale (thousands of withheld people): kept per database
        # and revision pair. Any write that could change who is withheld or how they are
        # named raises the privacy revision, so a kept redactor is never out of date. The
        # language is in the key: "name withheld" is written in it.
        at = revision.current_pair(bind)
        if 0 in at:
            return _made(bind)  # a database never written to: nothing to key on
        key = (str(bind.url), *at, t("privacy.name_withheld"))
        made = _KEPT.get(key)
        if made is None:
            with _KEPT_LOCK:
                building = _BUILDING.setdefault(key, threading.Lock())
            # One build per key: a caller that comes while another thread builds the same
            # redactor (the command line builds it beside the indicators' statement; the
            # app's sessions share it) waits for that one instead of making a second.
            with building:
                made = _KEPT.get(key)
                if made is None:
                    made = _made(bind)
                    with _KEPT_LOCK:
                        while len(_KEPT) >= _KEPT_MAX:
                            _KEPT.pop(next(iter(_KEPT)))
                        _KEPT[key] = made
                        _BUILDING.pop(key, None)
        return made
    return _made(bind)


@contextmanager
def redactor_beside(engine: Engine, *, show_confidential: bool) -> Iterator[Callable[[], Redactor]]:
    """Start making :func:`redactor` on another thread; yields a function that waits for it.

    For a caller that runs a long statement before it needs the redactor: sqlite3 and psycopg
    let go of the interpreter while a statement runs, so the redactor's Python work (seconds
    at scale L, once per data revision, and the index of public names its first use of a
    complainant's name would build) is done on the other core meanwhile. The thread runs
    in a copy of the caller's context (its language). Leaving the block waits for the thread.

    Example:
        >>> with redactor_beside(engine, show_confidential=False) as made:  # doctest: +SKIP
        ...     rows = conn.execute(long_statement).all()
        ...     labels = [made()(name) for name in names]
    """
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(copy_context().run, _prepared, engine, show_confidential)
        yield future.result


def _prepared(engine: Engine, show_confidential: bool) -> Redactor:
    """:func:`redactor`, with the index of public names it builds when first needed built
    now (every report of complainants needs it; 1.3 s at scale L)."""
    made = redactor(engine, show_confidential=show_confidential)
    public = getattr(made, "public", None)
    if public is not None:
        public.prepare()
    return made


_KEPT: dict[tuple[str, int, int, str], Redactor] = {}
_KEPT_MAX = 8
_KEPT_LOCK = threading.Lock()
_BUILDING: dict[tuple[str, int, int, str], threading.Lock] = {}


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
