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
from .revision_sums import RevisionSums

__all__ = ["CaseNumbers", "Numbers"]

# code -> group key -> Result, per grouping
Numbers = dict[str, dict[str, dict[str, Result]]]


class CaseNumbers:
    """Statements over kept cases, hearings and measures; :class:`Aggregates` sets
    ``kept``, ``today`` and ``threshold``."""

    kept: KeptRows
    today: date
    threshold: int
    _ctes: dict[str, Any]  # the shared CTEs of the statement being built (_shared)
    _charges_overall: bool  # whether that statement counts the charges overall
    _with_charges: bool  # whether that statement holds the charges' numbers (and "pa")
    _stored: RevisionSums | None  # the sums kept per data revision, when the filters allow

    def _pairs(self) -> Any:
        raise NotImplementedError  # Aggregates: the CTE of (complainant, defendant, case)

    def _charged_by(self) -> Any:
        """(key: the complainant's id, defendant_id, case_id), distinct: who brought whom to
        court in which case. In the statement of the charges, their pairs ("pa") hold it; the
        statement of cases, hearings and measures runs beside that one and joins the kept
        charges to their complainants itself, without pa's sums."""
        if self._with_charges:
            return self._pairs()
        stored = self._stored
        if stored is not None:
            # The stored pairs, without their sums (one row per pair already).
            pairs = stored.pairs().subquery("stored_pairs")
            return self._shared(
                "complainants_of",
                lambda: select(pairs.c.key, pairs.c.defendant_id, pairs.c.case_id),
            )
        return self._shared("complainants_of", lambda: select(*self.kept.charged_by().c))

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

    def _shared(self, name: str, build: Callable[[], Any]) -> Any:
        """The CTE ``name`` of the statement being built, made by ``build`` on first use.

        A part that several units or groupings read (the cases of each complainant, the
        hearings summed per case...) is one CTE, which SQLite and PostgreSQL compute once
        for the whole statement; as a subquery each part read the million rows again."""
        found = self._ctes.get(name)
        if found is None:
            found = self._ctes[name] = build().cte(name)
        return found

    def _overall_per_case(self) -> Any:
        raise NotImplementedError  # Aggregates: the charges' sums per (defendant, case)

    def _charges_per_defendant(self) -> Any:
        """A CTE of (case_id, defendant_id, n, unfounded) over the kept charges: the cases'
        defendants and the measures' charges read it, so the kept charges are grouped so
        once, not once each. When the statement counts the charges overall, their sums per
        (defendant, case) hold these columns already, and are read instead."""
        if self._charges_overall or self._stored is not None:
            return self._overall_per_case()
        return self._shared("charges_per_defendant", self.kept.charges_per_defendant)

    def _source(self, unit: str) -> Any:
        """kept.source(unit); measures read the shared charges per defendant."""
        if unit == "measure":
            return self.kept.measures_with(self._charges_per_defendant())
        return self.kept.source(unit)

    def _case_keys(self, group_by: str) -> Any:
        """kept.case_keys, per complainant read from the shared pairs instead of joining
        the charges to their complainants once more."""
        if group_by != "complainant":
            return self.kept.case_keys(group_by)
        if self._stored is not None:
            made = self._stored.case_complainants().subquery("made")
            key = self.kept.id_text(made.c.complainant_id).label("key")
            return self._shared("case_keys", lambda: select(made.c.case_id, key))
        pa = self._charged_by()
        return self._shared(
            "case_keys",
            lambda: select(pa.c.case_id, self.kept.id_text(pa.c.key).label("key")).distinct(),
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
        charged = self._charges_per_defendant()
        defendants = union(
            select(parties.c.case_id, parties.c.actor_id),
            select(charged.c.case_id, charged.c.defendant_id),
        ).subquery("defendants")
        # The cases with at least ``threshold`` defendants, as an IN list: SQLite builds it
        # once with an index, where a LEFT JOIN to the counts per case was sometimes planned
        # as a scan of them for each case (minutes at scale L). A CTE: every grouping's part
        # reads the one computed (the defendants of a million charges and half a million
        # parties, sorted, at scale L); from the tables made per data revision when the
        # filters allow (tracker.analysis.revision_sums: each case's defendants counted).
        massive = (
            select(defendants.c.case_id)
            .group_by(defendants.c.case_id)
            .having(func.count() >= self.threshold)
            if self._stored is None
            else self._stored.massive_cases(self.threshold)
        ).cte("massive_cases")
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
                    m.c.key, func.count(), count_if(m.c.id.in_(select(massive.c.case_id))),
                    count_if(m.c.id.in_(transferred)),
                    count_if(or_(m.c.id.in_(reopened), m.c.id.in_(overturned))),
                )
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

        Overall and grouped by what their case is in (complainant, charge type, region),
        units are summed per case first, once for the whole statement: a hearing is in
        every group of its case, and joining each of a million hearings to its case's groups
        made many times more rows than joining the cases' sums; overall is the sum of the
        cases' sums.
        """
        kept = self.kept
        if group_by not in (*CASE_LEVEL, "overall"):
            m = kept.members(unit, group_by)
            return select(m.c.key, func.count(), *(func.sum(v(m.c)) for v in values)).group_by(
                m.c.key
            )
        src = self._source(unit)
        per_case = self._shared(
            f"{unit}_per_case",
            lambda: select(
                src.c.case_id, func.count().label("n"),
                *(func.sum(v(src.c)).label(f"v{i}") for i, v in enumerate(values)),
            ).group_by(src.c.case_id),
        )  # fmt: skip
        sums = (
            func.sum(per_case.c.n),
            *(func.sum(per_case.c[f"v{i}"]) for i in range(len(values))),
        )
        if group_by == "overall":
            return select(literal(UNKNOWN).label("key"), *sums)
        keys = self._case_keys(group_by)
        return (
            select(keys.c.key, *sums)
            .join_from(per_case, keys, keys.c.case_id == per_case.c.case_id)
            .group_by(keys.c.key)
        )

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
            g: self._measures_per_defendant(g) if g in ("complainant", "overall")
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

    def _measures_per_defendant(self, group_by: str) -> Any:
        """(key, measures, detentions, hits) overall or per complainant, from the measures
        summed per (case, defendant) once for the statement. Per complainant a measure
        counts for the complainants who charged its defendant in its case: each of a million
        measures is not joined to its complainants, only the sums."""
        src = self._source("measure")
        per = self._shared(
            "measures_per_defendant",
            lambda: select(
                src.c.case_id, src.c.defendant_id, func.count().label("n"),
                func.sum(src.c.detention).label("d"), func.sum(src.c.hit).label("h"),
            ).group_by(src.c.case_id, src.c.defendant_id),
        )  # fmt: skip
        sums = (func.sum(per.c.n), func.sum(per.c.d), func.sum(per.c.h))
        if group_by == "overall":
            return select(literal(UNKNOWN).label("key"), *sums)
        pa = self._charged_by()
        # Who charged whom in which case (distinct already).
        keys = select(
            pa.c.case_id, pa.c.defendant_id, self.kept.id_text(pa.c.key).label("key")
        ).subquery("charged")
        on = and_(keys.c.case_id == per.c.case_id, keys.c.defendant_id == per.c.defendant_id)
        return select(keys.c.key, *sums).join_from(per, keys, on).group_by(keys.c.key)
