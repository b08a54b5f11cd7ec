"""Indicators: every indicator of criminalization with its definition, breakdowns, and the
records behind each number."""

import streamlit as st

from tracker.i18n import t
from tracker.privacy import may_see_confidential
from tracker.ui import indicator_widgets as iw
from tracker.ui import network_widgets as nw
from tracker.ui import page_setup
from tracker.ui.incidents import incident_guard

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("indicators.title", icon="📊")
    show = may_see_confidential(ctx.principal.role)
    st.caption(t("indicators.intro"))

    # The first analysis of a filter takes seconds at scale; later runs read the cache.
    with st.spinner(t("progress.analysis")):
        an = nw.filtered_analysis(ctx.engine, show_confidential=show, lang=ctx.lang)
    iw.indicators_view(an, ctx.lang)
