"""The shared page setup that app.py and every page call first: it is the login guard.

Streamlit can run a file of pages/ without app.py (a deep link on a fresh server does), so
each page calls :func:`page_setup` itself. It sets the page and language, opens the database
(created, migrated and seeded once per process), and lets the page run only for a logged-in,
active account whose session has not gone idle. Otherwise it shows the login form (or, on a
new installation, the form that creates the administrator) and stops the script.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import streamlit as st
from sqlalchemy.engine import Engine

from .. import auth, config, db, seed
from ..errors import TrackerError
from ..i18n import LANGUAGES, set_language, t
from ..permissions import Principal
from ..privacy import may_see_confidential
from .cached import DataReader

_LANGUAGE_NAMES = {"en": "English", "es": "Español"}
AUTH_KEY = "auth"


def idle_limit_seconds() -> int:
    """How long a session may sit idle before it must log in again (TRACKER_IDLE_MINUTES)."""
    return int(float(os.environ.get("TRACKER_IDLE_MINUTES", "30")) * 60)


@dataclass(frozen=True)
class PageContext:
    """What a page needs after setup: the engine, the language and who is acting."""

    engine: Engine
    lang: str
    principal: Principal
    # Reads cached until the data changes: ctx.read(fn, *args) is fn(session, *args).
    read: DataReader = field(init=False, compare=False)

    def __post_init__(self) -> None:
        redact = not may_see_confidential(self.principal.role)
        object.__setattr__(self, "read", DataReader(self.engine, redact=redact))


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """One engine per database URL per process; the database is made ready once."""
    engine = db.make_engine(url)
    seed.ensure_ready(engine)
    return engine


def _language() -> str:
    # Seed the session state before the keyed widget exists, or Streamlit warns and resets it.
    if "lang" not in st.session_state:
        st.session_state["lang"] = config.default_language()
    lang = st.sidebar.selectbox(
        t("ui.language", lang=st.session_state["lang"]),
        LANGUAGES,
        key="lang",
        format_func=lambda code: _LANGUAGE_NAMES[code],
    )
    set_language(lang)
    return str(lang)


def _first_admin_form(engine: Engine) -> None:
    st.info(t("auth.first_run"))
    with st.form("first_admin"):
        username = st.text_input(t("field.username"), key="setup_username")
        display = st.text_input(t("field.display_name"), key="setup_display_name")
        password = st.text_input(t("field.password"), type="password", key="setup_password")
        again = st.text_input(t("auth.password_again"), type="password", key="setup_password2")
        submitted = st.form_submit_button(t("auth.create_admin"))
    if submitted:
        if password != again:
            st.error(t("auth.passwords_differ"))
            return
        try:
            principal = auth.create_first_admin(
                engine, username=username, password=password, display_name=display
            )
        except TrackerError as exc:
            st.error(str(exc))
            return
        _start_session(principal)
        st.rerun()


def _login_form(engine: Engine) -> None:
    with st.form("login"):
        username = st.text_input(t("field.username"), key="login_username")
        password = st.text_input(t("field.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("auth.log_in"))
    if submitted:
        try:
            principal = auth.login(engine, username, password)
        except TrackerError as exc:
            st.error(str(exc))
            return
        _start_session(principal)
        st.rerun()


def _start_session(principal: Principal) -> None:
    st.session_state[AUTH_KEY] = {"username": principal.username, "last_seen": time.time()}


def log_out() -> None:
    """End the session (the sidebar's logout button calls this)."""
    st.session_state.pop(AUTH_KEY, None)


def _guard(engine: Engine) -> Principal:
    """The logged-in principal; otherwise show the right form and stop the script."""
    if not st.session_state.get("has_users") and not auth.has_users(engine):
        _first_admin_form(engine)
        st.stop()
    st.session_state["has_users"] = True
    session = st.session_state.get(AUTH_KEY)
    principal = None
    if session:
        if time.time() - session["last_seen"] > idle_limit_seconds():
            log_out()
            st.warning(t("auth.idle_logout", minutes=idle_limit_seconds() // 60))
        else:
            # Checked on every run, so disabling an account or changing its role acts at once.
            principal = auth.current_principal(engine, session["username"])
            if principal is None:
                log_out()
    if principal is None:
        _login_form(engine)
        st.stop()
    st.session_state[AUTH_KEY]["last_seen"] = time.time()
    st.sidebar.caption(
        t("auth.logged_in_as", user=principal.username, role=t(f"role.{principal.role}"))
    )
    st.sidebar.button(t("auth.log_out"), on_click=log_out, key="logout")
    return principal


def page_setup(title_key: str, icon: str = "⚖️") -> PageContext:
    """Configure the page, run the login guard, and return the page's context.

    Call it first in every page: nothing after it runs unless someone is logged in.
    """
    st.set_page_config(page_title=t(title_key), page_icon=icon, layout="wide")
    lang = _language()
    engine = _engine(config.database_url())
    principal = _guard(engine)
    st.title(t(title_key))
    return PageContext(engine=engine, lang=lang, principal=principal)
