"""Draw a graph as a plotly figure from networkx positions (no st.* calls, nothing online).

A browser cannot lay out or draw tens of thousands of edges without freezing, so
:func:`reduce_for_drawing` keeps the nodes of the heaviest edges and says what it left out; the tables and exports always use the whole graph.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import networkx as nx
import plotly.graph_objects as go

from . import layout
from .analysis import SEED

__all__ = [
    "MAX_EDGES",
    "MAX_NODES",
    "ColumnNode",
    "Reduction",
    "columns_figure",
    "figure",
    "reduce_for_drawing",
    "text_boxes",
]

MAX_NODES = 300
MAX_EDGES = 1500
# Colour-blind-safe qualitative palette (Okabe-Ito, then Tableau 10), cycled.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#E15759",
    "#76B7B2",
    "#EDC948",
    "#B07AA1",
    "#9C755F",
)


@dataclass(frozen=True)
class Reduction:
    """What the drawing shows of the whole graph."""

    nodes_shown: int
    nodes_total: int
    edges_shown: int
    edges_total: int

    @property
    def reduced(self) -> bool:
        """True when part of the graph was left out of the drawing."""
        return (self.nodes_shown, self.edges_shown) != (self.nodes_total, self.edges_total)


def reduce_for_drawing(
    g: nx.Graph, max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES
) -> tuple[nx.Graph, Reduction]:
    """At most ``max_nodes`` nodes and ``max_edges`` edges to draw, and what was left out.

    Nodes come in with the heaviest edges first (ties: the edge of the more connected
    endpoints, then by label), until the node budget is spent; any budget left goes to the
    most connected nodes not in yet. Then, of the edges among the nodes kept, the
    ``max_edges`` heaviest. The same data always gives the same picture.

    Why edges first: taking the most connected nodes alone drew, at scale L, 300 complainants
    and not one edge (complainants seldom accuse each other); the heaviest edges are the
    repeated prosecutions the page is about.
    """
    h = g
    if g.number_of_nodes() > max_nodes:
        # Degrees and labels read once: a view call per node was 6 s of 150,000 nodes (L).
        degree = dict(g.degree())
        label = {n: str(attrs.get("label", n)) for n, attrs in g.nodes(data=True)}
        chosen: dict[Any, None] = {}
        edges = sorted(
            g.edges(data="weight", default=1),
            key=lambda e: (-e[2], -(degree[e[0]] + degree[e[1]]), label[e[0]], label[e[1]],
                           str(e[0]), str(e[1])),
        )  # fmt: skip
        for u, v, _ in edges:
            if len(chosen) >= max_nodes:
                break
            new = [n for n in (u, v) if n not in chosen]
            if len(chosen) + len(new) <= max_nodes:  # else an edge needing fewer may fit
                chosen.update(dict.fromkeys(new))
        if len(chosen) < max_nodes:
            ranked = sorted(g, key=lambda n: (-degree[n], label[n], str(n)))
            for n in ranked:
                if len(chosen) >= max_nodes:
                    break
                chosen.setdefault(n, None)
        h = g.subgraph(chosen)
    if h.number_of_edges() > max_edges:
        kept = sorted(
            h.edges(data="weight", default=1),
            key=lambda e: (-e[2], str(e[0]), str(e[1])),
        )[:max_edges]
        # Keep the nodes whose edges all fell out too: a hub's leaves should still show.
        nodes = list(h.nodes)
        h = g.subgraph(nodes).copy()
        keep = {(u, v) for u, v, _ in kept}
        h.remove_edges_from([e for e in h.edges if e not in keep])
    return h, Reduction(
        h.number_of_nodes(), g.number_of_nodes(), h.number_of_edges(), g.number_of_edges()
    )


def figure(
    g: nx.Graph,
    colour: dict[str, str],
    legend: dict[str, str],
    *,
    degree: dict[str, int] | None = None,
    height: int = 650,
) -> go.Figure:
    """A plotly figure of ``g``: one line trace for the edges, one marker trace per colour.

    Args:
        g: the (reduced) graph to draw.
        colour: node -> colour key (community number or group code, as text).
        legend: colour key -> legend text.
        degree: node -> degree in the whole graph (sizes); default the degree in ``g``.
        height: figure height in pixels.
    """
    pos = _layout(g)
    degree = degree or dict(g.degree())
    top = max(degree.values(), default=1) or 1
    xs: list[float | None] = []
    ys: list[float | None] = []
    for u, v in g.edges():
        xs += [pos[u][0], pos[v][0], None]
        ys += [pos[u][1], pos[v][1], None]
    fig = go.Figure()
    fig.add_trace(
        go.Scattergl(
            x=xs,
            y=ys,
            mode="lines",
            hoverinfo="skip",
            showlegend=False,
            line={"width": 0.6, "color": "#9aa0a6"},
        )
    )
    keys = sorted(
        set(colour.values()), key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k)
    )
    for i, key in enumerate(keys):
        nodes = [n for n in g if colour.get(n) == key]
        fig.add_trace(
            go.Scattergl(
                x=[pos[n][0] for n in nodes],
                y=[pos[n][1] for n in nodes],
                mode="markers",
                name=legend.get(key, key),
                marker={
                    "size": [6 + 24 * math.sqrt(degree.get(n, 0) / top) for n in nodes],
                    "color": PALETTE[i % len(PALETTE)],
                    "line": {"width": 0.5, "color": "#ffffff"},
                },
                # Names are data: escape them, plotly renders a few HTML tags in hover text.
                text=[
                    f"{html.escape(str(g.nodes[n].get('label', n)))} ({degree.get(n, 0)})"
                    for n in nodes
                ],
                # The node id (database id as hex, never a name): a click opens its page.
                customdata=[str(n) for n in nodes],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
        legend={"itemsizing": "constant"},
        plot_bgcolor="#ffffff",
    )
    return fig


def _layout(g: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Spring layout with a fixed seed (few iterations on large graphs to stay responsive),
    then :func:`layout.spread`: nodes with the same neighbours no longer share a spot."""
    if g.number_of_nodes() == 0:
        return {}
    iterations = 50 if g.number_of_nodes() <= 150 else 30
    pos = nx.spring_layout(nx.Graph(g), seed=SEED, iterations=iterations, weight=None)
    # A smaller minimum when many nodes share the plane, so the pass stays quick and local.
    min_dist = layout.MIN_DISTANCE if g.number_of_nodes() <= 150 else layout.MIN_DISTANCE / 2
    return layout.spread({n: (float(x), float(y)) for n, (x, y) in pos.items()}, min_dist)


