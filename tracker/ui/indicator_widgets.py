"""Streamlit pieces of the Indicators page: the breakdown and the records behind a number,
each a page at a time.

A figure can rest on every charge or hearing of the data (a million at scale L); the table
shows them :data:`PAGE_ROWS` at a time, in the order of tracker.indicators.display.rows_behind
(counted first, then by id), with a page picker: every record stays reachable. A breakdown
per complainant has some 1.4 million figures at scale L; it too is shown, and computed,
:data:`PAGE_FIGURES` at a time.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from .. import analysis
from ..analysis import Figure
from ..i18n import t
from .analysis_reads import Analysis

__all__ = ["PAGE_FIGURES", "PAGE_ROWS", "breakdown", "indicators_view", "rows_behind"]

PAGE_ROWS = 1000
PAGE_FIGURES = 1000


def breakdown(an: Analysis, group_by: str, lang: str, threshold: int, today: date) -> list[Figure]:
    """The figures of ``group_by``, a page at a time (a page picker when there are more);
    returns the figures of the page shown."""
    # One page number per grouping, read before the figures are computed: only the page's
    # figures are (the picker itself is drawn after, when the number of pages is known).
    key = f"ind_breakdown_page:{group_by}"
    page = max(int(st.session_state.get(key, 1)), 1)
    figures, total = an.figures_page(
        group_by, lang, threshold, today, (page - 1) * PAGE_FIGURES, PAGE_FIGURES
    )
    pages = max((total + PAGE_FIGURES - 1) // PAGE_FIGURES, 1)
    if page > pages:  # fewer figures than before (other filters): the last page
        page = pages
        st.session_state[key] = page
        figures, total = an.figures_page(
            group_by, lang, threshold, today, (page - 1) * PAGE_FIGURES, PAGE_FIGURES
        )
    start = (page - 1) * PAGE_FIGURES
    if total > PAGE_FIGURES:
        st.number_input(t("indicators.breakdown_page"), 1, pages, key=key)
        st.caption(
            t(
                "indicators.breakdown_shown",
                first=start + 1,
                last=min(start + PAGE_FIGURES, total),
                total=total,
                size=PAGE_FIGURES,
            )
        )
    st.dataframe(
        an.figure_table(
            group_by,
            lang,
            threshold,
            today,
            with_definition=False,
            start=start,
            count=PAGE_FIGURES,
        ),
        hide_index=True,
        width="stretch",
    )
    return figures


def rows_behind(an: Analysis, figure: Figure, lang: str, threshold: int, today: date) -> None:
    """On request, the count of records behind ``figure``, a page picker when needed, and
    the page. The figures come from SQL aggregates; listing their records reads every row
    of the data, so it waits for the toggle."""
    if not st.toggle(t("indicators.rows_toggle"), key="ind_rows_show"):
        return
    figure = an.with_rows(figure, threshold, today)
    total, hits = len(set(figure.rows) | set(figure.hits)), len(figure.hits)
    st.caption(t("indicators.rows_count", rows=total, hits=hits))
    start = 0
    if total > PAGE_ROWS:
        pages = (total + PAGE_ROWS - 1) // PAGE_ROWS
        # One page number per figure: another figure starts again at its first page.
        key = f"ind_rows_page:{figure.indicator}:{figure.group_by}:{figure.group}"
        page = int(st.number_input(t("indicators.rows_page"), 1, pages, 1, key=key))
        start = (page - 1) * PAGE_ROWS
        st.caption(
            t(
                "indicators.rows_shown",
                first=start + 1,
                last=min(start + PAGE_ROWS, total),
                total=total,
                size=PAGE_ROWS,
            )
        )
    table, _ = an.rows_behind(figure, lang, today, start, PAGE_ROWS)
    if len(table):
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.info(t("indicators.no_rows"))


def indicators_view(an: Analysis, lang: str) -> None:
    """The Indicators page below its filters: the overall table, the breakdown, the records
    behind a number and the time under prosecution."""
    threshold = int(st.number_input(t("indicators.mass_threshold"), 2, 100, 5, key="ind_threshold"))
    today = date.today()

    st.subheader(t("indicators.table_heading"))
    overall = an.figures("overall", lang, threshold, today)
    st.dataframe(
        an.figure_table("overall", lang, threshold, today, with_definition=True),
        hide_index=True,
        width="stretch",
    )

    st.subheader(t("indicators.breakdown_heading"))
    group_by = st.selectbox(
        t("indicators.group_by"),
        ("complainant", "charge_type", "region", "year", "case", "court"),
        format_func=lambda g: t(f"indicators.grouping.{g}"),
        key="ind_group_by",
    )
    st.caption(t("indicators.grouping_note"))
    figures = breakdown(an, group_by, lang, threshold, today)

    st.subheader(t("indicators.rows_heading"))
    code = st.selectbox(
        t("indicators.pick_indicator"),
        [i.code for i in analysis.INDICATORS],
        format_func=lambda c: analysis.indicator(c).name(),
        key="ind_rows_indicator",
    )
    # The groups offered are those of the breakdown page shown.
    choices = [f for f in overall if f.indicator == code] + [
        f for f in figures if f.indicator == code
    ]
    picked = st.selectbox(
        t("indicators.pick_group"),
        range(len(choices)),
        format_func=lambda i: choices[i].label,
        key="ind_rows_group",
    )
    rows_behind(an, choices[picked], lang, threshold, today)

    st.subheader(t("indicators.spans_heading"))
    st.dataframe(_spans_table(an, lang, today), hide_index=True, width="stretch")


def _spans_table(an: Analysis, lang: str, today: date) -> pd.DataFrame:
    """Time under prosecution per defender, as the page shows it."""
    spans = an.spans(today)
    names = {p: t(f"indicators.precision.{p}", lang) for p in {s["precision"] for s in spans}}
    columns = [
        t(f"indicators.col.{c}", lang)
        for c in ("defendant", "start", "end", "days", "precision", "pending")
    ]
    values = [
        (s["label"], s["start"], s["end"], s["days"], names[s["precision"]], s["pending"])
        for s in spans
    ]
    return pd.DataFrame(values, columns=columns)
