"""Graph builders and measures on a small hand-built network, answers worked out by hand.

The network (built through the services by :func:`build_network`):

- C1 "Caso Uno" (Cajamarca, 2012-03-01, context Conga): defendants D1, D2; complainants K1, K2.
  ch1 D1 usurpation (K1) acquitted; ch2 D1 riot (K1) dismissed; ch3 D2 usurpation brought by
  K1 *and* K2, convicted (48 months asked, 24 imposed).
- C2 "Caso Dos" (Cajamarca, 2016): archived 2017-02, reopened 2018-03. Defendants D1, D2;
  ch4 D1 usurpation (K1) pending. K1 therefore targets D1 in two cases.
- C3 "Caso Tres" (Cusco, 2019-07-01, context Paro 2019), a mass prosecution: defendants D2,
  D3, D4, D5 (confidential, pseudonym "Defensora E"), D6, brought by K3; D1 is a witness and
  a judge sits. ch5 D3 riot (72 months asked), ch6 D3 obstruction, ch7-ch9 riot against D4,
  D5, D6, all pending; ch10 D2 riot archived 2020-01-10. Transferred to Ica in 2020. Three
  pre-trial detentions (D4 annulled, D2 whose charges all ended unfounded, D3 still pending).
  Hearings: C1 one held; C3 held, postponed, postponed, and one in 2030.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from sqlalchemy.engine import Engine

from tracker import db, graphs, seed
from tracker import services as sv
from tracker.graphs import draw
from tracker.network_data import Filters, NetworkData, load
from tracker.permissions import Principal

EDITOR = Principal("ana", "editor")
DEFENDERS = {
    "D1": ("Ana Huamán", "Cajamarca"),
    "D2": ("Beto Quispe", "Cajamarca"),
    "D3": ("Carla Mamani", "Cusco"),
    "D4": ("Diego Condori", "Cusco"),
    "D5": ("Eva Ccori", "Cusco"),
    "D6": ("Félix Apaza", "Cusco"),
}
COMPLAINANTS = {
    "K1": ("Minera Norte", "company", "company_mining"),
    "K2": ("Policía Nacional", "public_body", "police"),
    "K3": ("Fiscalía Cusco", "public_body", "public_prosecutor"),
}


def build_network(engine: Engine) -> dict[str, str]:
    """Write the network of the module docstring; return name -> id (as text)."""
    with db.unit_of_work(engine, Principal("seed", "admin")) as s:
        seed.load_vocabularies(s)
    ids: dict[str, uuid.UUID] = {}
    with db.unit_of_work(engine, EDITOR) as s:
        for key, (name, region) in DEFENDERS.items():
            extra = {"confidentiality": "confidential", "pseudonym": "Defensora E"}
            ids[key] = sv.actors.create(
                s,
                {"kind": "person", "name": name, "region": region, "is_defender": True}
                | (extra if key == "D5" else {}),
            )
        for key, (name, kind, category) in COMPLAINANTS.items():
            ids[key] = sv.actors.create(
                s, {"kind": kind, "name": name, "complainant_category": category}
            )
        ids["J"] = sv.actors.create(s, {"kind": "person", "name": "Juez Pérez"})
        for key, title, region, opened, context in (
            ("C1", "Caso Uno", "Cajamarca", "2012-03-01", "Conga"),
            ("C2", "Caso Dos", "Cajamarca", "2016", None),
            ("C3", "Caso Tres", "Cusco", "2019-07-01", "Paro 2019"),
        ):
            ids[key] = sv.cases.create(
                s, {"title": title, "region": region, "opened_on": opened, "context": context}
            )
        for case, actor, role in (
            ("C1", "D1", "defendant"), ("C1", "D2", "defendant"),
            ("C1", "K1", "complainant"), ("C1", "K2", "complainant"),
            ("C2", "D1", "defendant"), ("C2", "D2", "defendant"), ("C2", "K1", "complainant"),
            ("C3", "D2", "defendant"), ("C3", "D3", "defendant"), ("C3", "D4", "defendant"),
            ("C3", "D5", "defendant"), ("C3", "D6", "defendant"), ("C3", "K3", "complainant"),
            ("C3", "D1", "witness"), ("C3", "J", "judge"),
        ):  # fmt: skip
            sv.parties.create(s, {"case_id": ids[case], "actor_id": ids[actor], "role": role})
        final = {"status": "resolved"}
        for key, case, defendant, kind, filed, complainants, extra in (
            ("ch1", "C1", "D1", "usurpation", "2012-03-05", ["K1"],
             final | {"outcome": "acquitted", "outcome_on": "2014-06-10"}),
            ("ch2", "C1", "D1", "riot", "2012-03-05", ["K1"],
             final | {"outcome": "dismissed", "outcome_on": "2013-01-15"}),
            ("ch3", "C1", "D2", "usurpation", "2012-03", ["K1", "K2"],
             final | {"outcome": "convicted_suspended", "outcome_on": "2015-05-20",
                      "sentence_requested_months": 48, "sentence_imposed_months": 24}),
            ("ch4", "C2", "D1", "usurpation", "2016-05-10", ["K1"], {}),
            ("ch5", "C3", "D3", "riot", "2019-07-02", ["K3"], {"sentence_requested_months": 72}),
            ("ch6", "C3", "D3", "obstruction_public_services", "2019-07-02", ["K3"], {}),
            ("ch7", "C3", "D4", "riot", "2019-07-02", ["K3"], {}),
            ("ch8", "C3", "D5", "riot", "2019-07-02", ["K3"], {}),
            ("ch9", "C3", "D6", "riot", "2019-07-02", ["K3"], {}),
            ("ch10", "C3", "D2", "riot", "2019-07-02", ["K3"],
             final | {"outcome": "archived", "outcome_on": "2020-01-10"}),
        ):  # fmt: skip
            ids[key] = sv.charges.create(
                s,
                {"case_id": ids[case], "defendant_id": ids[defendant], "charge_type": kind,
                 "filed_on": filed} | extra,
            )  # fmt: skip
            for k in complainants:
                sv.charge_complainants.create(s, {"charge_id": ids[key], "actor_id": ids[k]})
        for case, event, on, district in (
            ("C2", "archived", "2017-02-01", None),
            ("C2", "reopened", "2018-03-01", None),
            ("C3", "transferred", "2020-02-01", "Ica"),
        ):
            sv.stage_changes.create(
                s,
                {
                    "case_id": ids[case],
                    "event": event,
                    "on_date": on,
                    "judicial_district": district,
                },
            )
        for key, case, at, result in (
            ("h1", "C1", "2013-05-02T09:00", "held"),
            ("h2", "C3", "2019-09-02T09:00", "held"),
            ("h3", "C3", "2019-10-01T09:00", "postponed"),
            ("h4", "C3", "2019-11-04T09:00", "postponed"),
            ("h5", "C3", "2030-01-10T09:00", None),
        ):
            ids[key] = sv.hearings.create(
                s,
                {"case_id": ids[case], "scheduled_at": at, "hearing_type": "trial_session",
                 "result": result},
            )  # fmt: skip
        for key, defendant, annulled in (("m1", "D4", "2019-09-15"), ("m2", "D2", None),
                                         ("m3", "D3", None)):  # fmt: skip
            ids[key] = sv.measures.create(
                s,
                {"case_id": ids["C3"], "defendant_id": ids[defendant],
                 "kind": "pretrial_detention", "ordered_on": "2019-07-03",
                 "annulled_on": annulled},
            )  # fmt: skip
    return {k: v.hex for k, v in ids.items()}


@pytest.fixture(scope="module")
def network(
    _sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, str], NetworkData, NetworkData]:
    """The network on one SQLite file for the module: (ids, viewer's rows, editor's rows).

    Graph measures are pure functions of the rows; that both databases give the same rows is
    tested by test_both_databases_give_the_same_graph.
    """
    path = tmp_path_factory.mktemp("network") / "network.db"
    shutil.copy(_sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    ids = build_network(engine)
    data = load(engine), load(engine, show_confidential=True)
    engine.dispose()
    return ids, *data


def names(ids: dict[str, str]) -> dict[str, str]:
    """id -> short name ("D1", "K3", "C2"...)."""
    return {v: k for k, v in ids.items()}


def edges(g: nx.Graph, ids: dict[str, str], *attrs: str) -> set[tuple[Any, ...]]:
    """The edges as (short name, short name, attribute values...)."""
    n = names(ids)
    out = set()
    for u, v, data in g.edges(data=True):
        a, b = (n[u], n[v]) if g.is_directed() else sorted((n[u], n[v]))
        out.add((a, b, *(data[x] for x in attrs)))
    return out


def test_complainant_defender_graph(network: Any) -> None:
    ids, data, _ = network
    g = graphs.complainant_defender(data)
    assert sorted(names(ids)[n] for n in g) == [
        "D1",
        "D2",
        "D3",
        "D4",
        "D5",
        "D6",
        "K1",
        "K2",
        "K3",
    ]
    assert edges(g, ids, "weight", "charges") == {
        ("K1", "D1", 2, 3),  # the same defender in two cases
        ("K1", "D2", 1, 1),  # ch3 has two complainants: two edges
        ("K2", "D2", 1, 1),
        ("K3", "D2", 1, 1),
        ("K3", "D3", 1, 2),
        ("K3", "D4", 1, 1),
        ("K3", "D5", 1, 1),
        ("K3", "D6", 1, 1),
    }
    assert g.edges[ids["K1"], ids["D1"]]["cases"] == sorted([ids["C1"], ids["C2"]])
    assert g.edges[ids["K1"], ids["D1"]]["years"] == [2012, 2016]
    assert g.in_degree(ids["D2"]) == 3
    k1, d5 = g.nodes[ids["K1"]], g.nodes[ids["D5"]]
    assert (k1["label"], k1["kind"], k1["group"], k1["complainant_category"]) == (
        "Minera Norte", "company", "complainant", "company_mining",
    )  # fmt: skip
    assert (d5["label"], d5["is_defender"], d5["region"], d5["group"]) == (
        "Defensora E", True, "Cusco", "defender",
    )  # fmt: skip


def test_confidential_defender_is_a_pseudonym_unless_allowed(network: Any) -> None:
    ids, viewer, editor = network
    labels = {d["label"] for g in (viewer,) for _, d in graphs.case_actor(g).nodes(data=True)}
    assert "Defensora E" in labels and "Eva Ccori" not in labels
    assert graphs.complainant_defender(editor).nodes[ids["D5"]]["label"] == "Eva Ccori"


def test_reach_and_repeat_targeting(network: Any) -> None:
    ids, data, _ = network
    g = graphs.complainant_defender(data)
    assert [(r["label"], r["defenders"], r["cases"], r["charges"]) for r in graphs.reach(g)] == [
        ("Fiscalía Cusco", 5, 1, 6),
        ("Minera Norte", 2, 2, 4),
        ("Policía Nacional", 1, 1, 1),
    ]
    pairs = graphs.repeat_targeting(g)
    assert [(p["complainant"], p["defender"], p["cases"], p["charges"]) for p in pairs] == [
        ("Minera Norte", "Ana Huamán", 2, 3)
    ]
    assert pairs[0]["case_ids"] == sorted([ids["C1"], ids["C2"]])
    assert graphs.repeat_targeting(g, min_cases=3) == []


def test_case_actor_bipartite_graph(network: Any) -> None:
    ids, data, _ = network
    b = graphs.case_actor(data)
    assert (b.number_of_nodes(), b.number_of_edges()) == (13, 15)
    assert {names(ids)[n] for n, side in b.nodes(data="bipartite") if side == 0} == {
        "C1", "C2", "C3",
    }  # fmt: skip
    assert b.edges[ids["C3"], ids["D1"]]["role"] == "witness"
    assert b.edges[ids["C1"], ids["D2"]]["role"] == "defendant"
    assert b.nodes[ids["C2"]]["opened"] == "2016-01-01"
    assert nx.is_bipartite(b)


def test_co_defendant_projection(network: Any) -> None:
    ids, data, _ = network
    g = graphs.co_defendants(data)
    clique = {("D3", "D4"), ("D3", "D5"), ("D3", "D6"), ("D4", "D5"), ("D4", "D6"), ("D5", "D6")}
    assert edges(g, ids, "weight") == (
        {("D1", "D2", 2)}  # C1 and C2; D1 is only a witness in C3
        | {("D2", d, 1) for d in ("D3", "D4", "D5", "D6")}
        | {(a, b, 1) for a, b in clique}
    )
    assert g.edges[ids["D1"], ids["D2"]]["distance"] == 0.5
    assert ids["J"] not in g and ids["K3"] not in g


def test_co_complainant_projection(network: Any) -> None:
    ids, data, _ = network
    g = graphs.co_complainants(data)
    assert sorted(names(ids)[n] for n in g) == ["K1", "K2", "K3"]
    assert edges(g, ids, "weight") == {("K1", "K2", 1)}


def test_components_and_communities(network: Any) -> None:
    ids, data, _ = network
    assert [c["size"] for c in graphs.components(graphs.complainant_defender(data))] == [9]
    co = graphs.co_complainants(data)
    assert [c["members"] for c in graphs.components(co)] == [
        ["Minera Norte", "Policía Nacional"],
        ["Fiscalía Cusco"],
    ]
    # Modularity by hand: {D1,D2} + {D3..D6} gives 1/9, better than any other split.
    found = graphs.communities(graphs.co_defendants(data))
    assert [c["members"] for c in found] == [
        ["Carla Mamani", "Defensora E", "Diego Condori", "Félix Apaza"],
        ["Ana Huamán", "Beto Quispe"],
    ]
    assert graphs.community_of(found)[ids["D1"]] == 2
    assert graphs.communities(nx.Graph()) == []


def test_centrality(network: Any) -> None:
    _, data, _ = network
    # D2 is the only way from D1 to the C3 clique: 4 of the (5*4)/2 pairs pass through it.
    between = graphs.centrality(graphs.co_defendants(data))
    assert [(r["label"], r["betweenness"]) for r in between[:2]] == [
        ("Beto Quispe", 0.4),
        ("Carla Mamani", 0.0),
    ]
    ranks = graphs.centrality(graphs.complainant_defender(data))
    assert ranks[0]["label"] == "Beto Quispe"  # three accusers
    assert sum(r["pagerank"] for r in ranks) == pytest.approx(1.0, abs=1e-4)


def test_time_slices(network: Any) -> None:
    _, data, _ = network
    slices = graphs.time_slices(data)
    assert [(s["start"], s["complainants"], s["defenders"], s["edges"], s["charges"])
            for s in slices] == [(2012, 2, 2, 3, 4), (2016, 1, 1, 1, 1), (2019, 1, 5, 5, 6)]  # fmt: skip
    assert [(s["start"], s["end"]) for s in graphs.time_slices(data, years=5)] == [
        (2012, 2016), (2017, 2021),
    ]  # fmt: skip
    g = graphs.complainant_defender(data)
    assert graphs.time_slice_view(g, 2016, 2016).number_of_edges() == 1


@pytest.mark.parametrize("years", [1, 2, 5])
def test_time_slice_counts_are_those_of_the_slices(network: Any, years: int) -> None:
    _, data, _ = network
    whole = [{k: v for k, v in s.items() if k != "graph"} for s in graphs.time_slices(data, years)]
    assert graphs.time_slice_counts(data, years) == whole


def test_node_cases(network: Any) -> None:
    ids, data, _ = network
    rows = graphs.node_cases(data, ids["D1"])
    assert [(r["title"], r["roles"], r["charges"]) for r in rows] == [
        ("Caso Uno", "Defendant", 2),
        ("Caso Dos", "Defendant", 1),
        ("Caso Tres", "Witness", 0),
    ]
    k1 = graphs.node_cases(data, ids["K1"], "es")
    assert [(r["title"], r["roles"], r["accusations"]) for r in k1] == [
        ("Caso Uno", "Denunciante", 3),
        ("Caso Dos", "Denunciante", 1),
    ]


def test_graph_by_name_refuses_unknown_graphs(network: Any) -> None:
    with pytest.raises(ValueError, match="unknown graph 'nope'"):
        graphs.graph_by_name(network[1], "nope")


@pytest.mark.parametrize(
    ("filters", "cases", "charges"),
    [
        (Filters(regions=("Cusco",)), ["C3"], 6),
        (Filters(charge_types=("usurpation",)), ["C1", "C2"], 3),
        (Filters(complainant_categories=("company",)), ["C1", "C2"], 4),  # includes its children
        (Filters(start_year=2016, end_year=2019), ["C2", "C3"], 7),
        (Filters(contexts=("Conga",)), ["C1"], 3),
        (Filters(start_year=2013, end_year=2015), [], 0),
    ],
)
def test_filters_are_applied_in_sql(
    _sqlite_template: Path,
    tmp_path: Path,
    filters: Filters,
    cases: list[str],
    charges: int,
) -> None:
    path = tmp_path / "f.db"
    shutil.copy(_sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    ids = build_network(engine)
    data = load(engine, filters)
    assert sorted(names(ids)[c] for c in data.cases) == cases
    assert len(data.charges) == charges
    if filters.complainant_categories:  # K2 (police) is dropped from the shared charge ch3
        assert {names(ids)[link.actor_id] for link in data.complainants} == {"K1"}
    engine.dispose()


def test_both_databases_give_the_same_graph(engine: Engine) -> None:
    ids = build_network(engine)
    data = load(engine)
    g = graphs.complainant_defender(data)
    assert len(edges(g, ids, "weight", "charges")) == 8
    assert edges(graphs.co_defendants(data), ids, "weight") >= {("D1", "D2", 2)}
    assert g.nodes[ids["D5"]]["label"] == "Defensora E"


def test_synthetic_rows_can_be_left_out(engine: Engine) -> None:
    ids = build_network(engine)
    with db.unit_of_work(engine, EDITOR) as s:
        case = sv.cases.create(s, {"title": "Demo", "is_synthetic": True})
        sv.parties.create(s, {"case_id": case, "actor_id": ids["D6"], "role": "defendant"})
    assert len(load(engine).cases) == 4
    assert sorted(
        names(ids).get(c, "demo") for c in load(engine, Filters(include_synthetic=False)).cases
    ) == ["C1", "C2", "C3"]


def test_a_hub_is_reduced_for_drawing_with_a_note() -> None:
    hub = nx.DiGraph()
    hub.add_node("hub", label="Hub")
    for i in range(3000):
        hub.add_edge("hub", f"d{i:04d}", weight=1)
    shown, reduction = draw.reduce_for_drawing(hub, max_nodes=300, max_edges=1500)
    assert (reduction.nodes_shown, reduction.nodes_total) == (300, 3001)
    assert (reduction.edges_shown, reduction.edges_total) == (299, 3000)
    assert reduction.reduced and "hub" in shown
    small, note = draw.reduce_for_drawing(nx.path_graph(3))
    assert not note.reduced and small.number_of_edges() == 2


def test_the_drawing_takes_the_heaviest_edges_first() -> None:
    # 60 complainants with 10 defenders each: the 50 most connected nodes are complainants
    # alone, and would be drawn without one edge between them (as at scale L).
    g = nx.DiGraph()
    for k in range(60):
        for d in range(10):
            g.add_edge(f"K{k:02d}", f"D{k:02d}_{d}", weight=3 if (k, d) == (59, 0) else 1)
    shown, reduction = draw.reduce_for_drawing(g, max_nodes=50, max_edges=1500)
    # The heaviest edge first; then, edge by edge in label order, K00..K03 with their ten
    # defenders each, and K04 with three: 2 + 44 + 4 nodes, 1 + 40 + 3 edges.
    assert (reduction.nodes_shown, reduction.edges_shown) == (50, 44)
    assert (reduction.nodes_total, reduction.edges_total) == (660, 600)
    assert shown.has_edge("K59", "D59_0")
    assert sorted(n for n in shown if n.startswith("K")) == ["K00", "K01", "K02", "K03", "K04",
                                                              "K59"]  # fmt: skip
    assert sorted(shown.successors("K04")) == ["D04_0", "D04_1", "D04_2"]


def test_figure_escapes_names_and_sizes_by_degree() -> None:
    g = nx.Graph()
    g.add_node("a", label="<b>A</b>")
    g.add_edge("a", "b")
    g.add_edge("a", "c")
    fig = draw.figure(g, {"a": "1", "b": "1", "c": "2"}, {"1": "One", "2": "Two"})
    nodes = [tr for tr in fig.data if tr.mode == "markers"]
    assert [tr.name for tr in nodes] == ["One", "Two"]
    assert nodes[0].text[0] == "&lt;b&gt;A&lt;/b&gt; (2)"
    assert nodes[0].marker.size[0] == 30.0


def test_restricted_people_and_cases_are_left_out_for_viewers(
    _sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "r.db"
    shutil.copy(_sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    ids = build_network(engine)
    with db.unit_of_work(engine, EDITOR) as s:
        hidden = sv.actors.create(
            s, {"kind": "person", "name": "Gina Ruiz", "is_defender": True,
                "confidentiality": "restricted"},
        )  # fmt: skip
        sv.parties.create(s, {"case_id": ids["C3"], "actor_id": hidden, "role": "defendant"})
        charge = sv.charges.create(
            s, {"case_id": ids["C3"], "defendant_id": hidden, "charge_type": "riot"}
        )
        sv.charge_complainants.create(s, {"charge_id": charge, "actor_id": ids["K3"]})
        secret = sv.cases.create(s, {"title": "Caso Reservado", "confidentiality": "restricted"})
        sv.parties.create(s, {"case_id": secret, "actor_id": ids["D1"], "role": "defendant"})
    viewer, editor = load(engine), load(engine, show_confidential=True)
    assert (len(viewer.charges), len(editor.charges)) == (10, 11)
    assert hidden.hex not in viewer.actors and hidden.hex in editor.actors
    assert secret.hex not in viewer.cases and secret.hex in editor.cases
    assert graphs.complainant_defender(viewer).out_degree(ids["K3"]) == 5
    assert graphs.complainant_defender(editor).out_degree(ids["K3"]) == 6
    engine.dispose()
