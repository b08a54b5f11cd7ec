"""The app: the sidebar's pages, named in the user's language, and the chosen page run.

Run with ``streamlit run app.py``. Each page of pages/ runs the login guard itself
(tracker.ui.page_setup), also when Streamlit runs it without this file; here the pages are
only listed, and shown in the sidebar once someone is logged in.
"""

import streamlit as st

from tracker.i18n import t
from tracker.ui.incidents import incident_guard
from tracker.ui.setup import navigation_state

# (file, title key, icon); the first is the default page, at "/".
PAGES = (
    ("pages/0_Dashboard.py", "nav.dashboard", "⚖️"),
    ("pages/1_Cases.py", "nav.cases", "📁"),
    ("pages/2_Defenders.py", "nav.defenders", "🛡️"),
    ("pages/3_Network.py", "nav.network", "🕸️"),
    ("pages/4_Indicators.py", "nav.indicators", "📊"),
    ("pages/5_Hearings.py", "nav.hearings", "📅"),
    ("pages/6_Import_Export.py", "nav.import_export", "🔄"),
    ("pages/7_Actors.py", "nav.actors", "🏛️"),
    ("pages/8_Sources.py", "nav.sources", "📄"),
    ("pages/10_Reports.py", "nav.reports", "🖨️"),
    ("pages/11_Search.py", "nav.search", "🔎"),
    ("pages/9_Admin.py", "nav.admin", "🔐"),
)

ADMIN_PAGE = "pages/9_Admin.py"

_lang, logged_in, is_admin = navigation_state()
# Only administrators see the Admin page listed; the page guards itself all the same (a
# deep link to it as anyone else meets Streamlit's "page not found" and the dashboard).
page = st.navigation(
    [
        st.Page(path, title=t(key), icon=icon, default=index == 0)
        for index, (path, key, icon) in enumerate(PAGES)
        if is_admin or path != ADMIN_PAGE
    ],
    position="sidebar" if logged_in else "hidden",
)
# An unexpected error shows a message with an incident id, not a traceback (the pages guard
# themselves too, for when Streamlit runs one without this file).
with incident_guard():
    page.run()
