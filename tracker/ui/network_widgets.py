"""Streamlit pieces of the Network and Indicators pages: filters, cached reads, the graph view.

The numbers all come from tracker.network_data, tracker.graphs and tracker.indicators; this
module only reads widgets, caches, and renders.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import streamlit as st
from sqlalchemy.engine import Engine

from .. import graphs
from ..exports import graph as graph_export
from ..graphs import draw
from ..i18n import t
from ..network_data import Filters, NetworkData, filter_options, load

VIEWS = ("complainant-defender", "co-defendant", "co-complainant", "case-actor")
# Node choices offered in the "show the cases of" box: the most connected first.
MAX_NODE_CHOICES = 1000
TOP_ROWS = 25
CACHE_SECONDS = 60  # edits show up on the analysis pages within a minute


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=8, show_spinner=False)
def _data(_engine: Engine, url: str, filters: Filters, show_confidential: bool) -> NetworkData:
    """The filtered rows, shared by the sessions that ask for the same thing (read-only)."""
    return load(_engine, filters, show_confidential=show_confidential)


@st.cache_resource(ttl=CACHE_SECONDS, max_entries=8, show_spinner=False)
def _graph(
    _data: NetworkData, url: str, filters: Filters, show_confidential: bool, view: str
) -> tuple[nx.Graph, list[dict[str, Any]]]:
    """A view's graph and its Louvain communities."""
    g = graphs.graph_by_name(_data, view)
    return g, graphs.communities(g)


def network_data(engine: Engine, filters: Filters, *, show_confidential: bool) -> NetworkData:
    """The rows for these filters (cached for a minute)."""
    return _data(engine, str(engine.url), filters, show_confidential)


def filters(engine: Engine, *, show_confidential: bool, lang: str) -> Filters:
    """The filter widgets in the sidebar; returns what they select."""
    opts = filter_options(engine, show_confidential=show_confidential, lang=lang)
    labels = opts["labels"]
    side = st.sidebar
    side.subheader(t("network.filter.heading"))
    start = end = None
    if opts["years"]:
        lo, hi = opts["years"]
        if lo < hi:
            chosen = side.slider(t("network.filter.period"), lo, hi, (lo, hi), key="nf_period")
            # The whole range means no filter, so cases with an unknown date stay in.
            if tuple(chosen) != (lo, hi):
                start, end = int(chosen[0]), int(chosen[1])
    regions = side.multiselect(t("network.filter.region"), opts["regions"], key="nf_regions")
    types = side.multiselect(
        t("network.filter.charge_type"),
        opts["charge_types"],
        format_func=lambda code: labels.get(code, code),
        key="nf_types",
    )
    categories = side.multiselect(
        t("network.filter.complainant_category"),
        opts["complainant_categories"],
        format_func=lambda code: labels.get(code, code),
        key="nf_categories",
    )
    contexts = side.multiselect(t("network.filter.context"), opts["contexts"], key="nf_contexts")
    synthetic = side.checkbox(t("network.filter.synthetic"), value=True, key="nf_synthetic")
    return Filters(
        start_year=start,
        end_year=end,
        regions=tuple(regions),
        charge_types=tuple(types),
        complainant_categories=tuple(categories),
        contexts=tuple(contexts),
        include_synthetic=bool(synthetic),
    )


def _view_key(view: str) -> str:
    return "network.view." + view.replace("-", "_")


def _colours(
    g: nx.Graph, found: list[dict[str, Any]], by: str
) -> tuple[dict[str, str], dict[str, str]]:
    """node -> colour key, and colour key -> legend text."""
    if by == "community":
        of = graphs.community_of(found)
        colour = {n: str(of.get(n, 0)) for n in g}
        return colour, {k: t("network.community_n", n=k) for k in set(colour.values())}
    colour = {n: str(g.nodes[n].get("group", "")) for n in g}
    return colour, {k: t(f"network.group.{k}") for k in set(colour.values())}


def graph_view(
    engine: Engine, data: NetworkData, filters: Filters, *, show_confidential: bool, lang: str
) -> None:
    """The view picker, the drawing, the node's cases, the tables and the downloads."""
    cols = st.columns(2)
    view = cols[0].radio(
        t("network.view"),
        VIEWS,
        format_func=lambda v: t(_view_key(v)),
        horizontal=True,
        key="nv_view",
    )
    by = cols[1].radio(
        t("network.colour_by"),
        ("community", "group"),
        format_func=lambda v: t(f"network.colour.{v}"),
        horizontal=True,
        key="nv_colour",
    )
    g, found = _graph(data, str(engine.url), filters, show_confidential, view)
    if g.number_of_nodes() == 0:
        st.info(t("network.empty"))
        return
    shown, reduction = draw.reduce_for_drawing(g)
    if reduction.reduced:
        st.warning(t("network.reduced_note", **vars(reduction)))
    colour, legend = _colours(shown, found, by)
    fig = draw.figure(shown, colour, legend, degree=dict(g.degree(shown.nodes)))
    st.plotly_chart(fig, key="network_chart", config={"displaylogo": False})
    st.caption(t("network.summary", nodes=g.number_of_nodes(), edges=g.number_of_edges()))
    _node_cases(g, data, lang)
    if view == "complainant-defender":
        _complainant_tables(g, data, lang)
    _community_table(found)
    # PageRank is quick; betweenness walks every shortest path, so it waits to be asked for.
    if view == "complainant-defender" or st.toggle(
        t("network.centrality_toggle"), key="nv_centrality"
    ):
        _centrality_table(g)
    _downloads(g, view, lang)


