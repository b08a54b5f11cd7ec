"""The complainant -> defender graph and its yearly counts, aggregated in the database.

Graph edges as weighted GROUP BYs. :func:`tracker.graphs.complainant_defender` builds the graph from every charge and complainant
link read into Python: at scale L two million rows, most of the Network page's memory. Here
one GROUP BY gives each (complainant, defender) edge with its weight, counts and id lists, and
only the edges and their nodes reach Python. The graph is the same, node and edge order
included (Louvain depends on it): the tests compare the two builds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import networkx as nx
from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Engine

from .. import privacy
from ..gc_pause import gc_paused
from .kept import ActorRow, Filters, KeptRows

__all__ = [
    "actor_attrs",
    "complainant_defender_sql",
    "network_sql",
    "shown_actor",
    "time_slice_counts_sql",
]


def _group(actor: ActorRow) -> str:
    if actor.is_defender:
        return "defender"
    if actor.complainant_category:
        return "complainant"
    return actor.kind


def shown_actor(actor: ActorRow, redact: privacy.Redactor) -> ActorRow:
    """The actor with its free text (name, region) redacted for this viewer.

    Only the actors that become nodes are redacted (a third of the visible ones at scale M:
    redacting every one took half of the graph's time); kind and category are vocabulary
    codes, and the id is hex, so they hold no name.
    """
    if not redact:
        return actor
    label, region = redact(actor.label), redact(actor.region)
    if label == actor.label and region == actor.region:
        return actor
    return actor._replace(label=label, region=region)


def actor_attrs(actor: ActorRow) -> dict[str, Any]:
    """The node attributes of an actor in every graph (label as this viewer may see it)."""
    return {
        "label": actor.label,
        "kind": actor.kind,
        "group": _group(actor),
        "is_defender": actor.is_defender,
        "complainant_category": actor.complainant_category,
        "region": actor.region,
        "synthetic": actor.is_synthetic,
    }


def _joined(kept: KeptRows) -> tuple[Any, Any, Any]:
    """(FROM clause of kept links with their charges, the charge and link subqueries)."""
    ch, link = kept.charges, kept.links
    return ch.join(link, link.c.charge_id == ch.c.id), ch, link


def _list(kept: KeptRows, column: Any) -> Any:
    """SQL: the values of a column in the group, comma-separated (NULLs left out)."""
    if kept.sqlite:
        return func.group_concat(column, ",")
    return func.string_agg(column, ",")


def network_sql(
    engine: Engine, filters: Filters | None = None, *, show_confidential: bool = False
) -> tuple[nx.DiGraph, list[dict[str, Any]]]:
    """graphs.complainant_defender and graphs.time_slice_counts (one-year periods) of the
    rows network_data.load would read, from one GROUP BY per (complainant, defender).

    Edge attributes as there: ``weight`` (distinct cases), ``charges``, ``cases`` and
    ``charge_ids`` (sorted ids), ``years`` (sorted years of known filing dates),
    ``synthetic`` (every case behind it is synthetic). The yearly counts come from the same
    rows: each edge lists the filing year of each of its charges.
    """
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    frm, ch, link = _joined(kept)
    filed = and_(ch.c.filed_on.isnot(None), ch.c.filed_on_precision != "unknown")
    year = case((filed, kept.year(ch.c.filed_on)), else_=None)
    # The first charge (by id) naming the pair, then that charge's link (by id): the order
    # complainant_defender meets the pairs in, walking charges and their links by id.
    first = func.min(kept.id_text(ch.c.id).op("||")(kept.id_text(link.c.id)))
    # Plain lists, deduplicated in Python: DISTINCT aggregates and a join to the cases for
    # their synthetic flag tripled the statement's time at scale L.
    stmt = (
        select(
            kept.id_text(link.c.actor_id), kept.id_text(ch.c.defendant_id),
            _list(kept, kept.id_text(ch.c.case_id)), _list(kept, kept.id_text(ch.c.id)),
            _list(kept, year),
        )
        .select_from(frm)
        .group_by(link.c.actor_id, ch.c.defendant_id)
        .order_by(first)
    )  # fmt: skip
    synthetic_cases = select(kept.id_text(kept.cases.c.id)).where(
        kept.cases.c.is_synthetic.is_(True)
    )
    with gc_paused(), engine.connect() as conn:
        synthetic = set(conn.execute(synthetic_cases).scalars())
        actors = kept.actors(conn)
        redact = privacy.redactor(conn, show_confidential=show_confidential)
        # Edges are added as the rows arrive: holding every row first (300,000 rows of id
        # lists at scale L) beside the graph was a fifth of the page's peak memory.
        edges: list[Any] = []
        g = _graph(_collect(conn.execute(stmt), edges), actors, synthetic, redact)
    with gc_paused():
        return g, _slices(edges)


def _collect(rows: Iterable[Any], kept: list[Any]) -> Iterator[Any]:
    """Yield each row, keeping what the yearly counts need of it: the pair and its years."""
    for row in rows:
        kept.append((row[0], row[1], row[4]))
        yield row


def _graph(
    pairs: Iterable[Any],
    actors: dict[str, ActorRow],
    synthetic: set[str],
    redact: privacy.Redactor = privacy.NO_REDACTION,
) -> nx.DiGraph:
    g = nx.DiGraph(name="complainant-defender")
    # One string object per case id: a case is on the edges of all its charges' pairs.
    case_text: dict[str, str] = {}
    one = case_text.setdefault
    for source, target, case_list, charge_list, year_list in pairs:
        for node in (source, target):
            if node not in g:
                g.add_node(node, **actor_attrs(shown_actor(actors[node], redact)))
        case_ids = sorted({one(c, c) for c in case_list.split(",")})
        charge_ids = charge_list.split(",")
        g.add_edge(
            source,
            target,
            weight=len(case_ids),
            charges=len(charge_ids),
            cases=case_ids,
            charge_ids=sorted(charge_ids),
            years=sorted({int(y) for y in year_list.split(",")}) if year_list else [],
            synthetic=all(c in synthetic for c in case_ids),
        )
    for node, attrs in g.nodes(data=True):
        out, into = g.out_degree(node) > 0, g.in_degree(node) > 0
        attrs["group"] = "both" if out and into else "complainant" if out else "defender"
    return g


def _slices(pairs: Sequence[Any]) -> list[dict[str, Any]]:
    """graphs.time_slice_counts from the edge rows: per year of filing, complainants,
    defenders, edges (pairs) and charges (one per charge and complainant)."""
    edges: dict[str, list[tuple[str, str]]] = defaultdict(list)
    every: list[str] = []  # the filing year of each charge and complainant
    for source, target, year_list in pairs:
        if year_list:
            years = year_list.split(",")
            every += years
            for y in set(years):
                edges[y].append((source, target))
    charges = Counter(every)
    return [
        {
            "start": int(y),
            "end": int(y),
            "complainants": len({u for u, _ in edges[y]}),
            "defenders": len({v for _, v in edges[y]}),
            "edges": len(edges[y]),
            "charges": charges[y],
        }
        for y in sorted(edges, key=int)
    ]


def complainant_defender_sql(
    engine: Engine, filters: Filters | None = None, *, show_confidential: bool = False
) -> nx.DiGraph:
    """The graph of :func:`network_sql`."""
    return network_sql(engine, filters, show_confidential=show_confidential)[0]


def time_slice_counts_sql(
    engine: Engine, filters: Filters | None = None, *, show_confidential: bool = False
) -> list[dict[str, Any]]:
    """The yearly counts of :func:`network_sql`."""
    return network_sql(engine, filters, show_confidential=show_confidential)[1]
