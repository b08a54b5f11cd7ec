"""Who may see whose real name: decided here, applied on every path out.

A confidential person is shown under their pseudonym to anyone who may not see confidential
people; restricted people and cases are hidden from them altogether. Pages, charts, graphs,
exports and the command line all use these functions (or the SQL expressions below, so that a
hidden name is never even selected), never a rule of their own.
"""

from __future__ import annotations

import dataclasses
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import copy_context
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import is_not
from typing import Any
from urllib.parse import unquote

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql.elements import ColumnElement

from . import revision
from .i18n import t
from .models import Actor, Case, Source
from .name_patterns import FOLD_LETTERS as _FOLD_LETTERS
from .name_patterns import PARTICLES as _PARTICLES
from .name_patterns import PublicHolders, fold, name_variants, trie_regex, within_public

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


# --- The one redactor of free text ------------------------------------------------------
#
# Pseudonyms in name columns are not enough: a real name also sits in what people type (a
# case titled "Proceso contra Zenobia Quispicanchi", a note, a source URL ending in
# ".../zenobia-quispicanchi"). Every text that leaves the database for someone who may not
# see confidential people goes through a Redactor, built once from the confidential and
# restricted people of the database.

_TEXT_OR_NONE = frozenset({str, type(None)})
# Variants shorter than this (a two-letter alias) would blank out ordinary words.
_MIN_LENGTH = 3
# Longer text is not looked up whole among the public names (Redactor._replace).
_NAME_LENGTH = 200


