"""Defenders: the searchable list, and each defender's page with cases, timeline, organizations."""

from tracker.ui import page_setup
from tracker.ui.incidents import incident_guard
from tracker.ui.people_views import people_list, profile_page, selected_actor

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("defenders.title", icon="🛡️")
    actor_id = selected_actor()
    if actor_id is None:
        people_list(ctx, defenders=True)
    else:
        profile_page(ctx, actor_id, defenders=True)
