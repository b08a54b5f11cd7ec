"""Publication charts: plotly figures in one house style, each with the table it draws.

``build(code, source, lang, options)`` returns a :class:`Chart`: the figure, the
:class:`~tracker.charts.table.Table` of exactly the numbers drawn (the CSV download), and the
caption. The rows come from :func:`tracker.charts.data.read`, always as the public may see
them (pseudonyms, no restricted records). Nothing here imports Streamlit; the Reports page,
``python -m tracker charts`` and the report pack all call :func:`build`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go

from ..i18n import t
from . import cases, charges, network, timeline
from .data import ChartSource, read
from .style import Caption, source_line
from .table import Table

__all__ = [
    "CHARTS",
    "Chart",
    "ChartSource",
    "Options",
    "Table",
    "build",
    "build_all",
    "read",
]

CHARTS = (
    "charges_over_time",
    "outcomes_by_type",
    "prosecution_time",
    "prosecution_time_by_complainant",
    "top_complainants",
    "cases_by_region",
    "postponement_by_court",
    "stage_funnel",
    "network",
    "defender_timeline",
)


@dataclass(frozen=True)
class Options:
    """Choices a report author makes per chart.

    Attributes:
        period: "year" or "month", for new charges over time.
        measure: "count" or "share", for outcomes by charge type.
        top: how many complainants or courts the ranked charts show.
        defender: whose timeline (actor id); default the longest prosecuted.
    """

    period: str = "year"
    measure: str = "count"
    top: int = 15
    defender: str | None = None


@dataclass(frozen=True)
class Chart:
    """One chart: its code, figure, the numbers it draws, and its caption."""

    code: str
    figure: go.Figure
    table: Table
    caption: Caption

    def csv(self, lang: str) -> bytes:
        """The numbers drawn, as CSV with headers in ``lang``."""
        return self.table.csv_bytes(lang)


def _table(code: str, source: ChartSource, lang: str, options: Options) -> Table:
    if code == "charges_over_time":
        return charges.charges_over_time_table(source, lang, period=options.period)
    if code == "outcomes_by_type":
        return charges.outcomes_table(source, lang)
    if code == "prosecution_time":
        return charges.prosecution_time_table(source, lang)
    if code == "prosecution_time_by_complainant":
        return charges.prosecution_time_by_complainant_table(source, lang, top=options.top)
    if code == "top_complainants":
        return cases.top_complainants_table(source, lang, top=options.top)
    if code == "cases_by_region":
        return cases.region_table(source, lang)
    if code == "postponement_by_court":
        return cases.postponement_table(source, lang, top=options.top)
    if code == "stage_funnel":
        return cases.funnel_table(source, lang)
    if code == "defender_timeline":
        return timeline.timeline_table(source, lang, options.defender)
    raise ValueError(f"unknown chart {code!r}; expected one of {', '.join(CHARTS)}")


_FIGURES: dict[str, Callable[[Table, Caption, str], go.Figure]] = {
    "charges_over_time": charges.charges_over_time_figure,
    "prosecution_time": charges.prosecution_time_figure,
    "prosecution_time_by_complainant": charges.prosecution_time_by_complainant_figure,
    "top_complainants": cases.top_complainants_figure,
    "cases_by_region": cases.region_figure,
    "postponement_by_court": cases.postponement_figure,
    "stage_funnel": cases.funnel_figure,
    "defender_timeline": timeline.timeline_figure,
}


def _notes(code: str, table: Table, lang: str, options: Options) -> list[str]:
    """What the chart leaves out or narrows to, in words, for the subtitle."""
    notes = []
    if code == "charges_over_time" and table.note("undated"):
        key = (
            "charts.note.undated_month" if options.period == "month" else "charts.note.undated_year"
        )
        notes.append(t(key, lang, n=table.note("undated")))
    if code == "prosecution_time" and table.note("unknown"):
        notes.append(t("charts.note.unknown_span", lang, n=table.note("unknown")))
    if code in ("top_complainants", "prosecution_time_by_complainant"):
        total = table.note("complainants", 0)
        if total > len(table.rows):
            notes.append(t("charts.note.top_complainants", lang, n=len(table.rows), total=total))
    if code == "postponement_by_court" and table.note("courts", 0) > len(table.rows):
        notes.append(
            t("charts.note.top_courts", lang, n=len(table.rows), total=table.note("courts"))
        )
    if code == "outcomes_by_type" and options.measure == "share":
        notes.append(t("charts.note.share_of_final", lang))
    if code == "network" and table.note("nodes_total", 0) > table.note("nodes_shown", 0):
        notes.append(
            t(
                "charts.note.network_reduced",
                lang,
                shown=table.note("nodes_shown"),
                total=table.note("nodes_total"),
            )
        )
    if code == "defender_timeline" and table.note("undated"):
        notes.append(t("charts.note.undated_charges", lang, n=table.note("undated")))
    return notes


def caption(
    code: str, source: ChartSource, lang: str, table: Table, options: Options | None = None
) -> Caption:
    """Title, subtitle (filters and notes) and source line of one chart."""
    options = options or Options()
    title = t(f"charts.title.{code}", lang, name=table.note("defender", ""))
    subtitle = " · ".join(
        [
            source.filters_text(lang),
            *_notes(code, table, lang, options),
        ]
    )
    return Caption(title, subtitle, source_line(source.as_of, source.synthetic, lang))


def build(code: str, source: ChartSource, lang: str, options: Options | None = None) -> Chart:
    """The chart ``code`` (one of CHARTS) for ``source``, labelled in ``lang``."""
    options = options or Options()
    if code == "network":
        whole, shown = network.network_graph(source)
        table = network.network_table(whole, shown)
        cap = caption(code, source, lang, table, options)
        degree = dict(whole.degree(shown.nodes))
        figure = network.network_figure(shown, cap, lang, degree=degree)
    else:
        table = _table(code, source, lang, options)
        cap = caption(code, source, lang, table, options)
        if code == "outcomes_by_type":
            figure = charges.outcomes_figure(table, cap, lang, measure=options.measure)
        else:
            figure = _FIGURES[code](table, cap, lang)
    if not table.rows:
        figure.add_annotation(
            text=t("charts.empty", lang), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False
        )
    return Chart(code, figure, table, cap)


def build_all(source: ChartSource, lang: str, options: Options | None = None) -> list[Chart]:
    """Every chart of CHARTS, in order."""
    return [build(code, source, lang, options) for code in CHARTS]
