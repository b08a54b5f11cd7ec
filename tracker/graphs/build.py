"""Build the networkx graphs of INDICATORS.md from the rows of tracker.network_data.

Node ids are the database ids as text; every node carries ``label`` (the name this viewer may
see: pseudonyms are applied before the rows get here) and ``group`` (what it is, for colours
and legends: case, defender, complainant, or the actor's kind).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx
from networkx.algorithms import bipartite

from ..analysis.edges import actor_attrs
from ..gc_pause import gc_paused
from ..network_data import ChargeRow, NetworkData

__all__ = [
    "COMPLAINANT_ROLES",
    "case_actor",
    "co_complainants",
    "co_defendants",
    "complainant_defender",
    "graph_by_name",
]

# Party roles of someone who brings the accusation (besides the charge_complainant links).
COMPLAINANT_ROLES = frozenset({"complainant", "private_prosecutor"})


def complainant_defender(
    data: NetworkData, charges: Iterable[ChargeRow] | None = None
) -> nx.DiGraph:
    """The complainant -> defender directed graph.

    One edge per (complainant, defendant) pair named together on at least one charge; a charge
    with two complainants gives two edges. Edge attributes: ``weight`` (distinct cases),
    ``charges`` (number of charges), ``cases`` and ``charge_ids`` (sorted ids), ``years``
    (sorted years the charges were filed), ``synthetic`` (every case behind it is synthetic).
    Out-degree is a complainant's reach; in-degree is how many accusers a defender has.

    Args:
        data: the filtered rows.
        charges: a subset of ``data.charges`` (a time slice); default all of them.
    """
    with gc_paused():
        return _complainant_defender(data, data.charges if charges is None else charges)


def _complainant_defender(data: NetworkData, charges: Iterable[ChargeRow]) -> nx.DiGraph:
    # Lists, not sets, while collecting (most pairs have one case and one year; a set costs
    # four times a short list): at scale L these lookups were most of the graph's memory.
    by_charge: dict[str, list[str]] = defaultdict(list)
    for link in data.complainants:
        by_charge[link.charge_id].append(link.actor_id)
    acc: dict[tuple[str, str], tuple[list[str], list[str], list[int]]] = {}
    for charge in charges:
        for complainant in by_charge.get(charge.id, ()):
            key = (complainant, charge.defendant_id)
            entry = acc.get(key)
            if entry is None:
                entry = acc[key] = ([], [], [])
            entry[0].append(charge.case_id)
            entry[1].append(charge.id)
            if charge.filed_on is not None and charge.filed_on_precision != "unknown":
                entry[2].append(charge.filed_on.year)
    del by_charge
    g = nx.DiGraph(name="complainant-defender")
    actors, cases = data.actors, data.cases
    for (source, target), (case_list, charge_ids, years) in acc.items():
        for node in (source, target):
            if node not in g:
                g.add_node(node, **actor_attrs(actors[node]))
        case_ids = set(case_list)
        g.add_edge(
            source,
            target,
            weight=len(case_ids),
            charges=len(charge_ids),
            cases=sorted(case_ids),
            charge_ids=sorted(charge_ids),
            years=sorted(set(years)),
            synthetic=all(cases[c].is_synthetic for c in case_ids),
        )
    for node, attrs in g.nodes(data=True):
        out, into = g.out_degree(node) > 0, g.in_degree(node) > 0
        attrs["group"] = "both" if out and into else "complainant" if out else "defender"
    return g


def case_actor(data: NetworkData) -> nx.Graph:
    """The case-actor bipartite graph: cases (bipartite=0) and actors (bipartite=1).

    One edge per case and actor, from the case_party rows; when an actor holds several roles in
    one case, ``role`` lists them joined by ";" (sorted). Edge attributes also hold the
    party's ``start`` and ``end`` dates (ISO text, of the first role).
    """
    g = nx.Graph(name="case-actor")
    for case in data.cases.values():
        g.add_node(
            case.id,
            bipartite=0,
            label=case.title,
            kind="case",
            group="case",
            region=case.region,
            context=case.context,
            opened=case.opened_on.isoformat() if case.opened_on else None,
            status=case.status,
            synthetic=case.is_synthetic,
        )
    for party in data.parties:
        actor = data.actors.get(party.actor_id)
        if actor is None or party.case_id not in g:
            continue
        if actor.id not in g:
            g.add_node(actor.id, bipartite=1, **actor_attrs(actor))
        if g.has_edge(party.case_id, actor.id):
            edge = g.edges[party.case_id, actor.id]
            edge["role"] = ";".join(sorted({*edge["role"].split(";"), party.role}))
            continue
        g.add_edge(
            party.case_id,
            actor.id,
            role=party.role,
            start=party.start_date.isoformat() if party.start_date else None,
            end=party.end_date.isoformat() if party.end_date else None,
        )
    return g


def _project(b: nx.Graph, keep: Iterable[str], name: str) -> nx.Graph:
    """Weighted projection of ``b`` onto all its actors, then restricted to ``keep``.

    The whole actor partition is passed to networkx (it does not check the partition and gives
    wrong edges when given part of it); ``distance`` = 1/weight is what betweenness uses, so
    that people who share many cases are close.
    """
    actors = [n for n, side in b.nodes(data="bipartite") if side == 1]
    projected = bipartite.weighted_projected_graph(b, actors)
    g = nx.Graph(projected.subgraph(sorted(set(keep) & set(actors))))
    g.graph["name"] = name
    for _, _, attrs in g.edges(data=True):
        attrs["distance"] = 1.0 / attrs["weight"]
    return g


def co_defendants(data: NetworkData, b: nx.Graph | None = None) -> nx.Graph:
    """Defenders who are defendants in the same case; edge weight = shared cases.

    Only defendant roles count (a defender who is a witness in someone else's case does not
    become a co-defendant). A defender who is the only defendant of their cases stays as an
    isolated node.
    """
    b = b if b is not None else case_actor(data)
    sub = b.edge_subgraph(
        (u, v) for u, v, role in b.edges(data="role") if "defendant" in role.split(";")
    )
    defenders = [n for n, d in sub.nodes(data="is_defender") if d]
    return _project(sub, defenders, "co-defendant")


def co_complainants(data: NetworkData) -> nx.Graph:
    """Complainants who accuse in the same case; edge weight = shared cases.

    A complainant is an actor named on a charge of the case (charge_complainant) or a party of
    the case as complainant or private prosecutor.
    """
    b = nx.Graph()
    case_of = {charge.id: charge.case_id for charge in data.charges}
    pairs = {(case_of[link.charge_id], link.actor_id) for link in data.complainants}
    pairs |= {(p.case_id, p.actor_id) for p in data.parties if p.role in COMPLAINANT_ROLES}
    for case_id, actor_id in sorted(pairs):
        actor = data.actors.get(actor_id)
        case = data.cases.get(case_id)
        if actor is None or case is None:
            continue
        b.add_node(case_id, bipartite=0, label=case.title)
        b.add_node(actor_id, bipartite=1, **{**actor_attrs(actor), "group": "complainant"})
        b.add_edge(case_id, actor_id)
    complainants = [n for n, side in b.nodes(data="bipartite") if side == 1]
    return _project(b, complainants, "co-complainant")


def graph_by_name(data: NetworkData, name: str) -> nx.Graph:
    """The graph called ``name``: complainant-defender, co-defendant, co-complainant, case-actor."""
    builders = {
        "complainant-defender": complainant_defender,
        "co-defendant": co_defendants,
        "co-complainant": co_complainants,
        "case-actor": case_actor,
    }
    if name not in builders:
        raise ValueError(f"unknown graph {name!r}; expected one of {', '.join(builders)}")
    graph: nx.Graph = builders[name](data)
    return graph
