"""One card per indicator on the Indicators page: the value, the full definition, what was
counted out of what, a bar per year the case opened, and the records behind the number on
request (names first; ids last and hidden)."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from .. import analysis
from ..analysis import Figure, Indicator
from ..i18n import t
from ..indicators import display
from ..network_data import PARTS
from .analysis_reads import Analysis
from .indicator_reads import requests_behind

__all__ = ["PAGE_ROWS", "bar_chart", "card", "markdown_text", "records", "records_key", "table"]

PAGE_ROWS = 1000
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$])")


def markdown_text(text: str) -> str:
    """``text`` shown as written by st.markdown (its markup characters escaped)."""
    return _MARKDOWN.sub(r"\\\1", text)


def table(rows: list[dict] | pd.DataFrame) -> None:
    """A table of display rows with the id column kept but hidden (names lead)."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    shown = [c for c in frame.columns if c != "id"]
    st.dataframe(frame, hide_index=True, width="stretch", column_order=shown)


def bar_chart(figures: list[Figure], ind: Indicator, lang: str, x_title: str) -> go.Figure:
    """A bar per group of ``figures`` (one indicator), the value as the card reads it."""
    values = [display.chart_value(ind.kind, f.value) for f in figures]
    texts = [display.format_value(ind.kind, f.value, lang) for f in figures]
    hover = [
        t("indcards.hover", lang, group=f.label, value=v, numerator=f.numerator,
          denominator=f.denominator) if f.numerator is not None
        else f"{f.label}: {v}"
        for f, v in zip(figures, texts, strict=True)
    ]  # fmt: skip
    chart = go.Figure(
        go.Bar(
            x=[f.label for f in figures], y=values, text=texts, textposition="auto",
            hovertext=hover, hoverinfo="text",
        )
    )  # fmt: skip
    chart.update_layout(
        height=260,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"type": "category", "title": x_title, "automargin": True},
        yaxis={"title": t(f"indcards.axis.{ind.kind}", lang), "rangemode": "tozero"},
    )
    return chart


def records_key(code: str, group_by: str, group: str) -> str:
    """The widget key part of one figure's records: the group as a digest, since a key is
    sent to the browser and a group (a region, an actor id) may be typed text."""
    digest = hashlib.sha256(group.encode("utf-8")).hexdigest()[:16] if group else ""
    return f"{code}:{group_by}:{digest}"


def records(an: Analysis, figure: Figure, lang: str, threshold: int, today: date) -> None:
    """On request, the records behind ``figure`` a page at a time (read only when asked:
    listing them reads the rows), and for sentences the requests counted."""
    key = records_key(figure.indicator, figure.group_by, figure.group)
    if not st.toggle(t("indcards.records_toggle"), key=f"ind_rows_show:{key}"):
        return
    figure = an.with_rows(figure, threshold, today)
    total, hits = len(set(figure.rows) | set(figure.hits)), len(figure.hits)
    st.caption(t("indicators.rows_count", rows=total, hits=hits))
    start = 0
    if total > PAGE_ROWS:
        pages = (total + PAGE_ROWS - 1) // PAGE_ROWS
        page = int(
            st.number_input(t("indicators.rows_page"), 1, pages, 1, key=f"ind_rows_page:{key}")
        )
        start = (page - 1) * PAGE_ROWS
        st.caption(
            t("indicators.rows_shown", first=start + 1, last=min(start + PAGE_ROWS, total),
              total=total, size=PAGE_ROWS)
        )  # fmt: skip
    rows, _ = an.rows_behind(figure, lang, today, start, PAGE_ROWS)
    if len(rows):
        table(rows)
    else:
        st.info(t("indicators.no_rows"))
    if figure.indicator == "sentence_asked_vs_imposed":
        st.markdown(f"**{markdown_text(t('indcards.requests_heading'))}**")
        found = requests_behind(an, figure)
        if found:
            data = an.need(*PARTS)  # the rows rows_behind read: cached already
            labels = {
                c: data.label("charge_type", c, lang) for c in data.vocab.get("charge_type", {})
            }
            table(display.request_rows(found, labels, lang))
        else:
            st.info(t("indcards.requests_none"))


def _numbers(ind: Indicator, figure: Figure, lang: str) -> None:
    value, counted, out_of = st.columns(3)
    value.metric(t("indicators.col.value"), display.format_value(ind.kind, figure.value, lang))
    if figure.numerator is not None:
        counted.metric(
            t("indicators.col.numerator"), display.format_value("count", figure.numerator, lang)
        )
        out_of.metric(
            t("indicators.col.denominator"), display.format_value("count", figure.denominator, lang)
        )
    details = display.figure_rows([figure], lang)[0][t("indicators.col.details", lang)]
    if details:
        st.caption(details)


def card(
    an: Analysis,
    figure: Figure,
    per_year: list[Figure],
    lang: str,
    threshold: int,
    today: date,
) -> None:
    """The card of one indicator: ``figure`` overall, ``per_year`` its figures per year the
    case opened."""
    ind = analysis.indicator(figure.indicator)
    with st.container(border=True):
        st.subheader(ind.name(lang))
        _numbers(ind, figure, lang)
        definition = markdown_text(ind.definition(lang, threshold))
        st.markdown(f"**{markdown_text(t('indicators.col.definition'))}:** {definition}")
        st.caption(t("indcards.by_year"))
        if any(f.value is not None for f in per_year):
            st.plotly_chart(
                bar_chart(per_year, ind, lang, t("indcards.axis.opened_year")),
                key=f"ind_year_chart:{ind.code}",
                config={"displaylogo": False},
            )
        else:
            st.info(t("indcards.no_years"))
        with st.expander(t("indcards.records")):
            records(an, figure, lang, threshold, today)
