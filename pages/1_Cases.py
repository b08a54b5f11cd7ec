"""Cases: the list with filters, and each case's page with its parties, charges and hearings."""

from tracker.ui import page_setup
from tracker.ui.case_page import case_page
from tracker.ui.case_views import case_list, selected_case
from tracker.ui.incidents import incident_guard

# An unexpected error shows a message with an incident id, not a traceback.
with incident_guard():
    ctx = page_setup("cases.title", icon="📁")
    case_id = selected_case()
    if case_id is None:
        case_list(ctx)
    else:
        case_page(ctx, case_id)
