"""Dashboard: key figures, hearings ahead, cases and recent changes (the default page)."""

from datetime import date

import streamlit as st
from sqlmodel import Session

from tracker import dashboard
from tracker.i18n import t
from tracker.privacy import may_see_confidential
from tracker.ui import page_setup
from tracker.ui.incidents import incident_guard
from tracker.ui.records import arrow

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("dashboard.title")
    st.caption(t("dashboard.intro"))
    trusted = may_see_confidential(ctx.principal.role)

    today = date.today()
    # Cached until the data changes; the audit log is not case data, so it is read every time.
    figures = ctx.read(dashboard.key_figures, today=today)
    hearings = ctx.read(
        dashboard.upcoming_hearings, today=today, lang=ctx.lang, show_restricted=trusted
    )
    cases = ctx.read(dashboard.cases_overview, lang=ctx.lang, show_restricted=trusted)
    with Session(ctx.engine) as session:
        changes = dashboard.recent_changes(session)

    cols = st.columns(4)
    cols[0].metric(t("dashboard.open_cases"), figures["open_cases"])
    cols[1].metric(t("dashboard.defenders_prosecuted"), figures["defenders_prosecuted"])
    cols[2].metric(t("dashboard.hearings_ahead"), figures["hearings_ahead"])
    cols[3].metric(t("dashboard.hearings_overdue"), figures["hearings_overdue"])

    st.subheader(t("dashboard.hearings_heading"))
    if hearings:
        st.dataframe(arrow(hearings), hide_index=True, width="stretch")
    else:
        st.info(t("dashboard.no_hearings"))

    st.subheader(t("dashboard.cases_heading"))
    if cases:
        st.dataframe(arrow(cases), hide_index=True, width="stretch")
    else:
        st.info(t("dashboard.no_cases"))

    st.subheader(t("dashboard.changes_heading"))
    if changes:
        st.dataframe(arrow(changes), hide_index=True, width="stretch")
    else:
        st.info(t("dashboard.no_changes"))
