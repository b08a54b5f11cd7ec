"""The comparison view of the Indicators page: one indicator across the groups of one
dimension (complainant, region, charge type, year the case opened), as bars and a table,
every number from the SQL aggregates of tracker.analysis; the records behind one group on
request."""

from __future__ import annotations

from datetime import date

import streamlit as st

from .. import analysis
from ..i18n import t
from ..indicators import display
from .analysis_reads import Analysis
from .indicator_cards import bar_chart, records, table

__all__ = ["DIMENSIONS", "comparison", "ranked"]

DIMENSIONS = ("complainant", "region", "charge_type", "opened_year")


def ranked(
    figures: list[analysis.Figure], dimension: str, top: int
) -> tuple[list[analysis.Figure], int]:
    """The groups to draw, and how many have a value: years in order (every one), other
    groups by value, highest first (ties by label), the ``top`` first."""
    valued = [f for f in figures if f.value is not None]
    if dimension == "opened_year":
        return valued, len(valued)
    valued.sort(key=lambda f: (-(f.value or 0), f.label.casefold()))
    return valued[:top], len(valued)


def comparison(an: Analysis, lang: str, threshold: int, today: date) -> None:
    """The comparison section: pick an indicator and a dimension; a bar per group."""
    st.subheader(t("indcards.compare_heading"))
    left, right = st.columns(2)
    code = left.selectbox(
        t("indcards.compare_indicator"),
        [i.code for i in analysis.INDICATORS],
        format_func=lambda c: analysis.indicator(c).name(lang),
        key="ind_cmp_indicator",
    )
    dimension = right.selectbox(
        t("indcards.compare_dimension"),
        DIMENSIONS,
        format_func=lambda d: t(f"indicators.grouping.{d}", lang),
        key="ind_cmp_dim",
    )
    ind = analysis.indicator(code)
    figures = [f for f in an.figures(dimension, lang, threshold, today) if f.indicator == code]
    top = 15
    if dimension != "opened_year" and len(figures) > 5:
        top = int(st.slider(t("indcards.compare_top"), 5, 50, 15, key="ind_cmp_top"))
    shown, total = ranked(figures, dimension, top)
    if not shown:
        st.info(t("indcards.compare_empty"))
        return
    if len(shown) < total:
        st.caption(t("indcards.compare_note", shown=len(shown), total=total))
    x_title = t(f"indicators.grouping.{dimension}")
    st.plotly_chart(
        bar_chart(shown, ind, lang, x_title), key="ind_cmp_chart", config={"displaylogo": False}
    )
    table(display.figure_rows(shown, lang, mass_threshold=threshold))
    # Offered by group key (two groups may share a name); a key kept from other filters
    # that is not drawn now falls back to the first group.
    by_group = {f.group: f for f in shown}
    picked = st.selectbox(
        t("indcards.compare_group"),
        list(by_group),
        format_func=lambda g: by_group[g].label if g in by_group else g,
        key="ind_cmp_group",
    )
    with st.expander(t("indcards.records")):
        records(an, by_group.get(picked, shown[0]), lang, threshold, today)
