"""Graph exports: GraphML and GEXF (for Gephi) and an edge-list CSV.

The graph comes from weighted GROUP BYs (:func:`tracker.analysis.graph_sql`, the very graph
the Network page shows), so names are already privacy-applied (pseudonyms unless
``show_confidential``) and restricted records are already out. The page passes the graph it shows (with its filters) to the
``*_bytes`` functions; the command line goes through ``export_*``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import networkx as nx
from sqlalchemy.engine import Engine

from ..analysis import Filters, graph_sql
from ..i18n import t
from . import ExportOptions

__all__ = [
    "EDGE_COLUMNS",
    "edgelist_bytes",
    "export_edgelist",
    "export_gexf",
    "export_graphml",
    "gexf_bytes",
    "graph_for_export",
    "graphml_bytes",
    "portable",
]

# Edge-list columns, in order; headers are translated (network.csv.*).
EDGE_COLUMNS = (
    "source",
    "target",
    "source_label",
    "target_label",
    "weight",
    "charges",
    "cases",
    "role",
    "synthetic",
)


def graph_for_export(
    engine: Engine, options: ExportOptions, filters: Filters | None = None
) -> nx.Graph:
    """The graph ``options.graph`` built from the database, privacy applied."""
    filters = filters or Filters(include_synthetic=options.include_synthetic)
    return graph_sql(engine, options.graph, filters, show_confidential=options.show_confidential)


def _value(value: Any) -> Any:
    """An attribute as GraphML/GEXF can hold it: lists joined by ";", None left out."""
    if isinstance(value, list | tuple | set):
        return ";".join(str(v) for v in value)
    return value


def portable(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` whose attributes are all str, int, float or bool (no lists, no None)."""
    h = g.__class__()
    h.graph.update({k: _value(v) for k, v in g.graph.items() if v is not None})
    for node, attrs in g.nodes(data=True):
        h.add_node(node, **{k: _value(v) for k, v in attrs.items() if v is not None})
    for u, v, attrs in g.edges(data=True):
        h.add_edge(u, v, **{k: _value(x) for k, x in attrs.items() if x is not None})
    return h


def graphml_bytes(g: nx.Graph) -> bytes:
    """The graph as GraphML (UTF-8)."""
    buffer = io.BytesIO()
    nx.write_graphml(portable(g), buffer, encoding="utf-8")
    return buffer.getvalue()


def gexf_bytes(g: nx.Graph) -> bytes:
    """The graph as GEXF 1.2 (UTF-8), the format Gephi opens directly."""
    buffer = io.BytesIO()
    nx.write_gexf(portable(g), buffer, encoding="utf-8")
    return buffer.getvalue()


def edgelist_bytes(g: nx.Graph, lang: str = "en") -> bytes:
    """One CSV row per edge, with both ends' names, weight, charges, cases and role."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([t(f"network.csv.{column}", lang) for column in EDGE_COLUMNS])
    rows = sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    for u, v, attrs in rows:
        writer.writerow(
            [
                u,
                v,
                g.nodes[u].get("label", u),
                g.nodes[v].get("label", v),
                attrs.get("weight", 1),
                attrs.get("charges", ""),
                _value(attrs.get("cases", "")),
                attrs.get("role", ""),
                _value(attrs.get("synthetic", "")),
            ]
        )
    return text.getvalue().encode("utf-8")


def export_graphml(engine: Engine, out: Path, options: ExportOptions) -> int:
    """Write ``options.graph`` as GraphML; return the nodes and edges written."""
    g = graph_for_export(engine, options)
    Path(out).write_bytes(graphml_bytes(g))
    return g.number_of_nodes() + g.number_of_edges()


def export_gexf(engine: Engine, out: Path, options: ExportOptions) -> int:
    """Write ``options.graph`` as GEXF; return the nodes and edges written."""
    g = graph_for_export(engine, options)
    Path(out).write_bytes(gexf_bytes(g))
    return g.number_of_nodes() + g.number_of_edges()


def export_edgelist(engine: Engine, out: Path, options: ExportOptions) -> int:
    """Write ``options.graph`` as an edge-list CSV; return the edges (rows) written."""
    g = graph_for_export(engine, options)
    Path(out).write_bytes(edgelist_bytes(g, options.lang))
    return g.number_of_edges()
