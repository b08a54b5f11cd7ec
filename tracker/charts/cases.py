"""Charts of who prosecutes and where: top complainants by reach, cases and defenders by
region, hearing postponement rates by court, and the stage funnel.

Each chart has a ``*_table`` function (rows -> :class:`Table`) and a ``*_figure`` builder
(Table -> plotly figure). Reach and postponement rates are tracker.analysis' figures.
"""

from __future__ import annotations

from collections import defaultdict

import plotly.graph_objects as go

from ..i18n import t
from . import style
from .data import FUNNEL, ChartSource
from .style import Caption, axis_labels
from .table import Table

__all__ = [
    "funnel_figure",
    "funnel_table",
    "postponement_figure",
    "postponement_table",
    "region_figure",
    "region_table",
    "top_complainants_figure",
    "top_complainants_table",
]


def top_complainants_table(source: ChartSource, lang: str, *, top: int = 15) -> Table:
    """The ``top`` complainants by reach (distinct defenders named in the charges they
    brought), with their cases and charges: the complainant-reach indicator per complainant."""
    data = source.data
    figures = source.figures("complainant", lang, ("complainant_reach",))
    figures.sort(
        key=lambda f: (
            -(f.value or 0),
            -f.details["cases"],
            -f.details["charges"],
            f.label.casefold(),
            f.group,
        )
    )
    rows = []
    for f in figures[:top]:
        actor = data.actors.get(f.group)
        category = actor.complainant_category if actor else None
        rows.append(
            (
                source.scrub(f.label),
                data.label("complainant_category", category, lang)
                or t("charts.category_unknown", lang),
                int(f.value or 0),
                f.details["cases"],
                f.details["charges"],
            )
        )
    return Table(
        ("complainant", "category", "defenders", "cases", "charges"),
        tuple(rows),
        (("complainants", len(figures)),),
    )


def top_complainants_figure(table: Table, caption: Caption, lang: str) -> go.Figure:
    """Horizontal bars of defenders reached, one colour per complainant category."""
    records = table.records()
    names = axis_labels(r["complainant"] for r in records)
    fig = go.Figure()
    categories = list(dict.fromkeys(r["category"] for r in records))
    for i, category in enumerate(categories):
        mine = [(n, r) for n, r in zip(names, records, strict=True) if r["category"] == category]
        fig.add_trace(
            go.Bar(
                y=[n for n, _ in mine],
                x=[r["defenders"] for _, r in mine],
                orientation="h",
                name=style.escape(category),
                marker_color=style.colour(i),
                customdata=[[r["cases"], r["charges"]] for _, r in mine],
                # The whole name on hover: the axis label may be cut short.
                hovertext=[style.escape(r["complainant"]) for _, r in mine],
                hovertemplate=t("charts.hover.reach", lang).replace("%{y}", "%{hovertext}")
                + "<extra></extra>",
            )
        )
    fig.update_yaxes(
        categoryorder="array", categoryarray=names, autorange="reversed", showgrid=False
    )
    fig.update_xaxes(
        title_text=t("charts.axis.defenders_reached", lang), showgrid=True, gridcolor="#e5e5e5"
    )
    style.whole_numbers(fig, "x", max(table.column("defenders"), default=0))
    return style.apply(fig, caption, height=max(450, 130 + 34 * len(records)))


def region_table(source: ChartSource, lang: str) -> Table:
    """Per case region: cases, and distinct defenders who are defendants in them (a defender
    prosecuted in two regions counts in both). Defendants are those of the mass-prosecution
    indicator: parties with the defendant role and people charged in the case."""
    data = source.data
    defendants: dict[str, set[str]] = defaultdict(set)
    for p in data.parties:
        if p.role == "defendant":
            defendants[p.case_id].add(p.actor_id)
    for c in data.charges:
        defendants[c.case_id].add(c.defendant_id)
    cases: dict[str | None, int] = defaultdict(int)
    defenders: dict[str | None, set[str]] = defaultdict(set)
    for case in data.cases.values():
        cases[case.region] += 1
        for actor_id in defendants.get(case.id, ()):
            actor = data.actors.get(actor_id)
            if actor is not None and actor.is_defender:
                defenders[case.region].add(actor_id)
    ordered = sorted(cases, key=lambda r: (r is None, -cases[r], r or ""))
    rows = tuple(
        (source.scrub(r) if r else t("charts.region_unknown", lang), cases[r], len(defenders[r]))
        for r in ordered
    )
    return Table(("region", "cases", "defenders"), rows)


