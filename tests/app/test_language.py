"""The language: the installation's default, a choice kept as the account's preference, and
the sidebar's page names (AppTest; the browser test checks reloads and tabs)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.app.helpers import page, ready_engine, run_as
from tests.factories import make_user
from tracker import db
from tracker.models import AppUser
from tracker.permissions import Principal
from tracker.services import preferences


def _language(url: str, username: str) -> str | None:
    with Session(db.make_engine(url)) as s:
        return s.exec(select(AppUser.language).where(AppUser.username == username)).one()


def test_login_page_follows_tracker_lang(app_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_LANG", "es")
    make_user(ready_engine(app_env), "ana", "viewer")
    at = page("app.py").run()
    assert at.button[0].label == "Ingresar"
    assert at.text_input(key="login_username").label == "Nombre de usuario"


def test_language_chosen_before_login_becomes_the_accounts(app_env: str) -> None:
    make_user(ready_engine(app_env), "ana", "viewer")
    at = page("app.py").run()
    at.selectbox(key="lang").set_value("es").run()
    assert at.button[0].label == "Ingresar"
    at.text_input(key="login_username").input("ana")
    at.text_input(key="login_password").input("correct horse battery")
    at.button[0].click().run()
    assert at.title[0].value == "Criminalización de personas defensoras: panel"
    assert _language(app_env, "ana") == "es"


def test_accounts_language_applies_on_every_page(app_env: str) -> None:
    engine = ready_engine(app_env)
    make_user(engine, "ana", "editor")
    preferences.set_language(engine, Principal("ana", "editor"), "es")
    at = run_as("pages/5_Hearings.py", app_env, username="ana")
    assert at.title[0].value == "Audiencias"
    assert at.sidebar.caption[0].value == "Sesión de ana (editor/a)"
    # Choosing English in the sidebar changes the account's preference.
    at = run_as("pages/0_Dashboard.py", app_env, username="ana")
    assert at.title[0].value == "Criminalización de personas defensoras: panel"
    at.selectbox(key="lang").set_value("en").run()
    assert at.title[0].value == "Criminalization of defenders: dashboard"
    assert _language(app_env, "ana") == "en"
