"""A new user's first minutes in a real browser: create the administrator, a defender, a case
with a charge and a hearing in a few days, then find the hearing on the dashboard and in the
.ics file of the Hearings page."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from icalendar import Calendar
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

pytestmark = pytest.mark.browser

DEFENDER = "Rosa Quispe Mamani"
CASE = "Caso de prueba en el navegador"


# How long the browser may take to send the rerun request of a click or key press. The
# frontend sends it from the event handler itself, so a few seconds without it mean the
# click never reached the handler (seen on a loaded machine: the Save button of the new-case
# form clicked on an idle app, no request on the websocket, the page left on /Cases).
REQUEST_MS = 10_000


class App:
    """The app's page and what its websocket says about script runs.

    Streamlit's busy flag in the page (data-test-script-state) cannot tell "the rerun of the
    last click has not started yet" from "it has finished", and after st.rerun() it shows
    notRunning between the two runs of one save. The websocket can tell: the browser sends
    one rerun request per action, and the server reports how each run ended.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requests = 0  # rerun requests the browser sent
        self.started = 0  # runs the server started
        self.completed = 0  # runs that ended, other than those cut short by a rerun
        # Shows again the tab and expander open_form opened, if a late rerun hid them.
        self.reveal: Callable[[], None] = lambda: None
        page.on("websocket", self._watch)

    def _watch(self, ws: Any) -> None:
        ws.on("framesent", self._sent)
        ws.on("framereceived", self._received)

    def _sent(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = BackMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "rerun_script":
                self.requests += 1

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "new_session":
                self.started += 1
            if (
                message.WhichOneof("type") == "script_finished"
                and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                self.completed += 1

    def wait(self, condition: Callable[[], bool], timeout_ms: float) -> bool:
        """Let Playwright deliver websocket events until ``condition()`` or the time is up."""
        deadline = time.monotonic() + timeout_ms / 1000
        while not condition():
            if time.monotonic() > deadline:
                return False
            self.page.wait_for_timeout(50)
        return True


def settle(app: App) -> None:
    """Wait until the page is connected, shows no run in progress and no skeleton.

    On its own this proves nothing about a click just made (its rerun may not have started):
    :func:`act` waits for the server's word first.
    """
    page = app.page
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", state="attached"
    )
    page.wait_for_selector("[data-test-script-state='notRunning']", state="attached")
    page.wait_for_selector("[data-testid='stSkeleton']", state="detached")


def act(app: App, action: Callable[[], Any], what: str, *, idle_first: bool = True) -> None:
    """Do ``action`` (a click or key press that reruns the app) and wait until its rerun ends.

    The browser must send a rerun request: if it sends none and the server started no run,
    nothing reached the server (so nothing was saved) and the action is tried once more; a
    second silence fails the test.
    Then the server must report a run that ended (not one cut short by st.rerun()), and the
    page must show that no run is in progress.
    """
    if idle_first:
        settle(app)
    completed = _request(app, action, what)
    if not app.wait(lambda: app.completed > completed, 60_000):
        pytest.fail(f"{what}: the app's run did not end within 60 s; the page is at {app.page.url}")
    settle(app)


def _request(app: App, action: Callable[[], Any], what: str) -> int:
    """Do ``action`` until the browser sends a rerun request (at most twice); return the
    number of runs that had ended before it."""
    for attempt in (1, 2):
        requests, started, completed = app.requests, app.started, app.completed
        action()
        if app.wait(lambda n=requests: app.requests > n, REQUEST_MS):
            return completed
        if app.started > started:
            pytest.fail(f"{what}: the server started a run that the browser did not ask for")
        if attempt == 1:
            warnings.warn(
                f"{what}: the browser sent no rerun request in {REQUEST_MS // 1000} s, so "
                "the server received nothing; trying once more",
                stacklevel=3,
            )
    pytest.fail(
        f"{what}: the browser sent no rerun request to the app, twice "
        f"({REQUEST_MS // 1000} s each); the page is at {app.page.url}"
    )


def key(page: Any, name: str) -> Any:
    """The element of the widget (or form) with Streamlit key ``name``."""
    return page.locator(f".st-key-{name.replace(':', '-')}")


def fill(app: App, name: str, text: str, enter: bool = False) -> None:
    """Type ``text`` in a text widget; with ``enter`` (widgets outside a form), submit it."""
    box = key(app.page, name).locator("input, textarea").first
    box.fill(text)
    if enter:
        act(app, lambda: box.press("Enter"), f"pressing Enter in {name}")


def choose(app: App, name: str, option: str) -> None:
    """Pick ``option`` in a selectbox: type to filter its list, click the option.

    If the list closes between the click and the typing, or a late rerun hid the box (seen
    on a loaded machine: the expander of a form just opened drawn again, closed), the attempt
    is repeated after the app settles and the form is shown again, before giving up.
    """
    page = app.page
    for attempt in range(3):
        box = key(page, name).locator("input").first
        wanted = page.get_by_role("option", name=option, exact=True)
        try:
            box.scroll_into_view_if_needed(timeout=15_000)
            box.click(timeout=15_000)
            box.press_sequentially(option[:4])
            wanted.wait_for(timeout=15_000)
            wanted.click()
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            settle(app)
            app.reveal()


def save(app: App, form: str, label: str = "Save") -> None:
    """Submit form ``form``; fail unless the app confirms the save.

    A save reruns the app twice (st.rerun() after writing): :func:`act` waits for the run
    that ends normally, so an earlier "Saved." still on the page cannot stand for this one.
    """
    page = app.page
    button = key(page, f"FormSubmitter:{form}-{label}").get_by_role("button")
    act(app, button.click, f"submitting form {form!r}")
    saved = page.get_by_text("Saved.", exact=True)
    errors = page.get_by_test_id("stAlertContentError")
    saved.or_(errors).first.wait_for()
    if not saved.is_visible():
        pytest.fail(
            f"form {form!r} was submitted but not saved; errors shown: {errors.all_inner_texts()}"
        )


def open_form(app: App, tab: str, title: str) -> None:
    """Open tab ``tab`` and the expander ``title`` in it, once the runs of the last save are
    over: a rerun still on its way (a save reruns twice) draws the expander again, closed,
    and a field inside it then never becomes visible (seen on a loaded machine)."""

    def reveal() -> None:
        app.page.get_by_role("tab", name=tab).click()
        expand(app.page, title)

    settle(app)
    reveal()
    settle(app)
    expand(app.page, title)
    app.reveal = reveal


def expand(page: Any, title: str) -> None:
    """Open the expander titled ``title`` unless it is open (a rerun may close it)."""
    details = page.get_by_test_id("stExpander").filter(has_text=title).locator("details").first
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def go(app: App, link: str, path: str) -> None:
    """Follow a link of the sidebar's page list (the session, and its login, stay) and wait
    until that page has run: the URL is ``/path`` and the link is marked as the current page."""
    page = app.page
    app.reveal = lambda: None
    nav = page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True)
    act(app, nav.click, f"opening the {link} page")
    page.wait_for_url(lambda url: urlparse(url).path == f"/{path}")
    expect(nav).to_have_attribute("aria-current", "page")


