"""Figures of the readable Network views: one actor's or court's network, and the
complainants of widest reach with the defenders they charged (no st.* calls).

Both are drawn in columns (draw.columns_figure): whoever brought charges on the left, whoever
was charged on the right, every node named beside it. Node ids ride along as customdata so a
click can open the person's page; labels are the names this viewer may see (tracker.analysis
.ego reads them through the privacy rules and the redactor).
"""

from __future__ import annotations

import plotly.graph_objects as go

from ..analysis.ego import ACCUSED, ACCUSER, Ego, EgoLink, TopReach
from ..i18n import t
from . import draw

__all__ = ["drawn_links", "ego_figure", "link_text", "top_figure", "years_text"]


def years_text(first: int | None, last: int | None) -> str:
    """ "2012", "2012–2015", or "" when no filing date is known."""
    if first is None:
        return ""
    return str(first) if first == last or last is None else f"{first}–{last}"


def link_text(cases: int, charges: int, first: int | None, last: int | None, lang: str) -> str:
    """ "3 charges · 1 case · 2012–2013" in ``lang``."""
    parts = [t("netpage.count.charges", lang, n=charges), t("netpage.count.cases", lang, n=cases)]
    years = years_text(first, last)
    return " · ".join([*parts, years] if years else parts)


def _group(link: EgoLink) -> str:
    return f"{link.via}_{link.side}"


def drawn_links(links: list[EgoLink], per_side: int) -> list[EgoLink]:
    """The links drawn: on each side, the first ``per_side`` in the ego's order (direct
    links first, then the most cases and charges)."""
    out = [x for x in links if x.side == ACCUSER][:per_side]
    return out + [x for x in links if x.side == ACCUSED][:per_side]


def ego_figure(net: Ego, lang: str, links: list[EgoLink] | None = None) -> go.Figure:
    """The ego in the middle; those who charged it (or brought charges in its cases) on the
    left, those it charged (or who were charged in its cases) on the right. Each label says
    the counterpart's name, charges, cases and years; the edge width is the number of cases."""

    def node(link: EgoLink) -> draw.ColumnNode:
        counts = link_text(link.cases, link.charges, link.first_year, link.last_year, lang)
        return draw.ColumnNode(
            link.id, f"{link.label}\n{counts}", _group(link), float(link.charges),
            f"{link.label}: {counts}",
        )  # fmt: skip

    # A counterpart linked both directly and through a case is drawn once per side and via:
    # ids are made unique per column so positions do not collide.
    links = net.links if links is None else links
    left = [node(x) for x in links if x.side == ACCUSER]
    right = [node(x) for x in links if x.side == ACCUSED]
    left = _unique(left, "L")
    right = _unique(right, "R")
    centre = draw.ColumnNode(net.node.id, net.node.label, "ego", 1.0, net.node.label)
    edges = [(n.id, centre.id, n.weight, n.hover) for n in left]
    edges += [(centre.id, n.id, n.weight, n.hover) for n in right]
    legend = {
        "ego": t("netpage.group.ego", lang),
        "charge_accuser": t("netpage.group.charge_accuser", lang),
        "charge_accused": t("netpage.group.charge_accused", lang),
        "case_accuser": t("netpage.group.case_accuser", lang),
        "case_accused": t("netpage.group.case_accused", lang),
    }
    return draw.columns_figure(left, right, edges, legend, centre=centre)


def _unique(nodes: list[draw.ColumnNode], column: str) -> list[draw.ColumnNode]:
    """The same person twice in a column (directly and through a case) gets a second id;
    the customdata keeps the real id before the "#"."""
    seen: set[str] = set()
    out = []
    for n in nodes:
        ident = n.id if n.id not in seen else f"{n.id}#{column}{len(out)}"
        seen.add(n.id)
        out.append(draw.ColumnNode(ident, n.label, n.group, n.weight, n.hover))
    return out


def top_figure(top: TopReach, lang: str) -> go.Figure:
    """The top complainants on the left (label: name and reach), the defenders they charged
    on the right (label: name and how many of them charged that defender)."""
    accusers: dict[str, int] = {}
    for e in top.edges:
        accusers[e["defender"]] = accusers.get(e["defender"], 0) + 1
    left = [
        draw.ColumnNode(
            c["id"],
            f"{c['label']}\n{t('netpage.count.reach', lang, n=c['defenders'])}",
            "complainant", float(c["defenders"]),
            f"{c['label']}: {t('netpage.count.reach', lang, n=c['defenders'])} · "
            + link_text(c["cases"], c["charges"], None, None, lang),
        )
        for c in top.complainants
    ]  # fmt: skip
    right = [
        draw.ColumnNode(
            d, label, "defender", float(accusers.get(d, 0)),
            f"{label}: {t('netpage.count.accusers', lang, n=accusers.get(d, 0))}",
        )
        for d, label in top.defenders.items()
    ]  # fmt: skip
    edges = [
        (e["complainant"], e["defender"], float(e["cases"]),
         link_text(e["cases"], e["charges"], e["first_year"], e["last_year"], lang))
        for e in top.edges
    ]  # fmt: skip
    legend = {
        "complainant": t("network.group.complainant", lang),
        "defender": t("network.group.defender", lang),
    }
    return draw.columns_figure(left, right, edges, legend)
