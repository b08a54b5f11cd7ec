"""The results of slow analyses, kept in the database between server starts.

At scale L the Network and Indicators pages take 20-70 s to compute their results from the
rows; kept only in the server's memory, every server start paid that again on the first
view. Here an analysis that took longer than its caller's threshold writes what the pages
show (counts, the drawing, tables, figures, with the names as its viewer may see them) to
the ``stored_result`` table, and the next process reads them back instead of computing.

Privacy: a result is read only under the privacy revision it was computed under
(:func:`tracker.revision.current_pair`). A write that could reveal what it hid (a change of
confidentiality, name or pseudonym, a deletion, a restore) moves that revision, and from then
on the result is never read; the next save deletes it. Results never leave the database:
exports and backups skip the table.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from .. import revision
from ..models import StoredResult
from ..network_data import Filters
from . import codec

__all__ = ["META", "ResultStore", "Stored", "key_text", "scope_of"]

log = logging.getLogger(__name__)
_table = StoredResult.__table__  # type: ignore[attr-defined]
META = '{"t":["meta"]}'  # the key of an analysis' own facts: time taken, calls


def scope_of(filters: Filters, show_confidential: bool) -> str:
    """The hash naming one filter set and visibility in the table."""
    text = json.dumps([asdict(filters), show_confidential], sort_keys=True, default=list)
    return hashlib.sha256(text.encode()).hexdigest()


def key_text(key: tuple[Any, ...]) -> str:
    """A result's key as stored (its JSON)."""
    return codec.dumps(key)


@dataclass
class Stored:
    """What is stored of one scope at one data revision."""

    revision: int
    seconds: float = 0.0  # the time its results took to compute
    computed_at: float = 0.0  # when (epoch seconds)
    calls: list[Any] = field(default_factory=list)  # what was asked of it (analysis_cache)
    keys: set[str] = field(default_factory=set)  # the results stored


def _decoded(text: str) -> Any:
    """The stored value, or None when it cannot be read back (a row edited by hand, or
    written by a version that knew other types): it is then computed again, not shown."""
    try:
        return codec.loads(text)
    except (ValueError, TypeError, KeyError):
        log.warning("a stored result could not be read; it will be computed again", exc_info=True)
        return None


class ResultStore:
    """The stored results of one filter set and visibility."""

    def __init__(self, engine: Engine, filters: Filters, show_confidential: bool) -> None:
        self.engine = engine
        self.scope = scope_of(filters, show_confidential)

    def latest(self, rev: int, privacy: int) -> Stored | None:
        """The newest results stored at data revision ``rev`` or before, under privacy
        revision ``privacy``; None when there are none. One statement."""
        c = _table.c
        newest = (
            select(func.max(c.data_revision))
            .where(c.scope == self.scope, c.privacy_revision == privacy, c.key == META)
            .where(c.data_revision <= rev)
            .scalar_subquery()
        )
        # The keys, and the value of the meta row only (the others are read when used).
        stmt = select(c.key, c.data_revision, case((c.key == META, c.value))).where(
            c.scope == self.scope, c.privacy_revision == privacy, c.data_revision == newest
        )
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).all()
        except SQLAlchemyError:  # a database not upgraded yet: nothing stored
            log.warning("stored results unreadable", exc_info=True)
            return None
        if not rows:
            return None
        found = Stored(rows[0][1], keys={k for k, _, _ in rows} - {META})
        meta = _decoded(next(v for k, _, v in rows if k == META))
        if isinstance(meta, dict):
            try:
                found.seconds = float(meta.get("seconds", 0.0))
                found.computed_at = float(meta.get("computed_at", 0.0))
                found.calls = list(meta.get("calls", []))
            except (TypeError, ValueError):  # edited by hand: read as if quick, no calls
                found.seconds, found.computed_at, found.calls = 0.0, 0.0, []
        return found

    def load(self, rev: int, privacy: int, key: str) -> Any:
        """The result stored under ``key``, or None when there is none (no stored result is
        None: :class:`ResultStore` users store only computed values, never None)."""
        c = _table.c
        stmt = select(c.value).where(
            c.scope == self.scope, c.data_revision == rev, c.privacy_revision == privacy,
            c.key == key,
        )  # fmt: skip
        with self.engine.connect() as conn:
            text = conn.execute(stmt).scalars().first()
        return None if text is None else _decoded(text)

    def save(self, rev: int, privacy: int, results: dict[str, Any], meta: dict[str, Any]) -> bool:
        """Store ``results`` (key text -> value) and ``meta`` of revision ``rev``, in one
        transaction that also deletes this scope's older results and every result of an
        older privacy revision. Nothing is stored when the privacy revision has moved since
        (the results may show what must now be hidden), or a value cannot be encoded.
        Returns whether they were stored."""
        try:
            rows = [{"key": k, "value": codec.dumps(v)} for k, v in results.items()] + [
                {"key": META, "value": codec.dumps(meta)}
            ]
        except (TypeError, ValueError):
            log.warning("a result could not be stored", exc_info=True)
            return False
        c = _table.c
        try:
            with self.engine.begin() as conn:
                if revision.current_pair(conn)[1] != privacy:
                    return False
                conn.execute(
                    delete(_table).where(
                        or_(
                            c.privacy_revision < privacy,
                            and_(
                                c.scope == self.scope,
                                or_(
                                    c.data_revision < rev,
                                    and_(
                                        c.data_revision == rev,
                                        c.key.in_([r["key"] for r in rows]),
                                    ),
                                ),
                            ),
                        )
                    )
                )
                conn.execute(
                    insert(_table),
                    [
                        {"scope": self.scope, "data_revision": rev, "privacy_revision": privacy} | r
                        for r in rows
                    ],
                )
        except SQLAlchemyError:  # read-only database, not upgraded yet: compute next time
            log.warning("results could not be stored", exc_info=True)
            return False
        return True
