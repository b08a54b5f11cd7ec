"""Streamlit pieces of the Indicators page: the records behind a number, a page at a time.

A figure can rest on every charge or hearing of the data (a million at scale L); the table
shows them :data:`PAGE_ROWS` at a time, in the order of tracker.indicators.display.rows_behind
(counted first, then by id), with a page picker: every record stays reachable.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from ..i18n import t
from ..indicators import Figure
from .analysis_cache import Analysis

__all__ = ["PAGE_ROWS", "rows_behind"]

PAGE_ROWS = 1000


def rows_behind(an: Analysis, figure: Figure, lang: str, today: date) -> None:
    """The count of records behind ``figure``, a page picker when needed, and the page."""
    total, hits = an.rows_count(figure)
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
