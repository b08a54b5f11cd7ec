"""Import and export: spreadsheets in; tables, Aleph and calendars out; backups for admins."""

import streamlit as st

from tracker.i18n import t
from tracker.ui import import_widgets, page_setup
from tracker.ui.incidents import incident_guard

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("importexport.title")

    names = [t("importexport.tab_import"), t("importexport.tab_export")]
    if ctx.principal.is_admin:
        names.append(t("importexport.tab_backup"))
    tabs = st.tabs(names)
    with tabs[0]:
        import_widgets.import_section(ctx)
    with tabs[1]:
        import_widgets.export_section(ctx)
    if ctx.principal.is_admin:
        with tabs[2]:
            import_widgets.backup_section(ctx)
