"""Search: one box over cases, people, organisations, courts, sources and attached files."""

from tracker.ui import page_setup
from tracker.ui.search_views import search_page

ctx = page_setup("search.title", icon="🔎")
search_page(ctx)
