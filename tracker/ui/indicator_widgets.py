"""The Indicators page below its filters: a card per indicator (tracker.ui.indicator_cards),
the comparison of groups (tracker.ui.indicator_compare), and every figure of a grouping
as a table, a page at a time.

A figure can rest on every charge or hearing of the data (a million at scale L); its
records show :data:`PAGE_ROWS` at a time, in the order of tracker.indicators.display
.rows_behind (counted first, then by id), with a page picker: every record stays reachable. A breakdown
per complainant has some 1.4 million figures at scale L; it too is shown, and computed,
:data:`PAGE_FIGURES` at a time.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from ..analysis import Figure
from ..i18n import t
from .analysis_reads import Analysis
from .indicator_cards import PAGE_ROWS, card, markdown_text, table
from .indicator_compare import comparison

__all__ = ["PAGE_FIGURES", "PAGE_ROWS", "breakdown", "indicators_view"]

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


def indicators_view(an: Analysis, lang: str) -> None:
    """The Indicators page below its filters: a card per indicator, the comparison of
    groups, and (folded) every figure of a grouping and the time under prosecution per
    defender as tables."""
    threshold = int(st.number_input(t("indicators.mass_threshold"), 2, 100, 5, key="ind_threshold"))
    today = date.today()

    overall = an.figures("overall", lang, threshold, today)
    # One statement per kind of unit for every indicator's bars (cached with the rest).
    per_year: dict[str, list[Figure]] = {}
    for f in an.figures("opened_year", lang, threshold, today):
        per_year.setdefault(f.indicator, []).append(f)
    for figure in overall:
        card(an, figure, per_year.get(figure.indicator, []), lang, threshold, today)

    comparison(an, lang, threshold, today)

    with st.expander(t("indcards.tables_heading")):
        group_by = st.selectbox(
            t("indicators.group_by"),
            ("complainant", "charge_type", "region", "year", "opened_year", "case", "court"),
            format_func=lambda g: t(f"indicators.grouping.{g}", lang),
            key="ind_group_by",
        )
        st.caption(t("indicators.grouping_note"))
        breakdown(an, group_by, lang, threshold, today)
        st.markdown(f"**{markdown_text(t('indicators.spans_heading'))}**")
        table(_spans_table(an, lang, today))


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
