"""The shared page setup every page calls first: it is the login guard.

app.py only names the pages (st.navigation) and runs the chosen one; Streamlit can also run a
file of pages/ without app.py (a deep link on a freshly started server does), so each page
calls :func:`page_setup` itself, and the guard lives there, once per run. It opens the
database (created, migrated and seeded once per process), finds the login session from this
tab's token or the browser's cookie (tracker.sessions), sets the language (the account's
choice, else this tab's, else TRACKER_LANG or the locale), and lets the page run only for an
active account whose session is valid and not idle. Otherwise it shows the login form (or,
on a new installation, the form that creates the administrator) and stops the script.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st
from sqlalchemy.engine import Engine

from .. import auth, config, db, seed, sessions
from ..errors import TrackerError
from ..i18n import LANGUAGES, set_language, t
from ..permissions import Principal
from ..privacy import may_see_confidential
from ..services import preferences
from ..sessions import Resumed
from . import session_cookie
from .cached import DataReader

_LANGUAGE_NAMES = {"en": "English", "es": "Español"}
AUTH_KEY = "auth"  # {"token": ...}: this browser tab's login session
LANG_KEY = "language"  # the language of this tab's runs
_PICKER = "lang"  # the sidebar picker (tests address it by this key)
_CHOSEN = "_language_chosen"  # picked before login: saved to the account at login
_DEAD_COOKIE = "_dead_cookie"
_IDLE_NOTICE = "_idle_notice"


def idle_limit_seconds() -> int:
    """How long a session may sit idle before it must log in again (TRACKER_IDLE_MINUTES)."""
    return int(sessions.idle_limit().total_seconds())


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


def _login() -> Resumed:
    """Who is logged in on this run, from the session's token or the browser's cookie.

    No widgets: app.py asks too, to name and show the pages. A token that no longer logs in
    (logged out in another tab, expired, revoked) is dropped.
    """
    engine = _engine(config.database_url())
    held = st.session_state.get(AUTH_KEY) or {}
    token = held.get("token")
    if token is None:
        cookie = session_cookie.read()
        # The cookie a tab sent when it connected stays the same until it reloads: once its
        # token failed, it is not tried again on every run.
        if cookie and cookie != st.session_state.get(_DEAD_COOKIE):
            token = cookie
    result = sessions.resume(engine, token)
    if result.principal is not None:
        st.session_state[AUTH_KEY] = {"token": token}
    elif token is not None:
        st.session_state.pop(AUTH_KEY, None)
        # The browser's cookie is left alone: by now it may hold a newer login of another tab.
        st.session_state[_DEAD_COOKIE] = token
        if result.idle:
            st.session_state[_IDLE_NOTICE] = True
    return result


def _pick_language(login: Resumed) -> str:
    """The language of this run: the account's choice, else this session's, else the default."""
    lang = (login.principal and login.language) or st.session_state.get(LANG_KEY)
    lang = lang if lang in LANGUAGES else config.default_language()
    st.session_state[LANG_KEY] = lang
    set_language(lang)
    return str(lang)


def navigation_state() -> tuple[str, bool, bool]:
    """For app.py: the language to name the pages in, whether someone is logged in, and
    whether that account is an administrator (only they see the Admin page listed)."""
    login = _login()
    principal = login.principal
    return _pick_language(login), principal is not None, bool(principal and principal.is_admin)


def _language_changed() -> None:
    """The picker's callback: use the language now, and keep it as the account's preference."""
    lang = st.session_state[_PICKER]
    st.session_state[LANG_KEY] = lang
    engine = _engine(config.database_url())
    login = sessions.resume(engine, (st.session_state.get(AUTH_KEY) or {}).get("token"))
    if login.principal is not None:
        preferences.set_language(engine, login.principal, lang)
    else:
        # Chosen before logging in: kept as the account's preference at login.
        st.session_state[_CHOSEN] = True


def _language_picker(lang: str) -> None:
    # The picker's own state is not the language: Streamlit drops a widget's state when a run
    # does not draw it, so the language lives under LANG_KEY and the picker is set from it.
    st.session_state[_PICKER] = lang
    st.sidebar.selectbox(
        t("ui.language"),
        LANGUAGES,
        key=_PICKER,
        on_change=_language_changed,
        format_func=lambda code: _LANGUAGE_NAMES[code],
    )


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
        _start_session(engine, principal)
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
        _start_session(engine, principal)
        st.rerun()


def _start_session(engine: Engine, principal: Principal) -> None:
    """Open a server-side session, keep its token here and have the browser keep it."""
    if st.session_state.pop(_CHOSEN, False):
        preferences.set_language(engine, principal, st.session_state[LANG_KEY])
    started = sessions.start(engine, principal.username)
    st.session_state[AUTH_KEY] = {"token": started.token}
    st.session_state.pop(_DEAD_COOKIE, None)
    session_cookie.request_set(started.token, started.expires_at)


def log_out() -> None:
    """End the session in the database, so every tab holding it is logged out at its next
    run, and have the browser forget the cookie (the sidebar's logout button calls this)."""
    held = st.session_state.pop(AUTH_KEY, None) or {}
    sessions.end(_engine(config.database_url()), held.get("token"))
    session_cookie.request_delete()


def _guard(engine: Engine, login: Resumed) -> Principal:
    """The logged-in principal; otherwise show the right form and stop the script."""
    if not st.session_state.get("has_users") and not auth.has_users(engine):
        _first_admin_form(engine)
        st.stop()
    st.session_state["has_users"] = True
    if st.session_state.pop(_IDLE_NOTICE, False):
        st.warning(t("auth.idle_logout", minutes=idle_limit_seconds() // 60))
    if login.principal is None:
        _login_form(engine)
        st.stop()
    principal = login.principal
    st.sidebar.caption(
        t("auth.logged_in_as", user=principal.username, role=t(f"role.{principal.role}"))
    )
    st.sidebar.button(t("auth.log_out"), on_click=log_out, key="logout")
    return principal


def page_setup(title_key: str, icon: str = "⚖️") -> PageContext:
    """Configure the page, run the login guard, and return the page's context.

    Call it first in every page: nothing after it runs unless someone is logged in. It holds
    whether the page runs through app.py's navigation or, as a deep link on a freshly started
    server can make Streamlit do, on its own.
    """
    engine = _engine(config.database_url())
    login = _login()
    lang = _pick_language(login)
    st.set_page_config(page_title=t(title_key), page_icon=icon, layout="wide")
    _language_picker(lang)
    # Always drawn, empty or not, so the page's own elements keep their places (an expander
    # that moved would close) when the cookie's component comes and goes.
    with st.container():
        session_cookie.render_pending()
    principal = _guard(engine, login)
    st.title(t(title_key))
    return PageContext(engine=engine, lang=lang, principal=principal)
