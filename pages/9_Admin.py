"""Administration: accounts, vocabularies, confidential people and the audit log."""

from tracker.ui import page_setup
from tracker.ui.admin_views import admin_page
from tracker.ui.incidents import incident_guard

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("admin.title", icon="🔐")
    admin_page(ctx)
