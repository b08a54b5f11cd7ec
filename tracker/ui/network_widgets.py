"""Streamlit pieces of the Network and Indicators pages: filters, cached reads, the graph view.

The numbers all come from tracker.analysis and tracker.graphs (through
tracker.ui.analysis_reads); this module only reads widgets and renders.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine

from .. import privacy, revision
from ..exports import graph as graph_export
from ..graphs import BETWEENNESS_SAMPLE, COMMUNITIES_ON_REQUEST, community_of, draw
from ..i18n import t
from ..network_data import Filters
from .analysis_reads import MAX_NODE_CHOICES, Analysis, cached_filter_options
from .network_ego import open_clicked

VIEWS = ("complainant-defender", "co-defendant", "co-complainant", "case-actor")
TOP_ROWS = 25

__all__ = ["MAX_NODE_CHOICES", "VIEWS", "Analysis", "filtered_analysis", "filters", "graph_view"]


def filtered_analysis(engine: Engine, *, show_confidential: bool, lang: str) -> Analysis:
    """The sidebar filters and the analysis of what they select, with the data and privacy
    revisions read once for both."""
    at = revision.current_pair(engine)
    chosen = filters(engine, show_confidential=show_confidential, lang=lang, at=at)
    return Analysis(engine, chosen, show_confidential=show_confidential, at=at)


def filters(
    engine: Engine, *, show_confidential: bool, lang: str, at: tuple[int, int] | None = None
) -> Filters:
    """The filter widgets in the sidebar (``at``: the revisions read this run, if any);
    returns what they select."""
    opts = cached_filter_options(engine, show_confidential=show_confidential, lang=lang, at=at)
    labels = opts["labels"]
    # Regions and contexts are typed text: shown redacted (the filter keeps the real value).
    redact = privacy.redactor(engine, show_confidential=show_confidential)
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
    regions = side.multiselect(
        t("network.filter.region"),
        opts["regions"],
        format_func=redact,
        key="nf_regions",
        placeholder=t("ui.choose_options"),
    )
    types = side.multiselect(
        t("network.filter.charge_type"),
        opts["charge_types"],
        format_func=lambda code: labels.get(code, code),
        key="nf_types",
        placeholder=t("ui.choose_options"),
    )
    categories = side.multiselect(
        t("network.filter.complainant_category"),
        opts["complainant_categories"],
        format_func=lambda code: labels.get(code, code),
        key="nf_categories",
        placeholder=t("ui.choose_options"),
    )
    contexts = side.multiselect(
        t("network.filter.context"),
        opts["contexts"],
        format_func=redact,
        key="nf_contexts",
        placeholder=t("ui.choose_options"),
    )
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


def graph_view(an: Analysis, *, lang: str) -> None:
    """The view picker, the drawing, the node's cases, the tables and the downloads."""
    cols = st.columns(2)
    view = cols[0].radio(
        t("network.view"),
        VIEWS,
        format_func=lambda v: t(_view_key(v)),
        horizontal=True,
        key="nv_view",
    )
    info = an.graph_info(view)
    # Louvain on a very large graph takes minutes: there it waits to be asked for.
    large = info["nodes"] > COMMUNITIES_ON_REQUEST
    with_communities = not large or cols[1].toggle(
        t("network.communities_toggle"), key="nv_communities"
    )
    by = "group"
    if with_communities:
        by = cols[1].radio(
            t("network.colour_by"),
            ("community", "group"),
            format_func=lambda v: t(f"network.colour.{v}"),
            horizontal=True,
            key="nv_colour",
        )
    if info["nodes"] == 0:
        st.info(t("network.empty"))
        return
    _, reduction, _ = an.drawing(view)
    if reduction.reduced:
        st.warning(t("network.reduced_note", **vars(reduction)))
    if not with_communities:
        st.info(
            t(
                "network.communities_deferred",
                nodes=info["nodes"],
                limit=COMMUNITIES_ON_REQUEST,
            )
        )
    # A click on a person's or body's node opens their page (cases are not people).
    shown, _, _ = an.drawing(view)
    people = {str(n) for n, kind in shown.nodes(data="kind") if kind and kind != "case"}
    defenders = {str(n) for n, d in shown.nodes(data="is_defender") if d}
    event = st.plotly_chart(
        _figure(an, view, by, lang), key="network_chart", on_select="rerun",
        selection_mode="points", config={"displaylogo": False},
    )  # fmt: skip
    open_clicked(event, defenders, people)
    st.caption(t("network.summary", nodes=info["nodes"], edges=info["edges"]))
    _node_cases(an, view, lang)
    if view == "complainant-defender":
        _complainant_tables(an, lang)
    if with_communities:
        _community_table(an.communities(view))
    # Betweenness on a projection (who bridges groups of co-defendants) walks every shortest
    # path, so it waits to be asked for. The directed graph gets no centrality table: PageRank
    # there ranked defenders with three links at 0.0002, which tells a reader nothing; the
    # measures of the top view (reach, weighted degree, repeat targeting) replace it.
    if view != "complainant-defender" and st.toggle(
        t("network.centrality_toggle"), key="nv_centrality"
    ):
        _centrality_table(an, view)
    _downloads(an, view, lang)


