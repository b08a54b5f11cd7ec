"""In a real browser, as a new viewer meets the product: log in, choose Spanish, open every
page the sidebar lists and reload it, then the canary defender's and case's own pages. No page
shows an error, an English widget text or any form of a confidential person's real name, and
the Admin page is not listed for a viewer.

The server and the offline browser page come from tests/e2e/conftest.py; the canary's people
(tests/privacy/canary.py) are written into every free-text field of a seeded database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine

from tests.e2e.test_browser import App, act, choose, settle
from tests.e2e.test_session_browser import PAGES
from tests.privacy import canary
from tracker.i18n import t

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "viewer test passphrase"
# The placeholder Streamlit shows in an empty multiselect, in English unless the app passes its own.
ENGLISH_PLACEHOLDER = "Choose options"
MULTISELECT_PLACEHOLDERS = """() => Array.from(
    document.querySelectorAll('[data-testid="stMultiSelect"] input[placeholder]')
).map(e => e.getAttribute('placeholder'))"""


@pytest.fixture
def canary_viewer(server: str, tmp_path: Path) -> dict[str, Any]:
    """A seeded database holding the canary, and a viewer "vera"; returns the canary's ids."""
    database = tmp_path / "tracker.db"
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{database}"}
    for command in (["seed"], ["users", "add", "vera", "--role", "viewer"]):
        subprocess.run(
            [sys.executable, "-m", "tracker", *command], env=env, input=PASSWORD + "\n",
            text=True, check=True, cwd=ROOT, capture_output=True,
        )  # fmt: skip
    engine = create_engine(f"sqlite:///{database}")
    try:
        return dict(canary.build(engine))
    finally:
        engine.dispose()


def _clean(page: Any, where: str) -> str:
    """The page's text, checked: no error, no English widget text, no canary name."""
    page.get_by_test_id("stSidebarNav").wait_for()
    body = page.inner_text("body")
    assert page.get_by_test_id("stException").count() == 0, where
    assert t("incident.message", "es", id="")[:30] not in body, where
    placeholders = page.evaluate(MULTISELECT_PLACEHOLDERS)
    assert ENGLISH_PLACEHOLDER not in placeholders, where
    assert set(placeholders) <= {t("ui.choose_options", "es")}, (where, placeholders)
    found = canary.leaks([(where, body)])
    assert not found, canary.summary(found)
    return body


def test_viewer_in_spanish_sees_every_page_and_no_real_name(
    browser_page: Any, server: str, canary_viewer: dict[str, Any]
) -> None:
    page = browser_page
    app = App(page)
    act(app, lambda: page.goto(server), "opening the app", idle_first=False)
    page.locator("input[aria-label='Username']").fill("vera")
    page.locator("input[type='password']").fill(PASSWORD)
    act(app, page.get_by_role("button", name="Log in").click, "logging in")
    page.get_by_text("Logged in as vera").wait_for()
    choose(app, "lang", "Español")
    settle(app)

    nav = page.get_by_test_id("stSidebarNav")
    listed = [p for p in PAGES if p[0] != "Admin"]
    # expect() waits for the sidebar to be drawn again in Spanish.
    for _path, nav_key, _title in listed:
        expect(nav.get_by_role("link", name=t(nav_key, "es"), exact=True)).to_have_count(1)
    expect(nav.get_by_role("link", name=t("nav.admin", "es"), exact=True)).to_have_count(0)
    expect(nav.get_by_role("link", name=t("nav.admin", "en"), exact=True)).to_have_count(0)

    for path, nav_key, title_key in listed[1:]:
        link = page.get_by_test_id("stSidebarNav").get_by_role(
            "link", name=t(nav_key, "es"), exact=True
        )
        act(app, link.click, f"opening {path}")
        page.wait_for_url(lambda url, p=path: urlparse(url).path == f"/{p}")
        settle(app)
        page.get_by_role("heading", name=t(title_key, "es"), exact=True).first.wait_for()
        _clean(page, path)
        act(app, page.reload, f"reloading {path}", idle_first=False)
        settle(app)
        page.get_by_role("heading", name=t(title_key, "es"), exact=True).first.wait_for()
        _clean(page, f"{path} reloaded")

    # The canary's own pages, opened by their shared links.
    person = canary_viewer["zenobia"].hex
    case = canary_viewer["case"].hex
    for url, where in ((f"Defenders?actor={person}", "defender"), (f"Cases?case={case}", "case")):
        act(app, lambda u=url: page.goto(f"{server}/{u}"), f"opening {where}", idle_first=False)
        settle(app)
        body = _clean(page, where)
        assert canary.ZENOBIA["pseudonym"] in body, where
