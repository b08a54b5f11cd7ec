"""The numbers of every indicator computed in the database: GROUP BY, not rows in Python.

Each figure's value, numerator, denominator and details come from one statement: per unit
(charges: :mod:`tracker.analysis.charges`; cases, hearings, measures:
:mod:`tracker.analysis.units`) and grouping asked for a part of a UNION ALL, over the rows
:class:`tracker.analysis.kept.KeptRows` keeps, so the parts share the common table
expressions they read (the complainants' pairs above all, the costly join at scale L).
Medians are computed in SQL too (window functions); what stays in Python is the last
arithmetic on one row per group (:mod:`tracker.analysis.results`).

This is the one implementation: the pages, ``python -m tracker indicators`` and the charts
call :func:`figures` / :class:`Aggregates`. The records behind one number are read on
demand with the same filter (:mod:`tracker.analysis.records`)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.engine import Connection, Engine

from .. import dates, privacy
from ..gc_pause import gc_paused
from . import results as res
from . import revision_sums
from .charges import ChargeNumbers
from .definitions import INDICATORS, MASS_THRESHOLD, Figure, group_label_text
from .kept import UNKNOWN, Filters, KeptRows, Tables, count_if
from .outcomes import PENDING
from .requests import asked_by_charge, covering
from .results import DefenderSpan
from .revision_sums import RevisionSums
from .units import Numbers

__all__ = ["Aggregates", "DefenderSpan", "figures", "figures_page"]

_court = Tables.court.c
_actor = Tables.actor.c
# Ids bound in one IN list (SQLite allows 32,766 bound values since 3.32).
_ID_BATCH = 5000
_voc = Tables.vocab.c


class Aggregates(ChargeNumbers):
    """The indicator numbers of one filter set and visibility, from SQL.

    Args:
        engine: the database.
        filters: what to keep (as for network_data.load).
        show_confidential: whether restricted records count.
        today: the day pending prosecutions and due hearings are counted to.
        mass_threshold: defendants from which a case is a mass prosecution.
    """

    def __init__(
        self,
        engine: Engine,
        filters: Filters | None = None,
        *,
        show_confidential: bool = False,
        today: date | None = None,
        mass_threshold: int = MASS_THRESHOLD,
    ) -> None:
        self.engine = engine
        self.kept = KeptRows(engine, filters or Filters(), show_confidential)
        self.show_confidential = show_confidential
        self.today = today or date.today()
        self.threshold = mass_threshold
        # grouping -> the spans of its defenders, per group (read by spans() when asked)
        self._spans_by_group: dict[str, dict[str, list[DefenderSpan]]] = {}
        self._numbers: Numbers = {}
        self._actor_names: dict[str, str] = {}  # id -> name, of the actors named so far
        self._asked_names: set[str] = set()  # ids looked up (hidden ones have no name)
        self._pa: Any = None  # the CTEs of the statement numbers() is building
        self._ctes: dict[str, Any] = {}
        self._charges_overall = False
        self._with_charges = False
        self._complained = 0
        self._stored: RevisionSums | None = None
        self._cover: Any = None
        self._asked: Any = None

    def numbers(self, group_bys: Iterable[str]) -> Numbers:
        """Per grouping: indicator code -> group key -> the figure's Result (no row ids).

        Each grouping lists the indicators that support it, each with every group that
        holds at least one of its units ("overall" always has its one group, ""). The
        charges' numbers are one statement, and the cases', hearings' and measures' another,
        each a UNION ALL of its units and groupings; both run at once (:meth:`_run_all`).
        """
        asked = tuple(dict.fromkeys(group_bys))
        by_unit: dict[str, list[str]] = defaultdict(list)
        for g in asked:
            for unit in dict.fromkeys(i.unit for i in INDICATORS if g in i.groupings):
                by_unit[unit].append(g)
        units = {"charge": (self._charge_statements, self._charge_results),
                 "case": (self._case_statements, self._case_results),
                 "hearing": (self._hearing_statements, self._hearing_results),
                 "measure": (self._measure_statements, self._measure_results)}  # fmt: skip
        # Two statements, run at once on two connections (two cores): the charges', and the
        # cases', hearings' and measures'. Within each, every part is one UNION ALL, so the
        # CTEs it shares (the complainants' pairs "pa" above all) are computed once.
        parts = [u for u in (("charge",), ("case", "hearing", "measure")) if set(u) & set(by_unit)]
        # The charges' sums per (defendant, case) and per complainant, from the tables made
        # once per data revision when the filters allow (tracker.analysis.revision_sums).
        # Hearings read them only per complainant: the postponement rate per case or court
        # alone does not make them after an edit.
        wanted = set(by_unit) - {"hearing"} or "complainant" in by_unit.get("hearing", ())
        self._stored = (
            revision_sums.for_selection(self.engine, self.kept.q, self.revision_sums_statements)
            if wanted
            else None
        )
        if not self._beside():
            parts = [tuple(u for part in parts for u in part)]
        charges_overall = "overall" in by_unit.get("charge", ())
        batches = []
        for part in parts:
            self._pa, self._ctes = None, {}
            self._with_charges = "charge" in part
            self._charges_overall = charges_overall and "charge" in part
            self._cover = select(covering(self.kept)).cte("cover").prefix_with("MATERIALIZED")
            self._asked = asked_by_charge(self._cover)
            batches.append(
                {
                    (unit, g): stmt
                    for unit in part
                    for g, stmt in units[unit][0](by_unit.get(unit, [])).items()
                }
            )
        if charges_overall:
            # In the last statement: the other one's when the charges' runs beside it.
            batches[-1][("charge", "complained")] = self._complained_statement()
        found = self._run_all(batches)
        complained = found.pop(("charge", "complained"), {})
        self._complained = complained.get(UNKNOWN, (0,))[0]
        out: Numbers = {g: {} for g in asked}
        for unit, groupings in by_unit.items():
            for g, codes in units[unit][1]({g: found[unit, g] for g in groupings}).items():
                out[g] |= codes
        order = [i.code for i in INDICATORS]
        return {g: {c: out[g][c] for c in order if c in out[g]} for g in asked}

    def _beside(self) -> bool:
        """Whether statements may run at once on two connections: not on an in-memory SQLite
        database, where each connection has its own (empty) database."""
        url = self.engine.url
        return url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:")

    def _run_all(
        self, batches: list[dict[tuple[str, str], Any]]
    ) -> dict[tuple[str, str], dict[str, tuple[Any, ...]]]:
        """Run each batch of statements (:meth:`_run`) on its own connection, at once: the
        database works on both while this thread waits (sqlite3 and psycopg release the
        interpreter during a statement). Each figure comes from one statement, so each is
        whole; an edit saved in the instant between the two starts may count in one unit's
        figures and not yet in another's, as it would on the page's next rerun."""

        def run(statements: dict[tuple[str, str], Any]) -> Any:
            with self.engine.connect() as conn:
                return self._run(conn, statements)

        found: dict[tuple[str, str], dict[str, tuple[Any, ...]]] = {}
        with gc_paused():
            if len(batches) == 1:
                return run(batches[0])
            with ThreadPoolExecutor(len(batches)) as pool:
                for part in pool.map(run, batches):
                    found |= part
        return found

    def figures_page(
        self, group_by: str, lang: str | None, start: int = 0, count: int | None = None
    ) -> tuple[list[Figure], int]:
        """Figures ``start`` to ``start + count`` of a grouping, in the order of
        INDICATORS (indicators, then groups by label), and how many there
        are. The numbers of a grouping are computed once per instance."""
        self.prepare([group_by])
        numbers = self._numbers[group_by]
        names = self.labels(group_by, {k for per in numbers.values() for k in per}, lang)
        order = sorted(names, key=lambda k: (k == UNKNOWN, names[k].casefold(), k))
        figures: list[Figure] = []
        end = None if count is None else start + count
        position = 0
        for ind in INDICATORS:
            per = numbers.get(ind.code)
            if per is None:
                continue
            keys = [k for k in order if k in per]
            first = max(start - position, 0)
            last = len(keys) if end is None else max(min(end - position, len(keys)), 0)
            position += len(keys)
            for key in keys[first:last]:
                r = per[key]
                figures.append(
                    Figure(ind.code, group_by, key, names[key], r.value, r.numerator,
                           r.denominator, r.details)
                )  # fmt: skip
        return figures, position

    def prepared(self, group_bys: Iterable[str]) -> bool:
        """Whether the numbers of these groupings are computed already."""
        return all(g in self._numbers for g in group_bys)

    def prepare(self, group_bys: Iterable[str]) -> None:
        """Compute the numbers of these groupings together (one statement per kind for all)."""
        missing = [g for g in group_bys if g not in self._numbers]
        if missing:
            self._numbers |= self.numbers(missing)

    def labels(self, group_by: str, keys: set[str], lang: str | None) -> dict[str, str]:
        """How each group is named (tracker.indicators.group_label, names read in SQL)."""
        found: dict[str, str] = {}
        if group_by in ("complainant", "case", "court") and keys - {UNKNOWN}:
            found = self.names(group_by, keys - {UNKNOWN})
        elif group_by == "region":
            # A region is typed text: it may hold a withheld name (tracker.privacy).
            redact = privacy.redactor(self.engine, show_confidential=self.show_confidential)
            found = {k: redact(k) for k in keys - {UNKNOWN}}
        elif group_by == "charge_type":
            label = _voc.label_es if lang == "es" else _voc.label_en
            stmt = select(_voc.code, label).where(_voc.vocabulary == "charge_type")
            with self.engine.connect() as conn:
                found = dict(conn.execute(stmt).all())
        return {k: group_label_text(group_by, k, found.get(k), lang) for k in keys}

    def names(self, kind: str, ids: set[str]) -> dict[str, str]:
        """id -> the name this viewer may see, of actors ("complainant", "defender"),
        kept cases ("case") or courts ("court"); free text redacted (tracker.privacy)."""
        redact = privacy.redactor(self.engine, show_confidential=self.show_confidential)
        return redact.value(self._names(kind, ids))

    def _names(self, kind: str, ids: set[str]) -> dict[str, str]:
        kept = self.kept
        if kind in ("complainant", "defender"):
            missing = ids - self._asked_names
            if missing:
                with self.engine.connect() as conn:
                    self._actor_names |= _actor_names(conn, kept, missing)
                self._asked_names |= missing
            return {i: self._actor_names[i] for i in ids if i in self._actor_names}
        if kind == "case":
            stmt = select(kept.id_text(kept.cases.c.id), kept.cases.c.title)
        else:
            stmt = select(kept.id_text(_court.id), _court.name)
        with self.engine.connect() as conn:
            return {i: n for i, n in conn.execute(stmt) if i in ids}

    def _spans(
        self, conn: Connection, members: dict[str, Any]
    ) -> dict[str, dict[str, list[DefenderSpan]]]:
        """Per grouping and group: the span of each defender (one row per defender)."""
        kept = self.kept
        statements = {}
        for g, m in members.items():
            filed = and_(m.c.filed_on.isnot(None), m.c.filed_on_precision != "unknown")
            ended = and_(m.c.outcome_on.isnot(None), m.c.outcome_on_precision != "unknown")
            # Date text then precision: dates are ten characters, so the text's order is
            # that of the (date, precision) pairs compute.spans takes min and max of.
            start = func.min(
                case((filed, kept.date_text(m.c.filed_on).op("||")(m.c.filed_on_precision)))
            )
            end = func.max(
                case((ended, kept.date_text(m.c.outcome_on).op("||")(m.c.outcome_on_precision)))
            )
            statements[g] = select(
                m.c.key, kept.id_text(m.c.defendant_id), start, end, func.count(),
                count_if(ended), count_if(m.c.cls == PENDING),
            ).group_by(m.c.key, m.c.defendant_id)  # fmt: skip
        stmt = union_all(
            *(select(literal(g).label("g"), *s.subquery().c) for g, s in statements.items())
        )
        today = (self.today, "day")
        out: dict[str, dict[str, list[DefenderSpan]]] = {g: defaultdict(list) for g in members}
        for g, key, defender, first, last, n, n_ended, pending in conn.execute(stmt):
            end_at = today if pending else (res.pair(last) if n_ended == n else None)
            span = DefenderSpan(defender, res.pair(first), end_at, bool(pending), n)
            out[g][key if key is not None else UNKNOWN].append(span)
        self._spans_by_group |= out
        return out

    def spans(self) -> list[DefenderSpan]:
        """Time under prosecution of every defender charged in the kept data."""
        if "overall" not in self._spans_by_group:
            m = self.kept.members("charge", "overall")
            with gc_paused(), self.engine.connect() as conn:
                self._spans(conn, {"overall": m})
        return self._spans_by_group["overall"].get(UNKNOWN, [])

    def prosecution_spans(self) -> list[dict[str, Any]]:
        """indicators.prosecution_spans from SQL: per defender, id, label, start, end, days,
        precision and pending; longest first (ties by label, then id)."""
        spans = self.spans()
        names = self.names("defender", {s.defender for s in spans})
        rows: list[dict[str, Any]] = [
            {
                "id": s.defender,
                "label": names.get(s.defender, s.defender),
                "start": dates.format_partial(*s.start) if s.start else "",
                "end": dates.format_partial(*s.end) if s.end else "",
                "days": s.days,
                "precision": s.precision,
                "pending": s.pending,
            }
            for s in spans
        ]
        rows.sort(key=lambda r: (r["days"] is None, -(r["days"] or 0), r["label"], r["id"]))
        return rows


def figures_page(
    engine: Engine,
    filters: Filters | None = None,
    *,
    show_confidential: bool = False,
    group_by: str = "overall",
    today: date | None = None,
    lang: str | None = None,
    mass_threshold: int = MASS_THRESHOLD,
    start: int = 0,
    count: int | None = None,
) -> tuple[list[Figure], int]:
    """Figures ``start`` to ``start + count`` of one grouping (all from ``start`` when
    ``count`` is None), and how many the grouping has.

    Figures come in the order of INDICATORS, then of the groups' labels (unknown last).
    """
    if not any(group_by in i.groupings for i in INDICATORS):
        raise ValueError(f"unknown grouping {group_by!r}")
    found = Aggregates(
        engine, filters, show_confidential=show_confidential, today=today,
        mass_threshold=mass_threshold,
    )  # fmt: skip
    return found.figures_page(group_by, lang, start, count)


def figures(
    engine: Engine,
    filters: Filters | None = None,
    *,
    show_confidential: bool = False,
    group_by: str = "overall",
    today: date | None = None,
    lang: str | None = None,
    mass_threshold: int = MASS_THRESHOLD,
    codes: Sequence[str] | None = None,
) -> list[Figure]:
    """Every indicator (or those in ``codes``) for one grouping of the kept rows.

    Args:
        engine: the database.
        filters: what to keep (default: everything).
        show_confidential: whether restricted records count and real names show.
        group_by: "overall" or one of GROUPINGS (postponement_rate also "case", "court");
            indicators that do not support it are skipped.
        today: the day pending prosecutions and due hearings are counted to.
        lang: language of group labels.
        mass_threshold: defendants from which a case is a mass prosecution.
        codes: which indicators; default all, in the order of INDICATORS.
    """
    found, _ = figures_page(
        engine, filters, show_confidential=show_confidential, group_by=group_by, today=today,
        lang=lang, mass_threshold=mass_threshold,
    )  # fmt: skip
    return [f for f in found if not codes or f.indicator in codes]


def _actor_names(conn: Connection, kept: KeptRows, ids: Iterable[str]) -> dict[str, str]:
    """id -> the name this viewer may see, of these actors (ids as 32 hex digits; hidden ones
    left out): looked up by id, a few thousand at a time, where reading every actor to name
    the complainants of a page took 1.5 s at scale L."""
    wanted = sorted(ids)
    out: dict[str, str] = {}
    for at in range(0, len(wanted), _ID_BATCH):
        batch = [uuid.UUID(i) for i in wanted[at : at + _ID_BATCH]]
        stmt = select(
            kept.id_text(_actor.id), privacy.name_column(show_confidential=kept.q.show)
        ).where(_actor.id.in_(batch), *kept.q.visible_id(_actor.id))
        out.update(conn.execute(stmt).all())
    return out
