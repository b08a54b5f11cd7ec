"""Administration: accounts, vocabularies, confidential people and the audit log."""

from tracker.ui import page_setup
from tracker.ui.admin_views import admin_page

ctx = page_setup("admin.title", icon="🔐")
admin_page(ctx)
