"""Indicators: every indicator of criminalization with its definition, breakdowns, and the
records behind each number."""

from datetime import date

import streamlit as st

from tracker import indicators
from tracker.i18n import t
from tracker.privacy import may_see_confidential
from tracker.ui import indicator_widgets as iw
from tracker.ui import network_widgets as nw
from tracker.ui import page_setup

ctx = page_setup("indicators.title", icon="📊")
show = may_see_confidential(ctx.principal.role)
st.caption(t("indicators.intro"))

filters = nw.filters(ctx.engine, show_confidential=show, lang=ctx.lang)
an = nw.page_analysis(ctx.engine, filters, show_confidential=show)
threshold = int(st.number_input(t("indicators.mass_threshold"), 2, 100, 5, key="ind_threshold"))
today = date.today()

group_by = st.session_state.get("ind_group_by", "complainant")
an.prepare_figures(("overall", group_by), threshold, today)

st.subheader(t("indicators.table_heading"))
overall = an.figures("overall", ctx.lang, threshold, today)
st.dataframe(
    an.figure_table("overall", ctx.lang, threshold, today, with_definition=True),
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
figures = iw.breakdown(an, group_by, ctx.lang, threshold, today)

st.subheader(t("indicators.rows_heading"))
code = st.selectbox(
    t("indicators.pick_indicator"),
    [i.code for i in indicators.INDICATORS],
    format_func=lambda c: indicators.indicator(c).name(),
    key="ind_rows_indicator",
)
# The groups offered are those of the breakdown page shown.
choices = [f for f in overall if f.indicator == code] + [f for f in figures if f.indicator == code]
picked = st.selectbox(
    t("indicators.pick_group"),
    range(len(choices)),
    format_func=lambda i: choices[i].label,
    key="ind_rows_group",
)
iw.rows_behind(an, choices[picked], ctx.lang, threshold, today)

st.subheader(t("indicators.spans_heading"))
st.dataframe(an.spans_table(ctx.lang, threshold, today), hide_index=True, width="stretch")
