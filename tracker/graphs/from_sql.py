"""The complainant -> defender graph and its yearly counts, aggregated in the database.

:func:`tracker.graphs.complainant_defender` builds the graph from every charge and complainant
link read into Python: at scale L two million rows, most of the Network page's memory. Here
one GROUP BY gives each (complainant, defender) edge with its weight, counts and id lists, and
only the edges and their nodes reach Python. The graph is the same, node and edge order
included (Louvain depends on it): the tests compare the two builds.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.engine import Engine

from .. import privacy
from ..gc_pause import gc_paused
from ..indicators.kept import KeptRows
from ..network_data import ActorRow, Filters
from ..network_data.read import _a
from .build import _actor_attrs

__all__ = ["complainant_defender_sql", "time_slice_counts_sql"]


def _joined(kept: KeptRows) -> tuple[Any, Any, Any]:
    """(FROM clause of kept links with their charges, the charge and link subqueries)."""
    ch, link = kept.charges, kept.links
    return ch.join(link, link.c.charge_id == ch.c.id), ch, link


def _list(kept: KeptRows, column: Any) -> Any:
    """SQL: the distinct values of a column in the group, comma-separated."""
    if kept.sqlite:
        return func.group_concat(distinct(column))
    return func.string_agg(distinct(column), ",")


def complainant_defender_sql(
    engine: Engine, filters: Filters | None = None, *, show_confidential: bool = False
) -> nx.DiGraph:
    """graphs.complainant_defender of the rows network_data.load would read, from SQL.

    Edge attributes as there: ``weight`` (distinct cases), ``charges``, ``cases`` and
    ``charge_ids`` (sorted ids), ``years`` (sorted years of known filing dates),
    ``synthetic`` (every case behind it is synthetic).
    """
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    frm, ch, link = _joined(kept)
    cases = kept.cases
    filed = and_(ch.c.filed_on.isnot(None), ch.c.filed_on_precision != "unknown")
    year = case((filed, kept.year(ch.c.filed_on)), else_=None)
    synthetic = cases.c.is_synthetic.is_(True)
    # The first charge (by id) naming the pair, then that charge's link (by id): the order
    # complainant_defender meets the pairs in, walking charges and their links by id.
    first = func.min(kept.id_text(ch.c.id).op("||")(kept.id_text(link.c.id)))
    stmt = (
        select(
            kept.id_text(link.c.actor_id), kept.id_text(ch.c.defendant_id),
            func.count(distinct(ch.c.case_id)), func.count(),
            _list(kept, kept.id_text(ch.c.case_id)), _list(kept, kept.id_text(ch.c.id)),
            _list(kept, year), func.sum(case((synthetic, 0), else_=1)),
        )
        .select_from(frm.join(cases, cases.c.id == ch.c.case_id))
        .group_by(link.c.actor_id, ch.c.defendant_id)
        .order_by(first)
    )  # fmt: skip
    with gc_paused(), engine.connect() as conn:
        pairs = conn.execute(stmt).all()
        actors = _actors(conn, kept, {p[0] for p in pairs} | {p[1] for p in pairs})
    g = nx.DiGraph(name="complainant-defender")
    for source, target, weight, charges, case_ids, charge_ids, years, real in pairs:
        for node in (source, target):
            if node not in g:
                g.add_node(node, **_actor_attrs(actors[node]))
        g.add_edge(
            source,
            target,
            weight=weight,
            charges=charges,
            cases=sorted(case_ids.split(",")),
            charge_ids=sorted(charge_ids.split(",")),
            years=sorted(int(y) for y in years.split(",")) if years else [],
            synthetic=not real,
        )
    for node, attrs in g.nodes(data=True):
        out, into = g.out_degree(node) > 0, g.in_degree(node) > 0
        attrs["group"] = "both" if out and into else "complainant" if out else "defender"
    return g


def _actors(conn: Any, kept: KeptRows, ids: set[str]) -> dict[str, ActorRow]:
    """The visible actors with these ids, named as this viewer may see them."""
    stmt = select(
        kept.id_text(_a.id), privacy.name_column(show_confidential=kept.q.show), _a.kind,
        _a.is_defender, _a.complainant_category, _a.region, _a.is_synthetic,
    ).where(*kept.q.visible_id(_a.id))  # fmt: skip
    return {row[0]: ActorRow(*row) for row in conn.execute(stmt) if row[0] in ids}


def time_slice_counts_sql(
    engine: Engine, filters: Filters | None = None, *, show_confidential: bool = False
) -> list[dict[str, Any]]:
    """graphs.time_slice_counts (one-year periods) from one GROUP BY per year of filing:
    complainants, defenders, edges (distinct pairs) and charges (one per charge and
    complainant), oldest first; charges with an unknown filing date are in no year."""
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    frm, ch, link = _joined(kept)
    year = kept.year(ch.c.filed_on)
    pairs = (
        select(year.label("year"), link.c.actor_id, ch.c.defendant_id, func.count().label("n"))
        .select_from(frm)
        .where(ch.c.filed_on.isnot(None), ch.c.filed_on_precision != "unknown")
        .group_by(year, link.c.actor_id, ch.c.defendant_id)
        .subquery("pairs")
    )
    stmt = (
        select(
            pairs.c.year, func.count(distinct(pairs.c.actor_id)),
            func.count(distinct(pairs.c.defendant_id)), func.count(), func.sum(pairs.c.n),
        )
        .group_by(pairs.c.year)
    )  # fmt: skip
    with engine.connect() as conn:
        rows = sorted(
            (int(y), int(k), int(d), int(e), int(n)) for y, k, d, e, n in conn.execute(stmt)
        )
    return [
        {"start": y, "end": y, "complainants": k, "defenders": d, "edges": e, "charges": n}
        for y, k, d, e, n in rows
    ]