def _figure(an: Analysis, view: str, by: str, lang: str) -> Any:
    """The plotly figure of the drawn graph, coloured by community or group."""
    shown, _, degree = an.drawing(view)
    if by == "community":
        of = community_of(an.communities(view))
        colour = {n: str(of.get(n, 0)) for n in shown}
        legend = {k: t("network.community_n", lang, n=k) for k in set(colour.values())}
    else:
        colour = {n: str(shown.nodes[n].get("group", "")) for n in shown}
        legend = {k: t(f"network.group.{k}", lang) for k in set(colour.values())}
    return draw.figure(shown, colour, legend, degree=degree)


def _node_cases(an: Analysis, view: str, lang: str) -> None:
    labels = an.node_labels(view)
    node = st.selectbox(
        t("network.node_select"),
        ["", *labels],
        format_func=lambda n: labels.get(n, n) if n else t("network.no_node"),
        key="nv_node",
    )
    if not node:
        return
    rows = an.node_cases(node, lang)
    st.subheader(t("network.node_cases_heading"))
    st.dataframe(
        [
            {
                t("network.col.title"): r["title"],
                t("network.col.case_number"): r["case_number"],
                t("network.col.region"): r["region"],
                t("network.col.opened"): r["opened"],
                t("network.col.roles"): r["roles"],
                # Both directions, each named: one "Charges" column held the charges against
                # the node, so a complainant who brought 48 charges read "0 charges".
                t("netpage.col.charges_faced"): r["charges"],
                t("netpage.col.charges_brought"): r["accusations"],
            }
            for r in rows
        ],
        hide_index=True,
        width="stretch",
    )


def _complainant_tables(an: Analysis, lang: str) -> None:
    data = an.need()  # the vocabulary, for the labels (no rows)
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
            for r in an.reach()[:TOP_ROWS]
        ],
        hide_index=True,
        width="stretch",
    )
    st.subheader(t("network.repeat_heading"))
    pairs = an.repeat()
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
            for s in an.slices()
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


def _centrality_table(an: Analysis, view: str) -> None:
    rows = an.centrality(view)
    key = "pagerank" if an.graph_info(view)["directed"] else "betweenness"
    st.subheader(t("network.centrality_heading"))
    if rows and rows[0].get("approximate"):
        st.caption(t("network.centrality_approximate", k=BETWEENNESS_SAMPLE))
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


def _downloads(an: Analysis, view: str, lang: str) -> None:
    st.subheader(t("network.export_heading"))
    st.caption(t("network.export_note"))
    cols = st.columns(3)
    # Files are made only when clicked (a callable), on the graph the page shows; the graph
    # is looked up then too, so a callable kept by Streamlit does not keep it alive.
    cols[0].download_button(
        t("network.export.graphml"),
        lambda: graph_export.graphml_bytes(an.graph(view)),
        file_name=f"{view}.graphml",
        mime="application/xml",
        key="dl_graphml",
        on_click="ignore",
    )
    cols[1].download_button(
        t("network.export.gexf"),
        lambda: graph_export.gexf_bytes(an.graph(view)),
        file_name=f"{view}.gexf",
        mime="application/xml",
        key="dl_gexf",
        on_click="ignore",
    )
    cols[2].download_button(
        t("network.export.edgelist"),
        lambda: graph_export.edgelist_bytes(an.graph(view), lang),
        file_name=f"{view}.csv",
        mime="text/csv",
        key="dl_edgelist",
        on_click="ignore",
    )
