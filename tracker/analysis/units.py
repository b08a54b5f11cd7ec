"""The numbers of the indicators counted in cases, hearings and measures (mass prosecution,
venue transfer, reopened, postponement rate, detention later annulled), and the way every
aggregate statement of :class:`tracker.analysis.indicators.Aggregates` is run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, null, or_, select, union, union_all
from sqlalchemy.engine import Connection

from .definitions import Result, share
from .kept import CASE_LEVEL, UNKNOWN, KeptRows, count_if

__all__ = ["CaseNumbers", "Numbers"]

# code -> group key -> Result, per grouping
Numbers = dict[str, dict[str, dict[str, Result]]]


class CaseNumbers:
    """Statements over kept cases, hearings and measures; :class:`Aggregates` sets
    ``kept``, ``today`` and ``threshold``."""

    kept: KeptRows
    today: date
    threshold: int

    def _pairs(self) -> Any:
        raise NotImplementedError  # Aggregates: the CTE of (complainant, defendant, case)

    @staticmethod
    def _run(
        conn: Connection, statements: dict[tuple[str, str], Any]
    ) -> dict[tuple[str, str], dict[str, tuple[Any, ...]]]:
        """Run the statements of every (unit, grouping) as one UNION ALL of (unit, grouping,
        key, numbers...), the narrower ones padded with NULLs, so the common table
        expressions they share are computed once; returns (unit, grouping) -> key -> its
        numbers (NULL as 0)."""
        subs = {k: s.subquery() for k, s in statements.items()}
        width = max(len(s.c) for s in subs.values())
        stmt = union_all(
            *(
                select(
                    literal(u).label("u"), literal(g).label("g"), *s.c,
                    *(null().label(f"pad{i}") for i in range(width - len(s.c))),
                )
                for (u, g), s in subs.items()
            )
        )  # fmt: skip
        widths = {k: len(s.c) - 1 for k, s in subs.items()}
        out: dict[tuple[str, str], dict[str, tuple[Any, ...]]] = {k: {} for k in statements}
        for row in conn.execute(stmt):
            k = (row[0], row[1])
            key = row[2] if row[2] is not None else UNKNOWN
            # PostgreSQL sums integers as numeric (Decimal): every number here is whole.
            out[k][key] = tuple(0 if v is None else int(v) for v in row[3 : 3 + widths[k]])
        return out

    def _case_keys(self, group_by: str) -> Any:
        """kept.case_keys, per complainant read from the shared pairs instead of joining
        the charges to their complainants once more."""
        if group_by != "complainant":
            return self.kept.case_keys(group_by)
        pa = self._pairs()
        return (
            select(pa.c.case_id, self.kept.id_text(pa.c.key).label("key"))
            .distinct()
            .subquery("case_keys")
        )

    @staticmethod
    def _keys(found: dict[str, tuple[Any, ...]], group_by: str) -> list[str]:
        """The groups of a grouping: those found, and always "overall"'s one."""
        keys = list(found)
        return keys or [UNKNOWN] if group_by == "overall" else keys

    # --- cases, hearings, measures -----------------------------------------------------------

    def _case_statements(self, groupings: list[str]) -> dict[str, Any]:
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
            if g == "complainant":
                cases, keys = kept.cases, self._case_keys(g)
                m = (
                    select(*cases.c, keys.c.key)
                    .join_from(cases, keys, keys.c.case_id == cases.c.id)
                    .subquery("m")
                )
            else:
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
        return statements

    def _case_results(self, found: dict[str, dict[str, tuple[Any, ...]]]) -> Numbers:
        out: Numbers = {}
        for g in found:
            mass, transfer, reopen = {}, {}, {}
            for key in self._keys(found[g], g):
                n, massed, moved, again = found[g].get(key, (0, 0, 0, 0))
                mass[key] = Result(
                    massed, massed, n, {"share": share(massed, n), "threshold": self.threshold}
                )
                transfer[key] = Result(moved, moved, n, {"share": share(moved, n)})
                reopen[key] = Result(again, again, n, {"share": share(again, n)})
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
        keys = self._case_keys(group_by)
        return (
            select(
                keys.c.key, func.sum(per_case.c.n),
                *(func.sum(per_case.c[f"v{i}"]) for i in range(len(values))),
            )
            .join_from(per_case, keys, keys.c.case_id == per_case.c.case_id)
            .group_by(keys.c.key)
        )  # fmt: skip

    def _hearing_statements(self, groupings: list[str]) -> dict[str, Any]:
        tomorrow = datetime.combine(self.today, time()) + timedelta(days=1)

        def due(c: Any) -> Any:
            return case((c.scheduled_at < tomorrow, 1), else_=0)

        def postponed(c: Any) -> Any:
            return case((and_(c.scheduled_at < tomorrow, c.result == "postponed"), 1), else_=0)

        return {g: self._sums("hearing", g, [due, postponed]) for g in groupings}

    def _hearing_results(self, found: dict[str, dict[str, tuple[Any, ...]]]) -> Numbers:
        out: Numbers = {}
        for g in found:
            rates = {}
            for key in self._keys(found[g], g):
                n, scheduled, hits = found[g].get(key, (0, 0, 0))
                rates[key] = Result(
                    share(hits, scheduled), hits, scheduled, {"ahead": n - scheduled}
                )
            out[g] = {"postponement_rate": rates}
        return out

    def _measure_statements(self, groupings: list[str]) -> dict[str, Any]:
        values = [lambda c: c.detention, lambda c: c.hit]
        statements = {
            g: self._per_complainant_measures() if g == "complainant"
            else self._sums("measure", g, values)
            for g in groupings
        }  # fmt: skip
        return statements

    def _measure_results(self, found: dict[str, dict[str, tuple[Any, ...]]]) -> Numbers:
        out: Numbers = {}
        for g in found:
            annulled = {}
            for key in self._keys(found[g], g):
                _, n, hits = found[g].get(key, (0, 0, 0))
                annulled[key] = Result(hits, hits, n, {"share": share(hits, n)})
            out[g] = {"detention_annulled": annulled}
        return out

    def _per_complainant_measures(self) -> Any:
        """(key, measures, detentions, hits) per complainant: a measure counts for the
        complainants who charged its defendant in its case, summed per (case, defendant)
        first so each of a million measures is not joined to its complainants."""
        src, pa = self.kept.measures, self._pairs()
        # Who charged whom in which case: the shared pairs (distinct already).
        keys = select(
            pa.c.case_id, pa.c.defendant_id, self.kept.id_text(pa.c.key).label("key")
        ).subquery("charged_by")
        per = (
            select(
                src.c.case_id, src.c.defendant_id, func.count().label("n"),
                func.sum(src.c.detention).label("d"), func.sum(src.c.hit).label("h"),
            )
            .group_by(src.c.case_id, src.c.defendant_id)
            .subquery("per_defendant")
        )  # fmt: skip
        on = and_(keys.c.case_id == per.c.case_id, keys.c.defendant_id == per.c.defendant_id)
        return (
            select(keys.c.key, func.sum(per.c.n), func.sum(per.c.d), func.sum(per.c.h))
            .join_from(per, keys, on)
            .group_by(keys.c.key)
        )
