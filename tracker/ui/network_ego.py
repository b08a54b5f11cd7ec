"""Streamlit pieces of the Network page's readable views: the top complainants by reach,
one actor's or court's network, the measures with their one-line explanations, and a click
on a node that opens the person's page.

Numbers come from tracker.analysis.ego (through tracker.ui.ego_reads) and tracker.graphs;
figures from tracker.graphs.ego_figures. This module reads widgets and renders.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ..analysis.ego import Overview
from ..graphs import ego_figures
from ..graphs.ego_figures import top_figure, years_text
from ..i18n import t
from .analysis_reads import MAX_NODE_CHOICES, Analysis
from .ego_reads import EgoReads
from .safe import md

__all__ = [
    "MODES",
    "TOP_CHOICES",
    "ego_view",
    "measures",
    "node_target",
    "open_clicked",
    "top_view",
]

MODES = ("top", "ego", "graph")
TOP_CHOICES = (10, 20, 50, 100)
SEARCH_CHOICES = 50  # matches offered at once (MAX_NODE_CHOICES caps any list)
TABLE_ROWS = 25
EGO_DRAWN = 40  # counterparts drawn per side; the table below lists them all
DEFENDERS_PAGE = "pages/2_Defenders.py"
ACTORS_PAGE = "pages/7_Actors.py"


def node_target(clicked: Any, defenders: set[str]) -> tuple[str, dict[str, str]] | None:
    """The page and query parameters a click on a node opens: a defender's page or an
    actor's page, for a node id (32 hex digits; a "#..." suffix marks a second drawing of
    the same person). None for anything else (a court, an edge's midpoint)."""
    if not isinstance(clicked, str) or not clicked:
        return None
    ident = clicked.split("#", 1)[0]
    if len(ident) != 32 or any(c not in "0123456789abcdef" for c in ident):
        return None
    return (DEFENDERS_PAGE if ident in defenders else ACTORS_PAGE), {"actor": ident}


def open_clicked(event: Any, defenders: set[str], actors: set[str]) -> None:
    """Open the page of the node a chart's selection event points at (if it is a person or
    body drawn in the chart)."""
    points = ((event or {}).get("selection") or {}).get("points") or []
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, list):
            custom = custom[0] if custom else None
        target = node_target(custom, defenders)
        if target and target[1]["actor"] in actors:
            st.switch_page(target[0], query_params=target[1])


def _chart(fig: Any, key: str, defenders: set[str], actors: set[str]) -> None:
    event = st.plotly_chart(
        fig, key=key, on_select="rerun", selection_mode="points",
        config={"displaylogo": False, "scrollZoom": False},
    )  # fmt: skip
    open_clicked(event, defenders, actors)


# --- top complainants by reach ---------------------------------------------------------------


def top_view(reads: EgoReads, an: Analysis, lang: str) -> None:
    """The N complainants of widest reach and their defenders, every node named, and the
    measures below."""
    n = st.select_slider(t("netpage.top_n"), TOP_CHOICES, value=20, key="np_top_n")
    view = reads.overview(int(n), TABLE_ROWS)  # one statement for the chart and the tables
    top = view.top
    if not top.complainants:
        st.info(t("network.empty"))
        return
    st.caption(t("netpage.top_caption", n=len(top.complainants)))
    if top.defenders_total > len(top.defenders):
        st.caption(
            t("netpage.top_defenders_cut", total=top.defenders_total, shown=len(top.defenders))
        )
    defenders = set(top.defenders)
    actors = defenders | {c["id"] for c in top.complainants}
    _chart(top_figure(top, lang), "np_top_chart", defenders, actors)
    measures(an, view, lang)


