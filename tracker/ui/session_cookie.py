"""The login cookie: read natively, written through extra-streamlit-components' CookieManager.

Streamlit hands the script the cookies the browser sent when the page opened its websocket
(``st.context.cookies``), so a reload or a new tab reads the token at once, with no
round trip through a component. Writing needs JavaScript in the page: CookieManager's
frontend ships inside its wheel (served by this app, nothing from the internet) and writes
``document.cookie`` from its component frame, which has the app's origin.

The cookie is ``SameSite=Strict``, ``path=/``, ``Secure`` when the app is served over HTTPS,
and expires with the session. It cannot be ``HttpOnly``: a cookie written by JavaScript never
is, and Streamlit's ``streamlit run`` server offers no hook to send a Set-Cookie header. The
token is therefore readable by script in the page; the database keeps only its SHA-256, and
logout, a password change or disabling the account end it on the server whatever the browser
keeps (tracker.sessions).

A write takes effect only once the component has rendered in the browser, so it is kept as
"pending" in the session state and rendered on every run until the component reports it done.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import streamlit as st

COOKIE_NAME = "tracker_session"
_PENDING = "_cookie_pending"  # ("set", token, expires) or ("delete",), and a serial number
_SERIAL = "_cookie_serial"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def read() -> str | None:
    """The token the browser sent when this tab connected, if any."""
    try:
        value = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001  (no browser behind the run: AppTest, bare mode)
        return None
    return str(value) if value else None


def _request(action: tuple[Any, ...]) -> None:
    serial = int(st.session_state.get(_SERIAL, 0)) + 1
    st.session_state[_SERIAL] = serial
    st.session_state[_PENDING] = (serial, action)


def request_set(token: str, expires_at: datetime) -> None:
    """Have the browser keep ``token`` until ``expires_at`` (written on the next runs)."""
    _request(("set", token, expires_at))


def request_delete() -> None:
    """Have the browser forget the token (written on the next runs)."""
    _request(("delete",))


def _secure() -> bool:
    try:
        return str(st.context.url or "").startswith("https://")
    except Exception:  # noqa: BLE001
        return False


def render_pending() -> None:
    """Render the component that writes a pending change, until the browser confirms it."""
    pending = st.session_state.get(_PENDING)
    if not pending:
        return
    serial, action = pending
    done_key = f"cookie_write_{serial}"
    if st.session_state.get(done_key) is True:
        st.session_state.pop(_PENDING, None)
        return
    # Imported here: the package declares its components on import, which needs a script run.
    from extra_streamlit_components import CookieManager

    if action[0] == "set":
        _, value, expires = action
    else:  # an empty value that expired long ago: the browser drops the cookie
        value, expires = "", _EPOCH
    CookieManager(key=f"cookie_read_{serial}").set(
        COOKIE_NAME,
        value,
        key=done_key,
        path="/",
        expires_at=expires,
        secure=_secure() or None,
        same_site="strict",
    )
