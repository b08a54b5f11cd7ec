"""The charges' sums per (defendant, case) and per (complainant, defendant, case), and each
case's defendants and complainants, kept in tables per data revision
(:mod:`tracker.models.analysis`) and read through the filters.

Every indicator counted in charges starts from these sums (tracker.analysis.charges); mass
prosecution counts each case's defendants, and the cases, hearings and measures per
complainant read who brought whom to court in which case (tracker.analysis.units). Summing a
million charges and joining them to a million complainant links took half of the 12 s of the
indicators at scale L, on every read. Here it is done once per data revision, in one
INSERT…SELECT per table, and each read filters 270,000 and 310,000 rows instead.

The tables hold every record, whatever its confidentiality, as ids and numbers. They can
stand for the kept charges whenever the filters keep or drop whole (defendant, case) pairs:
visibility (hidden cases and people), the period, regions, contexts. A filter on single
charges (charge type, complainant category, demo records left out) changes the sums
themselves: then :func:`for_selection` gives None and the indicators sum the kept charges as
before.

Freshness: the tables are made at the revision :func:`tracker.revision.current` reads, first
as temporary tables (a read: no writer waits meanwhile), then copied in one short write
transaction that first checks no one made them since. A write that lands during the making
leaves them at the older revision, so the next read makes them again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    Column,
    MetaData,
    Table,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from .. import revision
from ..models.analysis import (
    CASE_COMPLAINANTS,
    CASE_SUMS,
    MADE_TABLES,
    OWN_SUMS,
    PAIR_SUMS,
    SUMMED_COLUMNS,
    SUMS_STATE,
)
from .kept import UNKNOWN, Selection, hidden_actors, hidden_cases

__all__ = ["RevisionSums", "for_selection", "make_if_stale"]

_log = logging.getLogger(__name__)
_STATE_ROW = 1
_SUMS = (*SUMMED_COLUMNS, "first", "last", "ended")


def usable(q: Selection) -> bool:
    """Whether the filters keep whole (defendant, case) pairs, so the stored sums apply."""
    f = q.f
    return f.include_synthetic and not f.charge_types and not f.complainant_categories


class RevisionSums:
    """The stored sums of one filter set and visibility, as SQL (see the module docstring)."""

    def __init__(self, q: Selection) -> None:
        self.q = q

    def _kept(self, table: Table) -> list[Any]:
        """The conditions on a table of sums: its case kept, its people visible (for a viewer
        its "hidden" flag, made with the sums, instead of each id looked up among the hidden
        ones; the filters on cases as for the charges)."""
        q, c = self.q, table.c
        out = q.kept_case(c.case_id) if q.cases_narrowed() else []
        if not q.show:
            out.append(c.hidden == 0)
        return out

    def own(self) -> Any:
        """(key "", defendant_id, case_id, then the sums tracker.analysis.charges names) per
        kept (defendant, case)."""
        c = OWN_SUMS.c
        return select(
            literal(UNKNOWN).label("key"), c.defendant_id, c.case_id, *(c[n] for n in _SUMS)
        ).where(*self._kept(OWN_SUMS))

    def pairs(self) -> Any:
        """(key: the complainant's id, defendant_id, case_id, then the sums) per kept
        (complainant, defendant, case) whose complainant this viewer may see."""
        c = PAIR_SUMS.c
        return select(
            c.complainant_id.label("key"), c.defendant_id, c.case_id, *(c[n] for n in _SUMS)
        ).where(*self._kept(PAIR_SUMS))

    def massive_cases(self, threshold: int) -> Any:
        """(case_id) of the kept cases with at least ``threshold`` defendants this viewer
        may see."""
        c = CASE_SUMS.c
        defendants = c.defendants if self.q.show else c.defendants_public
        return select(c.case_id).where(*self._kept(CASE_SUMS), defendants >= threshold)

    def case_complainants(self) -> Any:
        """(case_id, complainant_id) of the kept cases, each complainant this viewer may see
        who brought a charge in the case against a defendant this viewer may see, once."""
        c = CASE_COMPLAINANTS.c
        seen = [] if self.q.show else [c.defendants_public > 0]
        return select(c.case_id, c.complainant_id).where(*self._kept(CASE_COMPLAINANTS), *seen)

    def complained(self) -> Any:
        """(key "", the kept charges a complainant this viewer may see brought)."""
        c = OWN_SUMS.c
        column = c.complained if self.q.show else c.complained_public
        return select(literal(UNKNOWN).label("key"), func.coalesce(func.sum(column), 0)).where(
            *self._kept(OWN_SUMS)
        )


# ``make`` of :func:`make_if_stale`: given each made table's temporary twin, the SELECT that
# fills each made table, in the order of MADE_TABLES; a SELECT may read the twins of the
# tables before it.
Make = Callable[[dict[Table, Table]], list[tuple[Table, Any]]]


def for_selection(engine: Engine, q: Selection, make: Make) -> RevisionSums | None:
    """The stored sums for this selection, made first if the data changed since they were;
    None when the filters change the sums (:func:`usable`) or they cannot be made here
    (a database without the tables, or one this process may not write)."""
    if not usable(q):
        return None
    return RevisionSums(q) if make_if_stale(engine, make) else None


def make_if_stale(engine: Engine, make: Make) -> bool:
    """Make the tables again unless they are of the current data revision; whether they are
    now. ``make``: tracker.analysis.charges.ChargeNumbers.revision_sums_statements."""
    try:
        with engine.connect() as conn:
            now = revision.current(conn)
            if _made_at(conn) == now:
                return True
            _make(conn, now, make)
        return True
    except DBAPIError as error:
        # The indicators are then summed from the charges, as without these tables.
        _log.warning("analysis sums not made (%s): summing the charges instead", error)
        return False


def _hidden(made: Any, *, sqlite: bool) -> Any:
    """SQL: 1 when a viewer may not see the case, the defendant or the complainant of a row
    of ``made`` (those of its id columns it has), else 0: the column "hidden" of the sums.
    The same conditions as :meth:`tracker.analysis.kept.Selection.kept_case` and
    ``visible_id`` for a viewer (tracker.privacy)."""
    ids = [(made.c.case_id, hidden_cases())] + [
        (made.c[name], hidden_actors())
        for name in ("defendant_id", "complainant_id")
        if name in made.c
    ]
    if sqlite:
        # Each id looked up in the short list of hidden ones, an index SQLite builds once.
        hidden = [column.in_(among) for column, among in ids]
    else:
        # PostgreSQL scanned an IN list in a SELECT's columns for each row (see
        # tracker.analysis.charges): each id looked up by its primary key instead (the
        # lists of hidden ids are uncorrelated; this one is correlated to the row).
        hidden = [
            exists(among.where(among.selected_columns[0] == column).correlate(made))
            for column, among in ids
        ]
    return case((or_(*hidden), 1), else_=0).label("hidden")


def _columns(table: Table) -> list[Column]:  # type: ignore[type-arg]
    return [Column(c.name, c.type, nullable=c.nullable) for c in table.c]


def _made_at(conn: Connection) -> int | None:
    stmt = select(SUMS_STATE.c.revision).where(SUMS_STATE.c.id == _STATE_ROW)
    return conn.execute(stmt).scalar()


def _make(conn: Connection, now: int, make: Make) -> None:
    temp = MetaData()
    twins = {
        t: Table(f"tmp_{t.name}", temp, *_columns(t), prefixes=["TEMPORARY"]) for t in MADE_TABLES
    }
    # Made in temporary tables first: reading only, so the app's writers never wait for the
    # seconds this takes at scale L; the copy below holds the write lock a moment.
    temp.create_all(conn)
    try:
        sqlite = conn.dialect.name == "sqlite"
        for table, stmt in make(twins):
            # The SELECT's columns are the table's, in order, but for "hidden", the last column
            # of each made table (tracker.models.analysis), made here.
            names = [c.name for c in table.c]
            made = select(
                *(c.label(n) for c, n in zip(stmt.subquery().c, names[:-1], strict=True))
            ).subquery("made")
            stmt = select(*made.c, _hidden(made, sqlite=sqlite))
            conn.execute(insert(twins[table]).from_select(names, stmt))
        conn.commit()
        # The first statement writes, so SQLite takes its write lock before reading anything
        # (a read first could not be turned into a write once another writer committed).
        locked = conn.execute(
            update(SUMS_STATE)
            .where(SUMS_STATE.c.id == _STATE_ROW)
            .values(revision=SUMS_STATE.c.revision)
        ).rowcount
        made = _made_at(conn)
        if made is not None and made >= now:  # made meanwhile, by another process
            conn.rollback()
            return
        for table, twin in twins.items():
            conn.execute(delete(table))
            conn.execute(insert(table).from_select([c.name for c in table.c], select(twin)))
        if locked:
            conn.execute(
                update(SUMS_STATE).where(SUMS_STATE.c.id == _STATE_ROW).values(revision=now)
            )
        else:
            conn.execute(insert(SUMS_STATE).values(id=_STATE_ROW, revision=now))
        conn.commit()
    finally:
        conn.rollback()
        temp.drop_all(conn)
        conn.commit()
