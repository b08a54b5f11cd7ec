"""tracker.analysis.edges builds the complainant -> defender graph and the yearly counts that
graphs.complainant_defender and graphs.time_slice_counts build from the rows: same nodes,
edges, attributes and order, for every filter and visibility, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from tests.test_graphs import EDITOR, build_network, edges, names
from tracker import db, demo, graphs, seed
from tracker import services as sv
from tracker.analysis.edges import complainant_defender_sql, time_slice_counts_sql
from tracker.analysis.kept import Tables
from tracker.analysis.projections import graph_sql
from tracker.network_data import Filters, load
from tracker.permissions import Principal

FILTERS = [
    Filters(),
    Filters(regions=("Cajamarca",)),
    Filters(complainant_categories=("company",)),
    Filters(charge_types=("usurpation",), start_year=2012, end_year=2019),
]


def _assert_same(engine: Engine, filters: Filters, show: bool) -> int:
    data = load(engine, filters, show_confidential=show)
    expected = graphs.complainant_defender(data)
    got = complainant_defender_sql(engine, filters, show_confidential=show)
    assert list(got.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(got.edges(data=True)) == list(expected.edges(data=True))
    slices = time_slice_counts_sql(engine, filters, show_confidential=show)
    assert slices == graphs.time_slice_counts(data)
    return got.number_of_edges()


@pytest.mark.parametrize("filters", FILTERS, ids=["all", "region", "category", "type-years"])
def test_same_graph_as_from_the_rows(engine: Engine, filters: Filters) -> None:
    build_network(engine)
    for show in (False, True):
        _assert_same(engine, filters, show)


def test_the_hand_built_graph(engine: Engine) -> None:
    ids = build_network(engine)
    n = names(ids)
    g = complainant_defender_sql(engine, show_confidential=False)
    k1_d1 = g.edges[ids["K1"], ids["D1"]]
    assert (k1_d1["weight"], k1_d1["charges"], k1_d1["years"]) == (2, 3, [2012, 2016])
    assert sorted(n[c] for c in k1_d1["cases"]) == ["C1", "C2"]
    assert g.nodes[ids["D5"]]["label"] == "Defensora E"  # the pseudonym, never the name
    assert "Eva Ccori" not in {label for _, label in g.nodes(data="label")}
    years = [(s["start"], s["edges"], s["charges"]) for s in time_slice_counts_sql(engine)]
    # 2012: K1-D1 (ch1, ch2), K1-D2 and K2-D2 (ch3); 2016: K1-D1 (ch4); 2019: K3 against
    # D3 (ch5, ch6), D4, D5, D6 and D2 (ch10).
    assert years == [(2012, 3, 4), (2016, 1, 1), (2019, 5, 6)]


@pytest.mark.slow
def test_same_graph_on_demo_data(engine: Engine) -> None:
    demo.generate(engine, scale="S", seed=7)
    edges = sum(
        _assert_same(engine, f, show)
        for f in (Filters(), Filters(start_year=2015, complainant_categories=("company",)))
        for show in (False, True)
    )
    assert edges > 500


# --- the case-actor, co-defendant and co-complainant graphs (tracker.analysis.projections) ---

ROW_BUILDERS = {
    "co-defendant": graphs.co_defendants,
    "co-complainant": graphs.co_complainants,
    "case-actor": graphs.case_actor,
}


def _edge_set(g: Any) -> set[tuple[Any, ...]]:
    """Each edge with its attributes, ends in a fixed order (undirected graphs)."""
    return {(*sorted((u, v)), tuple(sorted(attrs.items()))) for u, v, attrs in g.edges(data=True)}


def _assert_same_projection(engine: Engine, name: str, filters: Filters, show: bool) -> Any:
    """The SQL graph has the row builder's nodes (in its order, with its attributes) and its
    edges with their attributes; returns the SQL graph."""
    expected = ROW_BUILDERS[name](load(engine, filters, show_confidential=show))
    got = graph_sql(engine, name, filters, show_confidential=show)
    assert list(got.nodes(data=True)) == list(expected.nodes(data=True))
    assert _edge_set(got) == _edge_set(expected)
    assert got.graph == expected.graph
    return got


@pytest.mark.parametrize("name", sorted(ROW_BUILDERS))
@pytest.mark.parametrize("filters", FILTERS, ids=["all", "region", "category", "type-years"])
def test_same_projection_as_from_the_rows(engine: Engine, filters: Filters, name: str) -> None:
    build_network(engine)
    for show in (False, True):
        _assert_same_projection(engine, name, filters, show)


def test_the_hand_built_projections(engine: Engine) -> None:
    ids = build_network(engine)
    co = graph_sql(engine, "co-defendant")
    clique = {("D3", "D4"), ("D3", "D5"), ("D3", "D6"), ("D4", "D5"), ("D4", "D6"), ("D5", "D6")}
    assert edges(co, ids, "weight") == (
        {("D1", "D2", 2)}  # C1 and C2; D1 is only a witness in C3
        | {("D2", d, 1) for d in ("D3", "D4", "D5", "D6")}
        | {(a, b, 1) for a, b in clique}
    )
    assert co.edges[ids["D1"], ids["D2"]]["distance"] == 0.5
    assert co.nodes[ids["D5"]]["label"] == "Defensora E"
    assert sorted(names(ids)[n] for n in co) == ["D1", "D2", "D3", "D4", "D5", "D6"]
    cc = graph_sql(engine, "co-complainant")
    assert edges(cc, ids, "weight") == {("K1", "K2", 1)}
    assert sorted(names(ids)[n] for n in cc) == ["K1", "K2", "K3"]
    assert {g for _, g in cc.nodes(data="group")} == {"complainant"}
    b = graph_sql(engine, "case-actor", show_confidential=True)
    assert (b.number_of_nodes(), b.number_of_edges()) == (13, 15)
    assert b.edges[ids["C3"], ids["D1"]]["role"] == "witness"
    assert b.nodes[ids["C2"]]["opened"] == "2016-01-01"
    assert b.nodes[ids["D5"]]["label"] == "Eva Ccori"
    with pytest.raises(ValueError, match="unknown graph 'nope'"):
        graph_sql(engine, "nope")


def test_several_roles_in_one_case_are_one_edge(engine: Engine) -> None:
    ids = build_network(engine)
    with db.unit_of_work(engine, EDITOR) as s:
        added = sv.parties.create(
            s, {"case_id": ids["C1"], "actor_id": ids["K1"], "role": "private_prosecutor",
                "start_date": "2012-04-01"},
        )  # fmt: skip
    party = Tables.party
    with engine.connect() as conn:
        ids_of_pair = conn.execute(
            select(party.c.id).where(party.c.case_id == uuid.UUID(ids["C1"]),
                                     party.c.actor_id == uuid.UUID(ids["K1"]))
        ).scalars().all()  # fmt: skip
    b = graph_sql(engine, "case-actor")
    edge = b.edges[ids["C1"], ids["K1"]]
    # The first of the two parties (by id) gives the dates: the complainant's has none.
    first_is_added = min(i.hex for i in ids_of_pair) == added.hex
    assert len(ids_of_pair) == 2
    assert (edge["role"], edge["start"]) == (
        "complainant;private_prosecutor", "2012-04-01" if first_is_added else None,
    )  # fmt: skip
    assert b.number_of_edges() == 15
    assert _edge_set(b) == _edge_set(graphs.case_actor(load(engine)))


@pytest.mark.slow
def test_same_projections_on_demo_data(engine: Engine) -> None:
    with db.unit_of_work(engine, Principal("seed", "admin")) as s:
        seed.load_vocabularies(s)  # "company" takes in its child categories
    demo.generate(engine, scale="S", seed=7)
    found = {}
    for name in sorted(ROW_BUILDERS):
        for f in (Filters(), Filters(start_year=2015, complainant_categories=("company",))):
            for show in (False, True):
                g = _assert_same_projection(engine, name, f, show)
                found[name, f == Filters(), show] = (g.number_of_nodes(), g.number_of_edges())
    # (graph, every row or filtered, editor) -> (nodes, edges), on demo S seed 7
    assert found == {
        ("case-actor", True, False): (554, 1116), ("case-actor", True, True): (605, 1236),
        ("case-actor", False, False): (171, 230), ("case-actor", False, True): (183, 250),
        ("co-complainant", True, False): (24, 22), ("co-complainant", True, True): (24, 24),
        ("co-complainant", False, False): (8, 6), ("co-complainant", False, True): (9, 7),
        ("co-defendant", True, False): (282, 1950), ("co-defendant", True, True): (312, 2137),
        ("co-defendant", False, False): (91, 415), ("co-defendant", False, True): (98, 458),
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(ROW_BUILDERS))
def test_nothing_selected_is_an_empty_graph(engine: Engine, name: str) -> None:
    # The row builders' projection raised on an empty case-actor graph; no case here.
    build_network(engine)
    g = graph_sql(engine, name, Filters(start_year=2013, end_year=2015))
    assert (g.number_of_nodes(), g.number_of_edges()) == (0, 0)
