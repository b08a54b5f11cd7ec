"""The case-actor, co-defendant and co-complainant graphs from weighted GROUP BYs.

The row builders of :mod:`tracker.graphs.build` read every case, party, charge and
complainant link into Python and let networkx project the case-actor graph. Here the
database does the grouping: one statement gives each (case, actor) edge with its roles, or
each pair of co-defendants or co-complainants with the number of cases they share (the
weight); another gives the nodes with their attributes. Only those rows reach Python, where
they are added to the graph as they are.

The graphs are those of the row builders: same nodes in the same order (Louvain depends on
it), same attributes, same edges and weights (tests/test_graphs_sql.py compares them on the
hand-built network and on demo data). Projected edges are added in the order of their ends,
so their order no longer depends on Python's set order.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import networkx as nx
from sqlalchemy import and_, case, func, over, select, union
from sqlalchemy.engine import Connection, Engine

from .. import privacy
from ..gc_pause import gc_paused
from .edges import actor_attrs, network_sql, shown_actor
from .kept import ActorRow, Filters, KeptRows, Tables

__all__ = [
    "COMPLAINANT_ROLES",
    "GRAPHS",
    "case_actor_sql",
    "co_complainants_sql",
    "co_defendants_sql",
    "graph_sql",
]

# Party roles of someone who brings the accusation (besides the charge_complainant links).
COMPLAINANT_ROLES = ("complainant", "private_prosecutor")
GRAPHS = ("complainant-defender", "co-defendant", "co-complainant", "case-actor")

_a_t, _party_t, _case_t = Tables.actor, Tables.party, Tables.case
_a, _party, _case = _a_t.c, _party_t.c, _case_t.c


class _CaseNode(NamedTuple):
    """What a case node shows (its text redacted like every row of the analysis)."""

    id: str
    title: str
    region: str | None
    context: str | None
    opened_on: Any
    status: str
    is_synthetic: bool


def _kept_parties(kept: KeptRows, *roles: str) -> Any:
    """SQL: the parties of kept cases whose actor this viewer may see (of these roles)."""
    q = kept.q
    stmt = select(_party.id, _party.case_id, _party.actor_id, _party.role).where(
        *q.kept_case(_party.case_id), *q.visible_id(_party.actor_id)
    )
    if roles:
        stmt = stmt.where(_party.role.in_(roles))
    return stmt


def _actors(conn: Connection, kept: KeptRows, order: Any, show: bool) -> list[tuple[ActorRow, str]]:
    """The actors of ``order`` (a subquery of ``actor_id`` and ``first``, one row per
    actor), named as this viewer may see them and redacted, in the order of ``first``."""
    stmt = (
        select(
            kept.id_text(_a.id), privacy.name_column(show_confidential=show), _a.kind,
            _a.is_defender, _a.complainant_category, _a.region, _a.is_synthetic, order.c.first,
        )
        .join_from(order, _a_t, _a.id == order.c.actor_id)
        .order_by(order.c.first, _a.id)
    )  # fmt: skip
    redact = privacy.redactor(conn, show_confidential=show)
    return [(shown_actor(ActorRow(*r[:7]), redact), r[7]) for r in conn.execute(stmt)]


def case_actor_sql(
    engine: Engine, filters: Filters | None = None, *, show_confidential: bool = False
) -> nx.Graph:
    """graphs.case_actor from two GROUP BYs: cases (bipartite=0) and actors (bipartite=1).

    One edge per case and actor; ``role`` lists an actor's roles in the case (sorted, joined
    by ";"), ``start`` and ``end`` are the dates of the first of those parties (by id).
    """
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    parties = _kept_parties(kept).add_columns(
        _party.start_date, _party.end_date,
        over(func.row_number(), partition_by=(_party.case_id, _party.actor_id),
             order_by=_party.id).label("rn"),
    ).subquery("p")  # fmt: skip
    p = parties.c
    first_only = p.rn == 1
    edges = (
        select(
            kept.id_text(p.case_id), kept.id_text(p.actor_id), _list(kept, p.role),
            func.max(_when(first_only, p.start_date)), func.max(_when(first_only, p.end_date)),
            func.min(kept.id_text(p.id)).label("first"),
        )
        .group_by(p.case_id, p.actor_id)
        .subquery("e")
    )  # fmt: skip
    order = (
        select(p.actor_id, func.min(kept.id_text(p.id)).label("first"))
        .group_by(p.actor_id)
        .subquery("o")
    )
    cases = select(
        kept.id_text(_case.id), _case.title, _case.region, _case.context, _case.opened_on,
        _case.status, _case.is_synthetic,
    ).where(*kept.q.case_ok()).order_by(_case.id)  # fmt: skip
    g = nx.Graph(name="case-actor")
    with gc_paused(), engine.connect() as conn:
        found = {row[0]: _CaseNode(*row) for row in conn.execute(cases)}
        privacy.redactor(conn, show_confidential=show_confidential).rows(found)
        for case in found.values():
            g.add_node(
                case.id, bipartite=0, label=case.title, kind="case", group="case",
                region=case.region, context=case.context,
                opened=case.opened_on.isoformat() if case.opened_on else None,
                status=case.status, synthetic=case.is_synthetic,
            )  # fmt: skip
        # Actors in the order of their first party, as the row builder meets them.
        for actor, _ in _actors(conn, kept, order, show_confidential):
            g.add_node(actor.id, bipartite=1, **actor_attrs(actor))
        for case_id, actor_id, roles, start, end, _ in conn.execute(
            select(edges).order_by(edges.c.first)
        ):
            g.add_edge(
                case_id, actor_id, role=";".join(sorted(set(roles.split(",")))),
                start=_iso(start), end=_iso(end),
            )  # fmt: skip
    return g


def _when(condition: Any, value: Any) -> Any:
    """SQL: ``value`` where ``condition`` holds, else NULL."""
    return case((condition, value), else_=None)


def _iso(value: Any) -> str | None:
    """A date (or SQLite's "YYYY-MM-DD" text) as ISO text."""
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()


def _list(kept: KeptRows, column: Any) -> Any:
    """SQL: the values of a column in the group, comma-separated."""
    if kept.sqlite:
        return func.group_concat(column, ",")
    return func.string_agg(column, ",")


def _projection(
    engine: Engine, kept: KeptRows, pairs: Any, order: Any, name: str, extra: dict[str, Any]
) -> nx.Graph:
    """The weighted projection onto the actors: nodes from ``order`` (actor_id, first),
    edges from ``pairs`` (two actor ids as text, u < v, and the number of cases they share),
    ``distance`` = 1 / weight (what betweenness uses, so that people who share many cases
    are close)."""
    g = nx.Graph(name=name)
    with gc_paused(), engine.connect() as conn:
        for actor, _ in _actors(conn, kept, order, kept.q.show):
            g.add_node(actor.id, bipartite=1, **(actor_attrs(actor) | extra))
        for u, v, weight in conn.execute(pairs):
            g.add_edge(u, v, weight=int(weight), distance=1.0 / int(weight))
    return g


def _pairs(kept: KeptRows, x: Any, y: Any, *on: Any) -> Any:
    """SQL: (actor, other actor, cases shared) of the rows of ``x`` and ``y`` in one case."""
    return (
        select(kept.id_text(x.c.actor_id), kept.id_text(y.c.actor_id), func.count())
        .join_from(x, y, and_(y.c.case_id == x.c.case_id, x.c.actor_id < y.c.actor_id, *on))
        .group_by(x.c.actor_id, y.c.actor_id)
        .order_by(x.c.actor_id, y.c.actor_id)
    )


def co_defendants_sql(
    engine: Engine, filters: Filters | None = None, *, show_confidential: bool = False
) -> nx.Graph:
    """graphs.co_defendants from GROUP BYs: defenders who are defendants in the same kept
    case; edge weight = cases shared. A defender alone in their cases is an isolated node."""
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    defenders = select(_a.id).where(_a.is_defender.is_(True)).correlate(None)
    # One row per (case, defendant): the table holds a role once per case and actor.
    members = (
        _kept_parties(kept, "defendant")
        .with_only_columns(_party.case_id, _party.actor_id)
        .where(_party.actor_id.in_(defenders))
        .subquery("members")
    )
    # The other defendant straight from the table, through its case index: SQLite compared
    # every pair of rows of two copies of the subquery (110 s at scale M). The case is kept
    # already (it is the member's); the other defendant must be a visible defender.
    y = _party_t.alias("y")
    pairs = _pairs(
        kept, members, y, y.c.role == "defendant", y.c.actor_id.in_(defenders),
        *kept.q.visible_id(y.c.actor_id),
    )  # fmt: skip
    # Nodes in the order of each one's first party of any role, as graphs.case_actor adds them.
    every = _kept_parties(kept).subquery("every")
    order = (
        select(every.c.actor_id, func.min(kept.id_text(every.c.id)).label("first"))
        .where(every.c.actor_id.in_(select(members.c.actor_id)))
        .group_by(every.c.actor_id)
        .subquery("o")
    )
    return _projection(engine, kept, pairs, order, "co-defendant", {})


def co_complainants_sql(
    engine: Engine, filters: Filters | None = None, *, show_confidential: bool = False
) -> nx.Graph:
    """graphs.co_complainants from GROUP BYs: complainants who accuse in the same kept case
    (named on a kept charge of it, or a party as complainant or private prosecutor); edge
    weight = cases shared."""
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    ch, link = kept.charges, kept.links
    on_charges = select(ch.c.case_id, link.c.actor_id).join_from(
        ch, link, link.c.charge_id == ch.c.id
    )
    as_parties = _kept_parties(kept, *COMPLAINANT_ROLES).with_only_columns(
        _party.case_id, _party.actor_id
    )
    # A subquery written twice, not a CTE: SQLite materializes a CTE without an index and
    # compares every pair of its rows; a subquery gets an automatic index on its case.
    members = union(on_charges, as_parties).subquery("members")
    # The row builder walks the sorted (case, actor) pairs: an actor comes in with its
    # first case (by id).
    order = (
        select(members.c.actor_id, func.min(kept.id_text(members.c.case_id)).label("first"))
        .group_by(members.c.actor_id)
        .subquery("o")
    )
    pairs = _pairs(kept, members.alias("x"), members.alias("y"))
    return _projection(engine, kept, pairs, order, "co-complainant", {"group": "complainant"})


def graph_sql(
    engine: Engine, name: str, filters: Filters | None = None, *, show_confidential: bool = False
) -> nx.Graph:
    """The graph called ``name`` (one of GRAPHS), built from weighted GROUP BYs.

    Raises:
        ValueError: an unknown name.
    """
    if name == "complainant-defender":
        return network_sql(engine, filters, show_confidential=show_confidential)[0]
    builders = {
        "co-defendant": co_defendants_sql,
        "co-complainant": co_complainants_sql,
        "case-actor": case_actor_sql,
    }
    if name not in builders:
        raise ValueError(f"unknown graph {name!r}; expected one of {', '.join(GRAPHS)}")
    graph: nx.Graph = builders[name](engine, filters, show_confidential=show_confidential)
    return graph
