"""The numbers of every indicator computed in the database: GROUP BY, not rows in Python.

:mod:`tracker.indicators.compute` works on the rows :func:`tracker.network_data.load` reads:
at scale L that is five million rows and two gigabytes before a single figure. Here each
figure's value, numerator, denominator and details come from eight aggregate statements
(outcomes and sentences, reach, repeat pairs, charge stacking, defender spans, cases,
hearings, measures), each covering every grouping asked for at once, over the very rows
``load`` would read (:class:`tracker.indicators.kept.KeptRows`). The tests compare the
figures with ``compute`` on every grouping, filter and visibility, on SQLite and PostgreSQL.
What stays in Python is what SQL cannot say the same way on both: medians, rounding.

The ids behind each figure (``Figure.rows`` / ``hits``) are not listed here: the records
behind one number are read with ``compute`` when someone asks to see them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, distinct, func, literal, or_, select, union, union_all
from sqlalchemy.engine import Connection, Engine

from .. import dates, privacy
from ..gc_pause import gc_paused
from ..network_data import Filters
from ..network_data.read import _court, _voc
from .compute import _RANK, MASS_THRESHOLD, Result, _share
from .kept import CASE_LEVEL, UNKNOWN, KeptRows, count_if
from .outcomes import CONVICTION, PENDING, UNFOUNDED

if TYPE_CHECKING:
    from . import Figure

__all__ = ["Aggregates", "DefenderSpan"]

# code -> group key -> Result, per grouping
Numbers = dict[str, dict[str, dict[str, Result]]]


@dataclass(frozen=True)
class DefenderSpan:
    """Time under prosecution of one defender (compute.spans, without the charge ids)."""

    defender: str
    start: tuple[date, str] | None
    end: tuple[date, str] | None
    pending: bool
    charges: int

    @property
    def days(self) -> int | None:
        """Days from start to end; None when either is unknown."""
        return (self.end[0] - self.start[0]).days if self.start and self.end else None

    @property
    def precision(self) -> str:
        """The coarser precision of the two dates ("unknown" when either is missing)."""
        if not (self.start and self.end):
            return "unknown"
        return max((self.start[1], self.end[1]), key=lambda p: _RANK.get(p, 0))


class Aggregates:
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
        # grouping -> the spans of its defenders, per group (kept from the last numbers())
        self._spans_by_group: dict[str, dict[str, list[DefenderSpan]]] = {}
        self._numbers: Numbers = {}
        self._actor_names: dict[str, str] | None = None

    def numbers(self, group_bys: Iterable[str]) -> Numbers:
        """Per grouping: indicator code -> group key -> the figure's Result (no row ids).

        Each grouping lists the indicators that support it, each with every group that
        holds at least one of its units ("overall" always has its one group, ""). All the
        groupings asked for share each statement (a UNION ALL), eight in all.
        """
        from . import INDICATORS

        asked = tuple(dict.fromkeys(group_bys))
        by_unit: dict[str, list[str]] = defaultdict(list)
        for g in asked:
            for unit in dict.fromkeys(i.unit for i in INDICATORS if g in i.groupings):
                by_unit[unit].append(g)
        out: Numbers = {g: {} for g in asked}
        with gc_paused(), self.engine.connect() as conn:
            for unit, groupings in by_unit.items():
                found = {
                    "charge": self._charge_numbers,
                    "case": self._case_numbers,
                    "hearing": self._hearing_numbers,
                    "measure": self._measure_numbers,
                }[unit](conn, groupings)
                for g, codes in found.items():
                    out[g] |= codes
        order = [i.code for i in INDICATORS]
        return {g: {c: out[g][c] for c in order if c in out[g]} for g in asked}

    def figures_page(
        self, group_by: str, lang: str | None, start: int = 0, count: int | None = None
    ) -> tuple[list[Figure], int]:
        """Figures ``start`` to ``start + count`` of a grouping, in the order of
        tracker.indicators.compute (indicators, then groups by label), and how many there
        are. The numbers of a grouping are computed once per instance."""
        from . import INDICATORS, Figure

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
        from . import group_label_text

        found: dict[str, str] = {}
        if group_by in ("complainant", "case", "court") and keys - {UNKNOWN}:
            found = self.names(group_by, keys - {UNKNOWN})
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
            if self._actor_names is None:
                with self.engine.connect() as conn:
                    self._actor_names = {i: a.label for i, a in kept.actors(conn).items()}
            return {i: self._actor_names[i] for i in ids if i in self._actor_names}
        if kind == "case":
            stmt = select(kept.id_text(kept.cases.c.id), kept.cases.c.title)
        else:
            stmt = select(kept.id_text(_court.id), _court.name)
        with self.engine.connect() as conn:
            return {i: n for i, n in conn.execute(stmt) if i in ids}

    # --- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _run(
        conn: Connection, statements: dict[str, Any], width: int
    ) -> dict[str, dict[str, tuple[Any, ...]]]:
        """Run one statement per grouping as a single UNION ALL of (grouping, key, numbers...);
        returns grouping -> key -> numbers (NULL sums as 0)."""
        stmt = union_all(
            *(select(literal(g).label("g"), *s.subquery().c) for g, s in statements.items())
        )
        out: dict[str, dict[str, tuple[Any, ...]]] = {g: {} for g in statements}
        for row in conn.execute(stmt):
            key = row[1] if row[1] is not None else UNKNOWN
            # PostgreSQL sums integers as numeric (Decimal): every number here is whole.
            out[row[0]][key] = tuple(0 if v is None else int(v) for v in row[2 : 2 + width])
        return out

    @staticmethod
    def _keys(found: dict[str, tuple[Any, ...]], group_by: str) -> list[str]:
        """The groups of a grouping: those found, and always "overall"'s one."""
        keys = list(found)
        return keys or [UNKNOWN] if group_by == "overall" else keys

    def _brought(self, m: Any, group_by: str) -> tuple[Any, Any]:
        """FROM clause of (a charge of the group, a complainant of it who counts there), and
        that complainant's column: grouped by complainant, only the group's own counts."""
        if group_by == "complainant":
            return m, m.c.key
        link = self.kept.links
        return m.join(link, link.c.charge_id == m.c.id), link.c.actor_id

    # --- charges -----------------------------------------------------------------------------

    def _charge_numbers(self, conn: Connection, groupings: list[str]) -> Numbers:
        members = {g: self.kept.members("charge", g) for g in groupings}
        basic = self._run(conn, {g: self._basic(m) for g, m in members.items()}, 11)
        reach = self._run(conn, {g: self._reach(m, g) for g, m in members.items()}, 4)
        repeat = self._run(conn, {g: self._repeat(m, g) for g, m in members.items()}, 3)
        stack = self._run(conn, {g: self._stacking(m) for g, m in members.items()}, 4)
        spans = self._spans(conn, members)
        out: Numbers = {}
        for g in groupings:
            keys = self._keys(basic[g], g)
            out[g] = {
                "complainant_reach": {k: _reach(reach[g].get(k)) for k in keys},
                "repeat_targeting": {k: _repeat(repeat[g].get(k)) for k in keys},
                "charge_stacking": {k: _stacking(stack[g].get(k)) for k in keys},
                "time_under_prosecution": {k: _time(spans[g].get(k, [])) for k in keys},
                "unfounded_rate": {k: _rate(basic[g].get(k), 2) for k in keys},
                "conviction_rate": {k: _rate(basic[g].get(k), 3) for k in keys},
                "sentence_asked_vs_imposed": {k: _sentence(basic[g].get(k)) for k in keys},
            }
        return out

    @staticmethod
    def _basic(m: Any) -> Any:
        both = and_(m.c.asked.isnot(None), m.c.imposed.isnot(None))
        return select(
            m.c.key, func.count(), count_if(m.c.cls != PENDING), count_if(m.c.cls == UNFOUNDED),
            count_if(m.c.cls == CONVICTION), func.count(m.c.asked), func.sum(m.c.asked),
            func.count(m.c.imposed), func.sum(m.c.imposed), count_if(both),
            func.sum(case((both, m.c.asked))), func.sum(case((both, m.c.imposed))),
        ).group_by(m.c.key)  # fmt: skip

    def _reach(self, m: Any, group_by: str) -> Any:
        frm, filer = self._brought(m, group_by)
        return (
            select(
                m.c.key, func.count(distinct(m.c.defendant_id)), func.count(distinct(filer)),
                func.count(distinct(m.c.case_id)), func.count(distinct(m.c.id)),
            )
            .select_from(frm)
            .group_by(m.c.key)
        )  # fmt: skip

    def _repeat(self, m: Any, group_by: str) -> Any:
        frm, filer = self._brought(m, group_by)
        pairs = (
            select(m.c.key, m.c.defendant_id, func.count(distinct(m.c.case_id)).label("n"))
            .select_from(frm)
            .group_by(m.c.key, filer, m.c.defendant_id)
            .subquery("pairs")
        )
        repeated = pairs.c.n >= 2
        return select(
            pairs.c.key, func.count(), count_if(repeated),
            func.count(distinct(case((repeated, pairs.c.defendant_id)))),
        ).group_by(pairs.c.key)  # fmt: skip

    @staticmethod
    def _stacking(m: Any) -> Any:
        pairs = (
            select(m.c.key, func.count(distinct(m.c.charge_type)).label("n"))
            .group_by(m.c.key, m.c.defendant_id, m.c.case_id)
            .subquery("stack")
        )
        return select(
            pairs.c.key, func.count(), func.sum(pairs.c.n), func.max(pairs.c.n),
            count_if(pairs.c.n >= 2),
        ).group_by(pairs.c.key)  # fmt: skip

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
            end_at = today if pending else (_pair(last) if n_ended == n else None)
            span = DefenderSpan(defender, _pair(first), end_at, bool(pending), n)
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

    # --- cases, hearings, measures -----------------------------------------------------------

    def _case_numbers(self, conn: Connection, groupings: list[str]) -> Numbers:
        kept = self.kept
        ch, parties, events = kept.charges, kept.parties, kept.events
        defendants = union(
            select(parties.c.case_id, parties.c.actor_id),
            select(ch.c.case_id, ch.c.defendant_id),
        ).subquery("defendants")
        per_case = (
            select(defendants.c.case_id, func.count().label("n"))
            .group_by(defendants.c.case_id)
            .subquery("per_case")
        )
        transferred = select(events.c.case_id).where(events.c.event == "transferred")
        reopened = select(events.c.case_id).where(events.c.event == "reopened")
        overturned = select(ch.c.case_id).where(ch.c.outcome == "acquittal_overturned")
        statements = {}
        for g in groupings:
            m = kept.members("case", g)
            statements[g] = (
                select(
                    m.c.key, func.count(), count_if(per_case.c.n >= self.threshold),
                    count_if(m.c.id.in_(transferred)),
                    count_if(or_(m.c.id.in_(reopened), m.c.id.in_(overturned))),
                )
                .select_from(m.outerjoin(per_case, per_case.c.case_id == m.c.id))
                .group_by(m.c.key)
            )  # fmt: skip
        found = self._run(conn, statements, 4)
        out: Numbers = {}
        for g in groupings:
            mass, transfer, reopen = {}, {}, {}
            for key in self._keys(found[g], g):
                n, massed, moved, again = found[g].get(key, (0, 0, 0, 0))
                mass[key] = Result(
                    massed, massed, n, {"share": _share(massed, n), "threshold": self.threshold}
                )
                transfer[key] = Result(moved, moved, n, {"share": _share(moved, n)})
                reopen[key] = Result(again, again, n, {"share": _share(again, n)})
            out[g] = {"mass_prosecution": mass, "venue_transfer": transfer, "reopened": reopen}
        return out

    def _sums(self, unit: str, group_by: str, values: list[Callable[[Any], Any]]) -> Any:
        """SQL of (key, units, then the sum of each of ``values``) per group of hearings or
        measures; ``values`` make a 0/1 column from the unit's columns.

        Grouped by what their case is in (complainant, charge type, region), units are
        summed per case first: a hearing is in every group of its case, and joining each of
        a million hearings to its case's groups made many times more rows than joining the
        cases' sums.
        """
        kept = self.kept
        if group_by not in CASE_LEVEL:
            m = kept.members(unit, group_by)
            return select(m.c.key, func.count(), *(func.sum(v(m.c)) for v in values)).group_by(
                m.c.key
            )
        src = kept.source(unit)
        per_case = (
            select(
                src.c.case_id, func.count().label("n"),
                *(func.sum(v(src.c)).label(f"v{i}") for i, v in enumerate(values)),
            )
            .group_by(src.c.case_id)
            .subquery("per_case")
        )  # fmt: skip
        keys = kept.case_keys(group_by)
        return (
            select(
                keys.c.key, func.sum(per_case.c.n),
                *(func.sum(per_case.c[f"v{i}"]) for i in range(len(values))),
            )
            .join_from(per_case, keys, keys.c.case_id == per_case.c.case_id)
            .group_by(keys.c.key)
        )  # fmt: skip

    def _hearing_numbers(self, conn: Connection, groupings: list[str]) -> Numbers:
        tomorrow = datetime.combine(self.today, time()) + timedelta(days=1)

        def due(c: Any) -> Any:
            return case((c.scheduled_at < tomorrow, 1), else_=0)

        def postponed(c: Any) -> Any:
            return case((and_(c.scheduled_at < tomorrow, c.result == "postponed"), 1), else_=0)

        found = self._run(
            conn, {g: self._sums("hearing", g, [due, postponed]) for g in groupings}, 3
        )
        out: Numbers = {}
        for g in groupings:
            rates = {}
            for key in self._keys(found[g], g):
                n, scheduled, hits = found[g].get(key, (0, 0, 0))
                rates[key] = Result(
                    _share(hits, scheduled), hits, scheduled, {"ahead": n - scheduled}
                )
            out[g] = {"postponement_rate": rates}
        return out

    def _measure_numbers(self, conn: Connection, groupings: list[str]) -> Numbers:
        values = [lambda c: c.detention, lambda c: c.hit]
        found = self._run(conn, {g: self._sums("measure", g, values) for g in groupings}, 3)
        out: Numbers = {}
        for g in groupings:
            annulled = {}
            for key in self._keys(found[g], g):
                _, n, hits = found[g].get(key, (0, 0, 0))
                annulled[key] = Result(hits, hits, n, {"share": _share(hits, n)})
            out[g] = {"detention_annulled": annulled}
        return out


