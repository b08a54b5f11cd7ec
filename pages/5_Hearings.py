"""Hearings: the calendar of hearings ahead, overdue ones, and the .ics download."""

from tracker.ui import page_setup
from tracker.ui.calendar_views import hearings_page
from tracker.ui.incidents import incident_guard

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("hearings.title", icon="📅")
    hearings_page(ctx)
