"""Graph exports: GraphML and GEXF read back with networkx; edge list; pseudonyms; the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from sqlalchemy.engine import Engine

from tests.test_graphs import build_network, names, network  # noqa: F401  (module fixture)
from tracker import graphs
from tracker.cli import main
from tracker.exports import ExportOptions, exporter
from tracker.exports import graph as export
from tracker.i18n import set_language


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_files_read_back_with_nodes_edges_weights_and_attributes(
    network: Any,  # noqa: F811
    fmt: str,
) -> None:
    ids, data, _ = network
    g = graphs.complainant_defender(data)
    raw = export.graphml_bytes(g) if fmt == "graphml" else export.gexf_bytes(g)
    back = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(raw))
    assert back.is_directed()
    assert set(back.nodes) == set(g.nodes)
    assert set(back.edges) == set(g.edges)
    edge = back.edges[ids["K1"], ids["D1"]]
    assert (float(edge["weight"]), int(edge["charges"])) == (2.0, 3)
    assert edge["cases"] == ";".join(sorted([ids["C1"], ids["C2"]]))
    k1 = back.nodes[ids["K1"]]
    assert (k1["label"], k1["complainant_category"], k1["group"]) == (
        "Minera Norte",
        "company_mining",
        "complainant",
    )
    d5 = back.nodes[ids["D5"]]
    assert (d5["label"], d5["region"], d5["is_defender"]) == ("Defensora E", "Cusco", True)


def test_projection_keeps_weights_and_distance(network: Any) -> None:  # noqa: F811
    ids, data, _ = network
    back = nx.read_graphml(io.BytesIO(export.graphml_bytes(graphs.co_defendants(data))))
    assert not back.is_directed()
    assert back.number_of_edges() == 11
    assert (
        back.edges[ids["D1"], ids["D2"]]["weight"],
        back.edges[ids["D1"], ids["D2"]]["distance"],
    ) == (2, 0.5)


def test_bipartite_graph_drops_missing_values(network: Any) -> None:  # noqa: F811
    ids, data, _ = network
    back = nx.read_gexf(io.BytesIO(export.gexf_bytes(graphs.case_actor(data))))
    assert (back.number_of_nodes(), back.number_of_edges()) == (13, 15)
    assert back.nodes[ids["C1"]]["context"] == "Conga"
    assert "context" not in back.nodes[ids["C2"]]  # None is left out, not written as "None"
    assert back.edges[ids["C3"], ids["D1"]]["role"] == "witness"


def test_edge_list_in_spanish(network: Any) -> None:  # noqa: F811
    ids, data, _ = network
    text = export.edgelist_bytes(graphs.complainant_defender(data), "es").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "origen", "destino", "nombre_origen", "nombre_destino", "peso", "imputaciones",
        "casos", "rol", "sintetico",
    ]  # fmt: skip
    assert len(rows) == 8
    k1d1 = next(r for r in rows if (r["origen"], r["destino"]) == (ids["K1"], ids["D1"]))
    assert (k1d1["nombre_origen"], k1d1["nombre_destino"], k1d1["peso"], k1d1["imputaciones"]) == (
        "Minera Norte",
        "Ana Huamán",
        "2",
        "3",
    )
    assert "Eva Ccori" not in text and "Defensora E" in text


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "edgelist"])
def test_exporters_apply_pseudonyms_unless_asked(engine: Engine, tmp_path: Path, fmt: str) -> None:
    build_network(engine)
    out = tmp_path / f"g.{fmt}"
    count = exporter(fmt)(engine, out, ExportOptions(graph="co-defendant"))
    assert count == (11 if fmt == "edgelist" else 6 + 11)
    text = out.read_text(encoding="utf-8")
    assert "Defensora E" in text and "Eva Ccori" not in text
    exporter(fmt)(engine, out, ExportOptions(graph="co-defendant", show_confidential=True))
    assert "Eva Ccori" in out.read_text(encoding="utf-8")


def test_cli_export(
    engine: Engine,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ids = build_network(engine)
    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_LANG", "en")
    out = tmp_path / "cd.graphml"
    assert (
        main(
            ["export", "--format", "graphml", "--graph", "complainant-defender", "--out", str(out)]
        )
        == 0
    )
    assert capsys.readouterr().out == f"17 records written to {out} (graphml).\n"
    back = nx.read_graphml(out)
    assert back.edges[ids["K1"], ids["D1"]]["weight"] == 2
    assert back.nodes[ids["D5"]]["label"] == "Defensora E"
    out = tmp_path / "ca.gexf"
    assert (
        main(
            [
                "export",
                "--format",
                "gexf",
                "--graph",
                "case-actor",
                "--out",
                str(out),
                "--include-confidential",
            ]
        )
        == 0
    )
    assert "Warning: this file holds real names" in capsys.readouterr().out
    assert nx.read_gexf(out).nodes[ids["D5"]]["label"] == "Eva Ccori"