# --- from numbers to Results (the same arithmetic as tracker.indicators.compute) -------------


def _reach(row: tuple[Any, ...] | None) -> Result:
    defenders, complainants, cases, charges = row or (0, 0, 0, 0)
    return Result(
        defenders, details={"complainants": complainants, "cases": cases, "charges": charges}
    )


def _repeat(row: tuple[Any, ...] | None) -> Result:
    total, hits, defenders = row or (0, 0, 0)
    return Result(hits, hits, total, {"defenders": defenders})


def _stacking(row: tuple[Any, ...] | None) -> Result:
    count, total, most, stacked = row or (0, 0, 0, 0)
    return Result(
        round(int(total) / count, 2) if count else None,  # fmean of ints: their sum / n
        stacked,
        count,
        {"max": most, "stacked": stacked},
    )


def _rate(row: tuple[Any, ...] | None, hits_at: int) -> Result:
    n, final = (row[0], row[1]) if row else (0, 0)
    hits = row[hits_at] if row else 0
    return Result(_share(hits, final), hits, final, {"pending": n - final})


def _years(total: Any, n: int) -> float | None:
    """Mean months as years: fmean of ints (their sum / n), / 12, rounded to 2."""
    return round(int(total) / n / 12, 2) if n else None


def _sentence(row: tuple[Any, ...] | None) -> Result:
    _, _, _, _, n_asked, s_asked, n_imp, s_imp, n_both, b_asked, b_imp = row or (0,) * 11
    ratio = round(int(b_imp) / int(b_asked), 4) if n_both and b_asked else None
    return Result(
        _years(s_asked, n_asked),
        n_imp,
        n_asked,
        {"imposed_years": _years(s_imp, n_imp), "imposed_of_requested": ratio},
    )


def _time(found: list[DefenderSpan]) -> Result:
    known = [s for s in found if s.days is not None]
    days = [s.days for s in known if s.days is not None]
    coarsest = max((s.precision for s in known), key=lambda p: _RANK.get(p, 0), default="unknown")
    return Result(
        float(statistics.median(days)) if days else None,
        len(known),
        len(found),
        {
            "mean_days": round(statistics.fmean(days), 1) if days else None,
            "max_days": max(days, default=None),
            "pending_defenders": sum(1 for s in found if s.pending),
            "precision": coarsest,
        },
    )


def _pair(text: str | None) -> tuple[date, str] | None:
    """ "YYYY-MM-DD" followed by a precision, back to (date, precision)."""
    if text is None:
        return None
    return date.fromisoformat(text[:10]), text[10:]
