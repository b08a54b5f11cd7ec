"""Network: the top complainants by reach, one actor's or court's network, and the whole
graph (who prosecutes whom, co-defendants, co-complainants, cases and actors)."""

import streamlit as st

from tracker.i18n import t
from tracker.privacy import may_see_confidential
from tracker.ui import network_ego as ne
from tracker.ui import network_widgets as nw
from tracker.ui import page_setup
from tracker.ui.ego_reads import EgoReads
from tracker.ui.incidents import incident_guard

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("network.title", icon="🕸️")
    show = may_see_confidential(ctx.principal.role)
    st.caption(t("network.intro"))

    # The first analysis of a filter takes seconds at scale; later runs read the cache.
    with st.spinner(t("progress.analysis")):
        an = nw.filtered_analysis(ctx.engine, show_confidential=show, lang=ctx.lang)
    reads = EgoReads(ctx.engine, an.filters, show_confidential=show, at=an.key.at)
    mode = st.radio(
        t("netpage.mode"),
        ne.MODES,
        format_func=lambda m: t(f"netpage.mode.{m}"),
        horizontal=True,
        key="np_mode",
    )
    if mode == "top":
        ne.top_view(reads, an, ctx.lang)
    elif mode == "ego":
        ne.ego_view(reads, an, ctx.lang)
    else:
        nw.graph_view(an, lang=ctx.lang)
