"""The Reports page in a real browser: open it on a fresh app (the documented cases are
seeded on first start), see a chart, and download it as a PNG at print resolution.

The PNG is drawn on click by the app's export server (kaleido and the same chromium); the
browser fixture fails the test if any request leaves the machine.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _settle(page: Any) -> None:
    """Wait until the app is connected, has finished its run and shows no skeleton."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", state="attached"
    )
    page.wait_for_selector("[data-test-script-state='notRunning']", state="attached")
    page.wait_for_selector("[data-testid='stSkeleton']", state="detached")


def _fill(page: Any, key: str, text: str) -> None:
    page.locator(f".st-key-{key}").locator("input").first.fill(text)


def test_download_a_chart_as_png(browser_page: Any, server: str, tmp_path: Path) -> None:
    page = browser_page
    page.goto(server)
    _settle(page)
    _fill(page, "setup_username", "author")
    _fill(page, "setup_password", "a long enough passphrase")
    _fill(page, "setup_password2", "a long enough passphrase")
    page.get_by_role("button", name="Create administrator").click()
    page.get_by_text("Logged in as author").wait_for()
    _settle(page)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Reports", exact=True).click()
    _settle(page)
    page.get_by_role("heading", name="Reports and publication charts").wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    assert "New charges by charge type" in page.locator(".js-plotly-plot").first.inner_text()

    button = page.locator(".st-key-dl_png").get_by_role("button")
    # The first export starts the app's headless browser: allow it a minute.
    with page.expect_download(timeout=90_000) as info:
        button.click()
    path = tmp_path / "chart.png"
    info.value.save_as(path)
    data = path.read_bytes()
    assert info.value.suggested_filename == "charges_over_time_en.png"
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (3300, 1950)  # print resolution: 300 dpi at 11 x 6.5 inches
