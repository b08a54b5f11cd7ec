"""The SQL of tracker.network_data: one query per table, filters and privacy in SQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import fields
from operator import itemgetter
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.engine import Connection, Engine

from .. import privacy
from ..analysis.kept import Selection, Tables
from ..gc_pause import gc_paused
from .rows import (
    LABELLED,
    ActorRow,
    CaseRow,
    ChargeRow,
    ComplainantRow,
    CourtRow,
    EventRow,
    Filters,
    HearingRow,
    MeasureRow,
    NetworkData,
    PartyRow,
)

_a_t, _case_t, _party_t, _ch_t, _cc_t = (
    Tables.actor, Tables.case, Tables.party, Tables.charge, Tables.link
)
_a, _case, _party, _ch, _cc = _a_t.c, _case_t.c, _party_t.c, _ch_t.c, _cc_t.c
_hear, _meas, _ev = Tables.hearing.c, Tables.measure.c, Tables.event.c
_court = Tables.court.c
_voc = Tables.vocab.c


def _id(column: Any) -> Any:
    """Select an id column without turning it into a uuid.UUID.

    SQLite stores ids as 32 hex digits and hands them over as they are; parsing a million of
    them into UUID objects and back to text was half the load time at scale M. PostgreSQL's
    driver returns UUID objects whatever the SQL type, so :func:`_fetch` makes those hex too:
    ids are 32 hex digits (``uuid.UUID(...).hex``) on every database.
    """
    return type_coerce(column, String)


_first = itemgetter(0)
# Rows converted per round: the driver's rows of one round are freed before the next, so a
# table of a million rows never exists twice (as driver rows and as named tuples) at once.
_CHUNK = 20_000


def _fetch(
    conn: Connection,
    stmt: Any,
    cls: Any,
    ids: tuple[int, ...],
    memo: dict[Any, Any] | None = None,
    shared: tuple[int, ...] = (),
) -> list[Any]:
    """Run ``stmt`` and make a ``cls`` of each row, with the columns at ``ids`` as hex text.

    Values of the columns at ``shared`` (ids of other rows, codes, dates) go through ``memo``,
    so that equal values are one object: the driver makes a new string or date for every
    cell, and at scale L the copies of "pending" or of one case's id took most of the memory.
    """
    result = conn.execute(stmt)
    make = cls._make
    out: list[Any] = []
    hexed = ids if conn.dialect.name != "sqlite" else ()
    one = memo.setdefault if memo is not None else None
    while part := result.fetchmany(_CHUNK):
        columns = list(zip(*part, strict=True))
        del part
        for i in hexed:
            columns[i] = tuple(v if v is None or isinstance(v, str) else v.hex for v in columns[i])
        if one is not None:
            for i in shared:
                columns[i] = tuple([one(v, v) for v in columns[i]])
        out.extend(map(make, zip(*columns, strict=True)))
    return out


class _LoadSelection(Selection):
    """A :class:`Selection` with what one load remembers between its reads."""

    def __init__(self, filters: Filters, show_confidential: bool) -> None:
        super().__init__(filters, show_confidential)
        # value -> the one object of that value, for the whole load (see _fetch)
        self.memo: dict[Any, Any] = {}
        # Visible actors of the kept cases' parties, and who brought the kept charges (any
        # category), when the parties and charges were read: the actors to read.
        self.in_cases: set[str] | None = None
        self.filers: set[str] | None = None


# What load() can read; the complainant -> defender graph needs only GRAPH_PARTS.
PARTS = ("cases", "charges", "parties", "actors", "proceedings")
GRAPH_PARTS = ("cases", "charges", "actors")


def load(
    engine: Engine,
    filters: Filters | None = None,
    *,
    show_confidential: bool = False,
    parts: Iterable[str] = PARTS,
) -> NetworkData:
    """Read every row the graphs and indicators need, filtered and privacy-applied.

    Args:
        engine: the database.
        filters: what to keep (default: everything).
        show_confidential: real names of confidential people, and restricted records.
        parts: which of PARTS to read ("proceedings": hearings, measures, court events and
            courts); the others stay empty.

    Returns:
        The rows, one query per table.
    """
    q = _LoadSelection(filters or Filters(), show_confidential)
    wanted = set(parts)
    data = NetworkData()
    with gc_paused(), engine.connect() as conn:
        _read_vocab(conn, data)
        for name, read in (
            ("cases", _read_cases),
            ("charges", _read_charges),
            ("parties", _read_parties),
            ("actors", _read_actors),
            ("proceedings", _read_proceedings),
        ):
            if name in wanted:
                read(conn, q, data)
    # Sorted by id once, so graphs are built in the same node order and figures list their
    # rows in the same order on every run and database (Louvain depends on node order).
    for rows in (data.charges, data.complainants, data.parties, data.hearings, data.measures,
                 data.events):  # fmt: skip
        # Ids are unique, so the id alone orders the rows as the whole tuple would, and a
        # string key is compared about three times faster than a named tuple.
        rows.sort(key=_first)
    data.cases = dict(sorted(data.cases.items(), key=_first))
    data.actors = dict(sorted(data.actors.items(), key=_first))
    return data


class PartReader:
    """:class:`NetworkData` read part by part, each part once, on first use (thread-safe).

    ``read(parts)`` is :func:`load` with the caller's filters and visibility. The vocabulary
    comes with any read; ``need()`` with no part reads only the vocabulary (the labels a
    caption needs), so a chart drawn from aggregates reads no rows at all.
    """

    def __init__(self, read: Callable[[tuple[str, ...]], NetworkData]) -> None:
        self._read = read
        self._parts: set[str] = set()
        self._lock = threading.RLock()
        self.data = NetworkData()

    @property
    def parts(self) -> frozenset[str]:
        """The parts read so far."""
        return frozenset(self._parts)

    def reset(self) -> None:
        """Forget every row read (they are read again when next needed)."""
        with self._lock:
            self.data = NetworkData()
            self._parts.clear()

    def need(self, *parts: str) -> NetworkData:
        """The data with at least these parts of PARTS (and the vocabulary) read."""
        with self._lock:
            missing = tuple(p for p in PARTS if p in parts and p not in self._parts)
            if missing or not self.data.vocab:
                more = self._read(missing)
                for name in (f.name for f in fields(NetworkData)):
                    value = getattr(more, name)
                    if value:
                        setattr(self.data, name, value)
                self._parts.update(missing)
        return self.data


def _read_vocab(conn: Connection, data: NetworkData) -> None:
    rows = conn.execute(
        select(_voc.vocabulary, _voc.code, _voc.label_en, _voc.label_es, _voc.parent_code)
        .where(_voc.vocabulary.in_(LABELLED))
        .order_by(_voc.vocabulary, _voc.sort_order, _voc.code)
    )
    for vocabulary, code, en, es, parent in rows:
        data.vocab.setdefault(vocabulary, {})[code] = (en, es, parent)


def _read_cases(conn: Connection, q: _LoadSelection, data: NetworkData) -> None:
    stmt = select(
        _id(_case.id), _case.title, _case.case_number, _case.region, _case.context,
        _case.judicial_district, _id(_case.court_id), _case.status, _case.opened_on,
        _case.opened_on_precision, _case.is_synthetic,
    ).where(*q.case_ok())  # fmt: skip
    data.cases = {
        row.id: row for row in _fetch(conn, stmt, CaseRow, (0, 6), q.memo, (0, 3, 4, 5, 6, 7, 8, 9))
    }


def _ids(conn: Connection, stmt: Any) -> set[str]:
    """The ids one column of ``stmt`` selects, as hex text."""
    return {v if isinstance(v, str) else v.hex for v in conn.execute(stmt).scalars() if v}


def _read_charges(conn: Connection, q: _LoadSelection, data: NetworkData) -> None:
    stmt = select(
        _id(_ch.id), _id(_ch.case_id), _id(_ch.defendant_id), _ch.charge_type, _ch.filed_on,
        _ch.filed_on_precision, _ch.status, _ch.outcome, _ch.outcome_on,
        _ch.outcome_on_precision, _ch.sentence_requested_months, _ch.sentence_imposed_months,
    ).where(*q.kept_charge())  # fmt: skip
    data.charges = _fetch(conn, stmt, ChargeRow, (0, 1, 2), q.memo, tuple(range(12)))
    # Every link by a visible complainant, kept when its charge is (a set lookup here, instead
    # of looking each link's charge, case and people up in SQL).
    links = select(_id(_cc.id), _id(_cc.charge_id), _id(_cc.actor_id)).where(
        *q.visible_id(_cc.actor_id)
    )
    kept = {c.id for c in data.charges}
    found = [
        link
        for link in _fetch(conn, links, ComplainantRow, (0, 1, 2), q.memo, (1, 2))
        if link.charge_id in kept
    ]
    del kept
    # Who brought a kept charge, whatever their category: the actors to read.
    q.filers = {link.actor_id for link in found}
    if q.f.complainant_categories:
        allowed = _ids(conn, select(_id(_a.id)).where(*q.complainant_ok(_a_t)))
        found = [link for link in found if link.actor_id in allowed]
    data.complainants = found


def _read_parties(conn: Connection, q: _LoadSelection, data: NetworkData) -> None:
    stmt = (
        select(
            _id(_party.id), _id(_party.case_id), _id(_party.actor_id), _party.role,
            _party.start_date, _party.end_date,
        )
        .where(*q.kept_case(_party.case_id), *q.visible_id(_party.actor_id))
    )  # fmt: skip
    data.parties = _fetch(conn, stmt, PartyRow, (0, 1, 2), q.memo, (1, 2, 3, 4, 5))
    q.in_cases = {p.actor_id for p in data.parties}


def _read_actors(conn: Connection, q: _LoadSelection, data: NetworkData) -> None:
    # Actors who take part in a kept case, or who brought a kept charge.
    in_cases = q.in_cases
    if in_cases is None:
        in_cases = _ids(conn, select(_id(_party.actor_id)).where(*q.kept_case(_party.case_id)))
    filers = q.filers
    if filers is None:
        filers = _ids(
            conn,
            select(_id(_cc.actor_id))
            .select_from(_cc_t.join(_ch_t, _ch.id == _cc.charge_id))
            .where(*q.kept_charge()),
        )
    wanted = in_cases | filers
    stmt = select(
        _id(_a.id), privacy.name_column(show_confidential=q.show), _a.kind, _a.is_defender,
        _a.complainant_category, _a.region, _a.is_synthetic,
    ).where(*q.visible_id(_a.id))  # fmt: skip
    data.actors = {
        row.id: row
        for row in _fetch(conn, stmt, ActorRow, (0,), q.memo, (0, 2, 4, 5))
        if row.id in wanted
    }


def _read_proceedings(conn: Connection, q: _LoadSelection, data: NetworkData) -> None:
    hearings = select(
        _id(_hear.id), _id(_hear.case_id), _id(_hear.court_id), _hear.scheduled_at, _hear.result,
    ).where(*q.kept_case(_hear.case_id))  # fmt: skip
    data.hearings = _fetch(conn, hearings, HearingRow, (0, 1, 2), q.memo, (1, 2, 3, 4))
    measures = select(
        _id(_meas.id), _id(_meas.case_id), _id(_meas.defendant_id), _meas.kind,
        _meas.ordered_on, _meas.annulled_on,
    ).where(*q.kept_case(_meas.case_id), *q.visible_id(_meas.defendant_id))  # fmt: skip
    data.measures = _fetch(conn, measures, MeasureRow, (0, 1, 2), q.memo, (1, 2, 3, 4, 5))
    events = select(
        _id(_ev.id), _id(_ev.case_id), _ev.event, _ev.on_date, _ev.on_date_precision,
        _ev.judicial_district,
    ).where(*q.kept_case(_ev.case_id))  # fmt: skip
    data.events = _fetch(conn, events, EventRow, (0, 1), q.memo, (1, 2, 3, 4, 5))
    # Courts of the kept hearings and cases.
    used = {h.court_id for h in data.hearings}
    if data.cases:
        used |= {c.court_id for c in data.cases.values()}
    else:
        used |= _ids(conn, select(_id(_case.court_id)).where(*q.case_ok()))
    courts = select(_id(_court.id), _court.name, _court.judicial_district)
    data.courts = {
        row.id: row
        for row in _fetch(conn, courts, CourtRow, (0,), q.memo, (0, 2))
        if row.id in used
    }


def filter_options(
    engine: Engine, *, show_confidential: bool = False, lang: str = "en"
) -> dict[str, Any]:
    """The values the filter widgets offer: years, regions, contexts, vocabulary codes and the
    labels of those codes in ``lang`` (under "labels").

    Two queries: the regions, contexts and opening dates come from one GROUP BY over the
    cases (a few hundred groups at scale L) instead of three scans of the case table.
    """
    visible = privacy.visible_cases(show_confidential=show_confidential)
    with engine.connect() as conn:
        groups = conn.execute(
            select(
                _case.region, _case.context, func.min(_case.opened_on), func.max(_case.opened_on)
            )
            .where(visible)
            .group_by(_case.region, _case.context)
        ).all()
        label = _voc.label_es if lang == "es" else _voc.label_en
        terms = conn.execute(
            select(_voc.vocabulary, _voc.code, label)
            .where(_voc.vocabulary.in_(("charge_type", "complainant_category")), _voc.active)
            .order_by(_voc.vocabulary, _voc.sort_order)
        ).all()
    firsts = [g[2] for g in groups if g[2] is not None]
    lasts = [g[3] for g in groups if g[3] is not None]
    first, last = min(firsts, default=None), max(lasts, default=None)
    return {
        "regions": sorted({g[0] for g in groups if g[0] is not None}),
        "contexts": sorted({g[1] for g in groups if g[1] is not None}),
        "years": [first.year, last.year] if first and last else [],
        "charge_types": [c for v, c, _ in terms if v == "charge_type"],
        "complainant_categories": [c for v, c, _ in terms if v == "complainant_category"],
        "labels": {c: text for _, c, text in terms},
    }


def _month(engine: Engine, column: Any) -> Any:
    """SQL: a date column as its month, "YYYY-MM" text (NULL stays NULL)."""
    if engine.dialect.name == "sqlite":
        return func.substr(column, 1, 7)  # SQLite keeps dates as "YYYY-MM-DD" text
    return func.to_char(column, "YYYY-MM")


def charge_filings(
    engine: Engine, filters: Filters | None = None, *, show_confidential: bool = False
) -> list[tuple[str, str | None, str, int]]:
    """How many of the charges :func:`load` would read were filed in each month, per type.

    One GROUP BY with the very conditions of :func:`load`'s charge read, so the counts are
    those of its rows without reading a row per charge (a million at scale L). The month is
    grouped in SQL: per day there would be some 30,000 groups at scale M.

    Returns:
        (charge type, month of filing as "YYYY-MM" or None, the precision the filing date
        is known to, number of charges), sorted.
    """
    q = Selection(filters or Filters(), show_confidential)
    month = _month(engine, _ch.filed_on)
    stmt = (
        select(month, _ch.filed_on_precision, _ch.charge_type, func.count())
        .where(*q.kept_charge())
        .group_by(month, _ch.filed_on_precision, _ch.charge_type)
    )
    with engine.connect() as conn:
        rows = [(t, m, p, int(n)) for m, p, t, n in conn.execute(stmt)]
    # Stable order on every database (unknown months first).
    rows.sort(key=lambda r: (r[0], r[1] is not None, r[1] or "", r[2]))
    return rows


def any_synthetic_case(
    engine: Engine, filters: Filters | None = None, *, show_confidential: bool = False
) -> bool:
    """Whether any case :func:`load` would read comes from the demo generator (one query)."""
    q = Selection(filters or Filters(), show_confidential)
    stmt = select(_case.id).where(*q.case_ok(), _case.is_synthetic.is_(True)).limit(1)
    with engine.connect() as conn:
        return conn.execute(stmt).first() is not None
