"""tracker.analysis.edges builds the complainant -> defender graph and the yearly counts that
graphs.complainant_defender and graphs.time_slice_counts build from the rows: same nodes,
edges, attributes and order, for every filter and visibility, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from tests.test_graphs import build_network, names
from tracker import demo, graphs
from tracker.analysis.edges import complainant_defender_sql, time_slice_counts_sql
from tracker.network_data import Filters, load

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
