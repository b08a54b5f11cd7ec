"""Dashboard: key figures, hearings ahead, cases and recent changes."""

from datetime import date

import streamlit as st
from sqlmodel import Session

from tracker import dashboard
from tracker.i18n import t
from tracker.privacy import may_see_confidential
from tracker.ui import page_setup

ctx = page_setup("dashboard.title")
st.caption(t("dashboard.intro"))
trusted = may_see_confidential(ctx.principal.role)

with Session(ctx.engine) as session:
    today = date.today()
    figures = dashboard.key_figures(session, today=today)
    hearings = dashboard.upcoming_hearings(
        session, today=today, lang=ctx.lang, show_restricted=trusted
    )
    cases = dashboard.cases_overview(session, lang=ctx.lang, show_restricted=trusted)
    changes = dashboard.recent_changes(session)

cols = st.columns(4)
cols[0].metric(t("dashboard.open_cases"), figures["open_cases"])
cols[1].metric(t("dashboard.defenders_prosecuted"), figures["defenders_prosecuted"])
cols[2].metric(t("dashboard.hearings_ahead"), figures["hearings_ahead"])
cols[3].metric(t("dashboard.hearings_overdue"), figures["hearings_overdue"])

st.subheader(t("dashboard.hearings_heading"))
if hearings:
    st.dataframe(hearings, hide_index=True, width="stretch")
else:
    st.info(t("dashboard.no_hearings"))

st.subheader(t("dashboard.cases_heading"))
if cases:
    st.dataframe(cases, hide_index=True, width="stretch")
else:
    st.info(t("dashboard.no_cases"))

st.subheader(t("dashboard.changes_heading"))
if changes:
    st.dataframe(changes, hide_index=True, width="stretch")
else:
    st.info(t("dashboard.no_changes"))
