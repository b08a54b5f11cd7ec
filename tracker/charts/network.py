"""The harassment network (complainant -> defender) as a static, printable figure.

The graph comes from tracker.graphs and is drawn by tracker.graphs.draw in two columns, as
the Network page draws its top complainants: complainants on the left, defenders on the
right, evenly spaced, so no two nodes or labels overlap. This module trims it for print,
labels the complainants of widest reach, and keeps every trace SVG: a static export of a
WebGL trace is a blurred bitmap inside the SVG or PDF, an SVG trace stays vector.

The trim keeps the complainants of widest reach and their heaviest links, not the nodes of
highest degree (draw.reduce_for_drawing): in this graph the highest-degree nodes are nearly
all complainants, who seldom accuse each other, so that picture would be dots without links.
"""

from __future__ import annotations

import networkx as nx
import plotly.graph_objects as go

from .. import graphs
from ..graphs import draw, layout
from ..i18n import t
from . import style
from .data import ChartSource
from .style import Caption
from .table import Table

__all__ = [
    "MAX_COMPLAINANTS",
    "MAX_EDGES",
    "network_figure",
    "network_graph",
    "network_table",
    "trim",
    "vector",
]

# A printed page holds fewer readable nodes than a screen: trim harder than the page does.
MAX_COMPLAINANTS = 12
MAX_EDGES = 400
LABELLED = MAX_COMPLAINANTS  # complainants named on the figure, by reach (all of them)
LABEL_DEFENDERS = 60  # defenders are named too when the column holds at most this many
GROUPS = ("complainant", "defender", "both")


def network_graph(source: ChartSource) -> tuple[nx.DiGraph, nx.DiGraph]:
    """The whole complainant -> defender graph and the part that is drawn.

    Labels of the drawn part are scrubbed of withheld names (the pseudonyms are applied
    before the rows get here; this also covers names typed into other text).
    """
    g = graphs.complainant_defender(source.data)
    shown = trim(g)
    for _, attrs in shown.nodes(data=True):
        attrs["label"] = source.scrub(str(attrs.get("label", "")))
    return g, shown


def trim(
    g: nx.DiGraph, complainants: int = MAX_COMPLAINANTS, max_edges: int = MAX_EDGES
) -> nx.DiGraph:
    """The ``complainants`` of widest reach (out-degree) and, of their links, the
    ``max_edges`` heaviest (most cases, then most charges); ties by label so the same data
    gives the same picture. A copy: its labels can change without touching ``g``."""

    def label(n: str) -> str:
        return str(g.nodes[n].get("label", n))

    ranked = sorted(
        (n for n in g if g.out_degree(n)), key=lambda n: (-g.out_degree(n), label(n), n)
    )[:complainants]
    edges = sorted(
        (e for n in ranked for e in g.out_edges(n, data=True)),
        key=lambda e: (-e[2]["weight"], -e[2]["charges"], label(e[0]), label(e[1]), e[0], e[1]),
    )[:max_edges]
    return nx.DiGraph(g.edge_subgraph((u, v) for u, v, _ in edges))


def network_table(g: nx.DiGraph, shown: nx.DiGraph) -> Table:
    """The edges drawn (complainant, defender, cases, charges), most cases first, and notes
    with the size of the whole graph."""
    rows = sorted(
        (
            (
                shown.nodes[u]["label"],
                shown.nodes[v]["label"],
                attrs["weight"],
                attrs["charges"],
            )
            for u, v, attrs in shown.edges(data=True)
        ),
        key=lambda r: (-r[2], -r[3], r[0], r[1]),
    )
    return Table(
        ("complainant", "defender", "cases", "charges"),
        tuple(rows),
        (
            ("nodes_shown", shown.number_of_nodes()),
            ("nodes_total", g.number_of_nodes()),
            ("edges_shown", shown.number_of_edges()),
            ("edges_total", g.number_of_edges()),
        ),
    )


def vector(fig: go.Figure) -> go.Figure:
    """The same figure with every WebGL scatter trace as an SVG scatter trace."""
    traces = []
    for trace in fig.data:
        if trace.type == "scattergl":
            spec = trace.to_plotly_json()
            spec.pop("type", None)
            traces.append(go.Scatter(**spec))
        else:
            traces.append(trace)
    return go.Figure(data=traces, layout=fig.layout)


def network_figure(
    shown: nx.DiGraph,
    caption: Caption,
    lang: str,
    *,
    degree: dict[str, int] | None = None,
) -> go.Figure:
    """The drawn graph in two columns: the complainants (by reach) on the left, named beside
    their node, the defenders they charged on the right (named too when there are at most
    LABEL_DEFENDERS of them); coloured by group (complainant, defender, both).

    Columns space the rows evenly at the figure's height (draw.columns_figure), so no two
    nodes share a spot and no two labels overlap, however alike two complainants are.

    Args:
        shown: the (trimmed) graph; nodes carry ``label`` and ``group``.
        caption: title, subtitle, source line.
        lang: language of the legend.
        degree: node -> degree in the whole graph (node sizes); default the degree in ``shown``.
    """
    degree = degree or dict(shown.degree())
    legend = {k: t(f"network.group.{k}", lang) for k in GROUPS}
    colours = {k: style.colour(i) for i, k in enumerate(GROUPS)}

    def label(n: str) -> str:
        return str(shown.nodes[n].get("label", n))

    def node(n: str) -> draw.ColumnNode:
        group = str(shown.nodes[n].get("group", ""))
        return draw.ColumnNode(n, label(n), group, float(degree.get(n, 0)), label(n))

    left = sorted((n for n in shown if shown.out_degree(n)),
                  key=lambda n: (-shown.out_degree(n), label(n), n))  # fmt: skip
    right = sorted((n for n in shown if not shown.out_degree(n)),
                   key=lambda n: (-shown.in_degree(n), label(n), n))  # fmt: skip
    edges = [(u, v, float(w), "") for u, v, w in shown.edges(data="weight", default=1)]
    fig = vector(draw.columns_figure([node(n) for n in left], [node(n) for n in right], edges,
                                     legend, labels=False, colours=colours))  # fmt: skip
    pos = layout.columns(left, right)
    named = [(left[:LABELLED], "middle left")]
    if len(right) <= LABEL_DEFENDERS:
        named.append((right, "middle right"))
    for nodes, where in named:
        if nodes:
            fig.add_trace(
                go.Scatter(
                    x=[pos[n][0] for n in nodes],
                    y=[pos[n][1] for n in nodes],
                    mode="text",
                    text=[draw.label_text(label(n)) for n in nodes],
                    textposition=where,
                    textfont={"size": draw.FONT_SIZE, "color": style.INK},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    height = max(800, layout.rows_height(max(len(left), len(right), 1)))
    fig = style.apply(fig, caption, height=height)
    fig.update_xaxes(visible=False, showgrid=False, range=draw.x_range([label(n) for n in shown]))
    fig.update_yaxes(visible=False, showgrid=False, range=[-1.08, 1.08])
    return fig
