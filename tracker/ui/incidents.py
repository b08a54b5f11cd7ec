"""Unexpected errors: the user gets a short message with an incident id, the server log gets
the traceback under the same id.

A traceback on screen shows server paths, code and, in an exception's message, possibly data
the reader may not see (a confidential person's name in a failed query). So every page runs
its body inside :func:`incident_guard`, and ``client.showErrorDetails = "none"`` in
.streamlit/config.toml hides the details of whatever still escapes (a fragment's own rerun).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.errors import FragmentHandledException
from streamlit.logger import get_logger
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from ..i18n import t

__all__ = ["incident_guard", "new_incident_id"]

# Streamlit's console logger: the server log, timestamped in the format of Streamlit's own lines.
log = get_logger(__name__)
# Streamlit's signals, not errors: st.stop() / st.rerun() / st.switch_page() raise
# ScriptControlException (StopException, RerunException); a fragment that failed and already
# showed its error raises FragmentHandledException so the run is marked as failed.
_CONTROL_FLOW: tuple[type[BaseException], ...] = (ScriptControlException, FragmentHandledException)


def new_incident_id() -> str:
    """A short id to quote to an administrator: 8 hex digits, random (not guessable)."""
    return secrets.token_hex(4)


@contextmanager
def incident_guard() -> Iterator[str]:
    """Run a page's body; an unexpected error becomes a message with an incident id.

    Yields the id this run would use, so the log line and the message always agree. The
    traceback is logged at ERROR level on the ``tracker.ui.incidents`` logger. Streamlit's
    control-flow exceptions pass through untouched.
    """
    incident = new_incident_id()
    try:
        yield incident
    except _CONTROL_FLOW:
        raise
    except Exception:
        log.exception("incident %s: unexpected error while running the page", incident)
        st.error(t("incident.message", id=incident), icon="⚠️")
