"""What the Network and Indicators pages show, read from tracker.analysis, cached by
Streamlit.

No machinery of its own: every result is a ``st.cache_data`` function of (database,
data and privacy revisions, filters, visibility, and the result's own arguments). A write
raises the data revision, so the next run asks for new keys and the old entries age out;
nothing is stored in the database, nothing runs in the background. The numbers are quick
because their SQL is (tracker.analysis), not because of this cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from .. import analysis, graphs, revision
from ..graphs import draw
from ..indicators import display
from ..network_data import PARTS, Filters, NetworkData, filter_options, load

__all__ = ["MAX_NODE_CHOICES", "Analysis", "cached_filter_options"]

MAX_NODE_CHOICES = 1000  # nodes offered in the "show the cases of" box, most connected first
ENTRIES = 64  # entries kept per cached function (filter sets x arguments)


@dataclass(frozen=True)
class _Key:
    """What every cached result depends on: the database, revisions, filters, visibility."""

    url: str
    at: tuple[int, int]
    filters: Filters
    show: bool


_ENGINES: dict[str, Engine] = {}


def _engine(key: _Key) -> Engine:
    return _ENGINES[key.url]


def build_graph(engine: Engine, filters: Filters, show: bool, view: str) -> nx.Graph:
    """The graph of ``view``, built from weighted GROUP BYs (tracker.analysis.edges and
    tracker.analysis.projections): no row of a case, party or charge reaches Python."""
    return analysis.graph_sql(engine, view, filters, show_confidential=show)


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _graph_summary(key: _Key, view: str) -> dict[str, Any]:
    """The view's numbers, its drawing and node choices, from one build of its graph; for
    complainant -> defender also reach, repeated pairs and yearly counts."""
    engine = _engine(key)
    slices: list[dict[str, Any]] = []
    if view == "complainant-defender":
        g, slices = analysis.network_sql(engine, key.filters, show_confidential=key.show)
    else:
        g = build_graph(engine, key.filters, key.show, view)
    shown, reduction = draw.reduce_for_drawing(g)
    degree = dict(g.degree())
    label = {n: str(attrs.get("label", n)) for n, attrs in g.nodes(data=True)}
    ranked = sorted(g, key=lambda n: (-degree[n], label[n], n))
    directed = g.is_directed()
    out = {
        "info": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "directed": directed},
        "drawing": (nx.Graph(shown) if not directed else nx.DiGraph(shown), reduction),
        "degree": {n: degree[n] for n in shown},
        "labels": {n: label[n] for n in ranked[:MAX_NODE_CHOICES]},
    }
    if view == "complainant-defender":
        out |= {"reach": graphs.reach(g), "repeat": graphs.repeat_targeting(g), "slices": slices}
    return out


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _measure(key: _Key, view: str, what: str) -> list[dict[str, Any]]:
    """Louvain communities or centrality of the view's graph (asked for separately: they
    are the slow part on a large graph)."""
    g = build_graph(_engine(key), key.filters, key.show, view)
    return graphs.communities(g) if what == "communities" else graphs.centrality(g)


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _figures_page(
    key: _Key, group_by: str, lang: str, threshold: int, today: date, start: int, count: int | None
) -> tuple[list[analysis.Figure], int]:
    return analysis.figures_page(
        _engine(key), key.filters, show_confidential=key.show, group_by=group_by, today=today,
        lang=lang, mass_threshold=threshold, start=start, count=count,
    )  # fmt: skip


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _spans(key: _Key, today: date) -> list[dict[str, Any]]:
    found = analysis.Aggregates(_engine(key), key.filters, show_confidential=key.show, today=today)
    return found.prosecution_spans()


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _with_records(
    key: _Key, figure: analysis.Figure, threshold: int, today: date
) -> analysis.Figure:
    return analysis.with_records(
        _engine(key), key.filters, figure, show_confidential=key.show, today=today,
        mass_threshold=threshold,
    )  # fmt: skip


@st.cache_data(max_entries=8, show_spinner=False)
def _rows(key: _Key, parts: tuple[str, ...]) -> NetworkData:
    return load(_engine(key), key.filters, show_confidential=key.show, parts=parts)


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _options(key: _Key, lang: str) -> dict[str, Any]:
    return filter_options(_engine(key), show_confidential=key.show, lang=lang)


def cached_filter_options(
    engine: Engine, *, show_confidential: bool, lang: str, at: tuple[int, int] | None = None
) -> dict[str, Any]:
    """network_data.filter_options, cached per data revision (``at``: the revisions read
    this run, if any)."""
    return _options(_key(engine, Filters(), show_confidential, at), lang)


def _key(engine: Engine, filters: Filters, show: bool, at: tuple[int, int] | None) -> _Key:
    url = engine.url.render_as_string(hide_password=True)
    _ENGINES[url] = engine
    return _Key(url, at if at is not None else revision.current_pair(engine), filters, show)


class Analysis:
    """The results of one filter set and visibility at the revisions read this run."""

    def __init__(
        self,
        engine: Engine,
        filters: Filters,
        *,
        show_confidential: bool,
        at: tuple[int, int] | None = None,
    ) -> None:
        self.engine, self.filters, self.show = engine, filters, show_confidential
        self.key = _key(engine, filters, show_confidential, at)

    # --- graphs ---------------------------------------------------------------------------

    def graph(self, view: str) -> nx.Graph:
        """The whole graph of ``view`` (built when asked: the downloads)."""
        return build_graph(self.engine, self.filters, self.show, view)

    def graph_info(self, view: str) -> dict[str, Any]:
        """``nodes``, ``edges`` and whether the graph is ``directed``."""
        return _graph_summary(self.key, view)["info"]

    def drawing(self, view: str) -> tuple[nx.Graph, draw.Reduction, dict[str, int]]:
        """The part of the graph drawn, what was left out, and whole-graph degrees."""
        found = _graph_summary(self.key, view)
        return (*found["drawing"], found["degree"])

    def node_labels(self, view: str) -> dict[str, str]:
        """Nodes offered in the "show the cases of" box, most connected first."""
        return _graph_summary(self.key, view)["labels"]

    def reach(self) -> list[dict[str, Any]]:
        """graphs.reach of the complainant -> defender graph."""
        return _graph_summary(self.key, "complainant-defender")["reach"]

    def repeat(self) -> list[dict[str, Any]]:
        """graphs.repeat_targeting of the complainant -> defender graph."""
        return _graph_summary(self.key, "complainant-defender")["repeat"]

    def slices(self) -> list[dict[str, Any]]:
        """Yearly counts of the complainant -> defender graph."""
        return _graph_summary(self.key, "complainant-defender")["slices"]

    def communities(self, view: str) -> list[dict[str, Any]]:
        """Louvain communities of the view's graph."""
        return _measure(self.key, view, "communities")

    def centrality(self, view: str) -> list[dict[str, Any]]:
        """graphs.centrality of the view's graph."""
        return _measure(self.key, view, "centrality")

    def need(self, *parts: str) -> NetworkData:
        """The filtered rows of these parts of network_data (the vocabulary always)."""
        return _rows(self.key, tuple(sorted(parts)))

    def node_cases(self, node: str, lang: str) -> list[dict[str, Any]]:
        """graphs.node_cases for one node."""
        return graphs.node_cases(self.need("cases", "charges", "parties"), node, lang)

    # --- indicators -----------------------------------------------------------------------

    def figures_page(
        self, group_by: str, lang: str, threshold: int, today: date, start: int, count: int | None
    ) -> tuple[list[analysis.Figure], int]:
        """Figures start..start+count of a grouping, and how many it has."""
        return _figures_page(self.key, group_by, lang, threshold, today, start, count)

    def figures(
        self, group_by: str, lang: str, threshold: int, today: date
    ) -> list[analysis.Figure]:
        """Every figure of one grouping."""
        return self.figures_page(group_by, lang, threshold, today, 0, None)[0]

    def figure_table(
        self, group_by: str, lang: str, threshold: int, today: date, *, with_definition: bool,
        start: int = 0, count: int | None = None,
    ) -> pd.DataFrame:  # fmt: skip
        """display.figure_rows of figures start..start+count, as a table."""
        figures, _ = self.figures_page(group_by, lang, threshold, today, start, count)
        rows = display.figure_rows(
            figures, lang, with_definition=with_definition, mass_threshold=threshold
        )
        return pd.DataFrame(rows)

    def spans(self, today: date) -> list[dict[str, Any]]:
        """Time under prosecution per defender, longest first."""
        return _spans(self.key, today)

    def with_rows(self, figure: analysis.Figure, threshold: int, today: date) -> analysis.Figure:
        """The figure with the ids of the records behind it (one statement, same filter)."""
        return _with_records(self.key, figure, threshold, today)

    def rows_behind(
        self, figure: analysis.Figure, lang: str, today: date, start: int, count: int
    ) -> tuple[pd.DataFrame, int]:
        """One page of display.rows_behind of a figure (with_rows) and how many rows."""
        rows, total = display.rows_behind_page(
            self.need(*PARTS), figure, lang, today=today, start=start, count=count
        )
        return pd.DataFrame(rows), total
