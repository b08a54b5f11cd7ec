"""Hearings: the calendar of hearings ahead, overdue ones, and the .ics download."""

from tracker.ui import page_setup
from tracker.ui.calendar_views import hearings_page

ctx = page_setup("hearings.title", icon="📅")
hearings_page(ctx)
