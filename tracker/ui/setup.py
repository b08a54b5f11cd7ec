"""The shared page setup that app.py and every page call first.

It sets the page, the language (chosen in the sidebar, kept in the session) and the database
(created, migrated and seeded once per process). It is also where the login guard lives: a
page opened directly by its URL runs this setup before anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy.engine import Engine

from .. import config, db, seed
from ..i18n import LANGUAGES, set_language, t

_LANGUAGE_NAMES = {"en": "English", "es": "Español"}


@dataclass(frozen=True)
class PageContext:
    """What a page needs after setup: the engine, the language and the acting user."""

    engine: Engine
    lang: str
    user: str
    role: str


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


def page_setup(title_key: str, icon: str = "⚖️") -> PageContext:
    """Configure the page and return its context; call it first in every page."""
    st.set_page_config(page_title=t(title_key), page_icon=icon, layout="wide")
    lang = _language()
    engine = _engine(config.database_url())
    st.title(t(title_key))
    # Accounts and roles arrive with the login guard; until then everyone is an editor.
    return PageContext(engine=engine, lang=lang, user="app", role="editor")
