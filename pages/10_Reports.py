"""Reports: publication charts with their numbers, as PNG, SVG, PDF and CSV, and the report
pack (every chart, its data and the methodology in one ZIP)."""

import streamlit as st

from tracker import charts
from tracker.i18n import t
from tracker.ui import network_widgets as nw
from tracker.ui import page_setup
from tracker.ui import report_views as rv
from tracker.ui.incidents import incident_guard

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("reports.title", icon="🖨️")
    st.caption(t("reports.intro"))

    # Charts are for publication: whoever asks, they show what the public may see.
    filters = nw.filters(ctx.engine, show_confidential=False, lang=ctx.lang)
    source = rv.chart_source(ctx.engine, filters)
    code, lang = rv.pick(ctx.lang)
    options = rv.options(code, source)
    chart = charts.build(code, source, lang, options)
    rv.preview(chart, lang)
    rv.downloads(chart, source, lang, options)
