"""The numbers of the indicators counted in charges (complainant reach, repeat targeting,
charge stacking, time under prosecution, unfounded and conviction rates, sentence asked vs
imposed), as one statement per grouping of :class:`tracker.analysis.indicators.Aggregates`.

The statement has three levels: the kept charges of each group summed per (defendant,
case), then per defendant, then per group. Each charge and complainant link is read once:
the join of a million charges to a million links on 32-character ids is the costly part
at scale L, and one statement per indicator made it eight times. Per complainant, the first
level ("pa", :meth:`ChargeNumbers._pairs`) also says who brought which defendant to court
in which case: what the overall reach and repeat targeting need, but for the overall count
of charges, which one EXISTS gives (:meth:`ChargeNumbers._complained_statement`, run in the
statement beside). When the filters keep whole (defendant, case) pairs, both first levels are
read from the tables made once per data revision (tracker.analysis.revision_sums, filled by
:meth:`ChargeNumbers.revision_sums_statements`). What stays in Python is the last arithmetic
on one row per group (tracker.analysis.results).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union,
)
from sqlalchemy.schema import Table
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from ..models.analysis import CASE_COMPLAINANTS, CASE_SUMS, OWN_SUMS, PAIR_SUMS
from . import results as res
from .kept import UNKNOWN, Filters, KeptRows, Tables, count_if, hidden_actors
from .outcomes import CONVICTION, UNFOUNDED
from .requests import asked_by_charge, covering
from .units import CaseNumbers, Numbers

__all__ = ["ChargeNumbers"]

_cc, _a = Tables.link.c, Tables.actor.c

# The sums per (defendant, case) that are summed again per group, in the order _parts reads.
_SUMMED = ("n", "final", "unfounded", "convicted", "n_asked", "s_asked", "n_imposed",
           "s_imposed", "n_both", "b_asked", "b_imposed", "n_own", "s_own")  # fmt: skip
# Numbers per group of the charge statement: the sums, stacking (4), reach (4), repeat
# targeting (3), spans (6), the median (2) and the requests (2).
_WIDTH = len(_SUMMED) + 4 + 4 + 3 + 6 + 2 + 2


def _parts(row: tuple[Any, ...] | None) -> dict[str, tuple[Any, ...]]:
    """A row of the charge statement, cut into what each indicator of results reads."""
    r = row or (0,) * _WIDTH
    return {
        "basic": r[0:11], "own": r[11:13], "stack": r[13:17], "reach": r[17:21],
        "repeat": r[21:24], "spans": r[24:32], "asks": r[32:34],
    }  # fmt: skip


def _asks(own: tuple[Any, ...], requests: tuple[Any, ...] | None) -> tuple[int, int]:
    """Requests that count and their months, with the charges' own figures no request
    covers (tracker.analysis.requests)."""
    n, months = requests or (0, 0)
    return n + own[0], months + own[1]


def _days_between(kept: KeptRows, start: Any, end: Any) -> Any:
    """SQL: days from one "YYYY-MM-DD..." text to another (the end's date less the start's)."""
    if kept.sqlite:
        days = func.julianday(func.substr(end, 1, 10)) - func.julianday(func.substr(start, 1, 10))
        return cast(days, Integer)
    return type_coerce(
        cast(func.substr(end, 1, 10), Date) - cast(func.substr(start, 1, 10), Date), Integer
    )


def _driving(kept: KeptRows, column: Any) -> Any:
    """``column`` in a join condition, its table read first: on SQLite ``+column``, which
    keeps SQLite from looking that table up through an index on the column (it has no
    statistics here to choose the order; PostgreSQL chooses well)."""
    if kept.sqlite:
        return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)
    return column


def _rank(dated: Any) -> Any:
    """SQL: the PRECISION_RANK of a "YYYY-MM-DD<precision>" text (coarser ranks higher)."""
    precision = func.substr(dated, 11)
    return case((precision == "year", 2), (precision == "month", 1), else_=0)


class ChargeNumbers(CaseNumbers):
    """Statements over kept charges; :class:`Aggregates` sets ``kept`` and ``today``, and
    ``_cover`` (the requests covering kept charges) and ``_asked`` for each statement."""

    _pa: Any
    _cover: Any
    _asked: Any
    _complained: int  # the charges of the overall reach (_complained_statement)

    def revision_sums_statements(self, twins: dict[Table, Table]) -> list[tuple[Table, Any]]:
        """The SELECTs that fill the tables of tracker.analysis.revision_sums, from every
        charge and case whatever the filters and visibility: the sums _per_case makes of the
        kept charges, per (defendant, case), with how many charges have a complainant and how
        many one a viewer may see, and per (complainant, defendant, case); then each case's
        defendants (all, and those a viewer may see) and its complainants, read from the
        sums just made (``twins``: the temporary tables they are made in)."""
        whole = ChargeNumbers()
        whole.kept = KeptRows(self.kept.engine, Filters(), show_confidential=True)
        # As in Aggregates.numbers: the requests covering each charge, computed once.
        cover = select(covering(whole.kept)).cte("cover").prefix_with("MATERIALIZED")
        asked = asked_by_charge(cover)
        m = whole._charge_members("overall")
        # Brought by someone: each charge looked up in the complainants' index. Brought only
        # by people a viewer may not see: a short list, joined (an IN list of every charge
        # brought by a visible complainant took 3 s at scale L on SQLite; PostgreSQL ran an
        # IN list in a SELECT's columns as a scan of the list for each row: stopped after
        # 12 minutes at L).
        hidden = hidden_actors()
        link, other = Tables.link.alias("link"), Tables.link.alias("other")
        hidden_only = (
            select(_cc.charge_id)
            .where(
                _cc.actor_id.in_(hidden),
                ~exists().where(
                    other.c.charge_id == _cc.charge_id, other.c.actor_id.not_in(hidden)
                ),
            )
            .distinct()
            .subquery("hidden_only")
        )
        # SQLite looks each charge up in the complainants' index for an IN list, PostgreSQL
        # for an EXISTS (an EXISTS costs SQLite a subroutine call a charge: 2 s more at L).
        linked = (
            m.c.id.in_(select(link.c.charge_id))
            if whole.kept.sqlite
            else exists().where(link.c.charge_id == m.c.id)
        )
        flagged = (
            select(
                *m.c, linked.label("linked"),
                hidden_only.c.charge_id.isnot(None).label("hidden_only"),
            )
            .select_from(m.outerjoin(hidden_only, hidden_only.c.charge_id == m.c.id))
            .subquery("m")
        )  # fmt: skip
        brought = count_if(flagged.c.linked)
        per_case = whole._per_case(flagged, asked, overall=True).add_columns(
            brought, brought - count_if(flagged.c.hidden_only)
        ).subquery("own")  # fmt: skip
        own = select(*list(per_case.c)[1:])  # without the key ""
        pairs = whole._per_case(whole._charge_members("complainant"), asked)
        made_own, made_pairs = twins[OWN_SUMS].c, twins[PAIR_SUMS].c
        parties = whole.kept.parties
        defendants = union(
            select(parties.c.case_id, parties.c.actor_id),
            select(made_own.case_id, made_own.defendant_id),
        ).subquery("defendants")
        public = defendants.c.actor_id.not_in(hidden)
        case_sums = select(defendants.c.case_id, func.count(), count_if(public)).group_by(
            defendants.c.case_id
        )
        complainants = select(
            made_pairs.case_id, made_pairs.complainant_id,
            count_if(made_pairs.defendant_id.not_in(hidden)),
        ).group_by(made_pairs.case_id, made_pairs.complainant_id)  # fmt: skip
        return [(OWN_SUMS, own), (PAIR_SUMS, pairs), (CASE_SUMS, case_sums),
                (CASE_COMPLAINANTS, complainants)]  # fmt: skip

    def _pairs(self) -> Any:
        """The CTE "pa": per (complainant, defendant, case), the sums of the kept charges that
        complainant brought, built once per statement and shared by every unit and grouping
        that needs who charged whom where (tracker.analysis.units reads it too)."""
        if self._pa is None and self._stored is not None:
            self._pa = self._stored.pairs().cte("pa")
        elif self._pa is None:
            self._pa = self._per_case(self._charge_members("complainant"), self._asked).cte("pa")
        return self._pa

    def _overall_per_case(self) -> Any:
        """The CTE "a_overall": every sum of the kept charges per (defendant, case), shared
        with the cases' defendants and the measures' charges (tracker.analysis.units)."""
        stored = self._stored
        return self._shared(
            "a_overall",
            lambda: stored.own() if stored is not None
            else self._per_case(self._charge_members("overall"), self._asked, overall=True),
        )  # fmt: skip

    def _charge_statements(self, groupings: list[str]) -> dict[str, Any]:
        return {g: self._charge_statement(g, self._charge_members(g)) for g in groupings}

    def _complained_statement(self) -> Any:
        """SQL of (key, the kept charges that a kept complainant brought): the charges of the
        overall complainant reach. Counted apart from the pairs "pa", where finding each
        charge's first complainant was a third of their time at scale L, and run in the
        statement of cases, hearings and measures, on the other core."""
        if self._stored is not None:
            return self._stored.complained()
        ch, link = self.kept.charges, self.kept.links
        brought = exists().where(link.c.charge_id == ch.c.id)
        return select(literal(UNKNOWN).label("key"), func.count()).select_from(ch).where(brought)

    def _charge_results(self, found: dict[str, dict[str, tuple[Any, ...]]]) -> Numbers:
        out: Numbers = {}
        for g, rows in found.items():
            if g == "overall":
                # The reach's charges (position 20, _parts) from _complained_statement.
                rows = {k: (*r[:20], self._complained, *r[21:]) for k, r in rows.items()}
            keys = self._keys(rows, g)
            part = {k: _parts(rows.get(k)) for k in keys}
            out[g] = {
                "complainant_reach": {k: res.reach(part[k]["reach"]) for k in keys},
                "repeat_targeting": {k: res.repeat(part[k]["repeat"]) for k in keys},
                "charge_stacking": {k: res.stacking(part[k]["stack"]) for k in keys},
                "time_under_prosecution": {k: res.spans(part[k]["spans"]) for k in keys},
                "unfounded_rate": {k: res.rate(part[k]["basic"], 2) for k in keys},
                "conviction_rate": {k: res.rate(part[k]["basic"], 3) for k in keys},
                "sentence_asked_vs_imposed": {
                    k: res.sentence(part[k]["basic"], _asks(part[k]["own"], part[k]["asks"]))
                    for k in keys
                },
            }
        return out

    def _charge_members(self, group_by: str) -> Any:
        """The kept charges with ``key``; per complainant the complainant's own id (not as
        text: PostgreSQL groups uuids faster than their text), else never NULL."""
        if group_by != "complainant":
            m = self.kept.members("charge", group_by)
            if group_by == "overall":
                return m
            cols = [c for c in m.c if c.key != "key"]
            return select(*cols, func.coalesce(m.c.key, UNKNOWN).label("key")).subquery("mk")
        ch, link = self.kept.charges, self.kept.links
        # Each charge in turn, its links looked up in their (charge_id, actor_id) index: 0.3 s
        # at scale L, where looking each link's charge up by id took 3 s.
        return (
            select(*ch.c, link.c.actor_id.label("key"))
            .join_from(ch, link, link.c.charge_id == _driving(self.kept, ch.c.id))
            .subquery("mc")
        )

    def _per_case(self, m: Any, asked: Any, *, overall: bool = False) -> Any:
        """SQL of one row per (group, defendant, case) of the members ``m``: every sum the
        charge indicators need."""
        kept, c = self.kept, m.c
        months = func.coalesce(asked.c.months, c.asked)
        both = and_(months.isnot(None), c.imposed.isnot(None))
        own = and_(asked.c.months.is_(None), c.asked.isnot(None))
        filed = and_(c.filed_on.isnot(None), c.filed_on_precision != "unknown")
        ended = and_(c.outcome_on.isnot(None), c.outcome_on_precision != "unknown")
        # Overall: grouped by (defendant, case) alone, so SQLite reads the charge index in
        # that order instead of sorting a million rows.
        key = literal(UNKNOWN) if overall else c.key
        group = (c.defendant_id, c.case_id) if overall else (c.key, c.defendant_id, c.case_id)
        # The outcome's class read from the outcome itself, two lookups a charge: each use of
        # ``cls`` evaluates its CASE again (seven IN lists a charge made 2 s at scale L).
        # Final = unfounded + convicted, pending = n - final.
        classes = kept.outcome_classes
        unfounded = c.outcome.in_([o for o, k in classes.items() if k == UNFOUNDED])
        convicted = c.outcome.in_([o for o, k in classes.items() if k == CONVICTION])
        return select(
            key.label("key"), c.defendant_id, c.case_id, func.count().label("n"),
            count_if(unfounded).label("unfounded"), count_if(convicted).label("convicted"),
            func.count(months).label("n_asked"), func.sum(months).label("s_asked"),
            func.count(c.imposed).label("n_imposed"), func.sum(c.imposed).label("s_imposed"),
            count_if(both).label("n_both"), func.sum(case((both, months))).label("b_asked"),
            func.sum(case((both, c.imposed))).label("b_imposed"),
            count_if(own).label("n_own"), func.sum(case((own, c.asked))).label("s_own"),
            func.count(distinct(c.charge_type)).label("types"),
            func.min(case((filed, kept.date_text(c.filed_on).op("||")(c.filed_on_precision))))
            .label("first"),
            func.max(case((ended, kept.date_text(c.outcome_on).op("||")(c.outcome_on_precision))))
            .label("last"),
            count_if(ended).label("ended"),
        ).select_from(m.outerjoin(asked, asked.c.charge_id == c.id)).group_by(*group)  # fmt: skip

    def _charge_statement(self, g: str, m: Any) -> Any:
        """SQL of one row per group of ``g``: the _WIDTH numbers _parts splits."""
        kept, asked = self.kept, self._asked
        pa = self._pairs() if g in ("overall", "complainant") else None
        if pa is not None and g == "complainant":
            return self._complainant_statement(pa)
        a = self._overall_per_case() if g == "overall" else self._per_case(m, asked).cte(f"a_{g}")
        # Who brought whom to court in which case, and the charges they brought (overall: each
        # charge once, however many complainants brought it).
        cover, link = self._cover, kept.links
        if pa is not None:
            # Overall that count comes from the other statement (_complained_statement).
            p = select(literal(UNKNOWN).label("key"), pa.c.key.label("filer"),
                       pa.c.defendant_id, pa.c.case_id, literal(0).label("charges"))  # fmt: skip
            covered: Any = select(literal(UNKNOWN).label("key"), cover.c.request_id,
                                  cover.c.months)  # fmt: skip
        else:
            p = select(
                m.c.key,
                link.c.actor_id.label("filer"),
                m.c.defendant_id,
                m.c.case_id,
                m.c.id.label("charge_id"),
            ).join_from(m, link, link.c.charge_id == m.c.id)
            covered = select(m.c.key, cover.c.request_id, cover.c.months).join_from(
                cover, m, m.c.id == _driving(kept, cover.c.charge_id)
            )
        p = p.subquery(f"p_{g}")
        # The pairs' rows are one per (complainant, defendant, case) already: their cases
        # are counted, not counted distinct (a B-tree less per group).
        if pa is not None:
            charges, in_pair = func.sum(p.c.charges), func.count()
        else:
            charges, in_pair = (
                func.count(distinct(p.c.charge_id)),
                func.count(distinct(p.c.case_id)),
            )
        reach = select(
            p.c.key, func.count(distinct(p.c.defendant_id)), func.count(distinct(p.c.filer)),
            func.count(distinct(p.c.case_id)), charges,
        ).group_by(p.c.key).subquery(f"reach_{g}")  # fmt: skip
        pairs = (
            select(p.c.key, p.c.defendant_id, in_pair.label("n"))
            .group_by(p.c.key, p.c.filer, p.c.defendant_id)
            .subquery(f"pairs_{g}")
        )
        hit = pairs.c.n >= 2
        repeat = select(
            pairs.c.key, func.count(), count_if(hit),
            func.count(distinct(case((hit, pairs.c.defendant_id)))),
        ).group_by(pairs.c.key).subquery(f"repeat_{g}")  # fmt: skip
        spans, median = self._span_sums(a, g)
        sums = self._group_sums(a, g)
        parts = (reach, repeat, spans, median, self._asks(covered, g))
        return self._joined(g, sums, parts, [c for part in parts for c in list(part.c)[1:]])

    def _complainant_statement(self, pa: Any) -> Any:
        """The charge statement per complainant, from the pairs "pa" (one row per
        (complainant, defendant, case)), in fewer passes over them than the other groupings:
        each (complainant, defendant) row of the spans also counts its cases (for repeat
        targeting), so reach and repeat targeting read the spans' rows, and only the distinct
        cases are counted apart (a pass and four B-trees less: 3.4 -> 2.9 s alone at scale L)."""
        kept, cover, link = self.kept, self._cover, self.kept.links
        spans, median = self._span_sums(pa, "complainant", repeated=True)
        cases = (
            select(pa.c.key, func.count(distinct(pa.c.case_id)).label("cases"))
            .group_by(pa.c.key)
            .subquery("reach_complainant")
        )
        # The few covered charges read first, each one's complainants looked up in their
        # index: SQLite otherwise read every link (0.6 s at scale L).
        covered = select(
            link.c.actor_id.label("key"), cover.c.request_id, cover.c.months
        ).join_from(cover, link, link.c.charge_id == _driving(kept, cover.c.charge_id))
        sums = self._group_sums(pa, "complainant")
        asks = self._asks(covered, "complainant")
        # Reach: the defenders (one spans row each), one complainant, the distinct cases, the
        # charges (the group's own). Repeat targeting: pairs are defenders here.
        defenders, repeated = spans.c.defenders, spans.c.repeated
        cols = [
            defenders, literal(1), cases.c.cases, sums.c.n,
            defenders, repeated, repeated,
            *(c for c in list(spans.c)[1:] if c.key != "repeated"), *list(median.c)[1:],
            *list(asks.c)[1:],
        ]  # fmt: skip
        return self._joined("complainant", sums, (cases, spans, median, asks), cols)

    def _group_sums(self, a: Any, g: str) -> Any:
        """Per group of the rows per (defendant, case) ``a``: the sums of _SUMMED, then
        stacking's count, types summed, the most types and the stacked."""
        total = {n: func.sum(a.c[n]) for n in _SUMMED if n != "final"}
        total["final"] = total["unfounded"] + total["convicted"]
        return select(
            a.c.key, *(total[n].label(n) for n in _SUMMED), func.count(), func.sum(a.c.types),
            func.max(a.c.types), count_if(a.c.types >= 2),
        ).group_by(a.c.key).subquery(f"sums_{g}")  # fmt: skip

    @staticmethod
    def _asks(covered: Any, g: str) -> Any:
        """(key, requests, their months) of the covering requests ``covered``: a request
        counts once in each group holding a charge it covers."""
        units = covered.distinct().subquery(f"requests_{g}")
        return select(units.c.key, func.count(), func.sum(units.c.months)).group_by(
            units.c.key
        ).subquery(f"asks_{g}")  # fmt: skip

    def _joined(self, g: str, sums: Any, parts: Any, cols: list[Any]) -> Any:
        """(key as text, the sums' columns, ``cols``) per group of ``sums``, each part of
        ``parts`` joined on its key."""
        frm: Any = sums
        for part in parts:
            frm = frm.outerjoin(part, part.c.key == sums.c.key)
        key = self.kept.id_text(sums.c.key) if g == "complainant" else sums.c.key
        return select(key.label("key"), *list(sums.c)[1:], *cols).select_from(frm)

    def _span_sums(self, a: Any, g: str, *, repeated: bool = False) -> tuple[Any, Any]:
        """Time under prosecution per group, from the rows per (defendant, case): (key,
        defenders, known spans, their days summed, the longest, pending defenders, the
        coarsest precision's rank) and (key, the middle one or two spans' days summed,
        how many: 1 or 2). A defender's span runs from the first known filing to today
        while a charge is pending, else to the last known outcome when every charge has one.

        ``repeated``: the rows of ``a`` are one per (complainant, defendant, case), the
        complainant the group: the spans also count the defenders charged in two cases or
        more (column "repeated"), and their defenders column is named "defenders"."""
        kept = self.kept
        cases = [func.count().label("cases")] if repeated else []
        d = (
            select(
                a.c.key, a.c.defendant_id, func.min(a.c.first).label("first"),
                func.max(a.c.last).label("last"), func.sum(a.c.n).label("n"),
                func.sum(a.c.ended).label("ended"),
                (func.sum(a.c.n) - func.sum(a.c.unfounded) - func.sum(a.c.convicted)).label(
                    "pending"
                ), *cases,
            )
            .group_by(a.c.key, a.c.defendant_id)
            .subquery(f"d_{g}")
        )  # fmt: skip
        end = case(
            (d.c.pending > 0, literal(self.today.isoformat() + "day")),
            (d.c.ended == d.c.n, d.c.last),
            else_=None,
        )
        days = case(
            (and_(d.c.first.isnot(None), end.isnot(None)), _days_between(kept, d.c.first, end)),
            else_=None,
        )
        first_rank, end_rank = _rank(d.c.first), _rank(end)
        rank = case((first_rank >= end_rank, first_rank), else_=end_rank)
        b = select(
            d.c.key, days.label("days"), case((days.isnot(None), rank)).label("rank"),
            d.c.pending, *(d.c.cases for _ in cases),
        ).cte(f"b_{g}")  # fmt: skip
        spans = select(
            b.c.key, func.count().label("defenders"), func.count(b.c.days), func.sum(b.c.days),
            func.max(b.c.days), count_if(b.c.pending > 0), func.max(b.c.rank),
            *(count_if(b.c.cases >= 2).label("repeated") for _ in cases),
        ).group_by(b.c.key).subquery(f"spans_{g}")  # fmt: skip
        ranked = (
            select(
                b.c.key, b.c.days,
                func.row_number().over(partition_by=b.c.key, order_by=b.c.days).label("i"),
                func.count().over(partition_by=b.c.key).label("n"),
            )
            .where(b.c.days.isnot(None))
            .subquery(f"ranked_{g}")
        )  # fmt: skip
        middle = or_(ranked.c.i == (ranked.c.n + 1) // 2, ranked.c.i == (ranked.c.n + 2) // 2)
        median = (
            select(ranked.c.key, func.sum(ranked.c.days), func.count())
            .where(middle)
            .group_by(ranked.c.key)
            .subquery(f"median_{g}")
        )
        return spans, median