# --- readable views: columns of labelled nodes ------------------------------------------------

LABEL_CHARS = 40  # longer label lines are cut (the hover text has them whole)
FONT_SIZE = 12
REF_WIDTH = 1000  # plot width the label room is worked out for (the page is "wide")


@dataclass(frozen=True)
class ColumnNode:
    """A node of a column drawing: id (hex, for clicks), label, group (colour), size weight
    and hover text (plain; escaped here)."""

    id: str
    label: str
    group: str
    weight: float = 1.0
    hover: str = ""


def _cut(text: str) -> str:
    """Each line of ``text`` at most LABEL_CHARS characters."""
    return "\n".join(
        line if len(line) <= LABEL_CHARS else line[: LABEL_CHARS - 1] + "…"
        for line in text.split("\n")
    )


def label_text(text: str) -> str:
    """A label for plotly: cut, escaped, lines joined by <br>."""
    return "<br>".join(html.escape(line) for line in _cut(text).split("\n"))


def x_range(labels: list[str]) -> list[float]:
    """The x range that leaves room for the widest label line outside the columns."""
    longest = max((len(line) for x in labels for line in _cut(x).split("\n")), default=0)
    r = layout.half_width(longest * layout.CHAR_WIDTH * FONT_SIZE, REF_WIDTH)
    return [-r, r]


