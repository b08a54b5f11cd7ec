"""The login guard: every page opened directly without a session shows only the login form."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.app.helpers import ROOT, page, ready_engine
from tests.factories import make_user
from tracker import sessions
from tracker.models import utcnow

PAGES = ["app.py", *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]


@pytest.mark.parametrize("path", PAGES)
def test_page_without_session_shows_only_login(app_env: str, path: str) -> None:
    engine = ready_engine(app_env)
    make_user(engine, "ana", "editor")
    at = page(path).run()
    assert not at.exception
    assert [w.key for w in at.text_input] == ["login_username", "login_password"]
    assert len(at.dataframe) == len(at.table) == len(at.metric) == 0
    assert at.get("plotly_chart") == []
    assert at.title == []  # not even the page's title


def test_new_installation_asks_for_the_administrator(app_env: str) -> None:
    ready_engine(app_env)
    at = page("app.py").run()
    assert at.info[0].value.startswith("This is a new installation.")
    at.text_input(key="setup_username").input("root")
    at.text_input(key="setup_password").input("a long passphrase")
    at.text_input(key="setup_password2").input("a long passphrase")
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Criminalization of defenders: dashboard"
    assert at.sidebar.caption[0].value == "Logged in as root (administrator)"


def test_new_installation_refuses_mismatched_passwords(app_env: str) -> None:
    ready_engine(app_env)
    at = page("app.py").run()
    at.text_input(key="setup_username").input("root")
    at.text_input(key="setup_password").input("a long passphrase")
    at.text_input(key="setup_password2").input("another passphrase")
    at.button[0].click().run()
    assert at.error[0].value == "The two passwords differ."
    assert at.title == []


def test_login_form_logs_in_and_out(app_env: str) -> None:
    engine = ready_engine(app_env)
    make_user(engine, "ana", "viewer")
    at = page("app.py").run()
    at.text_input(key="login_username").input("ana")
    at.text_input(key="login_password").input("wrong horse battery")
    at.button[0].click().run()
    assert at.error[0].value == "Wrong username or password (or the account is disabled)."
    at.text_input(key="login_password").input("correct horse battery")
    at.button[0].click().run()
    assert at.sidebar.caption[0].value == "Logged in as ana (viewer)"
    at.sidebar.button(key="logout").click().run()
    assert at.title == []
    assert [w.key for w in at.text_input] == ["login_username", "login_password"]


def test_idle_session_must_log_in_again(app_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_IDLE_MINUTES", "30")
    engine = ready_engine(app_env)
    make_user(engine, "ana", "editor")
    at = page("app.py")
    started = sessions.start(engine, "ana", now=utcnow() - timedelta(minutes=31))
    at.session_state["auth"] = {"token": started.token}
    at.run()
    assert at.warning[0].value == (
        "Your session ended after 30 minutes without activity. Please log in again."
    )
    assert at.title == []
