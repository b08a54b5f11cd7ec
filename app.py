"""Dashboard: key figures, hearings ahead, cases and recent changes."""

from datetime import date

import streamlit as st
from sqlmodel import Session

from tracker import dashboard
from tracker.i18n import t
from tracker.privacy import may_see_confidential
from tracker.ui import page_setup, records
from tracker.ui.incidents import incident_guard

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("dashboard.title")
    st.caption(t("dashboard.intro"))
    trusted = may_see_confidential(ctx.principal.role)

    today = date.today()
    # Cached until the data changes; the audit log is not case data, so it is read every time.
    figures = ctx.read(dashboard.key_figures, today=today)
    hearings, hearing_cases = ctx.read(
        dashboard.upcoming_hearings, today=today, lang=ctx.lang, show_restricted=trusted
    )
    cases, case_ids = ctx.read(dashboard.cases_overview, lang=ctx.lang, show_restricted=trusted)
    with Session(ctx.engine) as session:
        changes = dashboard.recent_changes(session)

    # Every case is in one of the status counts: "unknown" is shown, not left out.
    cols = st.columns(4)
    for col, name in zip(cols, ("cases", "open_cases", "closed_cases", "unknown_cases"), strict=True):
        col.metric(t(f"dashboard.figure.{name}"), figures[name], help=t(f"dashboard.help.{name}"))
    cols = st.columns(4)
    for col, name in zip(
        cols, ("defenders_prosecuted", "hearings_ahead", "hearings_overdue"), strict=False
    ):
        col.metric(t(f"dashboard.figure.{name}"), figures[name], help=t(f"dashboard.help.{name}"))


    def _open_case(case_id: object) -> None:
        st.session_state["dashboard_goto"] = str(case_id)


    st.subheader(t("dashboard.hearings_heading"))
    if hearings:
        records.clickable(hearings, None, key="dash_hearings", ids=hearing_cases, on_pick=_open_case)
    else:
        st.info(t("dashboard.no_hearings"))

    st.subheader(t("dashboard.cases_heading"))
    if cases:
        records.clickable(cases, None, key="dash_cases", ids=case_ids, on_pick=_open_case)
    else:
        st.info(t("dashboard.no_cases"))

    st.subheader(t("dashboard.changes_heading"))
    st.caption(t("dashboard.changes_note"))
    if changes:
        st.dataframe(
            records.arrow(changes),
            hide_index=True,
            width="stretch",
            column_config=records.column_widths(changes),
        )
    else:
        st.info(t("dashboard.no_changes"))
    goto = st.session_state.pop("dashboard_goto", None)
    if goto:
        st.switch_page("pages/1_Cases.py", query_params={"case": goto})
