"""Sources: the list, each source's page with the facts it supports, and citing it anywhere."""

from tracker.ui import page_setup
from tracker.ui.source_views import selected_source, source_list, source_page

ctx = page_setup("sources.title", icon="📄")
source_id = selected_source()
if source_id is None:
    source_list(ctx)
else:
    source_page(ctx, source_id)