class Redactor:
    """Replaces every written form of a withheld person in text by the name shown for them.

    Built from rows of people (``name``, ``aliases``, ``id_number``, ``pseudonym``,
    ``confidentiality``). Matching ignores accents and case and accepts any separator
    between words (so URL slugs such as ``zenobia-quispicanchi``, ``zenobia_quispicanchi``,
    ``zenobia%20quispicanchi`` and ``zenobia+quispicanchi`` are found), whole words only.
    One compiled regular expression (a trie of the folded forms, so the longest form wins),
    one scan per text.

    A redactor built from no people changes nothing: what trusted users get.
    """

    def __init__(
        self, people: Iterable[Mapping[str, Any]] = (), public_names: Iterable[str] = ()
    ) -> None:
        strong: dict[str, str] = {}
        partial: dict[str, str] = {}
        withheld = t("privacy.name_withheld")
        for person in people:
            shown = (
                withheld
                if person.get("confidentiality") == "restricted"
                else (person.get("pseudonym") or withheld)
            )
            name = person.get("name") or ""
            for form in [name, *(person.get("aliases") or []), person.get("id_number") or ""]:
                _add(strong, form, shown, withheld)
            for form in name_variants(name):
                _add(partial, form, shown, withheld)
        full = set(strong)
        for key, shown in partial.items():
            strong.setdefault(key, shown)
        # A public person's whole name that holds a partial form of a withheld person's name
        # ("Abel Apaza Rojas" beside a confidential "Abel Apaza Quispe") is kept as written:
        # a partial form found inside a public person's whole name, written whole, is left
        # alone. The withheld person's own forms ("Abel Apaza" alone) are still replaced.
        # The public names are not in the pattern (at scale L, 200,000 of them made compiling
        # take 875 MB): each partial form knows the public names holding it, and one of those
        # is looked for only where that form is found.
        self.public = PublicHolders(public_names, full, set(partial))
        self.names = strong
        self.pattern = trie_regex(tuple(sorted(strong))) if strong else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def __call__(self, text: Any) -> Any:
        """``text`` redacted; anything but a string is returned as it is."""
        if self.pattern is None or not isinstance(text, str) or not text:
            return text
        if "%" in text:
            # Accents percent-encoded in a URL (zen%C3%B3bia): look at the decoded form.
            decoded = unquote(text)
            if decoded != text and self.pattern.search(decoded.translate(_FOLD_LETTERS)):
                text = decoded
        folded = text.translate(_FOLD_LETTERS)
        parts: list[str] = []
        end = 0
        for match in self.pattern.finditer(folded):
            start, stop = match.span()
            parts += (text[end:start], self._replace(text, folded, start, stop, 0, len(text)))
            end = stop
        if not parts:
            return text
        parts.append(text[end:])
        return "".join(parts)

    def many(self, texts: list[Any]) -> list[Any]:
        """``[self.value(text) for text in texts]``, in one scan of the texts joined
        (:meth:`changes`)."""
        out = list(texts)
        for i, new in self.changes(texts):
            out[i] = new
        return out

    def changes(self, texts: list[Any]) -> list[tuple[int, Any]]:
        """(index, redacted) of the texts :meth:`value` changes, or may change.

        The texts are joined by NUL, which no name holds, which no separator matches and
        which bounds a word as the start or end of a text does, and scanned once: a name is
        found in the joined text exactly where it is found in each text alone, and replaced
        as :meth:`__call__` replaces it. Text holding "%" or NUL, and anything but text,
        goes through :meth:`value` one by one."""
        if self.pattern is None:
            return []
        if set(map(type, texts)) <= _TEXT_OR_NONE:  # a column of text: no loop in Python
            plain, out = list(compress(range(len(texts)), map(is_not, texts, repeat(None)))), []
        else:
            plain = [i for i, text in enumerate(texts) if type(text) is str]
            out = [
                (i, self.value(texts[i]))
                for i, text in enumerate(texts)
                if text is not None and type(text) is not str
            ]
        joined = "\x00".join([texts[i] for i in plain])
        if "%" in joined or "\x00" in joined.replace("\x00", "", len(plain) - 1):
            odd = {i for i in plain if "%" in texts[i] or "\x00" in texts[i]}
            out += [(i, self(texts[i])) for i in odd]
            plain = [i for i in plain if i not in odd]
            joined = "\x00".join([texts[i] for i in plain])
        sizes = map(len, [texts[i] for i in plain[:-1]])
        starts = list(accumulate(map((1).__add__, sizes), initial=0))
        current, parts, end, base = -1, [], 0, 0
        folded = joined.translate(_FOLD_LETTERS)
        for match in self.pattern.finditer(folded):
            start, stop = match.span()
            k = bisect_right(starts, start) - 1
            if k != current:
                if current >= 0:
                    parts.append(joined[end : base + len(texts[plain[current]])])
                    out.append((plain[current], "".join(parts)))
                current, parts, base = k, [], starts[k]
                end = base
            cell_end = base + len(texts[plain[k]])
            parts += (joined[end:start], self._replace(joined, folded, start, stop, base, cell_end))
            end = stop
        if current >= 0:
            parts.append(joined[end : base + len(texts[plain[current]])])
            out.append((plain[current], "".join(parts)))
        return out

    def _replace(self, text: str, folded: str, start: int, stop: int, lo: int, hi: int) -> str:
        """What replaces ``text[start:stop]``, a form found in ``folded`` (``text`` folded
        one character for one) within the text ``text[lo:hi]``: itself when it sits inside a
        public person's whole name written there, else the name shown for it."""
        written = text[start:stop]
        key = _fold_form(written)
        # A short text that is a public person's whole name (a label) is answered from the
        # names as a set: working out every public name holding the form (get) took 2 s for
        # the labels of 9,844 complainants at scale L. A long text is never a name, and
        # copying it for each form found in it would cost more than the lookup below.
        if hi - lo <= _NAME_LENGTH and self.public.holds_whole(folded[lo:hi], key):
            return written  # the text is a public person's whole name
        holders = self.public.get(key)
        if holders and within_public(folded, start, stop, lo, hi, holders):
            return written  # a public person's whole name
        return self.names.get(key) or t("privacy.name_withheld")

    def find(self, text: str | None) -> list[tuple[str, str]]:
        """(the form written, the name to show instead) of each withheld name in ``text``."""
        if self.pattern is None or not text:
            return []
        folded = text.translate(_FOLD_LETTERS)
        spans = [m.span() for m in self.pattern.finditer(folded)]
        found = [(text[a:b], self._replace(text, folded, a, b, 0, len(text))) for a, b in spans]
        return [(written, shown) for written, shown in found if written != shown]

    def value(self, obj: Any) -> Any:
        """``obj`` with every string inside it redacted: dicts (values; string keys too),
        lists, tuples and named tuples, sets, dataclasses, pandas DataFrames; other values as
        they are. New containers, the input untouched."""
        if self.pattern is None:
            return obj
        return self._walk(obj)

    def _walk(self, obj: Any) -> Any:
        if isinstance(obj, str):
            return self(obj)
        if isinstance(obj, dict):
            return {(self(k) if isinstance(k, str) else k): self._walk(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self._walk(v) for v in obj]
        if isinstance(obj, tuple):
            walked = [self._walk(v) for v in obj]
            return type(obj)(*walked) if hasattr(obj, "_fields") else tuple(walked)
        if isinstance(obj, (set, frozenset)):
            return type(obj)(self._walk(v) for v in obj)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            changes = {
                f.name: self._walk(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init
            }
            return dataclasses.replace(obj, **changes)
        if type(obj).__name__ == "DataFrame" and hasattr(obj, "columns"):
            return self.frame(obj)
        return obj

    def rows(self, rows: dict[Any, Any]) -> dict[Any, Any]:
        """A dict of named-tuple rows (id -> row) with their text fields redacted, in place
        (only the rows that change are made again); returned."""
        if self.pattern is None:
            return rows
        for key, row in rows.items():
            changed = {
                name: new
                for name, value in row._asdict().items()
                if isinstance(value, str) and (new := self(value)) != value
            }
            if changed:
                rows[key] = row._replace(**changed)
        return rows

    def frame(self, frame: Any) -> Any:
        """A pandas DataFrame with every text cell (and column name) redacted (a copy)."""
        if self.pattern is None:
            return frame
        out = frame.copy()
        for column in out.columns:
            # Text of any dtype (object, str, string, category); numbers and dates have none.
            if out[column].dtype.kind not in "biufcmM":
                out[column] = out[column].map(self._walk)
        out.columns = [self(c) if isinstance(c, str) else c for c in out.columns]
        return out

    def graph(self, graph: Any) -> Any:
        """A networkx graph's graph, node and edge attributes redacted, in place; returned.

        Node keys are ids, never names (tracker.graphs), and are left as they are."""
        if self.pattern is None:
            return graph
        graph.graph.update(self._walk(dict(graph.graph)))
        for _, attrs in graph.nodes(data=True):
            attrs.update(self._walk(dict(attrs)))
        for *_, attrs in graph.edges(data=True):
            attrs.update(self._walk(dict(attrs)))
        return graph


@lru_cache(maxsize=1 << 14)
def _fold_form(written: str) -> str:
    # The same few forms match again and again (an export meets a public name holding part of
    # a withheld one tens of thousands of times); folding each anew was 13 % of a CSV export.
    return fold(written)


def _add(forms: dict[str, str], form: str, shown: str, withheld: str) -> None:
    key = fold(str(form))
    if len(key.replace(" ", "")) < _MIN_LENGTH or key == fold(shown):
        return
    if key in forms and forms[key] != shown:
        shown = withheld  # two withheld people share the form: name neither
    forms[key] = shown


NO_REDACTION = Redactor()

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
    words = {w for w in fold(text).split() if len(w) >= _MIN_LENGTH and w not in _PARTICLES}
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
    at scale L, once per data revision) is done on the other core meanwhile. The thread runs
    in a copy of the caller's context (its language). Leaving the block waits for the thread.

    Example:
        >>> with redactor_beside(engine, show_confidential=False) as made:  # doctest: +SKIP
        ...     rows = conn.execute(long_statement).all()
        ...     labels = [made()(name) for name in names]
    """
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(
            copy_context().run, redactor, engine, show_confidential=show_confidential
        )
        yield future.result


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
