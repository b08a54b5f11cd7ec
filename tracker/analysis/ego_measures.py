"""The Network page's first view in one statement: the complainants of widest reach and
their links, the defenders facing the most charges (weighted degree) and repeat targeting.

All three read one GROUP BY of the kept charges of
:class:`~tracker.analysis.kept.KeptRows` joined to their complainant links: one row per
(complainant, defendant, case) with its charges and filing years (the CTE ``t``). Reach,
weighted degree and repeat pairs are small GROUP BYs of those rows, so the join of charges
to links (the costly part: a million of each at scale L) runs once for the whole view
instead of once per measure. The filters and visibility are those of every other number;
names are the ones this viewer may see (pseudonyms in SQL, then the redactor on the text).

Only the rows shown leave the database: each list is ranked in SQL, and actor rows (names)
are joined to the rows within the first ``n`` ranks only, not to every complainant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Text, and_, case, cast, func, literal, null, select, union_all
from sqlalchemy.engine import Engine

from .. import privacy
from ..db import analysis_pragmas
from .kept import Filters, KeptRows, Tables

__all__ = ["DEFENDERS_SHOWN", "Overview", "TopReach", "most_charged", "overview",
           "repeat_pairs", "top_reach"]  # fmt: skip

DEFENDERS_SHOWN = 120  # defenders drawn beside the top complainants at most
_a = Tables.actor
_PARTS = ("reach", "edge", "defenders", "most", "pair", "pairs")
_COLUMNS = ("part", "pos", "a", "a_name", "b", "b_name", "cat", "x1", "x2", "x3", "y0", "y1")


@dataclass(frozen=True)
class TopReach:
    """The complainants of widest reach, their links and the defenders they charged."""

    complainants: list[dict[str, Any]]  # id, label, category, defenders, cases, charges
    edges: list[dict[str, Any]]  # complainant, defender, cases, charges, first/last year
    defenders: dict[str, str]  # defender id -> label (those drawn)
    defenders_total: int  # distinct defenders of the complainants listed


@dataclass(frozen=True)
class Overview:
    """What the Network page shows first, for one filter set and visibility."""

    top: TopReach
    most_charged: list[dict[str, Any]]  # id, label, charges, cases, accusers
    repeat_total: int  # complainant-defender pairs in two or more cases
    repeat: list[dict[str, Any]]  # complainant(_id), defender(_id), cases, charges


def filing_year(kept: KeptRows) -> Any:
    """SQL: the year a kept charge was filed, as text; NULL when unknown."""
    ch = kept.charges
    known = and_(ch.c.filed_on.isnot(None), ch.c.filed_on_precision != "unknown")
    return case((known, kept.year(ch.c.filed_on)), else_=None)


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


class _Statement:
    """Builds the one statement of the requested parts, each row tagged with its part.

    Every part selects the same columns (``_COLUMNS``) so they join in a UNION ALL: two
    ids and their shown names (a, b), a category, three counts and two years, and ``pos``,
    the row's place in its list (ranked in SQL, so the database's collation orders names
    as it does everywhere else).
    """

    def __init__(self, kept: KeptRows) -> None:
        self.kept, self.show = kept, kept.q.show
        ch, link = kept.charges, kept.links
        # The filing date where it is known; its year is taken only on the rows shown (the
        # year of the earliest date is the earliest year): no date function per charge.
        known = and_(ch.c.filed_on.isnot(None), ch.c.filed_on_precision != "unknown")
        filed = case((known, ch.c.filed_on), else_=None)
        # One row per (complainant, defendant, case): what every part below counts.
        self.t = (
            select(link.c.actor_id.label("k"), ch.c.defendant_id.label("d"),
                   ch.c.case_id.label("cs"), func.count().label("n"),
                   func.min(filed).label("y0"), func.max(filed).label("y1"))
            .select_from(ch.join(link, link.c.charge_id == ch.c.id))
            .group_by(link.c.actor_id, ch.c.defendant_id, ch.c.case_id)
            .cte("t")
        )  # fmt: skip
        self.parts: list[Any] = []

    def _row(self, part: str, pos: Any, **cols: Any) -> list[Any]:
        """The columns of one part, NULL (typed) where the part has nothing."""
        text = {"a", "a_name", "b", "b_name", "cat", "y0", "y1"}
        out = [literal(part).label("part"), cast(pos, BigInteger).label("pos")]
        for name in _COLUMNS[2:]:
            value = cols.get(name, null())
            out.append(cast(value, Text if name in text else BigInteger).label(name))
        return out

    def _name(self, actor: Any) -> Any:
        return privacy.name_column(show_confidential=self.show, table=actor)

    def reach(self, n: int, max_defenders: int) -> None:
        """Parts "reach" (the top ``n`` complainants), "edge" (their links to the
        defenders that may be drawn) and "defenders" (how many they charged)."""
        t, kept = self.t, self.kept
        defenders, cases, charges = func.count(func.distinct(t.c.d)), func.count(
            func.distinct(t.c.cs)), func.sum(t.c.n)  # fmt: skip
        ranked = (
            select(t.c.k, defenders.label("dn"), cases.label("cn"), charges.label("n"),
                   func.rank().over(order_by=(defenders.desc(), cases.desc(),
                                              charges.desc())).label("r"))
            .group_by(t.c.k)
            .subquery("ranked")
        )  # fmt: skip
        a = _a.alias("complainant")
        name = self._name(a)
        # Names only for the complainants ranked within the first n on the counts.
        pos = func.row_number().over(
            order_by=(ranked.c.dn.desc(), ranked.c.cn.desc(), ranked.c.n.desc(), name, a.c.id)
        )
        top = (
            select(ranked.c.k, ranked.c.dn, ranked.c.cn, ranked.c.n, name.label("name"),
                   a.c.complainant_category.label("cat"), pos.label("pos"))
            .select_from(ranked.join(a, a.c.id == ranked.c.k))
            .where(ranked.c.r <= n)
            .subquery("top_all")
        )  # fmt: skip
        top = select(top).where(top.c.pos <= n).cte("top")
        self.parts.append(
            select(*self._row("reach", top.c.pos, a=kept.id_text(top.c.k), a_name=top.c.name,
                              cat=top.c.cat, x1=top.c.dn, x2=top.c.cn, x3=top.c.n))
        )  # fmt: skip
        e = (
            select(t.c.k, t.c.d, func.count().label("cases"), func.sum(t.c.n).label("n"),
                   func.min(t.c.y0).label("y0"), func.max(t.c.y1).label("y1"))
            .where(t.c.k.in_(select(top.c.k)))
            .group_by(t.c.k, t.c.d)
            .cte("e")
        )  # fmt: skip
        # Defenders charged by the most of the top complainants, then in the most cases:
        # every one ranked within max_defenders is fetched (ties by name are broken on the
        # redacted label, as drawn).
        accusers, weight = func.count(), func.sum(e.c.cases)
        ds = (
            select(e.c.d, func.rank().over(order_by=(accusers.desc(), weight.desc())).label("r"))
            .group_by(e.c.d)
            .cte("ds")
        )
        d = _a.alias("defender")
        self.parts.append(
            select(*self._row("edge", null(), a=kept.id_text(e.c.k), b=kept.id_text(e.c.d),
                              b_name=self._name(d), x1=e.c.cases, x2=e.c.n,
                              y0=kept.year(e.c.y0), y1=kept.year(e.c.y1)))
            .select_from(e.join(ds, ds.c.d == e.c.d).join(d, d.c.id == e.c.d))
            .where(ds.c.r <= max_defenders)
        )  # fmt: skip
        self.parts.append(select(*self._row("defenders", null(), x1=func.count())).select_from(ds))

    def most(self, n: int) -> None:
        """Part "most": the ``n`` defendants facing the most kept charges."""
        ch, t, kept = self.kept.charges, self.t, self.kept
        # Per (case, defendant) first: SQLite reads the kept charges in that order (the case
        # list, then the case-defendant index), so this GROUP BY needs no sort, and a
        # defendant's cases are then its rows (no DISTINCT). At L: 1.5 -> 1.0 s CPU.
        per_case = (
            select(ch.c.case_id, ch.c.defendant_id.label("d"), func.count().label("n"))
            .group_by(ch.c.case_id, ch.c.defendant_id)
            .subquery("per_case")
        )
        charges = func.sum(per_case.c.n)
        ranked = (
            select(per_case.c.d, charges.label("n"), func.count().label("cn"),
                   func.rank().over(order_by=charges.desc()).label("r"))
            .group_by(per_case.c.d)
            .subquery("most_ranked")
        )  # fmt: skip
        d = _a.alias("defendant")
        name = self._name(d)
        pos = func.row_number().over(order_by=(ranked.c.n.desc(), name, d.c.id))
        top = (
            select(ranked.c.d, ranked.c.n, ranked.c.cn, name.label("name"), pos.label("pos"))
            .select_from(ranked.join(d, d.c.id == ranked.c.d))
            .where(ranked.c.r <= n)
            .subquery("most_all")
        )
        top = select(top).where(top.c.pos <= n).cte("most")
        # Distinct accusers of those defendants only.
        acc = (
            select(t.c.d, func.count(func.distinct(t.c.k)).label("an"))
            .where(t.c.d.in_(select(top.c.d)))
            .group_by(t.c.d)
            .subquery("acc")
        )
        self.parts.append(
            select(*self._row("most", top.c.pos, a=kept.id_text(top.c.d), a_name=top.c.name,
                              x1=top.c.n, x2=top.c.cn, x3=func.coalesce(acc.c.an, 0)))
            .select_from(top.outerjoin(acc, acc.c.d == top.c.d))
        )  # fmt: skip

    def repeat(self, n: int) -> None:
        """Parts "pair" (the ``n`` pairs in the most cases) and "pairs" (how many pairs
        meet in two or more cases)."""
        t, kept = self.t, self.kept
        cases, charges = func.count(), func.sum(t.c.n)
        pairs = (
            select(t.c.k, t.c.d, cases.label("cn"), charges.label("n"),
                   func.rank().over(order_by=(cases.desc(), charges.desc())).label("r"))
            .group_by(t.c.k, t.c.d)
            .having(cases >= 2)
            .cte("pairs")
        )  # fmt: skip
        k, d = _a.alias("k"), _a.alias("d")
        k_name, d_name = self._name(k), self._name(d)
        pos = func.row_number().over(
            order_by=(pairs.c.cn.desc(), pairs.c.n.desc(), k_name, d_name, k.c.id, d.c.id)
        )
        top = (
            select(pairs.c.k, pairs.c.d, pairs.c.cn, pairs.c.n, k_name.label("k_name"),
                   d_name.label("d_name"), pos.label("pos"))
            .select_from(pairs.join(k, k.c.id == pairs.c.k).join(d, d.c.id == pairs.c.d))
            .where(pairs.c.r <= n)
            .subquery("pair_all")
        )  # fmt: skip
        self.parts.append(
            select(*self._row("pair", top.c.pos, a=kept.id_text(top.c.k), a_name=top.c.k_name,
                              b=kept.id_text(top.c.d), b_name=top.c.d_name, x1=top.c.cn,
                              x2=top.c.n))
            .where(top.c.pos <= n)
        )  # fmt: skip
        self.parts.append(select(*self._row("pairs", null(), x1=func.count())).select_from(pairs))

    def run(self, engine: Engine) -> dict[str, list[Any]]:
        """The rows of each part, in list order."""
        stmt = union_all(*self.parts)
        out: dict[str, list[Any]] = {p: [] for p in _PARTS}
        with engine.connect() as conn, analysis_pragmas(conn, mapped=True):
            for row in conn.execute(stmt):
                out[row[0]].append(row)
        for rows in out.values():
            rows.sort(key=lambda r: r[1] or 0)
        return out


def _top(rows: dict[str, list[Any]], redact: Callable[[str], str], max_defenders: int) -> TopReach:
    top = [
        {"id": r.a, "label": redact(r.a_name), "category": r.cat, "defenders": int(r.x1),
         "cases": int(r.x2), "charges": int(r.x3)}
        for r in rows["reach"]
    ]  # fmt: skip
    edges = [
        {"complainant": r.a, "defender": r.b, "defender_label": redact(r.b_name),
         "cases": int(r.x1), "charges": int(r.x2), "first_year": _opt_int(r.y0),
         "last_year": _opt_int(r.y1)}
        for r in rows["edge"]
    ]  # fmt: skip
    total = int(rows["defenders"][0].x1) if rows["defenders"] else 0
    # SQL fetched every defender ranked within max_defenders on (accusers, cases); the
    # last tie-break is on the label as drawn (after the redactor), so it is done here.
    accusers: dict[str, int] = {}
    weight: dict[str, int] = {}
    label: dict[str, str] = {}
    for e in edges:
        accusers[e["defender"]] = accusers.get(e["defender"], 0) + 1
        weight[e["defender"]] = weight.get(e["defender"], 0) + e["cases"]
        label[e["defender"]] = e.pop("defender_label")
    keep = sorted(label, key=lambda v: (-accusers[v], -weight[v], label[v], v))[:max_defenders]
    kept_ids = set(keep)
    edges = [e for e in edges if e["defender"] in kept_ids]
    edges.sort(key=lambda e: (-e["cases"], -e["charges"], e["complainant"], label[e["defender"]]))
    return TopReach(top, edges, {v: label[v] for v in keep}, total)


def _most(rows: dict[str, list[Any]], redact: Callable[[str], str]) -> list[dict[str, Any]]:
    return [
        {"id": r.a, "label": redact(r.a_name), "charges": int(r.x1), "cases": int(r.x2),
         "accusers": int(r.x3)}
        for r in rows["most"]
    ]  # fmt: skip


def _repeat(
    rows: dict[str, list[Any]], redact: Callable[[str], str]
) -> tuple[int, list[dict[str, Any]]]:
    total = int(rows["pairs"][0].x1) if rows["pairs"] else 0
    pairs = [
        {"complainant_id": r.a, "complainant": redact(r.a_name), "defender_id": r.b,
         "defender": redact(r.b_name), "cases": int(r.x1), "charges": int(r.x2)}
        for r in rows["pair"]
    ]  # fmt: skip
    return total, pairs


def _read(
    engine: Engine,
    filters: Filters | None,
    show_confidential: bool,
    build: Callable[[_Statement], None],
) -> dict[str, list[Any]]:
    statement = _Statement(KeptRows(engine, filters or Filters(), show_confidential))
    build(statement)
    return statement.run(engine)


def overview(
    engine: Engine,
    filters: Filters | None,
    n_top: int,
    n_rows: int,
    *,
    show_confidential: bool,
    max_defenders: int = DEFENDERS_SHOWN,
    redact: Callable[[str], str] | None = None,
) -> Overview:
    """:func:`top_reach` (``n_top``), :func:`most_charged` and :func:`repeat_pairs`
    (``n_rows`` each) from one statement, so the charges are joined to their links once."""
    n_top, n_rows = max(0, int(n_top)), max(0, int(n_rows))

    def build(s: _Statement) -> None:
        s.reach(n_top, max_defenders)
        s.most(n_rows)
        s.repeat(n_rows)

    rows = _read(engine, filters, show_confidential, build)
    redact = redact or privacy.redactor(engine, show_confidential=show_confidential)
    total, pairs = _repeat(rows, redact)
    return Overview(_top(rows, redact, max_defenders), _most(rows, redact), total, pairs)


def top_reach(
    engine: Engine,
    filters: Filters | None,
    n: int,
    *,
    show_confidential: bool,
    max_defenders: int = DEFENDERS_SHOWN,
    redact: Callable[[str], str] | None = None,
) -> TopReach:
    """The ``n`` complainants of widest reach (distinct defenders charged; ties: more
    cases, more charges, then by name) and their links to the defenders they charged.

    Reach, cases and charges are those of the ``complainant_reach`` indicator. When the
    complainants together charged more than ``max_defenders`` defenders, the defenders
    charged by the most of them (then in the most cases) are kept for drawing, and
    ``defenders_total`` says how many there were.
    """
    rows = _read(engine, filters, show_confidential,
                 lambda s: s.reach(max(0, int(n)), max_defenders))  # fmt: skip
    redact = redact or privacy.redactor(engine, show_confidential=show_confidential)
    return _top(rows, redact, max_defenders)


def most_charged(
    engine: Engine,
    filters: Filters | None,
    n: int,
    *,
    show_confidential: bool,
    redact: Callable[[str], str] | None = None,
) -> list[dict[str, Any]]:
    """The ``n`` defendants facing the most kept charges (a defender's weighted degree in
    charges: each charge once), with their distinct accusers and cases; ties by name."""
    rows = _read(engine, filters, show_confidential, lambda s: s.most(max(0, int(n))))
    return _most(rows, redact or privacy.redactor(engine, show_confidential=show_confidential))


def repeat_pairs(
    engine: Engine,
    filters: Filters | None,
    n: int,
    *,
    show_confidential: bool,
    redact: Callable[[str], str] | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """Repeat targeting: (complainant, defender) pairs named together in kept charges of two
    or more distinct cases (the ``repeat_targeting`` indicator's numerator), how many there
    are, and the ``n`` with the most cases (then charges, then names)."""
    rows = _read(engine, filters, show_confidential, lambda s: s.repeat(max(0, int(n))))
    return _repeat(rows, redact or privacy.redactor(engine, show_confidential=show_confidential))
