"""Charts of charges: new charges over time, outcomes by charge type, time under prosecution.

Each chart has a ``*_table`` function (rows -> :class:`Table`, the numbers) and a
``*_figure`` builder (Table -> plotly figure, no Streamlit). Outcome classes and times under
prosecution come from tracker.analysis, so the charts give the Indicators page's numbers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import plotly.graph_objects as go

from ..i18n import t
from . import style
from .data import ChartSource
from .style import Caption
from .table import Table

__all__ = [
    "OTHER_TYPES",
    "charges_over_time_figure",
    "charges_over_time_table",
    "outcomes_figure",
    "outcomes_table",
    "prosecution_time_by_complainant_figure",
    "prosecution_time_by_complainant_table",
    "prosecution_time_figure",
    "prosecution_time_table",
]

OTHER_TYPES = "_other"  # the bucket of charge types beyond the most frequent ones
DAYS_PER_YEAR = 365.25
# Precisions a filing date must have to be placed in a period of that length.
_PLACEABLE = {"year": ("day", "month", "year"), "month": ("day", "month")}


def charges_over_time_table(
    source: ChartSource, lang: str, *, period: str = "year", top: int = 6
) -> Table:
    """New charges per year (or month) and charge type; the ``top`` most frequent types are
    kept and the rest summed as "all other types".

    A charge whose filing date is unknown, or known only to the year in a monthly chart, is
    not placed in any period: it is counted in the note ``undated``.
    """
    if period not in _PLACEABLE:
        raise ValueError(f"unknown period {period!r}")
    # Counted from one GROUP BY per (type, month of filing, precision), not from every charge.
    filings = source.filings
    dated = [
        (code, month, n)
        for code, month, precision, n in filings
        if month is not None and precision in _PLACEABLE[period]
    ]
    totals: Counter[str] = Counter()
    for code, _, n in dated:
        totals[code] += n
    ranked = sorted(
        totals, key=lambda code: (-totals[code], source.label("charge_type", code, lang))
    )
    kept = set(ranked[:top])
    counts: Counter[tuple[str, str]] = Counter()
    for code, month, n in dated:
        key = str(int(month[:4])) if period == "year" else month
        counts[key, code if code in kept else OTHER_TYPES] += n
    order = {code: i for i, code in enumerate([*ranked[:top], OTHER_TYPES])}
    rows = [
        (key, code, _type_label(source, code, lang), n)
        for (key, code), n in sorted(counts.items(), key=lambda kv: (kv[0][0], order[kv[0][1]]))
    ]
    undated = sum(n for *_, n in filings) - sum(n for *_, n in dated)
    return Table(
        ("period", "charge_type_code", "charge_type", "charges"),
        tuple(rows),
        (("period", period), ("undated", undated)),
    )


def _type_label(source: ChartSource, code: str, lang: str) -> str:
    if code == OTHER_TYPES:
        return t("charts.other_types", lang)
    return source.label("charge_type", code, lang)


def charges_over_time_figure(table: Table, caption: Caption, lang: str) -> go.Figure:
    """Stacked bars: new charges per period, one colour per charge type (grey: the rest)."""
    period = table.note("period", "year")
    fig = go.Figure()
    codes = list(dict.fromkeys(table.column("charge_type_code")))
    for i, code in enumerate(codes):
        mine = [r for r in table.records() if r["charge_type_code"] == code]
        fig.add_trace(
            go.Bar(
                x=[int(r["period"]) if period == "year" else r["period"] for r in mine],
                y=[r["charges"] for r in mine],
                name=style.escape(style.short(mine[0]["charge_type"], 36)),
                marker_color=style.OTHER if code == OTHER_TYPES else style.colour(i),
            )
        )
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_yaxes(title_text=t("charts.axis.new_charges", lang), rangemode="tozero")
    per_period: Counter[Any] = Counter()
    for r in table.records():
        per_period[r["period"]] += r["charges"]
    style.whole_numbers(fig, "y", max(per_period.values(), default=0))
    fig.update_xaxes(title_text=t(f"charts.axis.{period}", lang))
    if period == "year":
        fig.update_xaxes(tickformat="d", dtick=_year_step(table.column("period")))
    else:
        fig.update_xaxes(type="date", tickformat="%Y-%m")
    return style.apply(fig, caption)


def _year_step(periods: list[Any]) -> int:
    """A tick every year for short spans, every 2 or 5 years for long ones."""
    years = [int(p) for p in periods]
    span = (max(years) - min(years)) if years else 0
    return 1 if span <= 12 else 2 if span <= 24 else 5


def outcomes_table(source: ChartSource, lang: str) -> Table:
    """Per charge type: charges ended unfounded, in conviction, still pending; the shares of
    the final outcomes (the unfounded-charge and conviction rates of tracker.analysis)."""
    figures = source.figures("charge_type", lang, ("unfounded_rate", "conviction_rate"))
    unfounded = {f.group: f for f in figures if f.indicator == "unfounded_rate"}
    conviction = {f.group: f for f in figures if f.indicator == "conviction_rate"}
    rows = []
    for code, u in unfounded.items():
        c = conviction[code]
        pending = int(u.details["pending"])
        rows.append(
            (code, u.label, u.numerator, c.numerator, pending, u.denominator, u.value, c.value)
        )
    # Most charged types first; ties by label.
    rows.sort(key=lambda r: (-(r[4] + (r[5] or 0)), r[1].casefold()))
    return Table(
        (
            "charge_type_code",
            "charge_type",
            "unfounded",
            "conviction",
            "pending",
            "final",
            "unfounded_share",
            "conviction_share",
        ),
        tuple(rows),
    )


def outcomes_figure(
    table: Table, caption: Caption, lang: str, *, measure: str = "count"
) -> go.Figure:
    """Horizontal stacked bars per charge type: counts of unfounded, convicted and pending
    charges (``measure="count"``), or the shares of final outcomes (``"share"``)."""
    if measure not in ("count", "share"):
        raise ValueError(f"unknown measure {measure!r}")
    records = table.records()
    labels = [style.escape(r["charge_type"]) for r in records]
    classes = (
        ("unfounded", "conviction", "pending")
        if measure == "count"
        else ("unfounded", "conviction")
    )
    fig = go.Figure()
    for cls in classes:
        column = cls if measure == "count" else f"{cls}_share"
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[r[column] for r in records],
                orientation="h",
                name=t(f"charts.outcome.{cls}", lang),
                marker_color=style.OUTCOME_COLOURS[cls],
            )
        )
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=True, gridcolor="#e5e5e5")
    if measure == "share":
        fig.update_xaxes(
            title_text=t("charts.axis.share_final", lang), tickformat=".0%", range=[0, 1]
        )
    else:
        fig.update_xaxes(title_text=t("charts.axis.charges", lang))
    return style.apply(fig, caption, height=max(450, 120 + 38 * len(records)))


def prosecution_time_table(source: ChartSource, lang: str) -> Table:
    """Defenders by whole years under prosecution (tracker.analysis' spans), split into
    those whose prosecution has ended and those still prosecuted on ``as_of``."""
    spans = source.prosecution_spans()
    known = [s for s in spans if s["days"] is not None]
    bins: Counter[tuple[int, bool]] = Counter()
    for s in known:
        bins[int(s["days"] // DAYS_PER_YEAR), bool(s["pending"])] += 1
    top = max((b for b, _ in bins), default=-1)
    rows = tuple(
        (b, b + 1, bins[b, False], bins[b, True], bins[b, False] + bins[b, True])
        for b in range(top + 1)
    )
    return Table(
        ("years_from", "years_to", "ended", "still_prosecuted", "defenders"),
        rows,
        (("unknown", len(spans) - len(known)),),
    )


def prosecution_time_figure(table: Table, caption: Caption, lang: str) -> go.Figure:
    """Histogram (one bar per year of prosecution), stacked: ended and still prosecuted."""
    records = table.records()
    x = [t("charts.years_bin", lang, start=r["years_from"], end=r["years_to"]) for r in records]
    fig = go.Figure()
    for key, colour in (("ended", style.colour(0)), ("still_prosecuted", style.colour(1))):
        fig.add_trace(
            go.Bar(
                x=x,
                y=[r[key] for r in records],
                name=t(f"charts.col.{key}", lang),
                marker_color=colour,
            )
        )
    fig.update_layout(barmode="stack", bargap=0.08)
    fig.update_xaxes(title_text=t("charts.axis.years_prosecuted", lang), type="category")
    fig.update_yaxes(title_text=t("charts.axis.defenders", lang), rangemode="tozero")
    style.whole_numbers(fig, "y", max(table.column("defenders"), default=0))
    return style.apply(fig, caption)


def prosecution_time_by_complainant_table(
    source: ChartSource, lang: str, *, top: int = 15
) -> Table:
    """Median years under prosecution of the defenders each complainant charged (the
    time-under-prosecution indicator per complainant); the ``top`` complainants who charged
    the most defenders with a known span."""
    figures = [
        f
        for f in source.figures("complainant", lang, ("time_under_prosecution",))
        if f.value is not None
    ]
    figures.sort(key=lambda f: (-(f.numerator or 0), -(f.value or 0), f.label.casefold(), f.group))
    rows = tuple(
        (
            source.scrub(f.label),
            f.numerator,
            round(float(f.value or 0) / DAYS_PER_YEAR, 2),
            round(float(f.details["mean_days"]) / DAYS_PER_YEAR, 2),
            round(float(f.details["max_days"]) / DAYS_PER_YEAR, 2),
            int(f.details["pending_defenders"]),
        )
        for f in figures[:top]
    )
    return Table(
        ("complainant", "defenders", "median_years", "mean_years", "max_years", "still_prosecuted"),
        rows,
        (("complainants", len(figures)),),
    )


def prosecution_time_by_complainant_figure(table: Table, caption: Caption, lang: str) -> go.Figure:
    """Horizontal bars: median years under prosecution per complainant, n in the label."""
    records = table.records()
    fig = go.Figure(
        go.Bar(
            y=style.axis_labels(r["complainant"] for r in records),
            x=[r["median_years"] for r in records],
            orientation="h",
            marker_color=style.colour(0),
            text=[t("charts.n_defenders", lang, n=r["defenders"]) for r in records],
            hovertext=[style.escape(r["complainant"]) for r in records],
            hovertemplate="%{hovertext}: %{x} (%{text})<extra></extra>",
            textposition="outside",
            cliponaxis=False,
            showlegend=False,
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(
        title_text=t("charts.axis.median_years", lang), showgrid=True, gridcolor="#e5e5e5"
    )
    return style.apply(fig, caption, height=max(450, 120 + 34 * len(records)), legend=False)
