"""A new user's first minutes in a real browser: create the administrator, a defender, a case
with a charge and a hearing in a few days, then find the hearing on the dashboard and in the
.ics file of the Hearings page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from icalendar import Calendar
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

DEFENDER = "Rosa Quispe Mamani"
CASE = "Caso de prueba en el navegador"


def settle(page: Any) -> None:
    """Wait until the app is connected, has finished its run and shows no skeleton."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", state="attached"
    )
    page.wait_for_selector("[data-test-script-state='notRunning']", state="attached")
    page.wait_for_selector("[data-testid='stSkeleton']", state="detached")


def key(page: Any, name: str) -> Any:
    """The element of the widget (or form) with Streamlit key ``name``."""
    return page.locator(f".st-key-{name.replace(':', '-')}")


def fill(page: Any, name: str, text: str, enter: bool = False) -> None:
    box = key(page, name).locator("input, textarea").first
    box.fill(text)
    if enter:
        box.press("Enter")
        settle(page)


def choose(page: Any, name: str, option: str) -> None:
    """Pick ``option`` in a selectbox: type to filter its list, click the option.

    On a loaded machine a rerun can close the list between the click and the typing, so the
    attempt is repeated (after the app settles) before giving up.
    """
    for attempt in range(3):
        box = key(page, name).locator("input").first
        box.scroll_into_view_if_needed()
        box.click()
        box.press_sequentially(option[:4])
        wanted = page.get_by_role("option", name=option, exact=True)
        try:
            wanted.wait_for(timeout=15_000)
            wanted.click()
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            box.press("Escape")
            settle(page)


def save(page: Any, form: str, label: str = "Save") -> None:
    """Submit form ``form`` and wait for the confirmation."""
    key(page, f"FormSubmitter:{form}-{label}").get_by_role("button").click()
    page.get_by_text("Saved.", exact=True).wait_for()
    settle(page)


def expand(page: Any, title: str) -> None:
    """Open the expander titled ``title`` unless it is open (a rerun may close it)."""
    details = page.get_by_test_id("stExpander").filter(has_text=title).locator("details").first
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def go(page: Any, link: str) -> None:
    """Follow a link of the sidebar's page list (the session, and its login, stay)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
    settle(page)


def test_new_user_records_a_case_and_finds_its_hearing(browser_page: Any, server: str) -> None:
    page = browser_page
    page.goto(server)
    settle(page)
    # First run: the form that creates the administrator.
    fill(page, "setup_username", "lawyer")
    fill(page, "setup_password", "a long enough passphrase")
    fill(page, "setup_password2", "a long enough passphrase")
    page.get_by_role("button", name="Create administrator").click()
    page.get_by_text("Logged in as lawyer").wait_for()
    settle(page)

    go(page, "Defenders")
    expand(page, "New defender")
    choose(page, "new_defenders__kind", "Person")
    fill(page, "new_defenders__name", DEFENDER)
    fill(page, "new_defenders__birth_date", "1975")
    save(page, "new_defenders")
    page.get_by_role("heading", name=DEFENDER).wait_for()

    go(page, "Cases")
    expand(page, "New case")
    fill(page, "new_case__title", CASE)
    fill(page, "new_case__opened_on", "2024-05")
    save(page, "new_case")
    case_id = parse_qs(urlparse(page.url).query)["case"][0]

    page.get_by_role("tab", name="Parties").click()
    expand(page, "Add a party")
    fill(page, f"party_search_{case_id}", "Rosa", enter=True)
    expand(page, "Add a party")
    choose(page, f"party_{case_id}__actor_id", DEFENDER)
    choose(page, f"party_{case_id}__role", "Defendant")
    save(page, f"party_{case_id}")

    page.get_by_role("tab", name="Charges").click()
    expand(page, "Add a charge")
    choose(page, f"charge_{case_id}__defendant_id", DEFENDER)
    choose(page, f"charge_{case_id}__charge_type", "Riot / civil disturbance")
    fill(page, f"charge_{case_id}__filed_on", "2024-06")
    save(page, f"charge_{case_id}")

    when = date.today() + timedelta(days=3)
    page.get_by_role("tab", name="Hearings").click()
    expand(page, "Schedule a hearing")
    fill(page, f"hearing_{case_id}__scheduled_at", f"{when.isoformat()} 10:30")
    choose(page, f"hearing_{case_id}__hearing_type", "Trial session")
    save(page, f"hearing_{case_id}")

    # The dashboard lists it among the hearings ahead.
    go(page, "app")
    figures = page.get_by_test_id("stMetric").filter(has_text="Hearings in the next 30 days")
    assert figures.get_by_test_id("stMetricValue").inner_text() == "1"
    grid = page.get_by_test_id("stDataFrame").first
    grid.get_by_text(CASE).first.wait_for(state="attached")

    # The Hearings page offers it as an .ics file that a calendar program reads.
    go(page, "Hearings")
    page.get_by_test_id("stDataFrame").first.get_by_text(CASE).first.wait_for(state="attached")
    with page.expect_download() as download:
        key(page, "h_ics").get_by_role("button").click()
    data = download.value.path().read_bytes()
    events = Calendar.from_ical(data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [f"Trial session: {CASE}"]
    start = events[0].decoded("DTSTART")
    assert (start.date(), start.hour, start.minute, str(start.tzinfo)) == (
        when,
        10,
        30,
        "America/Lima",
    )
    assert f"Defendants: {DEFENDER}" in str(events[0]["DESCRIPTION"])