def measures(an: Analysis, view: Overview, lang: str) -> None:
    """Reach, weighted degree, repeat targeting and co-defendant communities, each with its
    one-line explanation."""
    st.subheader(t("netpage.measures_heading"))
    data = an.need()  # the vocabulary, for category labels (no rows)
    st.caption(t("netpage.measure.reach"))
    st.caption(t("netpage.measure.weighted_degree"))
    st.dataframe(
        [
            {
                t("netpage.col.complainant"): c["label"],
                t("netpage.col.category"): data.label("complainant_category", c["category"], lang)
                if c["category"]
                else "",
                t("netpage.col.reach"): c["defenders"],
                t("netpage.col.cases"): c["cases"],
                t("netpage.col.weighted_degree"): c["charges"],
            }
            for c in view.top.complainants
        ],
        hide_index=True,
        width="stretch",
        key="np_reach_table",
    )
    st.markdown(f"**{t('netpage.most_charged_heading')}**")
    st.dataframe(
        [
            {
                t("netpage.col.defender"): d["label"],
                t("netpage.col.weighted_degree"): d["charges"],
                t("netpage.col.cases"): d["cases"],
                t("netpage.col.accusers"): d["accusers"],
            }
            for d in view.most_charged
        ],
        hide_index=True,
        width="stretch",
    )
    st.caption(t("netpage.measure.repeat"))
    pairs = view.repeat
    st.write(t("netpage.repeat_count", n=view.repeat_total))
    if pairs:
        st.dataframe(
            [
                {
                    t("netpage.col.complainant"): p["complainant"],
                    t("netpage.col.defender"): p["defender"],
                    t("netpage.col.cases"): p["cases"],
                    t("netpage.col.charges"): p["charges"],
                }
                for p in pairs
            ],
            hide_index=True,
            width="stretch",
        )
    st.caption(t("netpage.measure.projection"))
    st.caption(t("netpage.measure.communities"))
    # Building the co-defendant projection and running Louvain takes tens of seconds at
    # scale M: it waits to be asked for (the whole-graph view colours by it too).
    if st.toggle(t("netpage.communities_toggle"), key="np_communities"):
        found = an.communities("co-defendant")
        st.dataframe(
            [
                {
                    t("network.col.community"): c["index"],
                    t("network.col.size"): c["size"],
                    t("network.col.members"): ", ".join(c["members"][:12])
                    + (" …" if c["size"] > 12 else ""),
                }
                for c in found[:TABLE_ROWS]
            ],
            hide_index=True,
            width="stretch",
        )


# --- one actor's or court's network ----------------------------------------------------------


def _pick(reads: EgoReads) -> tuple[str, str] | None:
    """A search box and the matches in a (searchable) select box; (kind, id) or None."""
    text = st.text_input(t("netpage.search"), key="np_search", help=t("netpage.search_help"))
    limit = min(SEARCH_CHOICES, MAX_NODE_CHOICES)
    found = reads.search(text, limit)
    if not found:
        st.info(t("netpage.no_match"))
        return None
    if len(found) == limit:
        st.caption(t("netpage.matches", n=limit))
    options = {f"{n.kind}:{n.id}": n for n in found}
    chosen = st.selectbox(
        t("netpage.pick"),
        ["", *options],
        format_func=lambda k: options[k].label if k else t("netpage.pick_none"),
        key="np_pick",
    )
    if not chosen or chosen not in options:
        return None
    return options[chosen].kind, options[chosen].id


def ego_view(reads: EgoReads, an: Analysis, lang: str) -> None:
    """Pick an actor or court; see whom they charged and who charged them, across cases
    and years, with readable labels; a click on a node opens that person's page."""
    picked = _pick(reads)
    if picked is None:
        return
    net = reads.ego(*picked)
    if net is None:
        st.warning(t("netpage.not_visible"))
        return
    summary = t(
        "netpage.ego_summary",
        label=net.node.label,
        cases=t("netpage.count.cases", n=net.cases),
        brought=t("netpage.count.charges_brought", n=net.brought),
        faced=t("netpage.count.charges_faced", n=net.faced),
    )
    st.markdown(f"**{md(summary)}**")
    if net.roles:
        vocab = an.need()  # the vocabulary, for role labels (no rows)
        roles = ", ".join(vocab.label("party_role", r, lang) for r in net.roles)
        st.caption(t("netpage.ego_roles", roles=roles))
    if not net.links:
        st.info(t("netpage.ego_empty"))
        return
    st.caption(t("netpage.ego_caption"))
    drawn = ego_figures.drawn_links(net.links, EGO_DRAWN)
    if len(drawn) < len(net.links):
        st.caption(t("netpage.ego_cut", shown=len(drawn), total=len(net.links)))
    defenders = {x.id for x in drawn if x.is_defender}
    actors = {x.id for x in drawn}
    _chart(ego_figures.ego_figure(net, lang, drawn), "np_ego_chart", defenders, actors)
    st.subheader(t("netpage.links_heading"))
    st.dataframe(
        [
            {
                t("netpage.col.name"): x.label,
                t("netpage.col.side"): t(f"netpage.group.{x.via}_{x.side}"),
                t("netpage.col.cases"): x.cases,
                t("netpage.col.charges"): x.charges,
                t("netpage.col.years"): years_text(x.first_year, x.last_year),
            }
            for x in net.links
        ],
        hide_index=True,
        width="stretch",
        key="np_links_table",
    )
    if net.years:
        st.subheader(t("netpage.years_heading"))
        st.dataframe(
            [
                {
                    t("netpage.col.year"): str(y["year"]),
                    t("netpage.col.brought"): y["brought"],
                    t("netpage.col.faced"): y["faced"],
                    t("netpage.col.in_cases"): y["in_cases"],
                }
                for y in net.years
            ],
            hide_index=True,
            width="stretch",
            key="np_years_table",
        )
