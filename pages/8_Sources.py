"""Sources: the list, each source's page with the facts it supports, and citing it anywhere."""

from tracker.ui import page_setup
from tracker.ui.incidents import incident_guard
from tracker.ui.source_views import selected_source, source_list, source_page

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("sources.title", icon="📄")
    source_id = selected_source()
    if source_id is None:
        source_list(ctx)
    else:
        source_page(ctx, source_id)