def columns_figure(
    left: list[ColumnNode],
    right: list[ColumnNode],
    edges: list[tuple[str, str, float, str]],
    legend: dict[str, str],
    *,
    centre: ColumnNode | None = None,
    labels: bool = True,
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """Accusers on the left, the accused on the right, the ego (``centre``) between them;
    every node labelled beside it, outward, one line each (:func:`layout.columns` spaces the
    rows ROW_PX apart at the figure's height, so labels cannot overlap).

    Args:
        left / right: the columns, top to bottom.
        edges: (from id, to id, weight, hover text).
        legend: group -> legend text (the order of first appearance is kept).
        centre: the ego, drawn in the middle and labelled above.
        labels: False to leave text out of the marker traces (a caller adds its own).
        colours: group -> colour; default the palette in order of the legend.
    """
    pos = layout.columns([n.id for n in left], [n.id for n in right],
                         centre.id if centre else None)  # fmt: skip
    nodes = [*left, *right, *([centre] if centre else [])]
    side = {n.id: "middle left" for n in left} | {n.id: "middle right" for n in right}
    if centre is not None:
        side[centre.id] = "top center"
    fig = go.Figure()
    # One line trace for every edge (a trace per edge is a heavy SVG at a hundred edges);
    # an edge's weight is in its hover text and in the labels of its ends.
    xs: list[float | None] = []
    ys: list[float | None] = []
    for u, v, _, _ in edges:
        if u in pos and v in pos:
            xs += [pos[u][0], pos[v][0], None]
            ys += [pos[u][1], pos[v][1], None]
    fig.add_trace(
        go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                   line={"width": 1.0, "color": "#9aa0a6"})
    )  # fmt: skip
    # Hover on an edge's midpoint: its cases, charges and years.
    mids = [(u, v, text) for u, v, _, text in edges if u in pos and v in pos and text]
    if mids:
        fig.add_trace(go.Scatter(
            x=[(pos[u][0] + pos[v][0]) / 2 for u, v, _ in mids],
            y=[(pos[u][1] + pos[v][1]) / 2 for u, v, _ in mids],
            mode="markers", marker={"size": 6, "color": "rgba(0,0,0,0)"},
            hovertext=[html.escape(t) for *_, t in mids], hoverinfo="text", showlegend=False,
        ))  # fmt: skip
    heaviest = max((n.weight for n in nodes), default=1) or 1
    groups = list(dict.fromkeys(n.group for n in nodes))
    for i, group in enumerate(groups):
        members = [n for n in nodes if n.group == group]
        colour = (colours or {}).get(group, PALETTE[i % len(PALETTE)])
        fig.add_trace(go.Scatter(
            x=[pos[n.id][0] for n in members], y=[pos[n.id][1] for n in members],
            mode="markers+text" if labels else "markers",
            name=legend.get(group, group),
            text=[label_text(n.label) for n in members] if labels else None,
            textposition=[side[n.id] for n in members] if labels else None,
            textfont={"size": FONT_SIZE},
            marker={"size": [8 + 16 * math.sqrt(n.weight / heaviest) for n in members],
                    "color": colour, "line": {"width": 0.5, "color": "#ffffff"}},
            customdata=[n.id for n in members],
            cliponaxis=False,
            hovertext=[html.escape(n.hover or n.label) for n in members], hoverinfo="text",
        ))  # fmt: skip
    rows = max(len(left), len(right), 1)
    fig.update_layout(
        height=layout.rows_height(rows),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"visible": False, "range": x_range([n.label for n in nodes]), "fixedrange": True},
        yaxis={"visible": False, "range": [-1.08, 1.12]},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "itemsizing": "constant"},
        plot_bgcolor="#ffffff",
        clickmode="event+select",
        dragmode=False,
    )
    return fig


def text_boxes(fig: go.Figure, width: int = 1000) -> dict[str, layout.Box]:
    """The pixel box of every label of ``fig`` drawn ``width`` pixels wide (its layout's
    height, margins and axis ranges), keyed by the label's text (lines joined by "\\n")."""
    lay = fig.layout
    height = lay.height or 450
    m = lay.margin
    plot_w = width - (m.l or 0) - (m.r or 0)
    plot_h = height - (m.t or 0) - (m.b or 0)
    (x0, x1), (y0, y1) = lay.xaxis.range, lay.yaxis.range
    boxes: dict[str, layout.Box] = {}
    for trace in fig.data:
        if trace.text is None or "text" not in (trace.mode or ""):
            continue
        size = trace.textfont.size if trace.textfont and trace.textfont.size else FONT_SIZE
        positions = trace.textposition
        for i, (x, y, text) in enumerate(zip(trace.x, trace.y, trace.text, strict=True)):
            where = positions[i] if isinstance(positions, list | tuple) else positions
            px = (x - x0) / (x1 - x0) * plot_w
            py = (y - y0) / (y1 - y0) * plot_h
            plain = html.unescape(str(text).replace("<br>", "\n"))
            boxes[plain] = layout.label_box(px, py, plain, where or "middle center", size)
    return boxes
