"""In a real browser: a language chosen once holds on every page, after a reload and in a new
tab; a login survives reloads and new tabs (a cookie carries its token); logging out in one
tab logs every tab out.

The server and the offline browser page (any request leaving 127.0.0.1 fails the test; no
chromium skips, or fails under CI=true) come from tests/e2e/conftest.py.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import App, act, choose, settle
from tracker.i18n import t

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "browser test passphrase"
# URL path, sidebar name key, title key of every page, in the sidebar's order.
PAGES = [
    ("", "nav.dashboard", "dashboard.title"),
    ("Cases", "nav.cases", "cases.title"),
    ("Defenders", "nav.defenders", "defenders.title"),
    ("Network", "nav.network", "network.title"),
    ("Indicators", "nav.indicators", "indicators.title"),
    ("Hearings", "nav.hearings", "hearings.title"),
    ("Import_Export", "nav.import_export", "importexport.title"),
    ("Actors", "nav.actors", "actors.title"),
    ("Sources", "nav.sources", "sources.title"),
    ("Reports", "nav.reports", "reports.title"),
    ("Admin", "nav.admin", "admin.title"),
]


@pytest.fixture
def admin(server: str, tmp_path: Path) -> Path:
    """An administrator "lawyer" on the running app's database; returns the database file."""
    database = tmp_path / "tracker.db"
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run(
        [sys.executable, "-m", "tracker", "users", "add", "lawyer", "--role", "admin"],
        env=env, input=PASSWORD + "\n", text=True, check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    return database


def _sessions(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return int(conn.execute("SELECT count(*) FROM login_session").fetchone()[0])


def _language(database: Path) -> str | None:
    with sqlite3.connect(database) as conn:
        row = conn.execute("SELECT language FROM app_user WHERE username = 'lawyer'").fetchone()
    return row[0]


def _open(app: App, url: str) -> None:
    act(app, lambda: app.page.goto(url), f"opening {url}", idle_first=False)


def _logged_in_spanish(page: Any, title_key: str) -> None:
    """The page shows its Spanish title, the Spanish sidebar and the login, no English."""
    page.get_by_role("heading", name=t(title_key, "es"), exact=True).first.wait_for()
    expect(
        page.get_by_text(t("auth.logged_in_as", "es", user="lawyer", role=t("role.admin", "es")))
    ).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    for _path, nav_key, _title in PAGES:
        expect(nav.get_by_role("link", name=t(nav_key, "es"), exact=True)).to_be_visible()
    body = page.inner_text("body")
    assert t("auth.log_out", "en") not in body
    assert t("ui.language", "en") not in body


def _shows_login(page: Any) -> None:
    page.locator("input[type='password']").wait_for()
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    assert page.locator("[data-testid='stMetric']").count() == 0


def test_language_and_login_hold_across_pages_reloads_and_tabs(
    browser_page: Any, server: str, admin: Path
) -> None:
    page = browser_page
    app = App(page)
    _open(app, server)
    page.locator("input[aria-label='Username']").fill("lawyer")
    page.locator("input[type='password']").fill(PASSWORD)
    act(app, page.get_by_role("button", name="Log in").click, "logging in")
    page.get_by_text("Logged in as lawyer").wait_for()
    # The sidebar names the pages, and the dashboard has its own title, not "app".
    expect(
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Dashboard")
    ).to_be_visible()
    assert page.title() == "Criminalization of defenders: dashboard"

    choose(app, "lang", "Español")
    settle(app)
    _logged_in_spanish(page, "dashboard.title")
    assert _language(admin) == "es"  # kept as the account's preference

    # Every page through the sidebar, then every page reloaded, in Spanish and logged in.
    for path, nav_key, title_key in PAGES[1:]:
        link = page.get_by_test_id("stSidebarNav").get_by_role(
            "link", name=t(nav_key, "es"), exact=True
        )
        act(app, link.click, f"opening {path}")
        page.wait_for_url(lambda url, p=path: urlparse(url).path == f"/{p}")
        _logged_in_spanish(page, title_key)
    act(app, page.reload, "reloading the last page", idle_first=False)
    settle(app)
    _logged_in_spanish(page, PAGES[-1][2])
    # Loading a page by its address is a reload of the whole app: a new connection.
    for path, _nav_key, title_key in PAGES:
        _open(app, f"{server}/{path}")
        settle(app)
        _logged_in_spanish(page, title_key)
        assert page.title() == t(title_key, "es")

    # The cookie carries the token; only its hash is in the database.
    cookies = {c["name"]: c for c in page.context.cookies()}
    cookie = cookies["tracker_session"]
    assert (cookie["sameSite"], cookie["path"]) == ("Strict", "/")
    assert len(cookie["value"]) >= 40
    with sqlite3.connect(admin) as conn:
        stored = [row[0] for row in conn.execute("SELECT token_hash FROM login_session")]
    assert len(stored) == 1 and cookie["value"] not in stored

    # Two more tabs open logged in, in Spanish.
    tabs = []
    for path, title_key in (("Cases", "cases.title"), ("Hearings", "hearings.title")):
        tab = page.context.new_page()
        tab_app = App(tab)
        _open(tab_app, f"{server}/{path}")
        settle(tab_app)
        _logged_in_spanish(tab, title_key)
        tabs.append(tab_app)

    # Log out in the first tab: the session is gone from the database and the cookie too.
    act(app, page.get_by_role("button", name=t("auth.log_out", "es")).click, "logging out")
    _shows_login(page)
    page.wait_for_function("() => !document.cookie.includes('tracker_session=')", timeout=30_000)
    assert _sessions(admin) == 0
    # Still in Spanish for whoever logs in next on this browser.
    expect(page.get_by_role("button", name=t("auth.log_in", "es"))).to_be_visible()

    # The second tab is logged out at its next action, the third at its reload.
    second, third = tabs
    link = second.page.get_by_test_id("stSidebarNav").get_by_role(
        "link", name=t("nav.sources", "es"), exact=True
    )
    act(second, link.click, "acting in the second tab")
    _shows_login(second.page)
    act(third, third.page.reload, "reloading the third tab", idle_first=False)
    settle(third)
    _shows_login(third.page)
