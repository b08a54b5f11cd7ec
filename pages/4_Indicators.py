"""Indicators: every indicator of criminalization with its definition, breakdowns, and the
records behind each number."""

from datetime import date

import streamlit as st

from tracker import indicators
from tracker.i18n import t
from tracker.indicators import display
from tracker.privacy import may_see_confidential
from tracker.ui import network_widgets as nw
from tracker.ui import page_setup

ctx = page_setup("indicators.title", icon="📊")
show = may_see_confidential(ctx.principal.role)
st.caption(t("indicators.intro"))

filters = nw.filters(ctx.engine, show_confidential=show, lang=ctx.lang)
data = nw.network_data(ctx.engine, filters, show_confidential=show)
threshold = int(st.number_input(t("indicators.mass_threshold"), 2, 100, 5, key="ind_threshold"))
today = date.today()

st.subheader(t("indicators.table_heading"))
overall = indicators.compute(data, today=today, lang=ctx.lang, mass_threshold=threshold)
st.dataframe(
    display.figure_rows(overall, ctx.lang, with_definition=True, mass_threshold=threshold),
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
figures = indicators.compute(
    data, group_by=group_by, today=today, lang=ctx.lang, mass_threshold=threshold
)
st.dataframe(display.figure_rows(figures, ctx.lang), hide_index=True, width="stretch")

st.subheader(t("indicators.rows_heading"))
code = st.selectbox(
    t("indicators.pick_indicator"),
    [i.code for i in indicators.INDICATORS],
    format_func=lambda c: indicators.indicator(c).name(),
    key="ind_rows_indicator",
)
choices = [f for f in overall if f.indicator == code] + [f for f in figures if f.indicator == code]
picked = st.selectbox(
    t("indicators.pick_group"),
    range(len(choices)),
    format_func=lambda i: choices[i].label,
    key="ind_rows_group",
)
figure = choices[picked]
st.caption(
    t("indicators.rows_count", rows=len(set(figure.rows) | set(figure.hits)), hits=len(figure.hits))
)
behind = display.rows_behind(data, figure, ctx.lang, today=today)
if behind:
    st.dataframe(behind, hide_index=True, width="stretch")
else:
    st.info(t("indicators.no_rows"))

st.subheader(t("indicators.spans_heading"))
spans = indicators.prosecution_spans(data, today=today)
st.dataframe(
    [
        {
            t("indicators.col.defendant"): s["label"],
            t("indicators.col.start"): s["start"],
            t("indicators.col.end"): s["end"],
            t("indicators.col.days"): s["days"],
            t("indicators.col.precision"): t(f"indicators.precision.{s['precision']}"),
            t("indicators.col.pending"): s["pending"],
        }
        for s in spans
    ],
    hide_index=True,
    width="stretch",
)
