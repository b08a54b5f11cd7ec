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
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import case, event, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction

from .models import AUDITED_MODELS, AppUser, DataRevision

__all__ = ["bump", "current"]

_table = DataRevision.__table__  # type: ignore[attr-defined]
_ROW = 1
# Tables whose writes change what the analysis pages show (accounts do not).
_DATA_TABLES = frozenset(cls.__tablename__ for cls in AUDITED_MODELS if cls is not AppUser)
_WROTE = "tracker_data_written"


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


def _upsert(conn: Connection) -> None:
    now = _now()
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        ins = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(_table).values(
            id=_ROW, revision=now
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
        .where(_table.c.id == _ROW)
        .values(revision=case((raised > now, raised), else_=now))
    )
    if not done.rowcount:
        conn.execute(insert(_table).values(id=_ROW, revision=now))


def bump(bind: Connection | OrmSession) -> None:
    """Raise the data revision inside the caller's transaction (a Session, sqlmodel's
    included, or a Connection); it takes effect when that transaction commits."""
    if isinstance(bind, OrmSession):
        _upsert(bind.connection())
    else:
        _upsert(bind)


@event.listens_for(OrmSession, "before_flush")
def _note_data_write(session: OrmSession, _context: Any, _instances: Any) -> None:
    """Remember that this transaction writes case data (bumped once, at commit)."""
    if session.info.get(_WROTE):
        return
    for objects in (session.new, session.dirty, session.deleted):
        for obj in objects:
            if getattr(obj, "__tablename__", None) in _DATA_TABLES:
                session.info[_WROTE] = True
                return


@event.listens_for(OrmSession, "before_commit")
def _bump_on_commit(session: OrmSession) -> None:
    """Bump once per transaction that wrote case data, right before it commits."""
    session.flush()  # what commit would flush next; the flag is set by then
    if session.info.pop(_WROTE, False):
        bump(session)


@event.listens_for(OrmSession, "after_transaction_end")
def _forget(session: OrmSession, transaction: SessionTransaction) -> None:
    """A rolled-back (or committed) outermost transaction leaves nothing to bump."""
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