def _node_cases(g: nx.Graph, data: NetworkData, lang: str) -> None:
    ranked = sorted(g, key=lambda n: (-g.degree(n), str(g.nodes[n].get("label", n)), n))
    choices = ["", *ranked[:MAX_NODE_CHOICES]]
    node = st.selectbox(
        t("network.node_select"),
        choices,
        format_func=lambda n: str(g.nodes[n].get("label", n)) if n else t("network.no_node"),
        key="nv_node",
    )
    if not node:
        return
    rows = graphs.node_cases(data, node, lang)
    st.subheader(t("network.node_cases_heading"))
    st.dataframe(
        [
            {
                t("network.col.title"): r["title"],
                t("network.col.case_number"): r["case_number"],
                t("network.col.region"): r["region"],
                t("network.col.opened"): r["opened"],
                t("network.col.roles"): r["roles"],
                t("network.col.charges"): r["charges"],
                t("network.col.accusations"): r["accusations"],
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
    )


def _complainant_tables(g: nx.DiGraph, data: NetworkData, lang: str) -> None:
    st.subheader(t("network.reach_heading"))
    st.dataframe(
        [
            {
                t("network.col.complainant"): r["label"],
                t("network.col.category"): data.label(
                    "complainant_category", r["complainant_category"], lang
                ),
                t("network.col.defenders"): r["defenders"],
                t("network.col.cases"): r["cases"],
                t("network.col.charges"): r["charges"],
            }
            for r in graphs.reach(g)[:TOP_ROWS]
        ],
        hide_index=True,
        width="stretch",
    )
    st.subheader(t("network.repeat_heading"))
    pairs = graphs.repeat_targeting(g)
    if not pairs:
        st.info(t("network.no_repeat"))
    else:
        st.dataframe(
            [
                {
                    t("network.col.complainant"): p["complainant"],
                    t("network.col.defender"): p["defender"],
                    t("network.col.cases"): p["cases"],
                    t("network.col.charges"): p["charges"],
                }
                for p in pairs
            ],
            hide_index=True,
            width="stretch",
        )
    st.subheader(t("network.slices_heading"))
    st.dataframe(
        [
            {
                t("network.col.years"): str(s["start"]),
                t("network.col.complainants"): s["complainants"],
                t("network.col.defenders"): s["defenders"],
                t("network.col.edges"): s["edges"],
                t("network.col.charges"): s["charges"],
            }
            for s in graphs.time_slices(data)
        ],
        hide_index=True,
        width="stretch",
    )


def _community_table(found: list[dict[str, Any]]) -> None:
    st.subheader(t("network.communities_heading"))
    st.dataframe(
        [
            {
                t("network.col.community"): c["index"],
                t("network.col.size"): c["size"],
                t("network.col.members"): ", ".join(c["members"][:12])
                + (" …" if c["size"] > 12 else ""),
            }
            for c in found[:TOP_ROWS]
        ],
        hide_index=True,
        width="stretch",
    )


def _centrality_table(g: nx.Graph) -> None:
    rows = graphs.centrality(g)
    key = "pagerank" if g.is_directed() else "betweenness"
    st.subheader(t("network.centrality_heading"))
    if rows and rows[0].get("approximate"):
        st.caption(t("network.centrality_approximate", k=graphs.BETWEENNESS_SAMPLE))
    st.dataframe(
        [
            {
                t("network.col.name"): r["label"],
                t("network.col.degree"): r["degree"],
                t(f"network.col.{key}"): r[key],
            }
            for r in rows[:TOP_ROWS]
        ],
        hide_index=True,
        width="stretch",
    )


def _downloads(g: nx.Graph, view: str, lang: str) -> None:
    st.subheader(t("network.export_heading"))
    st.caption(t("network.export_note"))
    cols = st.columns(3)
    # Files are made only when clicked (a callable), on the graph the page shows.
    cols[0].download_button(
        t("network.export.graphml"),
        lambda: graph_export.graphml_bytes(g),
        file_name=f"{view}.graphml",
        mime="application/xml",
        key="dl_graphml",
    )
    cols[1].download_button(
        t("network.export.gexf"),
        lambda: graph_export.gexf_bytes(g),
        file_name=f"{view}.gexf",
        mime="application/xml",
        key="dl_gexf",
    )
    cols[2].download_button(
        t("network.export.edgelist"),
        lambda: graph_export.edgelist_bytes(g, lang),
        file_name=f"{view}.csv",
        mime="text/csv",
        key="dl_edgelist",
    )
