"""In a real browser: every page opened by its URL on a fresh server shows only the login
form, and hostile text saved through the forms is shown literally with no script run.

The server and the offline browser page (any request leaving 127.0.0.1 fails the test; no
chromium skips, or fails under CI=true) come from tests/e2e/conftest.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "browser test passphrase"
HOSTILE = "<script>window.__pwned=1</script> [click](javascript:alert(1)) **bold** ‮gnp.exe ​'; DROP TABLE court_case; --"


def _url_paths() -> list[str]:
    """The URL of every page: "" for app.py, then "Cases", "Defenders"... as Streamlit names them."""
    names = [re.sub(r"^\d+_", "", p.stem) for p in sorted((ROOT / "pages").glob("*.py"))]
    return ["", *names]


@pytest.fixture
def editor(server: str, tmp_path: Path) -> str:
    """An editor account on the running app's database (the shared ``server`` fixture)."""
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.db'}"}
    subprocess.run(
        [sys.executable, "-m", "tracker", "users", "add", "editor", "--role", "editor"],
        env=env, input=PASSWORD + "\n", text=True, check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    return "editor"


@pytest.fixture
def watched_page(browser_page):  # type: ignore[no-untyped-def]
    """The shared offline browser page, failing the test if any script opens a dialog."""
    dialogs: list[str] = []
    browser_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield browser_page
    assert dialogs == [], f"a script opened a dialog: {dialogs}"


def _wait_idle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']",
        state="attached",
        timeout=60_000,
    )
    page.wait_for_selector(
        "[data-test-script-state='notRunning']", state="attached", timeout=60_000
    )


def test_every_page_url_on_a_fresh_server_shows_only_login(
    server: str, editor: str, watched_page
) -> None:  # type: ignore[no-untyped-def]
    # The first visitor of a fresh server opens a deep link: the trap of STACK_NOTES.md.
    page = watched_page
    paths = _url_paths()
    for path in [*paths[1:], paths[0]]:
        page.goto(f"{server}/{path}")
        _wait_idle(page)
        page.wait_for_selector("input[aria-label='Username']", timeout=60_000)
        assert page.locator("input[type='password']").count() == 1
        assert page.locator("[data-testid='stDataFrame']").count() == 0
        assert page.locator("[data-testid='stMetric']").count() == 0
        assert "Máxima" not in page.inner_text("body")


def _log_in(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/Cases")
    _wait_idle(page)
    page.locator("input[aria-label=Username]").fill("editor")
    page.locator("input[type=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_selector("text=Logged in as editor", timeout=60_000)


def test_hostile_text_is_shown_literally(server: str, editor: str, watched_page) -> None:  # type: ignore[no-untyped-def]
    page = watched_page
    _log_in(page, server)
    page.get_by_text("New case").click()
    page.get_by_label("Title *").fill(HOSTILE)
    page.get_by_label("Summary").fill(HOSTILE)
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_selector("[data-testid='stAlertContentSuccess']", timeout=60_000)
    # Saving opens the new case's page: its heading and summary show the text as typed.
    heading = page.locator("[data-testid='stHeading']").filter(has_text="DROP TABLE").first
    # Streamlit turns " -- " into a dash after parsing; safe.md() keeps it with a word joiner.
    assert heading.inner_text().strip().replace("\u2060", "") == HOSTILE
    assert page.inner_text("body").count(HOSTILE) >= 1  # the summary, shown as plain text
    assert page.evaluate("window.__pwned") is None
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("strong", has_text="bold").count() == 0
