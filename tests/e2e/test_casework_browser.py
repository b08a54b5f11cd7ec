"""Case work in a real browser (issue 17): a row click opens a case, the quick hearing form
keeps the notes and the chosen type and court on the documented Espinar case, and the
hearing calendar renders from the JavaScript shipped in its package (the fixture fails the
test if any request leaves the machine)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.e2e.test_browser import App, act, choose, fill, go, key
from tracker import db
from tracker import services as sv
from tracker.models import Hearing, StageChange
from tracker.permissions import Principal
from tracker.seed import seed_id

pytestmark = pytest.mark.browser

ESPINAR = seed_id("case", "case-espinar-2012")
APPEAL_HEARING = seed_id("hearing", "hearing-espinar-2018-05-08")
TRIAL_COURT = seed_id("court", "court-ica-single-judge")
ROW_PX = 35  # Streamlit's data grid: header and rows are 35 px high


def _start(page: Any, server: str) -> App:
    """Open the fresh app and create its administrator (who is then logged in)."""
    app = App(page)
    act(app, lambda: page.goto(server), "opening the app", idle_first=False)
    fill(app, "setup_username", "lawyer")
    fill(app, "setup_password", "a long enough passphrase")
    fill(app, "setup_password2", "a long enough passphrase")
    act(app, page.get_by_role("button", name="Create administrator").click, "creating the admin")
    page.get_by_text("Logged in as lawyer").wait_for()
    return app


def _click_row(app: App, grid_key: str, text: str) -> None:
    """Click the row of the table ``grid_key`` whose cells hold ``text``."""
    grid = key(app.page, grid_key)  # the keyed element is the data grid itself
    rows = grid.locator("[role='row']")
    rows.first.wait_for(state="attached")
    texts = rows.all_inner_texts()
    index = next(i for i, row in enumerate(texts) if text in row)  # row 0 is the header
    # The grid is drawn on a canvas: click the row's selection marker, its first column.
    box = grid.locator("canvas").first.bounding_box()
    assert box is not None
    x, y = box["x"] + 14, box["y"] + index * ROW_PX + ROW_PX / 2
    act(app, lambda: app.page.mouse.click(x, y), f"clicking the row of {text!r}")


def test_row_click_opens_espinar_and_the_quick_form_keeps_what_was_chosen(
    browser_page: Any, server: str, tmp_path: Path
) -> None:
    page = browser_page
    app = _start(page, server)
    go(app, "Cases", "Cases")
    _click_row(app, "case_rows", "Oscar Mollohuanca Cruz")
    page.get_by_role("heading", name="Oscar Mollohuanca Cruz and others").first.wait_for()
    assert parse_qs(urlparse(page.url).query)["case"] == [str(ESPINAR)]

    act(app, page.get_by_role("tab", name="Hearings").click, "opening the Hearings tab")
    # The form opens on the retrial hearing of 2020 (no result yet); a row click picks the
    # appeal hearing of 2018-05-08 to correct what was recorded.
    _click_row(app, f"hearing_rows_{ESPINAR}", "2018-05-08")
    # Pre-filled from the stored hearing: its result, its notes shown, not in an edit box.
    page.get_by_text("Appeal ruling overturning the acquittal and ordering a new trial.").wait_for()
    prefix = f"qr_{APPEAL_HEARING}"
    expect(key(page, f"{prefix}_result").get_by_role("combobox")).to_have_value(
        "Judgment delivered"
    )
    fill(app, f"{prefix}_add", "Retrial ordered before the single judge.")
    fill(app, f"{prefix}_next_at", "2026-12-15 09:00")
    choose(app, f"{prefix}_next_type", "Trial session")
    choose(app, f"{prefix}_next_court", "Single-judge criminal court of Ica")
    submit = page.get_by_role("button", name="Record the result")
    act(app, submit.click, "recording the result")
    page.get_by_text("Result recorded for the hearing of 2018-05-08.").wait_for()
    # Still on the Hearings tab after saving.
    expect(page.get_by_role("tab", name="Hearings")).to_have_attribute("aria-selected", "true")

    engine = db.make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with Session(engine) as s:
        hearings = s.exec(
            select(Hearing).where(Hearing.case_id == ESPINAR).order_by(Hearing.scheduled_at)
        ).all()
        events = s.exec(select(StageChange).where(StageChange.case_id == ESPINAR)).all()
    engine.dispose()
    assert [(str(h.scheduled_at), h.hearing_type, h.court_id) for h in hearings][1:] == [
        ("2018-05-08 00:00:00", "appeal", seed_id("court", "court-ica-first-criminal-appeals")),
        ("2020-02-18 00:00:00", "trial_session", seed_id("court", "court-ica-4th-single-judge")),
        ("2026-12-15 09:00:00", "trial_session", TRIAL_COURT),
    ]
    assert hearings[1].notes == (
        "Appeal ruling overturning the acquittal and ordering a new trial.\n\n"
        "Retrial ordered before the single judge."
    )
    assert len(events) == 10  # the stage was left as it was: no new court event


def test_hearing_calendar_renders_month_and_week_offline(
    browser_page: Any, server: str, tmp_path: Path
) -> None:
    page = browser_page
    app = _start(page, server)
    # An overdue hearing (yesterday, no result) in the month shown (last month on the 1st).
    yesterday = date.today() - timedelta(days=1)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with db.unit_of_work(engine, Principal("lawyer", "admin")) as s:
        sv.hearings.create(
            s,
            {
                "case_id": ESPINAR,
                "scheduled_at": f"{yesterday.isoformat()} 09:00",
                "hearing_type": "trial_session",
            },
        )
    engine.dispose()
    go(app, "Hearings", "Hearings")
    if yesterday.month != date.today().month:
        act(app, key(page, "h_prev").get_by_role("button").click, "showing last month")
    frame = page.frame_locator("iframe[title*='calendar']").first
    month = frame.locator(".fc-dayGridMonth-view")
    month.wait_for()
    assert frame.locator(".fc-daygrid-day").count() >= 28
    late = frame.locator(".fc-event", has_text="Oscar Mollohuanca Cruz")
    late.first.wait_for()
    colour = late.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(198, 40, 40)"  # red: overdue (#c62828)
    week = key(page, "h_view").get_by_text("Week", exact=True)
    act(app, week.click, "choosing the week view")
    frame = page.frame_locator("iframe[title*='calendar']").first
    frame.locator(".fc-timeGridWeek-view").wait_for()
    assert frame.locator(".fc-col-header-cell").count() == 7
    # The .ics download stays beside the calendar.
    expect(key(page, "h_ics")).to_be_visible()
