"""The data revision: a number in the database that changes whenever case data is written.

Readers that cache what they computed from the data (the Network, Indicators and Reports
pages) key their caches on :func:`current`, one primary-key read, instead of guessing with a
time-to-live: a write is seen on the very next rerun, and nothing is recomputed while nothing
changed.

Who raises it:

- every ORM transaction that creates, updates or deletes a row of case data (the audited
  tables except accounts), automatically: a ``before_flush`` hook notes the write and a
  ``before_commit`` hook bumps the revision once, just before the commit, in the same
  transaction (so a rolled-back write changes nothing, and the row is locked only for the
  moment of the commit, not for a whole long import);
- Core-level writers call :func:`bump` themselves in their transaction: the demo generator,
  backup restore, bulk writers.

The number is ``max(previous + 1, microseconds since the epoch)``: it only grows, also across
a restore of an older backup or a database made again under the same URL, so a cache entry
of an older state of the data is never taken for the new one. Account changes (logins,
passwords) are not case data and do not raise it.

Beside it, a second row (id 2) holds the *privacy revision*, raised only by the writes that
could make a name or a record visible in an older result that may not be shown now: a change
of a person's or a case's confidentiality, name or pseudonym, and any deletion (Core writers
raise it every time, as they may do any of these). The pages' cached results are keyed by
both (:mod:`tracker.ui.analysis_reads`).
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import case, event, insert, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction

from .models import AUDITED_MODELS, AppUser, DataRevision

__all__ = ["PRIVACY_FIELDS", "bump", "current", "current_pair"]

_table = DataRevision.__table__  # type: ignore[attr-defined]
_ROW = 1
_PRIVACY_ROW = 2
# Attributes of people and cases whose change can reveal what an older result hid.
PRIVACY_FIELDS = frozenset({"confidentiality", "name", "pseudonym"})
_PRIVACY_TABLES = frozenset({"actor", "court_case"})
# Tables whose writes change what the analysis pages show (accounts do not).
_DATA_TABLES = frozenset(cls.__tablename__ for cls in AUDITED_MODELS if cls is not AppUser)
_WROTE = "tracker_data_written"
_PRIVATE = "tracker_privacy_written"


def _now() -> int:
    return time.time_ns() // 1000


def current(bind: Engine | Connection | OrmSession) -> int:
    """The data revision (0 on a new database until its first write makes the row)."""
    stmt = select(_table.c.revision).where(_table.c.id == _ROW)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            value = conn.execute(stmt).scalar()
    elif isinstance(bind, OrmSession):
        value = bind.connection().execute(stmt).scalar()
    else:
        value = bind.execute(stmt).scalar()
    return int(value or 0)


def current_pair(bind: Engine | Connection) -> tuple[int, int]:
    """The data revision and the privacy revision, in one read (0 for a row not made yet)."""
    stmt = select(_table.c.id, _table.c.revision).where(_table.c.id.in_((_ROW, _PRIVACY_ROW)))
    found: dict[int, int]
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            found = dict(conn.execute(stmt).all())
    else:
        found = dict(bind.execute(stmt).all())
    return int(found.get(_ROW) or 0), int(found.get(_PRIVACY_ROW) or 0)


def _upsert(conn: Connection, row: int = _ROW) -> None:
    now = _now()
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        ins = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(_table).values(
            id=row, revision=now
        )
        raised = _table.c.revision + 1
        conn.execute(
            ins.on_conflict_do_update(
                index_elements=[_table.c.id],
                set_={
                    "revision": case(
                        (raised > ins.excluded.revision, raised), else_=ins.excluded.revision
                    )
                },
            )
        )
        return
    raised = _table.c.revision + 1
    done = conn.execute(
        update(_table)
        .where(_table.c.id == row)
        .values(revision=case((raised > now, raised), else_=now))
    )
    if not done.rowcount:
        conn.execute(insert(_table).values(id=row, revision=now))


def bump(bind: Connection | OrmSession, *, privacy: bool = True) -> None:
    """Raise the data revision inside the caller's transaction (a Session, sqlmodel's
    included, or a Connection); it takes effect when that transaction commits.

    ``privacy`` raises the privacy revision too. It is the default because a Core writer
    (restore, demo) may change confidentiality or delete rows; the ORM hook, which sees what
    changed, and the bulk importer, which only adds rows, pass False when nothing of the
    kind was written.
    """
    conn = bind.connection() if isinstance(bind, OrmSession) else bind
    _upsert(conn)
    if privacy:
        _upsert(conn, _PRIVACY_ROW)


def _reveals(obj: Any, deleted: bool) -> bool:
    """Whether writing ``obj`` could reveal, in an older result, what may not be shown now."""
    if deleted:
        return True
    if getattr(obj, "__tablename__", None) not in _PRIVACY_TABLES:
        return False
    state = inspect(obj)
    return any(state.attrs[f].history.has_changes() for f in PRIVACY_FIELDS if f in state.attrs)


@event.listens_for(OrmSession, "before_flush")
def _note_data_write(session: OrmSession, _context: Any, _instances: Any) -> None:
    """Remember that this transaction writes case data, and whether it could reveal what an
    older result hid (bumped once, at commit)."""
    if session.info.get(_PRIVATE):
        return
    # A new row was in no older result: only changes and deletions can reveal.
    for objects, new, deleted in (
        (session.new, True, False),
        (session.dirty, False, False),
        (session.deleted, False, True),
    ):
        for obj in objects:
            if getattr(obj, "__tablename__", None) not in _DATA_TABLES:
                continue
            session.info[_WROTE] = True
            if not new and _reveals(obj, deleted):
                session.info[_PRIVATE] = True
                return


@event.listens_for(OrmSession, "before_commit")
def _bump_on_commit(session: OrmSession) -> None:
    """Bump once per transaction that wrote case data, right before it commits."""
    session.flush()  # what commit would flush next; the flags are set by then
    private = session.info.pop(_PRIVATE, False)
    if session.info.pop(_WROTE, False):
        bump(session, privacy=private)


@event.listens_for(OrmSession, "after_transaction_end")
def _forget(session: OrmSession, transaction: SessionTransaction) -> None:
    """A rolled-back (or committed) outermost transaction leaves nothing to bump."""
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
        session.info.pop(_PRIVATE, None)
