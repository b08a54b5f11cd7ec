"""The house style of publication charts: fonts, colours, title, subtitle and source line.

Every chart of tracker.charts goes through :func:`apply`, so a report's figures look like one
family: system fonts only (nothing is fetched from the internet, by the browser or by the
static exporter), the Okabe-Ito palette (told apart by readers with any common form of colour
blindness), a title, a subtitle naming the filters applied, and a source line with the date of
the data and, where it applies, "includes synthetic data".
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import plotly.graph_objects as go

from ..i18n import t
from ..network_data import Filters

__all__ = [
    "EXPORT_SIZE",
    "FONT",
    "OUTCOME_COLOURS",
    "PALETTE",
    "Caption",
    "apply",
    "axis_labels",
    "colour",
    "escape",
    "filters_text",
    "short",
    "source_line",
    "whole_numbers",
]

# Fonts every Debian/Ubuntu, macOS and Windows machine has; the browser picks the first present.
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green, vermillion,
# reddish purple, sky blue, yellow; black is kept for text. Yellow comes last: it is the
# hardest to read on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
OTHER = "#999999"  # "all other types", "pending": grey reads as "the rest" in any palette
INK = "#222222"
MUTED = "#555555"
# Outcome classes keep one colour across every chart of a report.
OUTCOME_COLOURS = {"unfounded": "#009E73", "conviction": "#D55E00", "pending": OTHER}
# Size of exported images in CSS pixels (PNG multiplies it by the scale): 1100 x 650 at scale 3
# is 3300 x 1950 pixels, 11 x 6.5 inches at 300 dpi.
EXPORT_SIZE = (1100, 650)
_TOP, _BOTTOM = 100, 110  # room for title + subtitle, and for axis title + source line
_LEGEND_ROW = 24  # pixels per row of a horizontal legend


@dataclass(frozen=True)
class Caption:
    """The text around a chart: title, subtitle (the filters), source line."""

    title: str
    subtitle: str
    source: str


def colour(index: int) -> str:
    """The ``index``-th colour of the palette (cycled)."""
    return PALETTE[index % len(PALETTE)]


def escape(text: Any) -> str:
    """Database text as plotly text: plotly renders some HTML tags (links too) in labels, so
    a name typed as ``<a href=...>`` must show literally."""
    return html.escape(str(text), quote=False)


def axis_labels(texts: Iterable[str], limit: int = 48) -> list[str]:
    """Database text as category-axis labels: cut short, escaped, and made distinct
    ("Juan Pérez", "Juan Pérez (2)"), since two complainants of one name must not be drawn as
    one bar."""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for text in texts:
        label = escape(short(str(text), limit))
        seen[label] += 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _legend_rows(fig: go.Figure, width: int) -> int:
    """How many rows a horizontal legend of ``fig`` takes at ``width`` pixels (an estimate
    from the length of the names: about 7.5 px a character at 13 px, 40 px for the symbol)."""
    row, rows = 0.0, 0
    for trace in fig.data:
        if trace.showlegend is False or not trace.name:
            continue
        item = 40 + 7.5 * len(html.unescape(trace.name))
        if rows == 0 or row + item > width - 60:
            rows, row = rows + 1, 0.0
        row += item
    return rows


def short(text: str, limit: int = 48) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis: long case titles and court
    names would squeeze the plot to nothing. The CSV keeps them whole."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def whole_numbers(fig: go.Figure, axis: str, largest: float) -> None:
    """Ticks at whole numbers on a count axis with small values (no "0.5 defenders")."""
    if largest <= 10:
        fig.update_layout({f"{axis}axis": {"dtick": 1, "tick0": 0}})


def source_line(as_of: date, synthetic: bool, lang: str) -> str:
    """ "Source: … · data as of 2026-11-20", plus "includes synthetic data" where it does."""
    line = t("charts.source", lang, date=as_of.isoformat())
    if synthetic:
        line += " · " + t("charts.synthetic", lang)
    return line


def filters_text(filters: Filters, lang: str, labels: dict[str, str] | None = None) -> str:
    """The filters applied, in words, for the subtitle and the methodology text.

    Args:
        filters: what the data was narrowed to.
        lang: language.
        labels: vocabulary code -> label, for charge types and complainant categories.
    """
    labels = labels or {}
    parts = []
    if filters.start_year is not None or filters.end_year is not None:
        start = filters.start_year if filters.start_year is not None else "…"
        end = filters.end_year if filters.end_year is not None else "…"
        parts.append(t("charts.filter.period", lang, start=start, end=end))
    for key, values in (
        ("region", filters.regions),
        ("charge_type", filters.charge_types),
        ("complainant_category", filters.complainant_categories),
        ("context", filters.contexts),
    ):
        if values:
            shown = ", ".join(labels.get(v, v) for v in values)
            parts.append(t(f"charts.filter.{key}", lang, values=shown))
    if not filters.include_synthetic:
        parts.append(t("charts.filter.no_synthetic", lang))
    return " · ".join(parts) if parts else t("charts.filter.none", lang)


def apply(
    fig: go.Figure,
    caption: Caption,
    *,
    height: int | None = None,
    legend: bool = True,
) -> go.Figure:
    """Give ``fig`` the house style and its caption (title, subtitle, source line).

    Title, subtitle and source are escaped here: they may hold database text (a defender's
    pseudonym, a region).
    """
    fig.update_layout(
        template="simple_white",
        font={"family": FONT, "size": 14, "color": INK},
        title={
            "text": f"<b>{escape(caption.title)}</b>",
            "x": 0.01,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
            "font": {"size": 21},
            "subtitle": {"text": escape(caption.subtitle), "font": {"size": 13, "color": MUTED}},
        },
        margin={"l": 80, "r": 30, "t": _TOP, "b": _BOTTOM},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        colorway=list(PALETTE),
        showlegend=legend,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": 13},
            "traceorder": "normal",
        },
        hoverlabel={"font": {"family": FONT}},
    )
    # The legend sits between subtitle and plot; the top margin grows by its rows, so it
    # neither covers the title nor the bars.
    rows = _legend_rows(fig, EXPORT_SIZE[0]) if legend else 0
    fig.update_layout(margin={"t": _TOP + _LEGEND_ROW * rows})
    if height is not None:
        fig.update_layout(height=height)
    fig.add_annotation(
        text=escape(caption.source),
        # Right-aligned: the right margin is fixed, the left one grows with long labels.
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        xanchor="right",
        yanchor="top",
        yshift=-(_BOTTOM - 30),
        showarrow=False,
        align="right",
        font={"size": 11, "color": MUTED},
    )
    fig.update_xaxes(showgrid=False, ticks="outside", automargin=True)
    fig.update_yaxes(showgrid=True, gridcolor="#e5e5e5", automargin=True)
    return fig