def region_figure(table: Table, caption: Caption, lang: str) -> go.Figure:
    """Grouped horizontal bars per region: cases and defenders.

    Horizontal, so that region names read level and never collide: Peru has 26 regions, and
    side by side under the bars their names overlapped at the publication size."""
    regions = axis_labels(table.column("region"))
    fig = go.Figure()
    for i, key in enumerate(("cases", "defenders")):
        fig.add_trace(
            go.Bar(
                y=regions,
                x=table.column(key),
                orientation="h",
                name=t(f"charts.col.{key}", lang),
                marker_color=style.colour(i),
                hovertext=[style.escape(r) for r in table.column("region")],
                hovertemplate="%{hovertext}: %{x}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(barmode="group", bargap=0.2, bargroupgap=0.05)
    fig.update_yaxes(
        title_text=t("charts.axis.region", lang),
        type="category",
        categoryorder="array",
        categoryarray=regions,
        autorange="reversed",
        showgrid=False,
    )
    fig.update_xaxes(
        title_text=t("charts.axis.count", lang),
        rangemode="tozero",
        showgrid=True,
        gridcolor="#e5e5e5",
    )
    style.whole_numbers(
        fig, "x", max([*table.column("cases"), *table.column("defenders")], default=0)
    )
    return style.apply(fig, caption, height=max(450, 160 + 34 * len(table.rows)))


def postponement_table(source: ChartSource, lang: str, *, top: int = 20) -> Table:
    """Hearing postponement rate per court (the postponement-rate indicator per court) for
    the ``top`` courts with the most hearings due by ``as_of``, highest rate first."""
    figures = [
        f for f in source.figures("court", lang, ("postponement_rate",)) if f.value is not None
    ]
    busiest = sorted(figures, key=lambda f: (-(f.denominator or 0), f.label.casefold(), f.group))
    shown = sorted(
        busiest[:top], key=lambda f: (-(f.value or 0), -(f.denominator or 0), f.label.casefold())
    )
    rows = tuple((source.scrub(f.label), f.denominator, f.numerator, f.value) for f in shown)
    return Table(
        ("court", "hearings", "postponed", "postponement_rate"),
        rows,
        (("courts", len(figures)),),
    )


def postponement_figure(table: Table, caption: Caption, lang: str) -> go.Figure:
    """Horizontal bars: share of due hearings postponed or frustrated, per court."""
    records = table.records()
    names = axis_labels(r["court"] for r in records)
    fig = go.Figure(
        go.Bar(
            y=names,
            x=[r["postponement_rate"] for r in records],
            orientation="h",
            marker_color=style.colour(3),
            text=[t("charts.n_of", lang, n=r["postponed"], total=r["hearings"]) for r in records],
            hovertext=[style.escape(r["court"]) for r in records],
            hovertemplate="%{hovertext}: %{x:.0%} (%{text})<extra></extra>",
            textposition="outside",
            cliponaxis=False,
            showlegend=False,
        )
    )
    fig.update_yaxes(
        categoryorder="array", categoryarray=names, autorange="reversed", showgrid=False
    )
    fig.update_xaxes(
        title_text=t("charts.axis.postponed_share", lang),
        tickformat=".0%",
        range=[0, 1.12],  # room for the "n of N" labels right of a 100 % bar
        showgrid=True,
        gridcolor="#e5e5e5",
    )
    return style.apply(fig, caption, height=max(450, 130 + 32 * len(records)), legend=False)


def funnel_table(source: ChartSource, lang: str) -> Table:
    """Cases that reached each step: opened, oral trial, first-instance judgment, appeal.

    A case's furthest step is the furthest of its current stage and of the stages its court
    events moved it to (a "judgment" event counts as judgment); a case counts at every step up
    to its furthest, so each step holds the cases of the steps after it.
    """
    ranks = list(source.stage_rank.values())
    opened = len(ranks)
    rows = []
    for step, threshold in FUNNEL:
        n = sum(1 for r in ranks if r >= threshold)
        rows.append(
            (step, t(f"charts.step.{step}", lang), n, round(n / opened, 4) if opened else None)
        )
    return Table(("step_code", "step", "cases", "share_of_opened"), tuple(rows))


def funnel_figure(table: Table, caption: Caption, lang: str) -> go.Figure:
    """A funnel: cases per step, with the share of opened cases."""
    fig = go.Figure(
        go.Funnel(
            y=table.column("step"),
            x=table.column("cases"),
            textinfo="value+percent initial",
            marker={"color": [style.colour(i) for i in range(len(table.rows))]},
            connector={"line": {"color": "#bbbbbb", "width": 1}},
        )
    )
    fig.update_yaxes(showgrid=False)
    return style.apply(fig, caption, legend=False)