def test_new_user_records_a_case_and_finds_its_hearing(browser_page: Any, server: str) -> None:
    page = browser_page
    app = App(page)
    act(app, lambda: page.goto(server), "opening the app", idle_first=False)
    # First run: the form that creates the administrator.
    fill(app, "setup_username", "lawyer")
    fill(app, "setup_password", "a long enough passphrase")
    fill(app, "setup_password2", "a long enough passphrase")
    create = page.get_by_role("button", name="Create administrator")
    act(app, create.click, "creating the administrator")
    page.get_by_text("Logged in as lawyer").wait_for()

    go(app, "Defenders", "Defenders")
    expand(page, "New defender")
    choose(app, "new_defenders__kind", "Person")
    fill(app, "new_defenders__name", DEFENDER)
    fill(app, "new_defenders__birth_date", "1975")
    save(app, "new_defenders")
    page.get_by_role("heading", name=DEFENDER).wait_for()

    go(app, "Cases", "Cases")
    expand(page, "New case")
    fill(app, "new_case__title", CASE)
    fill(app, "new_case__opened_on", "2024-05")
    save(app, "new_case")
    case_id = parse_qs(urlparse(page.url).query)["case"][0]

    open_form(app, "Parties", "Add a party")
    fill(app, f"party_search_{case_id}", "Rosa", enter=True)
    expand(page, "Add a party")
    choose(app, f"party_{case_id}__actor_id", DEFENDER)
    choose(app, f"party_{case_id}__role", "Defendant")
    save(app, f"party_{case_id}")

    open_form(app, "Charges", "Add a charge")
    choose(app, f"charge_{case_id}__defendant_id", DEFENDER)
    choose(app, f"charge_{case_id}__charge_type", "Riot / civil disturbance")
    fill(app, f"charge_{case_id}__filed_on", "2024-06")
    save(app, f"charge_{case_id}")

    when = date.today() + timedelta(days=3)
    open_form(app, "Hearings", "Schedule a hearing")
    fill(app, f"hearing_{case_id}__scheduled_at", f"{when.isoformat()} 10:30")
    choose(app, f"hearing_{case_id}__hearing_type", "Trial session")
    save(app, f"hearing_{case_id}")

    # The dashboard lists it among the hearings ahead.
    go(app, "Dashboard", "")
    figures = page.get_by_test_id("stMetric").filter(has_text="Hearings in the next 30 days")
    assert figures.get_by_test_id("stMetricValue").inner_text() == "1"
    grid = page.get_by_test_id("stDataFrame").first
    grid.get_by_text(CASE).first.wait_for(state="attached")

    # The Hearings page offers it as an .ics file that a calendar program reads.
    go(app, "Hearings", "Hearings")
    page.get_by_test_id("stDataFrame").first.get_by_text(CASE).first.wait_for(state="attached")
    # A click while the page still runs can land on a button about to be drawn again, and no
    # download starts (seen on a loaded machine): let the run end first.
    settle(app)
    button = key(page, "h_ics").get_by_role("button")
    expect(button).to_be_enabled()
    # Even on a settled page a click has once started no download (CI, 2026-12-05: the same
    # code passed the run before). The file, not the click, is what this test checks: a
    # second click after the page settles again, as a user would click again.
    for attempt in (1, 2):
        try:
            with page.expect_download(timeout=30_000) as download:
                button.click()
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            settle(app)
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
