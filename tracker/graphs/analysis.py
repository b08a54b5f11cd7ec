"""Measures on the graphs, returned as plain data (lists of dicts) in a stable order."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from ..network_data import NetworkData
from .build import complainant_defender

__all__ = [
    "BETWEENNESS_SAMPLE",
    "COMMUNITIES_ON_REQUEST",
    "SEED",
    "centrality",
    "communities",
    "community_of",
    "components",
    "node_cases",
    "reach",
    "repeat_targeting",
    "time_slice_counts",
    "time_slice_view",
    "time_slices",
]

SEED = 42  # Louvain, sampled betweenness and layouts: the same data gives the same figures
# Exact betweenness is O(nodes x edges); above this many nodes it is estimated from this many
# sources (networkx's k-sampling, fixed seed) and the result says so. 200 sources keep a
# scale-M projection (about 25,000 defenders) under a minute.
BETWEENNESS_SAMPLE = 200
# Louvain's cost grows faster than the graph: 1.6 s for the 17,000 nodes of scale M (10 s
# on the loaded machine), about 100 s for the 150,000 of scale L. Above this many nodes the
# pages compute communities only when asked (the method and its result stay the same, only
# the moment changes), so the first view of a filter set stays within a second (issue 18).
COMMUNITIES_ON_REQUEST = 5_000


def _label(g: nx.Graph, node: str) -> str:
    return str(g.nodes[node].get("label", node))


def reach(g: nx.DiGraph) -> list[dict[str, Any]]:
    """Per complainant of the complainant -> defender graph: defenders, cases and charges.

    Returns:
        One dict per node with out-edges (id, label, complainant_category, defenders, cases,
        charges), the widest reach first; ties by label, then id.
    """
    out = []
    for node in g:
        if not g.out_degree(node):
            continue
        cases: set[str] = set()
        charges = 0
        for _, _, attrs in g.out_edges(node, data=True):
            cases.update(attrs["cases"])
            charges += attrs["charges"]
        out.append(
            {
                "id": node,
                "label": _label(g, node),
                "complainant_category": g.nodes[node].get("complainant_category"),
                "defenders": g.out_degree(node),
                "cases": len(cases),
                "charges": charges,
            }
        )
    out.sort(key=lambda r: (-r["defenders"], -r["cases"], -r["charges"], r["label"], r["id"]))
    return out


def repeat_targeting(g: nx.DiGraph, min_cases: int = 2) -> list[dict[str, Any]]:
    """(complainant, defender) pairs that appear in ``min_cases`` or more distinct cases.

    Returns:
        Dicts with the two ids and labels, ``cases`` (count), ``case_ids`` and ``charges``;
        most cases first.
    """
    pairs = [
        {
            "complainant_id": u,
            "complainant": _label(g, u),
            "defender_id": v,
            "defender": _label(g, v),
            "cases": attrs["weight"],
            "charges": attrs["charges"],
            "case_ids": list(attrs["cases"]),
        }
        for u, v, attrs in g.edges(data=True)
        if attrs["weight"] >= min_cases
    ]
    pairs.sort(key=lambda r: (-r["cases"], -r["charges"], r["complainant"], r["defender"]))
    return pairs


def _node_sets(g: nx.Graph, sets: list[set[str]]) -> list[dict[str, Any]]:
    """Number node sets from the largest down (ties by their first label) with member labels."""
    rows = [sorted(s, key=lambda n: (_label(g, n), n)) for s in sets]
    rows.sort(key=lambda members: (-len(members), _label(g, members[0]), members[0]))
    return [
        {
            "index": i + 1,
            "size": len(members),
            "ids": members,
            "members": [_label(g, n) for n in members],
        }
        for i, members in enumerate(rows)
    ]


def components(g: nx.Graph) -> list[dict[str, Any]]:
    """Connected components (weakly, for a directed graph), largest first."""
    found = nx.weakly_connected_components(g) if g.is_directed() else nx.connected_components(g)
    return _node_sets(g, [set(c) for c in found])


def communities(g: nx.Graph, seed: int = SEED) -> list[dict[str, Any]]:
    """Louvain communities (weight = "weight", fixed seed), largest first."""
    if g.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(g, weight="weight", seed=seed)
    return _node_sets(g, [set(c) for c in found])


def community_of(found: list[dict[str, Any]]) -> dict[str, int]:
    """node id -> community index, from :func:`communities`."""
    return {node: c["index"] for c in found for node in c["ids"]}


def centrality(g: nx.Graph, seed: int = SEED) -> list[dict[str, Any]]:
    """PageRank (directed graphs, by weight) or betweenness (projections, distance = 1/weight).

    Returns:
        Dicts with id, label, degree and ``pagerank`` or ``betweenness`` (plus ``approximate``
        when betweenness was estimated from a sample), the most central first.
    """
    if g.number_of_nodes() == 0:
        return []
    approximate = False
    if g.is_directed():
        key, scores = "pagerank", nx.pagerank(g, weight="weight")
    else:
        key = "betweenness"
        approximate = g.number_of_nodes() > BETWEENNESS_SAMPLE
        k = BETWEENNESS_SAMPLE if approximate else None
        weight = "distance" if nx.is_weighted(g, weight="distance") else None
        scores = nx.betweenness_centrality(g, k=k, weight=weight, seed=seed)
    rows = [
        {
            "id": n,
            "label": _label(g, n),
            "degree": g.degree(n),
            key: round(float(scores[n]), 6),
            "approximate": approximate,
        }
        for n in g
    ]
    rows.sort(key=lambda r: (-r[key], -r["degree"], r["label"], r["id"]))
    return rows


def time_slices(data: NetworkData, years: int = 1) -> list[dict[str, Any]]:
    """The complainant -> defender graph of each period of ``years`` years, by charge filing.

    Each slice is rebuilt from the charges filed in its period, so weights count that period's
    cases only. Charges with an unknown filing date belong to no slice.

    Returns:
        Dicts with ``start`` and ``end`` (years, inclusive), ``graph`` and its counts
        (complainants, defenders, edges, charges), oldest first.
    """
    dated = [
        c for c in data.charges if c.filed_on is not None and c.filed_on_precision != "unknown"
    ]
    if not dated:
        return []
    first = min(c.filed_on.year for c in dated if c.filed_on)
    buckets: dict[int, list[Any]] = defaultdict(list)
    for c in dated:
        if c.filed_on:
            buckets[first + (c.filed_on.year - first) // years * years].append(c)
    out = []
    for start in sorted(buckets):
        g = complainant_defender(data, buckets[start])
        out.append(
            {
                "start": start,
                "end": start + years - 1,
                "graph": g,
                "complainants": sum(1 for n in g if g.out_degree(n)),
                "defenders": sum(1 for n in g if g.in_degree(n)),
                "edges": g.number_of_edges(),
                "charges": sum(c for _, _, c in g.edges(data="charges")),
            }
        )
    return out


def time_slice_counts(data: NetworkData, years: int = 1) -> list[dict[str, Any]]:
    """The counts of :func:`time_slices` without building each slice's graph.

    The same numbers: complainants (nodes with an out-edge), defenders (nodes with an
    in-edge), edges (distinct complainant -> defender pairs) and charges (the sum of the edges'
    charges: one per charge and complainant), per period of ``years`` years, oldest first.
    """
    dated = [
        c for c in data.charges if c.filed_on is not None and c.filed_on_precision != "unknown"
    ]
    if not dated:
        return []
    first = min(c.filed_on.year for c in dated if c.filed_on)
    filers: dict[str, list[str]] = defaultdict(list)
    for link in data.complainants:
        filers[link.charge_id].append(link.actor_id)
    pairs: dict[int, set[tuple[str, str]]] = defaultdict(set)
    charges: dict[int, int] = defaultdict(int)
    for c in dated:
        if c.filed_on is None:
            continue
        start = first + (c.filed_on.year - first) // years * years
        bucket = pairs[start]
        for complainant in filers.get(c.id, ()):
            bucket.add((complainant, c.defendant_id))
            charges[start] += 1
    return [
        {
            "start": start,
            "end": start + years - 1,
            "complainants": len({u for u, _ in pairs[start]}),
            "defenders": len({v for _, v in pairs[start]}),
            "edges": len(pairs[start]),
            "charges": charges[start],
        }
        for start in sorted(pairs)
    ]


def time_slice_view(g: nx.DiGraph, start: int, end: int) -> nx.DiGraph:
    """A read-only view of the edges with a charge filed in ``start``..``end`` (for drawing;
    its weights are still those of the whole period: use :func:`time_slices` for counts)."""

    def keep(u: str, v: str) -> bool:
        return any(start <= y <= end for y in g.edges[u, v]["years"])

    view: nx.DiGraph = nx.subgraph_view(g, filter_edge=keep)
    return view


def node_cases(data: NetworkData, node: str, lang: str = "en") -> list[dict[str, Any]]:
    """The cases of one node (an actor or a case), with the actor's roles and charges in each.

    Returns:
        Dicts with case id, title, number, region, opened year, roles (labels joined by ", ")
        and charges (as defendant) and accusations (charges brought as complainant).
    """
    if node in data.cases:
        case_ids = {node}
    else:
        case_ids = {p.case_id for p in data.parties if p.actor_id == node}
        case_ids |= {c.case_id for c in data.charges if c.defendant_id == node}
    accused = {link.charge_id for link in data.complainants if link.actor_id == node}
    case_ids |= {c.case_id for c in data.charges if c.id in accused}
    roles: dict[str, set[str]] = defaultdict(set)
    for p in data.parties:
        if p.actor_id == node:
            roles[p.case_id].add(p.role)
    charges: dict[str, int] = defaultdict(int)
    brought: dict[str, int] = defaultdict(int)
    for c in data.charges:
        if c.defendant_id == node:
            charges[c.case_id] += 1
        if c.id in accused:
            brought[c.case_id] += 1
            roles[c.case_id].add("complainant")
    rows = []
    for case_id in case_ids:
        case = data.cases.get(case_id)
        if case is None:
            continue
        rows.append(
            {
                "id": case.id,
                "title": case.title,
                "case_number": case.case_number or "",
                "region": case.region or "",
                "opened": case.opened_on.year if case.opened_on else None,
                "roles": ", ".join(
                    data.label("party_role", r, lang) for r in sorted(roles[case_id])
                ),
                "charges": charges[case_id],
                "accusations": brought[case_id],
            }
        )
    rows.sort(key=lambda r: (r["opened"] is None, r["opened"] or 0, r["title"], r["id"]))
    return rows
